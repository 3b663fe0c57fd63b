// rawget / rawset / rawin, shared by the table, class and instance delegates
// (squirrel/sqbaselib.cpp, container_rawget & co.; squirrel/sqapi.cpp, sq_rawget / sq_rawset).

import { rawGet, rawIn, tableGet, tableSet } from "../access.ts";
import { rawNewMember } from "../classes.ts";
import { describeValue, sqError } from "../errors.ts";
import { native } from "../native.ts";
import { isInstance, SqClass, SqTable } from "../values.ts";
import type { SqInstance, SqNative } from "../values.ts";

function rawHas(o: unknown, k: unknown): boolean {
  if (o instanceof SqTable) return tableGet(o, k) !== undefined;
  return rawIn(o, k);
}

export function rawgetNative(typemask: string): SqNative {
  return native("rawget", 2, typemask, (self, args) => {
    const k = args[0];
    if (self instanceof SqTable) {
      const v = tableGet(self, k);
      if (v !== undefined) return v;
    } else if (rawHas(self, k)) {
      return rawGet(self, k);
    }
    return sqError("the index doesn't exist");
  });
}

export function rawinNative(typemask: string): SqNative {
  return native("rawin", 2, typemask, (self, args) => rawHas(self, args[0]));
}

/** True when `k` names a field (not a method) of the instance's class. */
function isField(inst: SqInstance, k: unknown): boolean {
  return typeof k === "string" && inst.fs[`$${k}`] === 1;
}

export function rawsetNative(typemask: string): SqNative {
  return native("rawset", 3, typemask, (self, args) => {
    const [k, v] = args;
    if (k === null) sqError("null key");
    if (self instanceof SqTable) {
      tableSet(self, k, v);
    } else if (self instanceof SqClass) {
      // The reference ignores the refusal of a locked class to take a new field (sq_rawset).
      if (!self.locked || typeof v === "function") rawNewMember(self, k, v, null, false);
    } else if (isInstance(self)) {
      if (!isField(self, k)) sqError(`the index '${describeValue(k)}' does not exist`);
      (self as unknown as Record<string, unknown>)[`$${k as string}`] = v;
    }
    return self;
  });
}
