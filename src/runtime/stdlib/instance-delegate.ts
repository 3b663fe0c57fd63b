// The instance default delegate (squirrel/sqbaselib.cpp, _instance_default_delegate_funcz).

import { native, nativeTable } from "../native.ts";
import type { SqInstance, SqTable } from "../values.ts";
import { rawgetNative, rawinNative, rawsetNative } from "./container-members.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

export function instanceDelegate(): SqTable {
  return nativeTable([
    native("getclass", 1, "x", (self) => (self as SqInstance).c),
    rawgetNative("x"),
    rawsetNative("x"),
    rawinNative("x"),
    weakrefNative(),
    tostringNative(),
  ]);
}
