import { describe, expect, it } from "vitest";
import { cmp } from "../../../src/runtime/ops.ts";
import { SqThrow, SqWeakRef } from "../../../src/runtime/values.ts";
import { closure, errorOf, f, method } from "./helpers.ts";

const a = (self: unknown[], name: string, ...args: unknown[]): unknown =>
  method("array", self, name, ...args);

describe("array delegate: growing and shrinking", () => {
  it("append/push return the array, pop/top read the end (conformance 061)", () => {
    const arr: unknown[] = [];
    expect(a(arr, "append", 1)).toBe(arr);
    a(arr, "push", 2);
    a(arr, "append", "three");
    expect(a(arr, "len")).toBe(3);
    expect(a(arr, "top")).toBe("three");
    expect(a(arr, "pop")).toBe("three");
    a(arr, "pop");
    a(arr, "pop");
    expect(errorOf(() => a(arr, "pop"))).toBe("empty array");
    expect(errorOf(() => a(arr, "top"))).toBe("top() on a empty array");
  });

  it("insert and remove check their index (conformance 062)", () => {
    const arr: unknown[] = [1, 2, 3];
    expect(a(arr, "insert", 0, "first")).toBe(arr);
    a(arr, "insert", arr.length, "last");
    expect(arr).toEqual(["first", 1, 2, 3, "last"]);
    expect(a(arr, "remove", 0)).toBe("first");
    expect(errorOf(() => a(arr, "insert", 99, 0))).toBe("index out of range");
    expect(errorOf(() => a(arr, "insert", -1, 0))).toBe("index out of range");
    expect(errorOf(() => a(arr, "remove", 99))).toBe("idx out of range");
    expect(errorOf(() => a(arr, "remove", -1))).toBe("idx out of range");
    a(arr, "insert", f(1.9), "x");
    expect(arr[1]).toBe("x");
  });

  it("resize pads with null or the fill value and refuses negative sizes", () => {
    const arr: unknown[] = [1, 2, 3];
    expect(a(arr, "resize", 5, "x")).toBe(arr);
    expect(arr).toEqual([1, 2, 3, "x", "x"]);
    a(arr, "resize", 1);
    expect(arr).toEqual([1]);
    a(arr, "resize", 2);
    expect(arr).toEqual([1, null]);
    expect(errorOf(() => a(arr, "resize", -1))).toBe("resizing to negative length");
  });

  it("extend appends another array (itself once) and returns the array (conformance 066)", () => {
    const x: unknown[] = [1, 2];
    expect(a(x, "extend", [3, 4, 5])).toBe(x);
    expect(x).toEqual([1, 2, 3, 4, 5]);
    const y: unknown[] = [1, 2];
    a(y, "extend", y);
    expect(y).toEqual([1, 2, 1, 2]);
  });

  it("reverse, clear and slice (conformance 065)", () => {
    const arr = [1, 2, 3, 4, 5, 6];
    expect(a(arr, "slice", 2)).toEqual([3, 4, 5, 6]);
    expect(a(arr, "slice", 1, 3)).toEqual([2, 3]);
    expect(a(arr, "slice", -2)).toEqual([5, 6]);
    expect(a(arr, "slice", 0, -1)).toEqual([1, 2, 3, 4, 5]);
    expect(a(arr, "slice", -4, -2)).toEqual([3, 4]);
    expect(a(arr, "slice", 3, 3)).toEqual([]);
    expect(errorOf(() => a(arr, "slice", 2, 10))).toBe("slice out of range");
    expect(errorOf(() => a(arr, "slice", 4, 2))).toBe("wrong indexes");
    expect(a(arr, "reverse")).toBe(arr);
    expect(arr).toEqual([6, 5, 4, 3, 2, 1]);
    expect(a(arr, "clear")).toBe(arr);
    expect(arr).toEqual([]);
  });
});

describe("array delegate: callbacks", () => {
  it("map passes as many of (value, index, array) as the callback declares, with the array as this", () => {
    const arr = [1, 2, 3];
    let self: unknown;
    const r = a(
      arr,
      "map",
      closure((s, x) => {
        self = s;
        return (x as number) * (x as number);
      }),
    );
    expect(r).toEqual([1, 4, 9]);
    expect(self).toBe(arr);
    expect(
      a(
        arr,
        "map",
        closure((_s, x, i) => (x as number) * 10 + (i as number)),
      ),
    ).toEqual([10, 21, 32]);
    expect(
      a(
        arr,
        "map",
        closure((_s, _x, _i, all) => (all as unknown[]).length),
      ),
    ).toEqual([3, 3, 3]);
    expect(arr).toEqual([1, 2, 3]);
  });

  it("map of a callback without parameters fails as in the reference", () => {
    expect(
      errorOf(() =>
        a(
          [1],
          "map",
          closure(() => 0),
        ),
      ),
    ).toBe("attempt to call 'array'");
  });

  it("apply changes the array in place and returns it (conformance 067)", () => {
    const arr = [1, 2, 3, 4];
    expect(
      a(
        arr,
        "apply",
        closure((_s, x) => (x as number) + 100),
      ),
    ).toBe(arr);
    expect(arr).toEqual([101, 102, 103, 104]);
  });

  it("reduce with and without an initial value (conformance 181)", () => {
    const add = closure((_s, acc, x) => (acc as number) + (x as number));
    expect(a([1, 2, 3], "reduce", add)).toBe(6);
    expect(a([1, 2, 3], "reduce", add, 100)).toBe(106);
    expect(a([], "reduce", add)).toBe(null);
    expect(a([], "reduce", add, "init")).toBe("init");
    expect(a([7], "reduce", add)).toBe(7);
  });

  it("filter gets (index, value); find uses ==", () => {
    expect(
      a(
        [1, 2, 3],
        "filter",
        closure((_s, i) => i !== 1, { params: ["i", "v"] }),
      ),
    ).toEqual([1, 3]);
    expect(a([1, f(2), "2"], "find", 2)).toBe(1);
    expect(a([1], "find", "1")).toBe(null);
  });
});

describe("array delegate: sort", () => {
  it("sorts with <=> by default (conformance 027)", () => {
    const words = ["pear", "Apple", "banana", "apple", "Banana", "cherry"];
    a(words, "sort");
    expect(words).toEqual(["Apple", "Banana", "apple", "banana", "cherry", "pear"]);
    const mixed = [1, f(2.5), 0, f(-1.5)];
    a(mixed, "sort");
    expect(mixed.map((x) => (typeof x === "number" ? x : (x as { v: number }).v))).toEqual([
      -1.5, 0, 1, 2.5,
    ]);
    expect(errorOf(() => a([3, "a", 1], "sort"))).toBe("comparison between 'a' and '1'");
  });

  it("is the reference's heap sort: same order for equal keys, same number of comparisons", () => {
    const pairs = [
      [3, "a"],
      [1, "b"],
      [3, "c"],
      [2, "d"],
      [1, "e"],
      [3, "f"],
      [2, "g"],
      [1, "h"],
    ];
    let calls = 0;
    a(
      pairs,
      "sort",
      closure((_s, x, y) => {
        calls++;
        return cmp((x as unknown[])[0], (y as unknown[])[0]);
      }),
    );
    expect(pairs.map((p) => `${p[0]}${p[1]}`).join(" ")).toBe("1e 1h 1b 2d 2g 3f 3c 3a");
    expect(calls).toBe(33);
  });

  it("calls the comparator with the root table as this and takes integers, floats and bools", () => {
    const arr = [3, 1, 2];
    a(
      arr,
      "sort",
      closure((_s, x, y) => (x as number) > (y as number)),
    );
    expect(arr).toEqual([1, 2, 3]);
    const desc = [5, 3, 9, 1, 5, 7, 2, 8, 6, 4, 0];
    a(
      desc,
      "sort",
      closure((_s, x, y) => cmp(y, x)),
    );
    expect(desc).toEqual([9, 8, 7, 6, 5, 5, 4, 3, 2, 1, 0]);
    const fl = [3, 1, 2];
    a(
      fl,
      "sort",
      closure((_s, x, y) =>
        (x as number) > (y as number) ? f(1.9) : (x as number) < (y as number) ? f(-1.2) : f(0.5),
      ),
    );
    expect(fl).toEqual([1, 2, 3]);
  });

  it("reports comparator faults with the reference's texts", () => {
    const two = { params: ["x", "y"] };
    expect(
      errorOf(() =>
        a(
          [3, 1, 2],
          "sort",
          closure(() => "x", two),
        ),
      ),
    ).toBe("numeric value expected as return value of the compare function");
    expect(
      errorOf(() =>
        a(
          [3, 1, 2],
          "sort",
          closure(() => -1, two),
        ),
      ),
    ).toBe("inconsistent compare function");
    expect(
      errorOf(() =>
        a(
          [3, 1, 2],
          "sort",
          closure(() => {
            throw new SqThrow(5);
          }, two),
        ),
      ),
    ).toBe("compare func failed");
    expect(
      errorOf(() =>
        a(
          [3, 1, 2],
          "sort",
          closure(() => {
            throw new SqThrow("str");
          }, two),
        ),
      ),
    ).toBe("str");
    const grows = [3, 1, 2];
    expect(
      errorOf(() =>
        a(
          grows,
          "sort",
          closure(() => {
            grows.push(1);
            return 0;
          }, two),
        ),
      ),
    ).toBe("array resized during sort operation");
  });

  it("leaves arrays of fewer than two elements alone and returns the array", () => {
    const one = [1];
    expect(
      a(
        one,
        "sort",
        closure(() => {
          throw new SqThrow("not called");
        }),
      ),
    ).toBe(one);
  });
});

describe("array delegate: the rest", () => {
  it("tostring and weakref", () => {
    const arr: unknown[] = [];
    expect(String(a(arr, "tostring")).slice(0, 8)).toBe("(array :");
    const w = a(arr, "weakref") as SqWeakRef;
    expect(w).toBeInstanceOf(SqWeakRef);
    expect(w.o).toBe(arr);
    expect(a(arr, "weakref")).toBe(w);
  });
});
