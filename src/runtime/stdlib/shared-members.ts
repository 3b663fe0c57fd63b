// Members every default delegate has: `weakref()` and `tostring()`
// (squirrel/sqbaselib.cpp, obj_delegate_weakref / default_delegate_tostring; sqapi.cpp, sq_weakref).

import { toStr } from "../convert.ts";
import { native } from "../native.ts";
import { SqFloat, SqWeakRef } from "../values.ts";
import type { SqNative } from "../values.ts";

// The reference keeps one weak reference per object, so `o.weakref() == o.weakref()`.
const cache = new WeakMap<object, SqWeakRef>();

/**
 * A weak reference to `v`. Values that are not reference counted in the reference (null,
 * integers, floats, bools) are returned as they are.
 */
export function weakrefOf(v: unknown): unknown {
  if (v === null || typeof v === "number" || typeof v === "boolean" || v instanceof SqFloat)
    return v;
  if (typeof v === "string") return new SqWeakRef(v);
  const o = v as object;
  let w = cache.get(o);
  if (w === undefined) {
    w = new SqWeakRef(o);
    cache.set(o, w);
  }
  return w;
}

export function weakrefNative(): SqNative {
  return native("weakref", 1, null, (self) => weakrefOf(self));
}

export function tostringNative(): SqNative {
  return native("tostring", 1, ".", (self) => toStr(self));
}
