// Native (runtime-provided) functions: how they are declared and how their arguments are
// checked before each call, as the reference VM does (squirrel/sqvm.cpp, SQVM::CallNative;
// typemask letters from squirrel/sqstate.cpp, CompileTypemask).

import { sqError } from "./errors.ts";
import { isNative, SqTable, typeOf } from "./values.ts";
import type { SqNative, SqType } from "./values.ts";

/** Type bits of the reference (include/squirrel.h, _RT_*); a typemask entry is an OR of them. */
const RT = {
  null: 0x1,
  integer: 0x2,
  float: 0x4,
  bool: 0x8,
  string: 0x10,
  table: 0x20,
  array: 0x40,
  userdata: 0x80,
  closure: 0x100,
  nativeclosure: 0x200,
  generator: 0x400,
  userpointer: 0x800,
  thread: 0x1000,
  class: 0x4000,
  instance: 0x8000,
  weakref: 0x10000,
} as const;

// The two commonest bits, read without a property lookup on the hot path.
const STRING_BIT = RT.string;
const INTEGER_BIT = RT.integer;

/** Any type: the reference stores -1 for ".". */
const ANY = -1;

const LETTER_BITS: Record<string, number> = {
  o: RT.null,
  i: RT.integer,
  f: RT.float,
  n: RT.integer | RT.float,
  s: RT.string,
  t: RT.table,
  a: RT.array,
  u: RT.userdata,
  c: RT.closure | RT.nativeclosure,
  b: RT.bool,
  g: RT.generator,
  p: RT.userpointer,
  v: RT.thread,
  x: RT.instance,
  y: RT.class,
  r: RT.weakref,
};

/** Names of the bits as the reference's IdType2Name prints them. */
const BIT_NAMES: [number, string][] = [
  [RT.null, "null"],
  [RT.integer, "integer"],
  [RT.float, "float"],
  [RT.bool, "bool"],
  [RT.string, "string"],
  [RT.table, "table"],
  [RT.array, "array"],
  [RT.userdata, "userdata"],
  [RT.closure, "function"],
  [RT.nativeclosure, "function"],
  [RT.generator, "generator"],
  [RT.userpointer, "userdata"],
  [RT.thread, "thread"],
  [0x2000, "function"],
  [RT.class, "class"],
  [RT.instance, "instance"],
  // The reference lists only the low 16 bits (sqdebug.cpp, Raise_ParamTypeError): "weakref"
  // never appears among the expected types.
];

/** One mask per parameter (this first), like the reference's compiled typecheck vector. */
export function compileTypemask(typemask: string): number[] {
  const res: number[] = [];
  let mask = 0;
  for (let i = 0; i < typemask.length; i++) {
    const ch = typemask[i]!;
    if (ch === " ") continue;
    if (ch === ".") {
      res.push(ANY);
      mask = 0;
      continue;
    }
    const bits = LETTER_BITS[ch];
    if (bits === undefined) throw new Error(`invalid typemask ${JSON.stringify(typemask)}`);
    mask |= bits;
    if (typemask[i + 1] === "|") {
      i++;
      if (i + 1 >= typemask.length) throw new Error(`invalid typemask ${JSON.stringify(typemask)}`);
      continue;
    }
    res.push(mask);
    mask = 0;
  }
  return res;
}

const compiled = new Map<string, number[]>();

function masksOf(typemask: string): number[] {
  let m = compiled.get(typemask);
  if (m === undefined) {
    m = compileTypemask(typemask);
    compiled.set(typemask, m);
  }
  return m;
}

const TYPE_BITS: Record<SqType, number> = {
  null: RT.null,
  integer: RT.integer,
  float: RT.float,
  bool: RT.bool,
  string: RT.string,
  table: RT.table,
  array: RT.array,
  userdata: RT.userdata,
  function: RT.closure,
  generator: RT.generator,
  thread: RT.thread,
  class: RT.class,
  instance: RT.instance,
  weakref: RT.weakref,
};

/** The reference's type bit of a value (closures and natives differ here, not in typeof). */
export function typeBit(v: unknown): number {
  switch (typeof v) {
    case "number":
      return RT.integer;
    case "string":
      return RT.string;
    case "boolean":
      return RT.bool;
  }
  return isNative(v) ? RT.nativeclosure : TYPE_BITS[typeOf(v)];
}

/** "integer|float" for a mask, in the reference's bit order. */
export function maskNames(mask: number): string {
  const names: string[] = [];
  for (const [b, name] of BIT_NAMES) if (mask & b) names.push(name);
  return names.join("|");
}

/** Declares a native function: `nparams` counts `this` (see SqNativeInfo). */
export function native(
  name: string,
  nparams: number,
  typemask: string | null,
  fn: (self: unknown, args: unknown[]) => unknown,
): SqNative {
  // compiled once here: a bad mask is a bug in the runtime and fails at once
  const masks = typemask === null ? null : checkedMasks(masksOf(typemask));
  // The info is stored on the function itself, so one JS function can be only one native.
  if (isNative(fn))
    throw new Error(`native ${name}: the function is already the native ${fn.nat.name}`);
  const f = fn as SqNative;
  f.nat = { name, nparams, typemask, masks };
  return f;
}

/** The masks a call must check: without the trailing ANY ones; null when none is left. */
function checkedMasks(masks: number[]): number[] | null {
  let n = masks.length;
  while (n > 0 && masks[n - 1] === ANY) n--;
  return n === 0 ? null : masks.slice(0, n);
}

/** The compiled typecheck of a native (for getinfos), or null when it has none. */
export function nativeTypecheck(f: SqNative): number[] | null {
  const tm = f.nat.typemask;
  if (tm === null) return null;
  const m = masksOf(tm);
  return m.length > 0 ? m.slice() : null;
}

/** Run by call() before every native call: parameter count, then types (sqvm.cpp, CallNative). */
export function checkNativeArgs(f: SqNative, self: unknown, args: unknown[]): void {
  const nat = f.nat;
  const nparams = nat.nparams;
  if (nparams !== 0) {
    const nargs = args.length + 1;
    if (nparams > 0 ? nparams !== nargs : nargs < -nparams) sqError("wrong number of parameters");
  }
  const masks = nat.masks;
  if (masks === null || masks === undefined) return;
  // An ANY mask (-1) accepts every type: no need to classify the value (an object's type takes
  // several instanceof tests). Strings and integers are told without a call.
  let n = masks.length;
  if (args.length + 1 < n) n = args.length + 1;
  for (let i = 0; i < n; i++) {
    const mask = masks[i]!;
    if (mask === ANY) continue;
    const v = i === 0 ? self : args[i - 1];
    const t = typeof v;
    const bit = t === "string" ? STRING_BIT : t === "number" ? INTEGER_BIT : typeBit(v);
    if ((mask & bit) === 0) badParameter(i, v, mask);
  }
}

function badParameter(i: number, v: unknown, mask: number): never {
  sqError(`parameter ${i} has an invalid type '${typeOf(v)}' ; expected: '${maskNames(mask)}'`);
}

/** A table whose slots are the given natives, keyed by their names (a default delegate). */
export function nativeTable(natives: SqNative[]): SqTable {
  const t = new SqTable();
  for (const f of natives) {
    const key = `$${f.nat.name}` as const;
    if (!Object.prototype.hasOwnProperty.call(t, key)) t.n++;
    t[key] = f;
  }
  return t;
}
