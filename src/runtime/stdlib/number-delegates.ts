// The default delegate of integers, floats and bools: the reference gives all three the same
// one (squirrel/sqbaselib.cpp, _number_default_delegate_funcz; sqvm.cpp picks it for OT_BOOL too).

import { native, nativeTable } from "../native.ts";
import { float } from "../values.ts";
import type { SqTable } from "../values.ts";
import { toFloatValue, toInteger } from "./clib.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

export function numberDelegate(): SqTable {
  return nativeTable([
    native("tointeger", 1, "n|b", (self) => toInteger(self)),
    native("tofloat", 1, "n|b", (self) => float(toFloatValue(self))),
    tostringNative(),
    // (SQChar)n: the low byte.
    native("tochar", 1, "n|b", (self) => String.fromCharCode(toInteger(self) & 0xff)),
    weakrefNative(),
  ]);
}
