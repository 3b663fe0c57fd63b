import { describe, expect, it } from "vitest";
import { tableGet, tableKeys } from "../../../src/runtime/access.ts";
import { SqTable, SqWeakRef } from "../../../src/runtime/values.ts";
import { closure, errorOf, f, method, table } from "./helpers.ts";

const t = (self: unknown, name: string, ...args: unknown[]): unknown =>
  method("table", self, name, ...args);
const sorted = (xs: unknown[]): unknown[] => xs.slice().sort();

describe("table delegate: raw access", () => {
  it("rawget / rawset / rawin / rawdelete bypass delegates", () => {
    const proto = table({ inherited: 1 });
    const o = table({ a: 1 });
    o.d = proto;
    expect(t(o, "rawset", "b", 2)).toBe(o);
    expect(t(o, "rawget", "b")).toBe(2);
    expect(t(o, "rawin", "b")).toBe(true);
    expect(t(o, "rawin", "inherited")).toBe(false);
    expect(errorOf(() => t(o, "rawget", "inherited"))).toBe("the index doesn't exist");
    expect(errorOf(() => t(o, "rawset", null, 1))).toBe("null key");
    expect(t(o, "rawdelete", "zz")).toBe(null);
    expect(t(o, "rawdelete", "a")).toBe(1);
    expect(t(o, "len")).toBe(1);
  });

  it("keeps integer 1, float 1.0 and string '1' apart", () => {
    const o = new SqTable();
    t(o, "rawset", 1, "int");
    t(o, "rawset", f(1), "float");
    t(o, "rawset", "1", "string");
    expect(t(o, "len")).toBe(3);
    expect(t(o, "rawget", 1)).toBe("int");
    expect(t(o, "rawget", f(1))).toBe("float");
  });
});

describe("table delegate: delegates", () => {
  it("setdelegate returns the table and refuses cycles", () => {
    const a = new SqTable();
    const b = new SqTable();
    expect(t(a, "setdelegate", b)).toBe(a);
    expect(t(a, "getdelegate")).toBe(b);
    expect(errorOf(() => t(b, "setdelegate", a))).toBe("delegate cycle");
    expect(errorOf(() => t(a, "setdelegate", a))).toBe("delegate cycle");
    t(a, "setdelegate", null);
    expect(t(a, "getdelegate")).toBe(null);
  });

  it("says what is wrong when called on something else", () => {
    expect(errorOf(() => t(5, "getdelegate"))).toBe("wrong type");
    expect(errorOf(() => t(5, "setdelegate", null))).toBe("unexpected type integer");
  });
});

describe("table delegate: whole-table functions (conformance 051)", () => {
  const sample = (): SqTable => table({ a: 1, b: 2, c: 3, d: 4 });

  it("filter keeps the slots whose (key, value) the callback accepts", () => {
    const o = sample();
    let self: unknown;
    const even = t(
      o,
      "filter",
      closure((s, _k, v) => {
        self = s;
        return (v as number) % 2 === 0;
      }),
    ) as SqTable;
    expect(self).toBe(o);
    expect(sorted(tableKeys(even))).toEqual(["b", "d"]);
    expect(tableGet(even, "d")).toBe(4);
  });

  it("map returns an array of the callback's results", () => {
    const m = t(
      sample(),
      "map",
      closure((_s, k, v) => `${k as string}${(v as number) * 10}`),
    );
    expect(sorted(m as unknown[])).toEqual(["a10", "b20", "c30", "d40"]);
  });

  it("keys and values, clear and len", () => {
    const o = sample();
    expect(sorted(t(o, "keys") as unknown[])).toEqual(["a", "b", "c", "d"]);
    expect(sorted(t(o, "values") as unknown[])).toEqual([1, 2, 3, 4]);
    expect(t(o, "clear")).toBe(o);
    expect(t(o, "len")).toBe(0);
  });

  it("tostring and weakref", () => {
    const o = new SqTable();
    expect(String(t(o, "tostring")).slice(0, 8)).toBe("(table :");
    const w = t(o, "weakref");
    expect(w).toBeInstanceOf(SqWeakRef);
    expect(t(o, "weakref")).toBe(w);
    expect(method("weakref", w, "ref")).toBe(o);
  });
});
