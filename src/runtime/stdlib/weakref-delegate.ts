// The weakref default delegate (squirrel/sqbaselib.cpp, _weakref_default_delegate_funcz).

import { native, nativeTable } from "../native.ts";
import type { SqTable, SqWeakRef } from "../values.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

export function weakrefDelegate(): SqTable {
  return nativeTable([
    native("ref", 1, "r", (self) => (self as SqWeakRef).o),
    weakrefNative(),
    tostringNative(),
  ]);
}
