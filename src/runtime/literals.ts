// Values the compiled code builds from literals: closures and tables.
import { SqTable, type SqClosure, type SqFunctionInfo } from "./values.ts";
import { tableSet } from "./access.ts";
import { HashLayout } from "./hash-layout.ts";

/** Gives a compiled JS function its Squirrel identity; `defaults` are this closure's values. */
export function makeClosure(
  f: SqClosure,
  info: SqFunctionInfo,
  defaults: unknown[] | null,
  co?: SqClosure["co"],
): SqClosure {
  f.sq = defaults === null ? info : { ...info, defaults };
  if (co !== undefined) f.co = co;
  f.np = info.varargs ? -1 : info.nparams + 1;
  return f;
}

/**
 * A table from alternating keys and values. A table literal is sized for its entries, as the
 * reference's is; an enum's constant table (`sized` false) starts small and grows, as the
 * reference's does, which changes its iteration order.
 */
export function makeTable(kv: unknown[], sized = true): SqTable {
  const t = new SqTable();
  if (sized && kv.length > 8) t.h = new HashLayout(kv.length >> 1);
  for (let i = 0; i < kv.length; i += 2) tableSet(t, kv[i], kv[i + 1]);
  return t;
}
