import { describe, expect, it } from "vitest";
import { tableGet, tableSet } from "../../../src/runtime/access.ts";
import { float, SqFloat, SqTable } from "../../../src/runtime/values.ts";
import { native } from "../../../src/runtime/native.ts";
import {
  byteString,
  decodeSquirrel,
  encodeSquirrel,
  fromHostJson,
  MAX_DEPTH,
  UnencodableValue,
} from "../../../src/device/guest/squirrel-json.ts";

function table(...kv: unknown[]): SqTable {
  const t = new SqTable();
  for (let i = 0; i < kv.length; i += 2) tableSet(t, kv[i], kv[i + 1]);
  return t;
}

function refusal(f: () => unknown): { path: string; problem: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof UnencodableValue) return { path: e.path, problem: e.problem };
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("Squirrel values as tagged JSON", () => {
  it("should keep integers and floats apart, 1 and 1.0 included", () => {
    expect(encodeSquirrel([1, float(1), float(0.1), -5], "v")).toBe(
      `[1,{"f":1},{"f":${Math.fround(0.1)}},-5]`,
    );
    const back = decodeSquirrel(encodeSquirrel([1, float(1)], "v")) as unknown[];
    expect(back[0]).toBe(1);
    expect(back[1]).toBeInstanceOf(SqFloat);
    expect((back[1] as SqFloat).v).toBe(1);
  });

  it("should carry NaN and the infinities", () => {
    const back = decodeSquirrel(
      encodeSquirrel([float(NaN), float(Infinity), float(-Infinity)], "v"),
    ) as SqFloat[];
    expect(back.map((f) => f.v)).toEqual([NaN, Infinity, -Infinity]);
  });

  it("should carry tables with keys of every scalar type, nested", () => {
    const t = table("s", "x", 7, true, float(2.5), null, false, table("inner", [1, 2]));
    const back = decodeSquirrel(encodeSquirrel(t, "t")) as SqTable;
    expect(back.n).toBe(4);
    expect(tableGet(back, "s")).toBe("x");
    expect(tableGet(back, 7)).toBe(true);
    expect(tableGet(back, float(2.5))).toBe(null);
    expect(tableGet(tableGet(back, false) as SqTable, "inner")).toEqual([1, 2]);
  });

  it("should carry byte strings exactly, NUL and 0xff included", () => {
    expect(decodeSquirrel(encodeSquirrel("a\u0000\u00ff", "s"))).toBe("a\u0000\u00ff");
  });

  it("should refuse functions, instances, cycles and deep nesting, naming where", () => {
    const fn = native("f", 1, null, () => null);
    expect(refusal(() => encodeSquirrel(table("a", table("b", [0, fn])), "nv"))).toEqual({
      path: "nv.a.b[1]",
      problem: "is a function",
    });
    const loop = table();
    tableSet(loop, "self", loop);
    expect(refusal(() => encodeSquirrel(loop, "nv"))).toEqual({
      path: "nv.self",
      problem: "contains itself",
    });
    expect(refusal(() => encodeSquirrel(table("my key", fn), "nv")).path).toBe('nv["my key"]');
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH; i++) deep = [deep];
    expect(refusal(() => encodeSquirrel(deep, "d")).problem).toBe(
      `is nested more than ${MAX_DEPTH} deep`,
    );
  });

  it("should let the same table appear twice when it does not contain itself", () => {
    const shared = table("x", 1);
    const back = decodeSquirrel(encodeSquirrel([shared, shared], "v")) as SqTable[];
    expect(back.map((t) => tableGet(t, "x"))).toEqual([1, 1]);
  });

  it("should refuse tagged JSON that is not a Squirrel value", () => {
    expect(() => decodeSquirrel('{"x":1}')).toThrow(/not a Squirrel value/);
  });
});

describe("plain JSON from the host", () => {
  it("should make tables of objects, integers of integral numbers and floats of the rest", () => {
    const v = fromHostJson(
      JSON.parse('{"a":1,"b":1.5,"c":[true,null,"x"],"d":4294967296}'),
    ) as SqTable;
    expect(tableGet(v, "a")).toBe(1);
    expect((tableGet(v, "b") as SqFloat).v).toBe(1.5);
    expect(tableGet(v, "c")).toEqual([true, null, "x"]);
    expect(tableGet(v, "d")).toBeInstanceOf(SqFloat);
  });

  it("should turn text that is not bytes into its UTF-8 bytes", () => {
    expect(byteString("abc")).toBe("abc");
    expect(byteString("é")).toBe("é"); // U+00E9 is one byte already
    expect(byteString("€")).toBe("\u00e2\u0082\u00ac");
    expect(byteString("😀")).toBe("\u00f0\u009f\u0098\u0080");
  });
});
