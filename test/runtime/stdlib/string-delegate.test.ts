import { describe, expect, it } from "vitest";
import { SqFloat, SqWeakRef } from "../../../src/runtime/values.ts";
import { errorOf, method } from "./helpers.ts";

const s = (self: string, name: string, ...args: unknown[]): unknown =>
  method("string", self, name, ...args);
const num = (v: unknown): unknown => (v instanceof SqFloat ? `f${v.v}` : v);

describe("string delegate", () => {
  it("len counts bytes", () => {
    expect(s("Hello, World", "len")).toBe(12);
    expect(s("", "len")).toBe(0);
    expect(s("A\xc3\xa9", "len")).toBe(3);
  });

  it("slice takes negative indices and reports bad ranges (conformance 021)", () => {
    const t = "Hello, World";
    expect(s(t, "slice", 7)).toBe("World");
    expect(s(t, "slice", 0, 5)).toBe("Hello");
    expect(s(t, "slice", -5)).toBe("World");
    expect(s(t, "slice", -5, -1)).toBe("Worl");
    expect(s(t, "slice", 3, -3)).toBe("lo, Wo");
    expect(s(t, "slice", 5, 5)).toBe("");
    expect(s(t, "slice")).toBe(t);
    expect(errorOf(() => s(t, "slice", 5, 100))).toBe("slice out of range");
    expect(errorOf(() => s(t, "slice", 8, 3))).toBe("wrong indexes");
    expect(errorOf(() => s(t, "slice", -100))).toBe("slice out of range");
    expect(errorOf(() => s(t, "slice", "a"))).toBe(
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
    );
  });

  it("find returns the index, 0 at the start, null when absent (conformance 022)", () => {
    const t = "the cat sat on the mat";
    expect(s(t, "find", "cat")).toBe(4);
    expect(s(t, "find", "the")).toBe(0);
    expect(s(t, "find", "the", 1)).toBe(15);
    expect(s(t, "find", "dog")).toBe(null);
    expect(s(t, "find", "")).toBe(0);
    expect(s(t, "find", "t", 10)).toBe(10);
    expect(s(t, "find", "mat", 19)).toBe(19);
    expect(s(t, "find", "t", 100)).toBe(null);
    expect(s(t, "find", "t", -1)).toBe(null);
    expect(s("", "find", "")).toBe(null);
    expect(errorOf(() => s(t, "find"))).toBe("wrong number of parameters");
  });

  it("tolower and toupper change ASCII letters only, optionally in a range", () => {
    expect(s("Hello World!", "toupper")).toBe("HELLO WORLD!");
    expect(s("Hello World!", "tolower")).toBe("hello world!");
    expect(s("hello", "toupper", 1, 3)).toBe("hELlo");
    expect(s("hello", "toupper", -2)).toBe("helLO");
    expect(s("\xe9a", "toupper")).toBe("\xe9A");
    // bytes JS would map to something else, or to two characters, stay as they are
    expect(s("\xff\xb5\xdfz", "toupper")).toBe("\xff\xb5\xdfZ");
    expect(s("\xc9\xdeQ", "tolower")).toBe("\xc9\xdeq");
    expect(errorOf(() => s("abc", "toupper", 2, 1))).toBe("wrong indexes");
  });

  it("tointeger reads a leading integer like strtol (README)", () => {
    expect(s("12abc", "tointeger")).toBe(12);
    expect(s("3.7", "tointeger")).toBe(3);
    expect(s("0x1F", "tointeger")).toBe(0);
    expect(s("  42", "tointeger")).toBe(42);
    expect(s("-17", "tointeger")).toBe(-17);
    expect(s("+5", "tointeger")).toBe(5);
    expect(s("1e3", "tointeger")).toBe(1000);
    expect(s("99999999999", "tointeger")).toBe(2147483647);
    expect(s("-99999999999", "tointeger")).toBe(-2147483648);
    for (const bad of ["", " ", "abc", "-", "x1"])
      expect(errorOf(() => s(bad, "tointeger"))).toBe("cannot convert the string");
  });

  it("tointeger takes a base (conformance 181)", () => {
    expect(s("ff", "tointeger", 16)).toBe(255);
    expect(s("0xff", "tointeger", 16)).toBe(255);
    expect(s("777", "tointeger", 8)).toBe(511);
    expect(s("101", "tointeger", 2)).toBe(5);
    // 'e' is a digit from base 14 on, not an exponent
    expect(s("1e", "tointeger", 16)).toBe(30);
    expect(s("z", "tointeger", 36)).toBe(35);
    expect(s("12", "tointeger", 1)).toBe(0); // glibc's EINVAL result, taken as converted
    expect(s(" 0x10", "tointeger", 0)).toBe(16);
    expect(s("010", "tointeger", 0)).toBe(8);
  });

  it("tofloat reads a leading number like strtod (conformance 025)", () => {
    expect(num(s("1.5", "tofloat"))).toBe("f1.5");
    expect(num(s("-0.25", "tofloat"))).toBe("f-0.25");
    expect(num(s("3", "tofloat"))).toBe("f3");
    expect(num(s("1e3", "tofloat"))).toBe("f1000");
    expect(num(s("2.5E-2", "tofloat"))).toBe(`f${Math.fround(0.025)}`);
    expect(num(s(" 8.5", "tofloat"))).toBe("f8.5");
    expect(num(s("1.5x", "tofloat"))).toBe("f1.5");
    expect(num(s("0.1", "tofloat"))).toBe(`f${Math.fround(0.1)}`);
    for (const bad of ["x1.5", "", "."])
      expect(errorOf(() => s(bad, "tofloat"))).toBe("cannot convert the string");
  });

  it("tostring is the string; weakref makes a weak reference", () => {
    expect(s("abc", "tostring")).toBe("abc");
    const w = s("abc", "weakref");
    expect(w).toBeInstanceOf(SqWeakRef);
    expect((w as SqWeakRef).o).toBe("abc");
  });
});
