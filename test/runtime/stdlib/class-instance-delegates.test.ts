import { describe, expect, it } from "vitest";
import { tableGet } from "../../../src/runtime/access.ts";
import { instantiate, newClass, newMember } from "../../../src/runtime/classes.ts";
import { SqClass, SqInstance, SqWeakRef, type SqTable } from "../../../src/runtime/values.ts";
import { closure, errorOf, method, table } from "./helpers.ts";

const c = (self: unknown, name: string, ...args: unknown[]): unknown =>
  method("class", self, name, ...args);
const i = (self: unknown, name: string, ...args: unknown[]): unknown =>
  method("instance", self, name, ...args);

/** class A </ cls = "A" /> { </ m = 1 /> x = 1; function f() { return 1; } static s = 5; } */
function classA(): SqClass {
  const A = newClass(null, table({ cls: "A" }));
  newMember(A, "x", 1, table({ m: 1 }), false);
  newMember(
    A,
    "f",
    closure(() => 1),
    null,
    false,
  );
  newMember(A, "s", 5, null, true);
  return A;
}

describe("class delegate", () => {
  it("getattributes of the class (null) and of members; wrong index for others", () => {
    const A = classA();
    expect(tableGet(c(A, "getattributes", null) as SqTable, "cls")).toBe("A");
    expect(tableGet(c(A, "getattributes", "x") as SqTable, "m")).toBe(1);
    expect(c(A, "getattributes", "f")).toBe(null);
    expect(errorOf(() => c(A, "getattributes", "nope"))).toBe("wrong index");
  });

  it("setattributes returns the old attributes", () => {
    const A = classA();
    expect(c(A, "setattributes", "f", "new")).toBe(null);
    expect(c(A, "getattributes", "f")).toBe("new");
    const old = c(A, "setattributes", null, "whole");
    expect(tableGet(old as SqTable, "cls")).toBe("A");
    expect(c(A, "getattributes", null)).toBe("whole");
    expect(errorOf(() => c(A, "setattributes", "nope", 1))).toBe("wrong index");
  });

  it("rawget / rawin see members, statics and methods", () => {
    const A = classA();
    expect(c(A, "rawget", "x")).toBe(1);
    expect(c(A, "rawin", "f")).toBe(true);
    expect(c(A, "rawin", "s")).toBe(true);
    expect(c(A, "rawin", "zz")).toBe(false);
    expect(errorOf(() => c(A, "rawget", "zz"))).toBe("the index doesn't exist");
  });

  it("rawset adds members, but a locked class silently keeps its fields (sq_rawset)", () => {
    const A = classA();
    expect(c(A, "rawset", "y", 3)).toBe(A);
    expect(c(A, "rawget", "y")).toBe(3);
    instantiate(A, []);
    c(A, "rawset", "z", 3);
    expect(c(A, "rawin", "z")).toBe(false);
    c(
      A,
      "rawset",
      "g",
      closure(() => 2),
    );
    expect(c(A, "rawin", "g")).toBe(true);
  });

  it("instance() makes an instance without running the constructor", () => {
    const A = classA();
    let ran = false;
    newMember(
      A,
      "constructor",
      closure(() => {
        ran = true;
      }),
      null,
      false,
    );
    const o = c(A, "instance") as SqInstance;
    expect(o).toBeInstanceOf(SqInstance);
    expect(ran).toBe(false);
    expect(i(o, "getclass")).toBe(A);
    expect(o.$x).toBe(1);
  });

  it("getbase", () => {
    const A = classA();
    const B = newClass(A, null);
    expect(c(B, "getbase")).toBe(A);
    expect(c(A, "getbase")).toBe(null);
  });

  it("newmember asks _newmember; rawnewmember does not", () => {
    const B = newClass(null, null);
    const seen: unknown[] = [];
    newMember(
      B,
      "_newmember",
      closure((_s, k, v, a, st) => {
        seen.push([k, v, a, st]);
      }),
      null,
      false,
    );
    expect(c(B, "newmember", "q", 1, "attr", true)).toBe(B);
    expect(seen).toEqual([["q", 1, "attr", true]]);
    expect(c(B, "rawin", "q")).toBe(false);
    c(B, "newmember", "w", 1);
    expect(seen[1]).toEqual(["w", 1, null, false]);
    c(B, "rawnewmember", "r", 2);
    expect(c(B, "rawin", "r")).toBe(true);
    expect(seen.length).toBe(2);
    expect(errorOf(() => c(B, "rawnewmember", null, 2))).toBe("null key");
  });

  it("newmember stores attributes and statics (conformance 105)", () => {
    const T = newClass(null, null);
    c(T, "newmember", "c", 3, "attrs");
    expect(c(T, "getattributes", "c")).toBe("attrs");
    c(T, "rawnewmember", "k", 4, null, true);
    expect(T.statics.has("$k")).toBe(true);
    expect(instantiate(T, []).$c).toBe(3);
  });

  it("tostring and weakref", () => {
    const A = classA();
    expect(String(c(A, "tostring")).slice(0, 8)).toBe("(class :");
    expect(c(A, "weakref")).toBeInstanceOf(SqWeakRef);
    expect(c(A, "weakref")).toBe(c(A, "weakref"));
  });
});

describe("instance delegate", () => {
  it("rawget / rawin see fields, methods and statics", () => {
    const o = instantiate(classA(), []);
    expect(i(o, "rawget", "x")).toBe(1);
    expect(i(o, "rawin", "f")).toBe(true);
    expect(i(o, "rawget", "s")).toBe(5);
    expect(errorOf(() => i(o, "rawget", "zz"))).toBe("the index doesn't exist");
  });

  it("rawset changes fields only, without _set", () => {
    const A = classA();
    newMember(
      A,
      "_set",
      closure(() => {
        throw new Error("not raw");
      }),
      null,
      false,
    );
    const o = instantiate(A, []);
    expect(i(o, "rawset", "x", 9)).toBe(o);
    expect(o.$x).toBe(9);
    expect(errorOf(() => i(o, "rawset", "f", 9))).toBe("the index 'f' does not exist");
    expect(errorOf(() => i(o, "rawset", "zz", 9))).toBe("the index 'zz' does not exist");
  });

  it("getclass, tostring", () => {
    const A = classA();
    const o = instantiate(A, []);
    expect(i(o, "getclass")).toBe(A);
    expect(String(i(o, "tostring")).slice(0, 10)).toBe("(instance ");
    expect(errorOf(() => i(A, "getclass"))).toBe(
      "parameter 0 has an invalid type 'class' ; expected: 'instance'",
    );
  });
});
