import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sqFormat } from "../../../src/runtime/stdlib/format.ts";
import { printfG } from "../../../src/runtime/stdlib/printf-float.ts";
import { errorOf, f, global } from "./helpers.ts";

const fmt = (s: string, ...args: unknown[]): unknown => global("format", s, ...args);

describe("format(): conversions", () => {
  it("prints integers, strings, floats and characters (conformance 180)", () => {
    expect(fmt("[%6.1f]", f(3.14159))).toBe("[   3.1]");
    expect(fmt("[%-8.3f]", f(2.5))).toBe("[2.500   ]");
    expect(fmt("[%08.2f]", f(-1.5))).toBe("[-0001.50]");
    expect(fmt("[%3s]", "abcdef")).toBe("[abcdef]");
    expect(fmt("[%.0f] [%.0f]", f(2.5), f(3.5))).toBe("[2] [4]");
    expect(fmt("%d%%", 50)).toBe("50%");
    expect(fmt("%s-%s-%s", "a", "b", "c")).toBe("a-b-c");
    expect(fmt("%x", -559038737)).toBe("deadbeef");
    expect(fmt("%5.1e", f(123456.0))).toBe("1.2e+05");
    expect(fmt("%c", 65)).toBe("A");
    expect(fmt("%d %d", 0, 2147483647)).toBe("0 2147483647");
    expect(fmt("%.2f %.2f", f(0.005), f(0.015))).toBe("0.00 0.01");
    expect(fmt("%.1f %.1f", f(0.25), f(0.35))).toBe("0.2 0.3");
    expect(fmt("%10.4f|", f(Math.PI))).toBe("    3.1416|");
    expect(fmt("%02x%02x%02x", 73, 109, 112)).toBe("496d70");
    expect(fmt("%-6s %d", "fox", 2)).toBe("fox    2");
  });

  it("prints the float's own value, as single precision (conformance 017, 035)", () => {
    expect(fmt("%.10f", f(0.1))).toBe("0.1000000015");
    expect(fmt("%.10f", f(1 / 3))).toBe("0.3333333433");
    expect(fmt("%.1f", f(16777217))).toBe("16777216.0");
    expect(fmt("%.12f", f(3.14159265358979))).toBe("3.141592741013");
    expect(fmt("%.2f", f(1e10))).toBe("10000000000.00");
    expect(fmt("%.1f", f(2147483647))).toBe("2147483648.0");
    expect(fmt("%.20f", f(0.1))).toBe("0.10000000149011611938");
    expect(fmt("%f", f(1e38))).toBe("99999996802856924650656260769173209088.000000");
    expect(fmt("%f", 16777217)).toBe("16777216.000000");
  });

  it("converts like sq_getinteger / sq_getfloat: %d truncates floats and takes bools", () => {
    expect(fmt("%d %d %f %c|", true, f(3.99), 2, 65)).toBe("1 3 2.000000 A|");
    expect(fmt("%x %o %u", -1, -1, -1)).toBe("ffffffff 37777777777 4294967295");
    expect(fmt("%i %u %o %X %e %G %E", -5, 7, 8, 255, f(1.5), f(0.0001), f(2))).toBe(
      "-5 7 10 FF 1.500000e+00 0.0001 2.000000E+00",
    );
  });

  it("handles flags as glibc does", () => {
    expect(
      fmt("[%05s][%-5d][%5c][%#x][%#o][%+.3d][% d][%.0d]", "ab", 42, 120, 255, 8, 7, 5, 0),
    ).toBe("[   ab][42   ][    x][0xff][010][+007][ 5][]");
    expect(fmt("[%#.0f][%#g][%g][%#.3g]", f(3), f(1), f(100000), f(1))).toBe(
      "[3.][1.00000][100000][1.00]",
    );
    expect(fmt("[%010f][%+g][%010.3g]", f(-Infinity), f(NaN), f(-1e-5))).toBe(
      "[      -inf][+nan][-00001e-05]",
    );
    expect(fmt("%g %g", f(1234565), f(-0))).toBe("1.23456e+06 -0");
  });

  it("works on bytes: %s stops at a NUL, the format string does not", () => {
    expect(fmt("%s", "a\x00b")).toBe("a");
    expect(fmt("%c", 0)).toBe("\x00");
    expect(fmt("a\x00b")).toBe("a\x00b");
    expect(fmt("%s", "\xe9")).toBe("\xe9");
  });
});

describe("format(): errors (conformance 030)", () => {
  it("names the type a directive wanted", () => {
    expect(errorOf(() => fmt("%d", "x"))).toBe("integer expected for the specified format");
    expect(errorOf(() => fmt("%f", "str"))).toBe("float expected for the specified format");
    expect(errorOf(() => fmt("%f", true))).toBe("float expected for the specified format");
    expect(errorOf(() => fmt("%s", null))).toBe("string expected for the specified format");
    expect(errorOf(() => fmt("%s", true))).toBe("string expected for the specified format");
    expect(errorOf(() => fmt("%s", 2))).toBe("string expected for the specified format");
  });

  it("counts parameters before looking at the directive", () => {
    expect(errorOf(() => fmt("%s %s", "only one"))).toBe(
      "not enough parameters for the given format string",
    );
    expect(errorOf(() => fmt("abc%"))).toBe("not enough parameters for the given format string");
    expect(errorOf(() => fmt("%5%", 1))).toBe("invalid format");
  });

  it("refuses what the reference's directive parser refuses", () => {
    expect(errorOf(() => fmt("%123d", 1))).toBe("width format too long");
    expect(errorOf(() => fmt("%.123f", f(1)))).toBe("precision format too long");
    expect(errorOf(() => fmt("%------------------------d", 1))).toBe("format too long");
    expect(errorOf(() => fmt("%l", 1))).toBe("invalid format");
    expect(errorOf(() => fmt("%", 1))).toBe("invalid format");
    expect(errorOf(() => fmt("%*d", 1))).toBe("invalid format");
    expect(errorOf(() => global("format", 5))).toBe(
      "parameter 1 has an invalid type 'integer' ; expected: 'string'",
    );
  });
});

describe("format(): agreement with glibc printf", () => {
  // 400 directives with random flags, width, precision and values, printed by glibc's snprintf
  // (floats as float32 values promoted to double, integers as 32-bit int).
  const lines = readFileSync(new URL("fixtures/printf-glibc.tsv", import.meta.url), "latin1")
    .split("\n")
    .filter(Boolean);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  it.each(lines.map((l) => l.split("\t")))("%s %s %s", (kind, spec, value, expected) => {
    let arg: unknown;
    if (kind === "F") {
      u32[0] = Number(value);
      arg = f(f32[0]!);
    } else {
      arg = Number(value);
    }
    expect(sqFormat(spec!, [arg])).toBe(expected);
  });
});

describe("printfG", () => {
  it("is C %g: ties round to even, 14 digits for error messages", () => {
    expect(printfG(1234565)).toBe("1.23456e+06");
    expect(printfG(1234575)).toBe("1.23458e+06");
    expect(printfG(Math.fround(0.1), 14)).toBe("0.10000000149012");
    expect(printfG(Math.fround(1e20), 14)).toBe("1.0000000200409e+20");
    expect(printfG(1e6)).toBe("1e+06");
    expect(printfG(0.00001)).toBe("1e-05");
    expect(printfG(-0)).toBe("-0");
    expect(printfG(Infinity)).toBe("inf");
  });
});
