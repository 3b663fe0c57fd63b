// The string default delegate (squirrel/sqbaselib.cpp, _string_default_delegate_funcz).
// Strings are byte strings: one char code 0..255 per byte.

import { sqError } from "../errors.ts";
import { native, nativeTable } from "../native.ts";
import { float } from "../values.ts";
import type { SqFloat, SqTable } from "../values.ts";
import { cString, str2num, toFloatValue, toInteger } from "./clib.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

/** Resolves slice-style bounds (negative counts from the end); reference get_slice_params. */
export function sliceBounds(len: number, args: unknown[]): [number, number] {
  let start = args.length > 0 && args[0] !== null ? toInteger(args[0]) : 0;
  let end = args.length > 1 ? toInteger(args[1]) : len;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (end < start) sqError("wrong indexes");
  if (end > len || start < 0) sqError("slice out of range");
  return [start, end];
}

/** Applies `f` to s[start:end] (slice-style bounds); the rest stays as it is. */
function mapRange(s: string, args: unknown[], f: (part: string) => string): string {
  const [start, end] = sliceBounds(s.length, args);
  return s.slice(0, start) + f(s.slice(start, end)) + s.slice(end);
}

// C toupper/tolower in the "C" locale: ASCII letters only. JS case mapping would also touch bytes
// >= 0x80 (and make "\xff" two characters), so only a string without them is mapped whole.
const HIGH_BYTE = /[\x80-\xff]/;
const upper = (s: string): string =>
  HIGH_BYTE.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s.toUpperCase();
const lower = (s: string): string =>
  HIGH_BYTE.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();

function toNumber(s: string, base: number): number | SqFloat {
  const r = str2num(s, base);
  if (r === null) sqError("cannot convert the string");
  return r;
}

export function stringDelegate(): SqTable {
  return nativeTable([
    native("len", 1, "s", (self) => (self as string).length),
    native("tointeger", -1, "sn", (self, args) => {
      const base = args.length > 0 ? toInteger(args[0]) : 10;
      return toInteger(toNumber(self as string, base));
    }),
    native("tofloat", 1, "s", (self) => float(toFloatValue(toNumber(self as string, 10)))),
    tostringNative(),
    native("slice", -1, "s n  n", (self, args) => {
      const s = self as string;
      const [start, end] = sliceBounds(s.length, args);
      return s.slice(start, end);
    }),
    native("find", -2, "s s n", (self, args) => {
      const s = self as string;
      const start = args.length > 1 ? toInteger(args[1]) : 0;
      if (!(s.length > start && start >= 0)) return null;
      const needle = args[0] as string;
      // strstr: both strings end at their first NUL (rare: look for one only when it matters).
      const i =
        s.indexOf("\0", start) < 0 && needle.indexOf("\0") < 0
          ? s.indexOf(needle, start) - start
          : cString(s.slice(start)).indexOf(cString(needle));
      return i < 0 ? null : start + i;
    }),
    native("tolower", -1, "s n n", (self, args) => mapRange(self as string, args, lower)),
    native("toupper", -1, "s n n", (self, args) => mapRange(self as string, args, upper)),
    weakrefNative(),
  ]);
}
