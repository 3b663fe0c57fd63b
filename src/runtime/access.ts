// Reading, writing, creating and deleting slots: Squirrel's get/set/newslot/delete
// with delegates, metamethods and the default delegates of each type.
import { SqClass, SqFloat, SqInstance, SqTable, SqThrow, SqWeakRef, typeOf } from "./values.ts";
import { sqError, indexError } from "./errors.ts";
import { metamethod } from "./metamethods.ts";
import { callMeta } from "./call.ts";
import { defaultDelegates } from "./stdlib/delegates.ts";
import { newMember } from "./classes.ts";
import { type HashLayout, layoutKeys, layoutOf, logClear, logChange } from "./hash-layout.ts";

// ------------------------------------------------------------------ table primitives

/** The key under which a non-string key is kept in a table's map: floats by value, apart from integers. */
function mapKey(k: unknown): unknown {
  // -0.0 and 0.0 are different keys in the reference (it compares the bits)
  if (k instanceof SqFloat) return k.v === 0 && 1 / k.v < 0 ? "f-0" : `f${k.v}`;
  return k;
}

function unmapKey(k: unknown): unknown {
  return typeof k === "string" ? new SqFloat(k === "f-0" ? -0 : Number(k.slice(1))) : k;
}

/**
 * The keys in the order they were added (only one kind, strings or others, when asked):
 * string keys by slot name, as the layout holds them.
 */
function insertionOrder(t: SqTable): unknown[] {
  // the table's own fields come first (set by its constructor), then the "$" slots
  const keys: unknown[] = Object.keys(t);
  let own = 0;
  while (own < keys.length && (keys[own] as string).charCodeAt(0) !== 36 /* $ */) own++;
  keys.splice(0, own);
  if (t.m !== null) for (const k of t.m.keys()) keys.push(unmapKey(k));
  return keys;
}

/**
 * The table's change log, started now. Until a table loses a key, is cleared, is iterated or
 * mixes string keys with others, the order its keys were added (which JS keeps) is its whole
 * history, so a table that is only filled and read costs nothing for its layout.
 */
function startLog(t: SqTable): unknown[] {
  return (t.q = insertionOrder(t));
}

/** The table's layout, up to date: its node order is the reference's iteration order. */
export function tableLayout(t: SqTable): HashLayout {
  if (t.q === null) startLog(t);
  return layoutOf(t);
}

/** A table's own slot, or undefined when absent. */
export function tableGet(t: SqTable, k: unknown): unknown {
  if (typeof k === "string") return t[`$${k}`];
  const m = t.m;
  if (m === null) return undefined;
  return m.get(typeof k === "number" ? k : mapKey(k));
}

/** Creates or overwrites a table slot, without checks. */
export function tableSet(t: SqTable, k: unknown, v: unknown): void {
  if (v instanceof SqWeakRef) v = v.o;
  if (typeof k === "string") {
    const s = `$${k}` as const;
    if (t[s] === undefined) {
      const q = t.q;
      if (q !== null) {
        q.push(s);
        if (q.length > (t.n << 2) + 64) layoutOf(t);
      } else if (t.m !== null) startLog(t).push(s); // a table without a log has no empty map
      t.n++;
    }
    t[s] = v;
    return;
  }
  if (k === null) sqError("null cannot be used as index");
  if (t.m === null) {
    // string keys came first: once the kinds mix, insertion order no longer tells the history
    if (t.q === null && t.n !== 0) startLog(t);
    t.m = new Map();
  }
  // one map operation: a new key shows as a bigger map
  const m = t.m;
  const size = m.size;
  m.set(typeof k === "number" ? k : mapKey(k), v);
  if (m.size !== size) {
    const q = t.q;
    if (q !== null) logChange(t, q, k);
    t.n++;
  }
}

export function tableDelete(t: SqTable, k: unknown): boolean {
  if (typeof k === "string") {
    const s = `$${k}` as const;
    if (t[s] === undefined) return false;
    t.n--;
    const q = t.q ?? startLog(t);
    q.push(s);
    if (q.length > (t.n << 2) + 64) layoutOf(t);
    delete t[s];
    return true;
  }
  if (t.m !== null && t.m.has(mapKey(k))) {
    t.n--;
    logChange(t, t.q ?? startLog(t), k);
    t.m.delete(mapKey(k));
    return true;
  }
  return false;
}

/** The keys in the reference's iteration order (its hash-node order). */
export function tableKeys(t: SqTable): unknown[] {
  return layoutKeys(tableLayout(t));
}

export function tableClear(t: SqTable): void {
  logClear(t.q ?? startLog(t));
  for (const p in t) if (p.charCodeAt(0) === 36) delete t[p as `$${string}`];
  t.m = null;
  t.n = 0;
}

// ------------------------------------------------------------------ class members

function classMember(c: SqClass, k: unknown): unknown {
  if (typeof k === "string") return c.proto[`$${k}`];
  return c.m === null ? undefined : c.m.get(mapKey(k));
}

// ------------------------------------------------------------------ get

function numericIndex(k: unknown): number | undefined {
  if (typeof k === "number") return k;
  if (k instanceof SqFloat) return Math.trunc(k.v) | 0;
  return undefined;
}

/** Own slots only: what rawget sees. Undefined when absent. */
export function rawTryGet(o: unknown, k: unknown): unknown {
  if (o instanceof SqTable) return tableGet(o, k);
  if (o instanceof SqInstance)
    return classMember(o.c, k) === undefined
      ? undefined
      : typeof k === "string"
        ? o[`$${k}`]
        : classMember(o.c, k);
  if (o instanceof SqClass) return classMember(o, k);
  if (Array.isArray(o)) {
    const i = numericIndex(k);
    return i !== undefined && i >= 0 && i < o.length ? o[i] : undefined;
  }
  return undefined;
}

/** Result of a `_get` metamethod that threw null: "not found, keep looking". */
const NOT_FOUND = undefined;

function callGetMeta(mm: unknown, o: unknown, k: unknown): unknown {
  try {
    return callMeta(mm, o, [k]);
  } catch (e) {
    if (e instanceof SqThrow && e.value === null) return NOT_FOUND;
    throw e;
  }
}

/** Squirrel's get without raising: undefined when the slot exists nowhere. */
export function tryGet(o: unknown, k: unknown): unknown {
  // dispatch on the JS type first: a method looked up on a string or number is common
  switch (typeof o) {
    case "string": {
      if (typeof k === "string") return defaultDelegates.string[`$${k}`];
      const i = numericIndex(k);
      if (i === undefined) return undefined;
      const j = i < 0 ? i + o.length : i;
      return j >= 0 && j < o.length ? o.charCodeAt(j) : undefined;
    }
    case "number":
      return typeof k === "string" ? defaultDelegates.integer[`$${k}`] : undefined;
    case "boolean":
      return typeof k === "string" ? defaultDelegates.bool[`$${k}`] : undefined;
    case "function":
      return typeof k === "string" ? defaultDelegates.function[`$${k}`] : undefined;
  }
  if (o === null || o === undefined) return undefined;
  let v: unknown;
  if (o instanceof SqTable) {
    v = tableGet(o, k);
    if (v !== undefined) return v;
    const d = o.d;
    if (d !== null) {
      v = tryGet(d, k);
      if (v !== undefined) return v;
      const mm = d.$_get;
      if (mm !== undefined) {
        v = callGetMeta(mm, o, k);
        if (v !== undefined) return v;
      }
    }
    return tableDelegateGet(k);
  }
  if (Array.isArray(o)) {
    if (typeof k === "string") return defaultDelegates.array[`$${k}`];
    const i = numericIndex(k);
    return i !== undefined && i >= 0 && i < o.length ? o[i] : undefined;
  }
  if (o instanceof SqInstance) {
    v = typeof k === "string" ? o[`$${k}`] : classMember(o.c, k);
    if (v !== undefined) return v;
    const mm = o.c.meta._get;
    if (mm !== undefined) {
      v = callGetMeta(mm, o, k);
      if (v !== undefined) return v;
    }
    return typeof k === "string" ? defaultDelegates.instance[`$${k}`] : undefined;
  }
  if (typeof k !== "string") {
    if (o instanceof SqClass) return classMember(o, k);
    return undefined;
  }
  const s = `$${k}` as const;
  if (o instanceof SqFloat) return defaultDelegates.float[s];
  if (o instanceof SqClass) {
    v = o.proto[s];
    return v !== undefined ? v : defaultDelegates.class[s];
  }
  if (o instanceof SqWeakRef) return defaultDelegates.weakref[s];
  const other = otherDelegate(o);
  return other === undefined ? undefined : other[s];
}

function tableDelegateGet(k: unknown): unknown {
  return typeof k === "string" ? defaultDelegates.table[`$${k}`] : undefined;
}

/** Delegates of types whose methods live outside the stdlib (generators, threads, blobs). */
const extraDelegates: { test: (o: unknown) => boolean; delegate: SqTable }[] = [];
export function registerDelegate(test: (o: unknown) => boolean, delegate: SqTable): void {
  extraDelegates.push({ test, delegate });
}
function otherDelegate(o: unknown): SqTable | undefined {
  for (const e of extraDelegates) if (e.test(o)) return e.delegate;
  return undefined;
}

/** Squirrel get: `o.k` / `o[k]`. */
export function get(o: unknown, k: unknown): unknown {
  const v = tryGet(o, k);
  if (v === undefined) indexError(k);
  return v;
}

/** An identifier that is not a local: `this.k`, then the root table. */
export function getVar(self: unknown, k: string, root: SqTable): unknown {
  let v = self === null || self === undefined ? undefined : tryGet(self, k);
  if (v !== undefined) return v;
  v = root[`$${k}`];
  if (v !== undefined) return v;
  indexError(k);
}

// ------------------------------------------------------------------ set

/** A `_set` metamethod that throws null means "no such slot". */
function callSetMeta(mm: unknown, o: unknown, k: unknown, v: unknown): void {
  try {
    callMeta(mm, o, [k, v]);
  } catch (e) {
    if (e instanceof SqThrow && e.value === null) indexError(k);
    throw e;
  }
}

/** Squirrel `o.k = v` / `o[k] = v`: the slot must exist (or a `_set` metamethod take it). */
export function set(o: unknown, k: unknown, v: unknown): unknown {
  if (v instanceof SqWeakRef) v = v.o;
  if (o instanceof SqTable) {
    if (k === null) sqError("null cannot be used as index");
    if (typeof k === "string") {
      const s = `$${k}` as const;
      if (o[s] !== undefined) {
        o[s] = v;
        return v;
      }
    } else if (o.m !== null && o.m.has(mapKey(k))) {
      o.m.set(mapKey(k), v);
      return v;
    }
    // the delegate chain may hold the slot
    for (let d = o.d; d !== null; d = d.d) {
      if (tableGet(d, k) !== undefined) {
        tableSet(d, k, v);
        return v;
      }
    }
    const mm = metamethod(o, "_set");
    if (mm !== undefined) {
      callSetMeta(mm, o, k, v);
      return v;
    }
    indexError(k);
  }
  if (o instanceof SqInstance) {
    if (typeof k === "string") {
      const s = `$${k}` as const;
      if (o.fs[s] === 1) {
        o[s] = v;
        return v;
      }
    }
    const mm = o.c.meta._set;
    if (mm !== undefined) {
      callSetMeta(mm, o, k, v);
      return v;
    }
    indexError(k);
  }
  if (Array.isArray(o)) {
    const i = numericIndex(k);
    if (i !== undefined && i >= 0 && i < o.length) {
      o[i] = v;
      return v;
    }
    indexError(k);
  }
  if (o instanceof SqClass) sqError("trying to set 'class'");
  sqError(`trying to set '${typeOf(o)}'`);
}

/** Squirrel `o.k <- v`. */
export function newSlot(o: unknown, k: unknown, v: unknown): unknown {
  if (o instanceof SqTable) {
    if (k === null) sqError("null cannot be used as index");
    if (o.d !== null && tableGet(o, k) === undefined) {
      const mm = metamethod(o, "_newslot");
      if (mm !== undefined) {
        callMeta(mm, o, [k, v]);
        return v;
      }
    }
    tableSet(o, k, v);
    return v;
  }
  if (o instanceof SqClass) {
    newMember(o, k, v, null, false);
    return v;
  }
  if (o instanceof SqInstance) {
    const mm = o.c.meta._newslot;
    if (mm !== undefined) {
      callMeta(mm, o, [k, v]);
      return v;
    }
    sqError("class instances do not support the new slot operator");
  }
  if (k === null) sqError("null cannot be used as index");
  sqError(`trying to set '${typeOf(o)}'`);
}

/** Squirrel `delete o.k`: returns the removed value. */
export function delSlot(o: unknown, k: unknown): unknown {
  if (o instanceof SqTable) {
    // a `_delslot` in the delegate handles every delete, as in the reference
    const mm = metamethod(o, "_delslot");
    if (mm !== undefined) return callMeta(mm, o, [k]);
    const v = tableGet(o, k);
    if (v === undefined) indexError(k);
    tableDelete(o, k);
    return v;
  }
  if (o instanceof SqInstance) {
    const mm = o.c.meta._delslot;
    if (mm !== undefined) return callMeta(mm, o, [k]);
    sqError("cannot delete a slot from instance");
  }
  // sqvm.cpp DeleteSlot: delegable types without `_delslot`, then every other type
  if (typeOf(o) === "userdata") sqError("cannot delete a slot from userdata");
  sqError(`attempt to delete a slot from a ${typeOf(o)}`);
}

// ------------------------------------------------------------------ raw access and `in`

export function rawGet(o: unknown, k: unknown): unknown {
  const v = rawTryGet(o, k);
  if (v === undefined) sqError("the index doesn't exist");
  return v;
}

export function rawIn(o: unknown, k: unknown): boolean {
  return rawTryGet(o, k) !== undefined;
}

/** The `in` operator: a table's own slots (not its delegates), an instance's members or `_get`. */
export function has(k: unknown, o: unknown): boolean {
  if (o instanceof SqTable) {
    // an integer key: the map alone (a slot never holds undefined)
    if (typeof k === "number") return o.m !== null && o.m.has(k);
    return tableGet(o, k) !== undefined;
  }
  if (o instanceof SqInstance) {
    if (typeof k === "string" ? o[`$${k}`] !== undefined : classMember(o.c, k) !== undefined)
      return true;
    const mm = o.c.meta._get;
    return mm !== undefined && callGetMeta(mm, o, k) !== undefined;
  }
  if (o instanceof SqClass) return classMember(o, k) !== undefined;
  if (Array.isArray(o)) {
    const i = numericIndex(k);
    return i !== undefined && i >= 0 && i < o.length;
  }
  if (typeof o === "string") {
    const i = numericIndex(k);
    return i !== undefined && i >= 0 && i < o.length;
  }
  // the reference's raw get finds nothing in a value that holds no slots
  return false;
}

/** Assignment to an identifier that is not a local: `this.k = v`, else an existing root slot. */
export function setVar(self: unknown, k: string, v: unknown, root: SqTable): unknown {
  const s = `$${k}` as const;
  // the common case: a field of `this` in a method
  if (self instanceof SqInstance && self.fs[s] === 1 && !(v instanceof SqWeakRef)) {
    self[s] = v;
    return v;
  }
  if (self instanceof SqTable || self instanceof SqInstance) {
    if (tryHasForSet(self, k)) return set(self, k, v);
  }
  if (root[`$${k}`] !== undefined) {
    root[`$${k}`] = v instanceof SqWeakRef ? v.o : v;
    return v;
  }
  return set(self, k, v);
}

function tryHasForSet(o: SqTable | SqInstance, k: string): boolean {
  if (o instanceof SqTable) {
    for (let t: SqTable | null = o; t !== null; t = t.d) if (t[`$${k}`] !== undefined) return true;
    return metamethod(o, "_set") !== undefined;
  }
  return o.fs[`$${k}`] === 1 || o.c.meta._set !== undefined;
}
