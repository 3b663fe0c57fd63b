import { describe, expect, it } from "vitest";
import { tableGet } from "../../../src/runtime/access.ts";
import { call } from "../../../src/runtime/call.ts";
import { vm } from "../../../src/runtime/state.ts";
import { SqTable, SqThrow, SqWeakRef } from "../../../src/runtime/values.ts";
import { closure, errorOf, method, table } from "./helpers.ts";

const fn = (self: unknown, name: string, ...args: unknown[]): unknown =>
  method("function", self, name, ...args);

describe("function delegate: calling", () => {
  const scaled = closure(
    (self, a, b) => (tableGet(self as SqTable, "k") as number) * ((a as number) + (b as number)),
  );
  const ctx = table({ k: 3 });

  it("call / pcall take this then the arguments (conformance 086)", () => {
    expect(fn(scaled, "call", ctx, 1, 2)).toBe(9);
    expect(fn(scaled, "pcall", ctx, 4, 4)).toBe(24);
  });

  it("acall / pacall take one array: this then the arguments", () => {
    expect(fn(scaled, "acall", [ctx, 2, 3])).toBe(15);
    expect(fn(scaled, "pacall", [ctx, 1, 1])).toBe(6);
    const count = closure((_self, vargv) => (vargv as unknown[]).length, {
      params: [],
      varargs: true,
    });
    expect(fn(count, "acall", [null])).toBe(0);
    expect(fn(count, "acall", [null, 1, 2, 3])).toBe(3);
  });

  it("pcall lets errors through", () => {
    const thrower = closure(() => {
      throw new SqThrow("boom");
    });
    expect(errorOf(() => fn(thrower, "pcall", null))).toBe("boom");
  });

  it("without even `this`, closures refuse the call as the reference does", () => {
    const noParams = closure(() => 1);
    expect(errorOf(() => fn(noParams, "call"))).toBe(
      "wrong number of parameters (0 passed, 1 required)",
    );
    expect(errorOf(() => fn(noParams, "acall", []))).toBe(
      "wrong number of parameters (0 passed, 1 required)",
    );
    const va = closure(() => 1, { params: ["x"], varargs: true });
    expect(errorOf(() => fn(va, "call"))).toBe(
      "wrong number of parameters (0 passed, at least 2 required)",
    );
    expect(errorOf(() => fn(tableGet(vm.root, "print"), "call"))).toBe(
      "wrong number of parameters",
    );
    expect(errorOf(() => fn(tableGet(vm.root, "getroottable"), "call"))).toBe(
      "wrong number of parameters",
    );
    expect(fn(tableGet(vm.root, "collectgarbage"), "call")).toBe(0);
  });

  it("bindenv fixes this", () => {
    const name = closure((self) => tableGet(self as SqTable, "name"));
    const bound = fn(name, "bindenv", table({ name: "one" }));
    expect(call(bound, table({ name: "other" }), [])).toBe("one");
    expect(errorOf(() => fn(name, "bindenv", 1))).toBe(
      "parameter 1 has an invalid type 'integer' ; expected: 'table|class|instance'",
    );
  });
});

describe("function delegate: getinfos (conformance 090)", () => {
  it("describes a closure", () => {
    const sample = closure(() => null, { name: "sample", params: ["a", "b", "c"], defaults: [1] });
    const info = fn(sample, "getinfos") as SqTable;
    expect(tableGet(info, "native")).toBe(false);
    expect(tableGet(info, "name")).toBe("sample");
    expect(tableGet(info, "src")).toBe("test.nut");
    expect(tableGet(info, "parameters")).toEqual(["this", "a", "b", "c"]);
    expect(tableGet(info, "defparams")).toEqual([1]);
    expect(tableGet(info, "varargs")).toBe(0);
  });

  it("lists vargv and ... for varargs, and null for an anonymous function", () => {
    const va = closure(() => null, { params: ["x"], varargs: true });
    const info = fn(va, "getinfos") as SqTable;
    expect(tableGet(info, "parameters")).toEqual(["this", "x", "vargv", "..."]);
    expect(tableGet(info, "varargs")).toBe(1);
    expect(tableGet(info, "name")).toBe(null);
  });

  it("describes a native: name, parameter count and compiled type masks", () => {
    const p = fn(tableGet(vm.root, "print"), "getinfos") as SqTable;
    expect(tableGet(p, "native")).toBe(true);
    expect(tableGet(p, "name")).toBe("print");
    expect(tableGet(p, "paramscheck")).toBe(2);
    expect(tableGet(p, "typecheck")).toBe(null);
    const s = fn(tableGet(vm.root, "split"), "getinfos") as SqTable;
    expect(tableGet(s, "paramscheck")).toBe(-3);
    expect(tableGet(s, "typecheck")).toEqual([-1, 16, 16, 8]);
  });
});

describe("function delegate: roots and the rest", () => {
  it("getroot is the root table until setroot; natives have none", () => {
    const f = closure(() => null);
    expect(fn(f, "getroot")).toBe(vm.root);
    const other = new SqTable();
    expect(fn(f, "setroot", other)).toBe(f);
    expect(fn(f, "getroot")).toBe(other);
    expect(errorOf(() => fn(tableGet(vm.root, "print"), "getroot"))).toBe("closure expected");
  });

  it("tostring and weakref", () => {
    const f = closure(() => null);
    expect(fn(f, "tostring")).toMatch(/^\((function|closure) : 0x[0-9a-f]+\)$/);
    expect(fn(f, "weakref")).toBeInstanceOf(SqWeakRef);
  });
});
