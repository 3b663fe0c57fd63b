// The reference interpreter's hash-node layout of a table, kept only for its order: Squirrel
// iterates a table (foreach, keys(), values(), filter, JSON encoders written in Squirrel) in
// the order of its hash nodes, and firmware compares the strings it builds that way.
//
// The facts followed here (Squirrel 3.2, squirrel/sqtable.cpp, a Lua 4.0 style chained
// scatter table): the node count is a power of two, at least 4; a key's main node is its hash
// masked by the count; a colliding key goes to the free node found by walking a "first free"
// index downwards, and the resident of the main node is moved away when it does not belong
// there; removing a key empties its node but keeps the chain; growing, shrinking and the
// rehash forced when no free node is left re-insert the keys in node order.
//
// Values stay where the runtime keeps them (values.ts); a layout holds keys and hashes only.
// A string key is held as its slot name ("$" + key, as tables and classes store it), so
// that recording it costs no new string; other keys are held as they are.
import { SqFloat } from "./values.ts";
import { objectId } from "./convert.ts";

const MIN_NODES = 4;

/**
 * The reference's string hash (sqstring.h `_hashstr`) of the string after the first `skip`
 * characters; bytes are read unsigned, as on the imp's ARM.
 */
export function stringHash(s: string, skip = 0): number {
  const len = s.length - skip;
  const step = (len >> 5) + 1;
  let h = len;
  for (let i = len; i >= step; i -= step)
    h ^= ((h << 5) + (h >>> 2) + s.charCodeAt(skip + i - 1)) | 0;
  return h;
}

/**
 * A key's hash (sqtable.h `HashObj`): strings by content; integers and bools by value; floats
 * by their value converted to an integer (i386: out of range gives -2147483648); anything else
 * by address in the reference, here by the serial number the object prints with.
 */
export function keyHash(k: unknown): number {
  switch (typeof k) {
    case "string":
      return stringHash(k, 1);
    case "number":
      return k;
    case "boolean":
      return k ? 1 : 0;
  }
  if (k instanceof SqFloat) {
    const t = Math.trunc(k.v);
    return t >= -2147483648 && t <= 2147483647 ? t | 0 : -2147483648;
  }
  return objectId(k as object);
}

/** Squirrel key identity: same type and same raw value (floats by bits, so -0.0 is not 0.0). */
export function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return a instanceof SqFloat && b instanceof SqFloat && Object.is(a.v, b.v);
}

export class HashLayout {
  /** Node count, a power of two. */
  size: number;
  /** Key of each node; undefined for an empty node. */
  keys: unknown[];
  /** Hash of each node's key. */
  private hashes: Int32Array;
  /** Next node of each node's chain; -1 ends it. */
  private next: Int32Array;
  /** Where the search for a free node resumes (it only moves down until a rehash). */
  private free: number;
  /** Keys held. */
  used = 0;

  /** A layout for at least `capacity` keys' worth of nodes, as `SQTable::Create` sizes it. */
  constructor(capacity = 0) {
    let size = MIN_NODES;
    while (capacity > size) size <<= 1;
    this.size = size;
    this.keys = new Array<unknown>(size).fill(undefined);
    this.hashes = new Int32Array(size);
    this.next = new Int32Array(size).fill(-1);
    this.free = size - 1;
  }

  private alloc(size: number): void {
    this.size = size;
    this.used = 0;
    this.keys = new Array<unknown>(size).fill(undefined);
    this.hashes = new Int32Array(size);
    this.next = new Int32Array(size).fill(-1);
    this.free = size - 1;
  }

  /** The node holding `k`, or -1. */
  private find(k: unknown, h: number): number {
    const keys = this.keys;
    let n = h & (this.size - 1);
    do {
      if (sameKey(keys[n], k)) return n;
      n = this.next[n]!;
    } while (n !== -1);
    return -1;
  }

  /** Adds a key the table does not hold (`SQTable::NewSlot` for a new key). */
  insert(k: unknown, h: number = keyHash(k)): void {
    const keys = this.keys,
      next = this.next,
      hashes = this.hashes;
    const mask = this.size - 1;
    let mp = h & mask;
    if (keys[mp] !== undefined) {
      const n = this.free;
      const other = hashes[mp]! & mask;
      if (mp > n && other !== mp) {
        // the resident is not in its main node: move it to the free node, take its place
        let prev = other;
        while (next[prev] !== mp) prev = next[prev]!;
        next[prev] = n;
        keys[n] = keys[mp];
        hashes[n] = hashes[mp]!;
        next[n] = next[mp]!;
        keys[mp] = undefined;
        next[mp] = -1;
      } else {
        // the new key goes to the free node, chained after its main node
        next[n] = next[mp]!;
        next[mp] = n;
        mp = n;
      }
    }
    keys[mp] = k;
    hashes[mp] = h;
    for (;;) {
      const f = this.free;
      if (keys[f] === undefined && next[f] === -1) {
        this.used++;
        return;
      }
      if (f === 0) break;
      this.free = f - 1;
    }
    // no free node left: the rehash re-inserts every key, the new one included
    this.rehash(true);
  }

  /** `SQTable::Remove`: the key's node empties, its chain stays. False when it is not held. */
  remove(k: unknown, h: number = keyHash(k)): boolean {
    const n = this.find(k, h);
    if (n === -1) return false;
    this.keys[n] = undefined;
    this.used--;
    this.rehash(false);
    return true;
  }

  /** `SQTable::Clear`: every node emptied, then the forced rehash (which halves the size once). */
  clear(): void {
    this.keys.fill(undefined);
    this.used = 0;
    this.rehash(true);
  }

  private rehash(force: boolean): void {
    const oldSize = this.size;
    const count = this.used;
    let size: number;
    if (count >= oldSize - (oldSize >> 2)) size = oldSize * 2;
    else if (count <= oldSize >> 2 && oldSize > MIN_NODES) size = oldSize >> 1;
    else if (force) size = oldSize;
    else return;
    const oldKeys = this.keys,
      oldHashes = this.hashes;
    this.alloc(size);
    // re-inserted in node order; an insert may itself rehash again, as in the reference
    for (let i = 0; i < oldSize; i++) {
      const k = oldKeys[i];
      if (k !== undefined) this.insert(k, oldHashes[i]);
    }
  }
}

/** A copy as `SQTable::Clone` makes it: as many nodes, the keys inserted in node order. */
export function cloneLayout(from: HashLayout): HashLayout {
  const copy = new HashLayout(from.size);
  for (const k of from.keys) if (k !== undefined) copy.insert(k);
  return copy;
}

// ------------------------------------------------------------------ the pending changes

/** Marks `clear()` in a table's log. */
const CLEAR = { clear: true };

/**
 * What a table or class records for its layout. Most tables are never iterated, so a change
 * is only appended to the log `q`, and the layout `h` brought up to date when the order is
 * needed, or when the log grows past a few times the number of keys (keeping memory bounded).
 * A table whose history is still implied by its insertion order has no log at all (access.ts).
 */
export interface LaidOut {
  /**
   * Changes not yet applied to `h`: each key added or removed, and CLEAR. A key is only logged
   * when it is really added (it was absent) or removed (it was there), so replaying the log
   * tells the two apart by whether the layout holds the key.
   */
  q: unknown[] | null;
  h: HashLayout | null;
  /** Number of keys held. */
  n: number;
}

/** Appends an added or removed key to the log; a long log is applied at once. */
export function logChange(t: LaidOut, q: unknown[], k: unknown): void {
  q.push(k);
  if (q.length > (t.n << 2) + 64) layoutOf(t);
}

export function logClear(q: unknown[]): void {
  q.push(CLEAR);
}

/** The layout with every logged change applied (`q` must be the log, not null). */
export function layoutOf(t: LaidOut): HashLayout {
  let h = t.h;
  if (h === null) h = t.h = new HashLayout();
  const q = t.q as unknown[];
  if (q.length !== 0) {
    for (let i = 0; i < q.length; i++) {
      const k = q[i];
      if (k === CLEAR) {
        h.clear();
        continue;
      }
      const hash = keyHash(k);
      if (!h.remove(k, hash)) h.insert(k, hash);
    }
    t.q = [];
  }
  return h;
}

/** The keys of a layout in node order (the reference's iteration order), as Squirrel values. */
export function layoutKeys(h: HashLayout): unknown[] {
  const out: unknown[] = [];
  for (const k of h.keys) if (k !== undefined) out.push(typeof k === "string" ? k.slice(1) : k);
  return out;
}
