import { describe, expect, it } from "vitest";
import { SqFloat } from "../../../src/runtime/values.ts";
import { floatToInt } from "../../../src/runtime/stdlib/clib.ts";
import { defaultDelegates } from "../../../src/runtime/stdlib/delegates.ts";
import { errorOf, f, method } from "./helpers.ts";

const fv = (v: unknown): number => {
  expect(v).toBeInstanceOf(SqFloat);
  return (v as SqFloat).v;
};

describe("number delegate (integer, float, bool)", () => {
  it("is one table for the three types", () => {
    expect(defaultDelegates.integer).toBe(defaultDelegates.float);
    expect(defaultDelegates.integer).toBe(defaultDelegates.bool);
  });

  it("tointeger truncates floats and maps bools to 0/1 (conformance 172)", () => {
    expect(method("integer", 5, "tointeger")).toBe(5);
    expect(method("float", f(5.9), "tointeger")).toBe(5);
    expect(method("float", f(-5.9), "tointeger")).toBe(-5);
    expect(method("bool", true, "tointeger")).toBe(1);
    expect(method("bool", false, "tointeger")).toBe(0);
    expect(method("float", f(123456789.0), "tointeger")).toBe(123456792);
  });

  it("converts out-of-range floats to INT_MIN like the i386 reference", () => {
    expect(floatToInt(1e10)).toBe(-2147483648);
    expect(floatToInt(-1e10)).toBe(-2147483648);
    expect(floatToInt(NaN)).toBe(-2147483648);
    expect(floatToInt(2147483520)).toBe(2147483520);
  });

  it("tofloat gives floats", () => {
    expect(fv(method("integer", 5, "tofloat"))).toBe(5);
    expect(fv(method("bool", true, "tofloat"))).toBe(1);
    expect(fv(method("integer", 16777217, "tofloat"))).toBe(16777216);
  });

  it("tochar makes a one-byte string of the low byte", () => {
    expect(method("integer", 97, "tochar")).toBe("a");
    expect(method("integer", 0x141, "tochar")).toBe("A");
    expect(method("float", f(65.7), "tochar")).toBe("A");
    expect(method("bool", true, "tochar")).toBe("\x01");
  });

  it("tostring prints like the reference", () => {
    expect(method("integer", -5, "tostring")).toBe("-5");
    expect(method("float", f(2.5), "tostring")).toBe("2.5");
    expect(method("float", f(2), "tostring")).toBe("2");
    expect(method("bool", false, "tostring")).toBe("false");
  });

  it("weakref of a number is the number itself", () => {
    expect(method("integer", 7, "weakref")).toBe(7);
  });

  it("takes no arguments", () => {
    expect(errorOf(() => method("integer", 7, "tointeger", 16))).toBe("wrong number of parameters");
  });
});
