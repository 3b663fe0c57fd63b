// The array default delegate (squirrel/sqbaselib.cpp, _array_default_delegate_funcz).

import { call } from "../call.ts";
import { sqError } from "../errors.ts";
import { native, nativeTable } from "../native.ts";
import { cmp, eq, truthy } from "../ops.ts";
import { isClosure, isNative, SqFloat, SqThrow } from "../values.ts";
import type { SqClosure, SqTable } from "../values.ts";
import { toInteger } from "./clib.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";
import { sliceBounds } from "./string-delegate.ts";
import { vm } from "../state.ts";

/**
 * How many values (this included) map/apply pass to the callback: as many as it declares,
 * natives without an exact count get all four (reference __map_array).
 */
function mapArgCount(f: unknown): number {
  if (isClosure(f)) return 1 + f.sq.nparams + (f.sq.varargs ? 1 : 0);
  if (isNative(f)) return f.nat.nparams > 0 ? f.nat.nparams : 4;
  return 0;
}

/** Calls `f` on each element (value, index, array as it declares) and stores the results into `dest`. */
function mapInto(dest: unknown[], src: unknown[], f: unknown): void {
  const nargs = mapArgCount(f);
  // The reference then calls the array itself with the element as `this`.
  if (nargs < 2) sqError("attempt to call 'array'");
  const size = src.length;
  let value: unknown = null;
  for (let n = 0; n < size; n++) {
    // An element removed by the callback leaves the previous value in place (as the reference).
    if (n < src.length) value = src[n];
    const args: unknown[] = [value];
    if (nargs >= 3) args.push(n);
    if (nargs >= 4) args.push(src);
    const r = call(f, src, args);
    if (n < dest.length) dest[n] = r;
  }
}

/** sq_getinteger on the comparator's result: numbers and bools are accepted. */
function compareResult(r: unknown): number {
  if (typeof r === "number" || r instanceof SqFloat || typeof r === "boolean") return toInteger(r);
  return sqError("numeric value expected as return value of the compare function");
}

/**
 * The order of `func` when it is a plain `<=>` comparator of its two parameters (1 ascending,
 * -1 descending) and `a` holds integers only; otherwise undefined.
 */
function integerOrder(func: unknown, a: unknown[]): 1 | -1 | undefined {
  if (typeof func !== "function") return undefined;
  const order = (func as SqClosure).sq?.order;
  return order !== undefined && a.every((v) => typeof v === "number") ? order : undefined;
}

/**
 * The reference's heap sort, step for step, so that elements that compare equal end up in
 * the same (unstable) order and the comparator sees the same calls (reference _hsort).
 */
function heapSort(a: unknown[], func: unknown): void {
  const size = a.length;
  if (func === null) {
    siftAll(a, size, cmp);
    return;
  }
  const root = vm.root;
  const direct =
    typeof func === "function" && (func as SqClosure).np === 3 ? (func as SqClosure) : null;
  const checked = (r: unknown): number => {
    const ret = typeof r === "number" ? r : compareResult(r);
    if (a.length !== size) sqError("array resized during sort operation");
    return ret;
  };
  try {
    siftAll(
      a,
      size,
      direct !== null
        ? (x, y) => checked(direct(root, x, y))
        : (x, y) => checked(call(func, root, [x, y])),
    );
  } catch (e) {
    // Only the comparator throws anything but the runtime's own (string) errors.
    if (e instanceof SqThrow && typeof e.value !== "string") sqError("compare func failed");
    throw e;
  }
}

function siftAll(a: unknown[], size: number, compare: (x: unknown, y: unknown) => number): void {
  for (let i = Math.floor(size / 2); i >= 0; i--) siftDown(a, i, size - 1, compare);
  for (let i = size - 1; i >= 1; i--) {
    const t = a[0];
    a[0] = a[i];
    a[i] = t;
    siftDown(a, 0, i - 1, compare);
  }
}

function siftDown(
  a: unknown[],
  root: number,
  bottom: number,
  compare: (x: unknown, y: unknown) => number,
): void {
  for (;;) {
    const child = root * 2;
    if (child > bottom) return;
    let maxChild: number;
    if (child === bottom) maxChild = child;
    else maxChild = compare(a[child], a[child + 1]) > 0 ? child : child + 1;
    if (compare(a[root], a[maxChild]) >= 0) return;
    if (root === maxChild) sqError("inconsistent compare function");
    const t = a[root];
    a[root] = a[maxChild];
    a[maxChild] = t;
    root = maxChild;
  }
}

export function arrayDelegate(): SqTable {
  const append = (self: unknown, args: unknown[]): unknown => {
    (self as unknown[]).push(args[0]);
    return self;
  };
  return nativeTable([
    native("len", 1, "a", (self) => (self as unknown[]).length),
    native("append", 2, "a", (self, args) => append(self, args)),
    native("extend", 2, "aa", (self, args) => {
      const a = self as unknown[];
      const b = args[0] as unknown[];
      const n = b.length; // a.extend(a) appends the original elements once
      for (let i = 0; i < n; i++) a.push(b[i]);
      return a;
    }),
    native("push", 2, "a", (self, args) => append(self, args)),
    native("pop", 1, "a", (self) => {
      const a = self as unknown[];
      if (a.length === 0) sqError("empty array");
      return a.pop();
    }),
    native("top", 1, "a", (self) => {
      const a = self as unknown[];
      if (a.length === 0) sqError("top() on a empty array");
      return a[a.length - 1];
    }),
    native("insert", 3, "an", (self, args) => {
      const a = self as unknown[];
      const idx = toInteger(args[0]);
      if (idx < 0 || idx > a.length) sqError("index out of range");
      a.splice(idx, 0, args[1]);
      return a;
    }),
    native("remove", 2, "an", (self, args) => {
      const a = self as unknown[];
      const idx = toInteger(args[0]);
      if (idx < 0 || idx >= a.length) sqError("idx out of range");
      return a.splice(idx, 1)[0];
    }),
    native("resize", -2, "an", (self, args) => {
      const a = self as unknown[];
      const size = toInteger(args[0]);
      if (size < 0) sqError("resizing to negative length");
      const fill = args.length > 1 ? args[1] : null;
      if (size < a.length) a.length = size;
      else while (a.length < size) a.push(fill);
      return a;
    }),
    native("reverse", 1, "a", (self) => (self as unknown[]).reverse()),
    native("sort", -1, "ac", (self, args) => {
      const a = self as unknown[];
      if (a.length > 1) {
        const func = args.length > 0 ? args[0] : null;
        // Equal integers (or equal strings) cannot be told apart, so any correct sort gives
        // the reference's result; the engine's own sort is much faster than the heap sort.
        if (func === null && a.every((v) => typeof v === "number"))
          (a as number[]).sort((x, y) => x - y);
        else if (func === null && a.every((v) => typeof v === "string")) (a as string[]).sort();
        else {
          // `@(x, y) x <=> y` or `y <=> x` on integers: no effects to see, so the same holds
          const order = integerOrder(func, a);
          if (order === undefined) heapSort(a, func);
          else (a as number[]).sort(order > 0 ? (x, y) => x - y : (x, y) => y - x);
        }
      }
      return a;
    }),
    native("slice", -1, "ann", (self, args) => {
      const a = self as unknown[];
      const [start, end] = sliceBounds(a.length, args);
      return a.slice(start, end);
    }),
    weakrefNative(),
    tostringNative(),
    native("clear", 1, ".", (self) => {
      (self as unknown[]).length = 0;
      return self;
    }),
    native("map", 2, "ac", (self, args) => {
      const a = self as unknown[];
      const out: unknown[] = new Array<unknown>(a.length).fill(null);
      mapInto(out, a, args[0]);
      return out;
    }),
    native("apply", 2, "ac", (self, args) => {
      const a = self as unknown[];
      mapInto(a, a, args[0]);
      return a;
    }),
    native("reduce", -2, "ac.", (self, args) => {
      const a = self as unknown[];
      const size = a.length;
      let acc: unknown;
      let first: number;
      if (args.length > 1) {
        acc = args[1];
        first = 0;
      } else if (size === 0) {
        return null;
      } else {
        acc = a[0];
        first = 1;
      }
      let value: unknown = null;
      for (let n = first; n < size; n++) {
        if (n < a.length) value = a[n];
        acc = call(args[0], a, [acc, value]);
      }
      return acc;
    }),
    native("filter", 2, "ac", (self, args) => {
      const a = self as unknown[];
      const out: unknown[] = [];
      const size = a.length;
      let value: unknown = null;
      for (let n = 0; n < size; n++) {
        if (n < a.length) value = a[n];
        if (truthy(call(args[0], a, [n, value]))) out.push(value);
      }
      return out;
    }),
    native("find", 2, "a.", (self, args) => {
      const a = self as unknown[];
      for (let n = 0; n < a.length; n++) if (eq(a[n], args[0])) return n;
      return null;
    }),
  ]);
}
