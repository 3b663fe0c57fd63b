import { describe, expect, it } from "vitest";
import { call } from "../../../src/runtime/call.ts";
import {
  checkNativeArgs,
  compileTypemask,
  maskNames,
  native,
  nativeTable,
} from "../../../src/runtime/native.ts";
import { SqClass, SqTable, SqWeakRef } from "../../../src/runtime/values.ts";
import { closure, errorOf, f, method } from "./helpers.ts";

describe("native()", () => {
  it("records name, parameter count and type mask on the function", () => {
    const fn = native("twice", 2, ".n", (_self, args) => (args[0] as number) * 2);
    expect(fn.nat).toMatchObject({ name: "twice", nparams: 2, typemask: ".n" });
    expect(call(fn, null, [21])).toBe(42);
  });

  it("refuses a type mask the reference would not compile", () => {
    expect(() => native("bad", 1, "z", () => null)).toThrow(/invalid typemask/);
    expect(() => native("bad", 1, "n|", () => null)).toThrow(/invalid typemask/);
  });

  it("builds delegate tables keyed by name with a slot count", () => {
    const t = nativeTable([native("a", 0, null, () => 1), native("b", 0, null, () => 2)]);
    expect(t.n).toBe(2);
    expect(typeof t.$a).toBe("function");
  });
});

describe("compileTypemask", () => {
  it("gives one mask per parameter; '.' is any, spaces are ignored, '|' joins", () => {
    expect(compileTypemask(".n")).toEqual([-1, 0x6]);
    expect(compileTypemask("s n  n")).toEqual([0x10, 0x6, 0x6]);
    expect(compileTypemask("c x|y|t")).toEqual([0x300, 0x8000 | 0x4000 | 0x20]);
  });

  it("names types in the reference's bit order, without weakref", () => {
    expect(maskNames(0x6)).toBe("integer|float");
    expect(maskNames(0x300)).toBe("function|function");
    expect(maskNames(0x8000 | 0x4000 | 0x20)).toBe("table|class|instance");
    expect(maskNames(0x10000)).toBe("");
  });
});

describe("checkNativeArgs", () => {
  const exact = native("exact", 2, null, () => null);
  const atLeast = native("atleast", -2, null, () => null);
  const any = native("any", 0, null, () => null);

  it("counts `this` with the arguments", () => {
    expect(errorOf(() => checkNativeArgs(exact, null, [1]))).toBe("no error");
    expect(errorOf(() => checkNativeArgs(exact, null, []))).toBe("wrong number of parameters");
    expect(errorOf(() => checkNativeArgs(exact, null, [1, 2]))).toBe("wrong number of parameters");
    expect(errorOf(() => checkNativeArgs(atLeast, null, []))).toBe("wrong number of parameters");
    expect(errorOf(() => checkNativeArgs(atLeast, null, [1, 2, 3]))).toBe("no error");
    expect(errorOf(() => checkNativeArgs(any, null, []))).toBe("no error");
  });

  it("reports the first parameter of a wrong type as the reference does (conformance 091)", () => {
    expect(errorOf(() => method("array", [], "insert", "x", 1))).toBe(
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
    );
    expect(errorOf(() => method("array", [], "append"))).toBe("wrong number of parameters");
    expect(errorOf(() => method("array", [1, 2], "sort", 1))).toBe(
      "parameter 1 has an invalid type 'integer' ; expected: 'function|function'",
    );
    expect(errorOf(() => method("table", new SqTable(), "setdelegate", 1))).toBe(
      "parameter 1 has an invalid type 'integer' ; expected: 'null|table'",
    );
    expect(
      errorOf(() =>
        method(
          "function",
          closure(() => null),
          "bindenv",
          1,
        ),
      ),
    ).toBe("parameter 1 has an invalid type 'integer' ; expected: 'table|class|instance'");
  });

  it("checks `this` too, and only the parameters given", () => {
    const onlyStrings = native("s", -1, "ss", () => null);
    expect(errorOf(() => call(onlyStrings, 5, []))).toBe(
      "parameter 0 has an invalid type 'integer' ; expected: 'string'",
    );
    expect(errorOf(() => call(onlyStrings, "a", []))).toBe("no error");
  });

  it("tells closures and natives apart only in the mask, not in the type name", () => {
    const wantsClass = native("y", 2, ".y", () => null);
    expect(errorOf(() => call(wantsClass, null, [closure(() => null)]))).toBe(
      "parameter 1 has an invalid type 'function' ; expected: 'class'",
    );
    expect(errorOf(() => call(wantsClass, null, [new SqClass(null)]))).toBe("no error");
    expect(errorOf(() => call(wantsClass, null, [new SqWeakRef(1)]))).toBe(
      "parameter 1 has an invalid type 'weakref' ; expected: 'class'",
    );
    expect(errorOf(() => call(wantsClass, null, [f(1)]))).toBe(
      "parameter 1 has an invalid type 'float' ; expected: 'class'",
    );
  });
});
