// The `typeof`, `instanceof` and `clone` operators.
import { SqClass, SqInstance, SqTable, typeOf } from "./values.ts";
import { sqError } from "./errors.ts";
import { call } from "./call.ts";
import { cloneInstance } from "./classes.ts";
import { tableKeys, tableGet, tableLayout, tableSet } from "./access.ts";
import { metamethod } from "./metamethods.ts";
import { HashLayout } from "./hash-layout.ts";

/** `typeof v`: like type(v), but an instance or table may answer through `_typeof`. */
export function typeofOp(v: unknown): unknown {
  if (v instanceof SqInstance || v instanceof SqTable) {
    const mm = metamethod(v, "_typeof");
    if (mm !== undefined) return call(mm, v, []);
  }
  return typeOf(v);
}

export function instanceOf(v: unknown, cls: unknown): boolean {
  // the reference names the right operand first
  if (!(cls instanceof SqClass))
    sqError("cannot apply instanceof between a " + typeOf(cls) + " and a " + typeOf(v));
  if (!(v instanceof SqInstance)) return false;
  for (let c: SqClass | null = v.c; c !== null; c = c.base) if (c === cls) return true;
  return false;
}

/** `clone v`: shallow copy of tables (with their delegate) and arrays; instances run `_cloned`. */
export function cloneOp(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice();
  if (v instanceof SqTable) {
    // SQTable::Clone: as many nodes as the original, the keys inserted in its order
    const t = new SqTable();
    t.h = new HashLayout(tableLayout(v).size);
    for (const k of tableKeys(v)) tableSet(t, k, tableGet(v, k));
    t.d = v.d;
    const mm = metamethod(v, "_cloned");
    if (mm !== undefined) call(mm, t, [v]);
    return t;
  }
  if (v instanceof SqInstance) return cloneInstance(v);
  // sqvm.cpp Clone: only tables, instances and arrays can be cloned
  sqError(`cloning a ${typeOf(v)}`);
}
