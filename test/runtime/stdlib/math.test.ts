import { describe, expect, it } from "vitest";
import { tableGet } from "../../../src/runtime/access.ts";
import { vm } from "../../../src/runtime/state.ts";
import { CRandom, RAND_MAX } from "../../../src/runtime/stdlib/math.ts";
import { SqFloat, SqTable } from "../../../src/runtime/values.ts";
import { errorOf, f, global } from "./helpers.ts";

const fl = (v: unknown): number => {
  expect(v).toBeInstanceOf(SqFloat);
  return (v as SqFloat).v;
};

describe("math functions (conformance 177)", () => {
  it("abs works on the integer value; fabs, floor, ceil, sqrt, pow give floats", () => {
    expect(global("abs", -5)).toBe(5);
    expect(global("abs", f(-3.7))).toBe(3);
    expect(global("abs", -2147483648)).toBe(-2147483648);
    expect(fl(global("fabs", f(-2.5)))).toBe(2.5);
    expect(fl(global("fabs", -3))).toBe(3);
    expect(fl(global("sqrt", 16))).toBe(4);
    expect(fl(global("sqrt", 2))).toBe(Math.fround(Math.SQRT2));
    expect(fl(global("floor", f(2.7)))).toBe(2);
    expect(fl(global("floor", f(-2.7)))).toBe(-3);
    expect(fl(global("ceil", f(-2.1)))).toBe(-2);
    expect(fl(global("pow", 2, 10))).toBe(1024);
    expect(fl(global("atan2", 1, -1))).toBe(Math.fround(Math.atan2(1, -1)));
    expect(fl(global("log", 0))).toBe(-Infinity);
    expect(Number.isNaN(fl(global("sqrt", -1)))).toBe(true);
  });

  it("computes on the float value of the argument", () => {
    expect(fl(global("sin", f(0.5)))).toBe(Math.fround(Math.sin(Math.fround(0.5))));
    expect(fl(global("exp", 1))).toBe(Math.fround(Math.E));
  });

  it("checks argument types and counts", () => {
    expect(errorOf(() => global("sqrt", "x"))).toBe(
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
    );
    expect(errorOf(() => global("rand", 1))).toBe("wrong number of parameters");
    expect(errorOf(() => global("pow", 1))).toBe("wrong number of parameters");
  });

  it("PI and RAND_MAX", () => {
    expect(fl(tableGet(vm.root, "PI"))).toBe(Math.fround(Math.PI));
    expect(tableGet(vm.root, "RAND_MAX")).toBe(2147483647);
    expect(RAND_MAX).toBe(0x7fffffff);
  });

  it("are also the imp's math table, sharing one random state", () => {
    const math = tableGet(vm.root, "math") as SqTable;
    expect(math).toBeInstanceOf(SqTable);
    expect(tableGet(math, "abs")).toBe(tableGet(vm.root, "abs"));
    expect(tableGet(math, "rand")).toBe(tableGet(vm.root, "rand"));
    expect(fl(tableGet(math, "PI"))).toBe(Math.fround(Math.PI));
  });
});

describe("rand / srand", () => {
  it("draws glibc's sequence: the reference sq's numbers for each seed", () => {
    global("srand", 1);
    expect(global("rand")).toBe(1804289383);
    expect(global("rand")).toBe(846930886);
    global("srand", 5);
    expect(global("rand")).toBe(590011675);
    global("srand", 0);
    expect(global("rand")).toBe(1804289383);
    global("srand", -1);
    expect(global("rand")).toBe(254925627);
    global("srand", 2147483647);
    expect(global("rand")).toBe(1065668062);
    global("srand", f(1.9));
    expect(global("rand")).toBe(1804289383);
  });

  it("is deterministic per generator and stays within RAND_MAX", () => {
    const a = new CRandom();
    const b = new CRandom(1);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x >= 0 && x <= RAND_MAX).toBe(true);
    }
  });
});
