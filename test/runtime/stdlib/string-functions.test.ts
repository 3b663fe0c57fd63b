import { describe, expect, it } from "vitest";
import { errorOf, global } from "./helpers.ts";

describe("split", () => {
  it("splits at any of the separator characters (conformance 197)", () => {
    expect(global("split", "the quick  fox", " ")).toEqual(["the", "quick", "", "fox"]);
    expect(global("split", "a b;c", " ;")).toEqual(["a", "b", "c"]);
    expect(global("split", "a,b,,c,", ",", true)).toEqual(["a", "b", "c"]);
  });

  it("never returns an empty last piece, but keeps an empty first one", () => {
    expect(global("split", "a,b,,c,", ",")).toEqual(["a", "b", "", "c"]);
    expect(global("split", ",a", ",")).toEqual(["", "a"]);
    expect(global("split", "", ",")).toEqual([]);
  });

  it("checks its arguments", () => {
    expect(errorOf(() => global("split", "a", ""))).toBe("empty separators string");
    expect(errorOf(() => global("split", "a", ",", 1))).toBe(
      "parameter 3 has an invalid type 'integer' ; expected: 'bool'",
    );
    expect(errorOf(() => global("split", "a"))).toBe("wrong number of parameters");
  });
});

describe("strip, lstrip, rstrip", () => {
  it("remove C white space (space, \\t \\n \\v \\f \\r)", () => {
    expect(global("strip", "\t\n x \r\v\f")).toBe("x");
    expect(global("strip", "   ")).toBe("");
    expect(global("strip", "")).toBe("");
    expect(global("lstrip", "  a b  ")).toBe("a b  ");
    expect(global("rstrip", "  a b  ")).toBe("  a b");
  });
});

describe("startswith, endswith", () => {
  it("compare bytes (conformance 181)", () => {
    expect(global("startswith", "hello", "he")).toBe(true);
    expect(global("startswith", "hello", "lo")).toBe(false);
    expect(global("endswith", "hello", "lo")).toBe(true);
    expect(global("endswith", "hello", "he")).toBe(false);
    expect(global("startswith", "", "")).toBe(true);
    expect(global("endswith", "a", "")).toBe(true);
    expect(global("startswith", "a", "ab")).toBe(false);
  });
});

describe("escape", () => {
  it("escapes quotes, backslash and NUL by name and other bytes as \\xNN (conformance 181)", () => {
    expect(global("escape", 'a\tb\nc"d')).toBe('a\\x09b\\x0ac\\"d');
    expect(global("escape", "\x01\x7f\\'")).toBe("\\x01\\x7f\\\\\\'");
    expect(global("escape", "\x00")).toBe("\\0");
    expect(global("escape", "")).toBe("");
    expect(global("escape", "plain")).toBe("plain");
  });

  it("escapes a byte >= 0x80 as one byte (the imp's unsigned char)", () => {
    expect(global("escape", "a\xe9")).toBe("a\\xe9");
  });

  it("cuts the escape of a one-byte string to \\x, one digit and a NUL, as the reference's snprintf does (found by the fuzzer)", () => {
    expect(global("escape", "\x07")).toBe("\\x0\0");
    expect(global("escape", "\n")).toBe("\\x0\0");
    expect(global("escape", "\x1f")).toBe("\\x1\0");
    expect(global("escape", "\xe9")).toBe("\\xe\0");
    expect(global("escape", "\x00")).toBe("\\0");
    expect(global("escape", "\x07\x07")).toBe("\\x07\\x07");
  });
});
