// The table default delegate (squirrel/sqbaselib.cpp, _table_default_delegate_funcz).

import { tableClear, tableDelete, tableGet, tableKeys, tableSet } from "../access.ts";
import { call } from "../call.ts";
import { sqError } from "../errors.ts";
import { native, nativeTable } from "../native.ts";
import { truthy } from "../ops.ts";
import { SqTable, typeOf } from "../values.ts";
import { rawgetNative, rawinNative, rawsetNative } from "./container-members.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

/** Calls `f(key, value)` with the table as `this` for each slot present when it is reached. */
function eachSlot(t: SqTable, f: (key: unknown, value: unknown) => void): void {
  for (const k of tableKeys(t)) {
    const v = tableGet(t, k);
    if (v !== undefined) f(k, v);
  }
}

export function tableDelegate(): SqTable {
  return nativeTable([
    native("len", 1, "t", (self) => (self as SqTable).n),
    rawgetNative("t"),
    rawsetNative("t"),
    native("rawdelete", 2, "t", (self, args) => {
      const t = self as SqTable;
      const v = tableGet(t, args[0]);
      if (v === undefined) return null;
      tableDelete(t, args[0]);
      return v;
    }),
    rawinNative("t"),
    weakrefNative(),
    tostringNative(),
    native("clear", 1, ".", (self) => {
      tableClear(self as SqTable);
      return self;
    }),
    native("setdelegate", 2, ".t|o", (self, args) => {
      if (!(self instanceof SqTable)) sqError(`unexpected type ${typeOf(self)}`);
      const t = self;
      const d = args[0] as SqTable | null;
      // SQDelegable::SetDelegate refuses a chain that leads back to the table.
      for (let p = d; p !== null; p = p.d) if (p === t || p.d === t) sqError("delegate cycle");
      t.d = d;
      return t;
    }),
    native("getdelegate", 1, ".", (self) => {
      if (!(self instanceof SqTable)) sqError("wrong type");
      return self.d;
    }),
    native("filter", 2, "tc", (self, args) => {
      const t = self as SqTable;
      const out = new SqTable();
      eachSlot(t, (k, v) => {
        if (truthy(call(args[0], t, [k, v]))) tableSet(out, k, v);
      });
      return out;
    }),
    native("map", 2, "tc", (self, args) => {
      const t = self as SqTable;
      const out: unknown[] = [];
      eachSlot(t, (k, v) => {
        out.push(call(args[0], t, [k, v]));
      });
      return out;
    }),
    native("keys", 1, "t", (self) => tableKeys(self as SqTable)),
    native("values", 1, "t", (self) => {
      const out: unknown[] = [];
      eachSlot(self as SqTable, (_k, v) => out.push(v));
      return out;
    }),
  ]);
}
