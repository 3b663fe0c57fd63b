// Classes and instances: declaration, inheritance, members, metamethods, construction.
import { SqClass, SqInstance, type SqClosure } from "./values.ts";
import { sqError, describeValue } from "./errors.ts";
import { call } from "./call.ts";
import { cloneLayout, layoutOf, logChange } from "./hash-layout.ts";

/** Names that, given a function, become metamethods of the class instead of members. */
const METAMETHODS = new Set([
  "_add",
  "_sub",
  "_mul",
  "_div",
  "_modulo",
  "_unm",
  "_typeof",
  "_get",
  "_set",
  "_newslot",
  "_delslot",
  "_tostring",
  "_newmember",
  "_inherited",
  "_cmp",
  "_call",
  "_cloned",
  "_nexti",
]);

/** `class extends base { }`: a subclass copies its base at this moment. */
export function newClass(base: unknown, attrs: unknown): SqClass {
  if (base !== null && !(base instanceof SqClass))
    sqError("trying to inherit from a " + describeValue(base));
  const cls = new SqClass(base);
  cls.attrs = attrs;
  if (base !== null) {
    for (const k of Object.keys(base.proto)) {
      if (k.charCodeAt(0) === 36) cls.proto[k as `$${string}`] = base.proto[k as `$${string}`];
    }
    cls.fields = base.fields.slice();
    for (const f of cls.fields) cls.proto.fs[f] = 1;
    cls.statics = new Set(base.statics);
    Object.assign(cls.meta, base.meta);
    cls.memberAttrs = new Map(base.memberAttrs);
    if (base.m !== null) cls.m = new Map(base.m);
    cls.h = cloneLayout(layoutOf(base));
    cls.n = base.n;
    const inherited = base.meta._inherited;
    if (inherited !== undefined) call(inherited, cls, [attrs]);
  }
  return cls;
}

/** Adds or replaces a member (class body, `Class.k <- v`, newmember). */
export function newMember(
  cls: SqClass,
  key: unknown,
  value: unknown,
  attrs: unknown,
  isStatic: boolean,
): void {
  if (key === null) sqError("null cannot be used as index");
  const isFunction = typeof value === "function";
  if (typeof key === "string" && isFunction && METAMETHODS.has(key)) {
    cls.meta[key] = value;
    return;
  }
  const nm = cls.meta._newmember;
  if (nm !== undefined) {
    call(nm, cls, [key, value, attrs, isStatic]);
    return;
  }
  rawNewMember(cls, key, value, attrs, isStatic);
}

export function rawNewMember(
  cls: SqClass,
  key: unknown,
  value: unknown,
  attrs: unknown,
  isStatic: boolean,
): void {
  const isFunction = typeof value === "function";
  if (typeof key === "string" && isFunction && METAMETHODS.has(key)) {
    cls.meta[key] = value;
    return;
  }
  if (cls.locked && !isFunction && !isStatic)
    sqError("trying to modify a class that has already been instantiated");
  if (
    isFunction &&
    cls.base !== null &&
    (value as SqClosure).sq !== undefined &&
    (value as SqClosure).base === undefined
  ) {
    (value as SqClosure).base = cls.base;
  }
  if (attrs !== null && attrs !== undefined) cls.memberAttrs.set(key, attrs);
  if (typeof key !== "string") {
    if (cls.m === null) cls.m = new Map();
    if (!cls.m.has(key)) {
      cls.n++;
      logChange(cls, cls.q as unknown[], key);
    }
    cls.m.set(key, value);
    return;
  }
  const s = `$${key}` as const;
  const existed = cls.proto[s] !== undefined;
  if (!existed) {
    cls.n++;
    logChange(cls, cls.q as unknown[], s);
  }
  cls.proto[s] = value;
  if (isStatic) {
    cls.statics.add(s);
  } else if (!isFunction && !existed) {
    cls.fields.push(s);
    cls.proto.fs[s] = 1;
  }
}

/** A new instance (fields at the class defaults), constructor not run. */
export function createInstance(cls: SqClass): SqInstance {
  cls.locked = true;
  return new cls.make();
}

/** Calling a class: creates an instance and runs its constructor with the arguments. */
export function instantiate(cls: SqClass, args: unknown[]): SqInstance {
  const o = createInstance(cls);
  const ctor = cls.proto.$constructor;
  if (ctor !== undefined) call(ctor, o, args);
  return o;
}

/** `clone` of an instance: fields copied, then `_cloned(original)` runs on the copy. */
export function cloneInstance(o: SqInstance): SqInstance {
  const copy = Object.create(Object.getPrototypeOf(o)) as SqInstance;
  for (const k of Object.keys(o)) copy[k as `$${string}`] = o[k as `$${string}`];
  const cloned = o.c.meta._cloned;
  if (cloned !== undefined) call(cloned, copy, [o]);
  return copy;
}
