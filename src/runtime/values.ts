// How Squirrel values are represented inside the VM.
//
//   integer  -> JS number, always int32 (kept with `| 0`)
//   float    -> SqFloat (boxed, value rounded with Math.fround)
//   bool     -> JS boolean
//   null     -> JS null (undefined never is a Squirrel value; it means "absent")
//   string   -> JS string holding bytes (one char code 0..255 per byte)
//   array    -> JS Array
//   table    -> SqTable: string keys are own properties named "$" + key, other keys live in `m`
//   class    -> SqClass; its members live on `proto` as "$" + name
//   instance -> an object whose prototype is its class's `proto`; fields are own "$" properties
//   closure  -> JS function (self, ...params) carrying SqFunctionInfo in `sq`
//   native   -> JS function (self, args[]) carrying SqNativeInfo in `nat`
//   generator, thread, weakref -> SqGenerator, SqThread, SqWeakRef
//
// A "$" prefix keeps every Squirrel key apart from the runtime's own fields and from
// Object.prototype, and lets compiled code read a slot with one property access.

import type { HashLayout } from "./hash-layout.ts";

export class SqFloat {
  constructor(public readonly v: number) {}
  /** Makes `(x|0) === x` (the compiled integer test) quick and false for floats. */
  valueOf(): number {
    return NaN;
  }
}

export function float(v: number): SqFloat {
  return new SqFloat(Math.fround(v));
}

/** Table: string keys are own "$key" properties; every other key type is in `m`. */
export class SqTable {
  /** Delegate table, or null. */
  d: SqTable | null = null;
  /** Slots whose key is not a string (integer, float by value, bool, objects by identity). */
  m: Map<unknown, unknown> | null = null;
  /** Number of slots (string and other keys together). */
  n = 0;
  /** The reference's node order of the keys and its pending changes (hash-layout.ts). */
  h: HashLayout | null = null;
  q: unknown[] | null = null;
  [slot: `$${string}`]: unknown;
}

/** What the compiler records about a Squirrel closure. */
export interface SqFunctionInfo {
  name: string;
  /** Declared parameters, without `this`. */
  nparams: number;
  /** Default values of the last `defaults.length` parameters, evaluated when the closure was made. */
  defaults: unknown[];
  varargs: boolean;
  generator: boolean;
  /** Source file name and first line, for getinfos() and call stacks. */
  src: string;
  line: number;
  paramNames: string[];
  /** 1 or -1 when the function is only `return a <=> b` (or `b <=> a`) of its two parameters. */
  order?: 1 | -1;
}

/** A Squirrel closure as the compiled code makes it. */
export interface SqClosure {
  (self: unknown, ...args: unknown[]): unknown;
  sq: SqFunctionInfo;
  /**
   * Number of JS arguments (this + params) for the fast call path; -1 when the call must go
   * through `call()` (defaults, varargs, bound environment).
   */
  np: number;
  /** Environment fixed by bindenv(), or undefined. */
  env?: unknown;
  /** The base class of the class this closure was added to (for `base`). */
  base?: SqClass | null;
  /** The same function compiled as a coroutine (only in programs that call suspend()). */
  co?: (self: unknown, ...args: unknown[]) => Generator<unknown, unknown, unknown>;
}

/** What a native (runtime-provided) function declares about its arguments. */
export interface SqNativeInfo {
  name: string;
  /**
   * Squirrel's nparamscheck: 0 = any count; n > 0 = exactly n (including `this`);
   * n < 0 = at least -n (including `this`).
   */
  nparams: number;
  /**
   * Squirrel's type mask string, one entry per parameter including `this`, e.g. ".s|n":
   * "." any, "n" integer|float, "i" integer, "f" float, "s" string, "t" table, "a" array,
   * "u" userdata, "c" closure|native, "b" bool, "g" generator, "p" userpointer, "v" thread,
   * "x" instance, "y" class, "r" weakref, "o" null. Alternatives are joined with "|".
   */
  typemask: string | null;
  /** The type mask compiled once (native.ts), so calls need not parse it. */
  masks?: number[] | null;
}

export interface SqNative {
  (self: unknown, args: unknown[]): unknown;
  nat: SqNativeInfo;
}

export class SqClass {
  /** Prototype of instances: "$name" slots hold methods, defaults of fields and statics. */
  proto: SqClassProto;
  base: SqClass | null;
  /** Slot keys ("$" + name) of instance fields (not methods, not statics), in declaration order. */
  fields: string[] = [];
  /** Slot keys ("$" + name) of static members. */
  statics = new Set<string>();
  /** Metamethods (`_add`, `_get`, ...) by name; they are not members. */
  meta: Record<string, unknown> = Object.create(null);
  /** Attributes of the class (`</ ... />` before the body) and of each member. */
  attrs: unknown = null;
  memberAttrs = new Map<unknown, unknown>();
  /** Non-string member keys (rare: `[1] = "x"` in a class body). */
  m: Map<unknown, unknown> | null = null;
  /** Members (fields, methods, statics) in the reference's node order, as for tables. */
  h: HashLayout | null = null;
  q: unknown[] | null = [];
  n = 0;
  /** Set by the first instantiation: the class may not be changed afterwards. */
  locked = false;
  /**
   * Makes instances: `new cls.make()` has `proto` as its prototype. Fields are read through
   * the prototype (their defaults) until first written, which makes the own copy; a
   * shallow copy of the defaults, as the reference gives each instance.
   */
  make: new () => SqInstance;
  constructor(base: SqClass | null) {
    this.base = base;
    this.make = function SqObject() {} as unknown as new () => SqInstance;
    this.proto = Object.create(SqInstance.prototype) as SqClassProto;
    this.make.prototype = this.proto;
    this.proto.c = this;
    this.proto.fs = Object.create(null) as Record<string, 1>;
  }
}

export interface SqClassProto extends SqInstance {
  c: SqClass;
  /**
   * The instance fields' slot keys, each mapped to 1: compiled code tests
   * `o.fs?.$key === 1` to write a field without a call.
   */
  fs: Record<string, 1>;
}

/** Instances are created with Object.create(cls.proto); this class only gives them a type. */
export class SqInstance {
  declare c: SqClass;
  declare fs: Record<string, 1>;
  [slot: `$${string}`]: unknown;
}

export type GeneratorStatus = "suspended" | "running" | "dead";

export class SqGenerator {
  status: GeneratorStatus = "suspended";
  constructor(
    public it: Iterator<unknown, unknown, unknown>,
    public fn: SqClosure,
  ) {}
}

export type ThreadStatus = "idle" | "running" | "suspended";

export class SqThread {
  status: ThreadStatus = "idle";
  it: Iterator<unknown, unknown, unknown> | null = null;
  constructor(public fn: unknown) {}
}

/** Weak reference; the emulator keeps the object alive (see README, Deviations). */
export class SqWeakRef {
  constructor(public o: unknown) {}
}

/**
 * The value Squirrel code threw, carried through JS exceptions. It is an Error so that
 * QuickJS records the call stack where it was thrown (for the error report).
 */
export class SqThrow extends Error {
  constructor(public value: unknown) {
    super(typeof value === "string" ? value : "squirrel exception");
  }
}

export type SqType =
  | "null"
  | "integer"
  | "float"
  | "bool"
  | "string"
  | "table"
  | "array"
  | "function"
  | "class"
  | "instance"
  | "generator"
  | "thread"
  | "weakref"
  | "userdata";

export function isInstance(v: unknown): v is SqInstance {
  return v instanceof SqInstance && !Object.prototype.hasOwnProperty.call(v, "c");
}

export function isClosure(v: unknown): v is SqClosure {
  return typeof v === "function" && (v as SqClosure).sq !== undefined;
}

export function isNative(v: unknown): v is SqNative {
  return typeof v === "function" && (v as SqNative).nat !== undefined;
}

/** The Squirrel type name of a value (what `type(v)` returns; `typeof` also consults `_typeof`). */
export function typeOf(v: unknown): SqType {
  switch (typeof v) {
    case "number":
      return "integer";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "function":
      return "function";
    case "object":
      if (v === null) return "null";
      if (v instanceof SqFloat) return "float";
      if (Array.isArray(v)) return "array";
      if (v instanceof SqTable) return "table";
      if (v instanceof SqInstance) return "instance";
      if (v instanceof SqClass) return "class";
      if (v instanceof SqGenerator) return "generator";
      if (v instanceof SqThread) return "thread";
      if (v instanceof SqWeakRef) return "weakref";
      return "userdata";
  }
  return "userdata";
}
