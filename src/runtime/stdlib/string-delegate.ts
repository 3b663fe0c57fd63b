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
// >= 0x80 (and make "\xff" two characters), so only an ASCII string is mapped whole. (QuickJS
// runs this anchored test in about two thirds of the time of a search for a high byte.)
const ASCII = /^[\0-\x7f]*$/;
const upper = (s: string): string =>
  ASCII.test(s) ? s.toUpperCase() : s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const lower = (s: string): string =>
  ASCII.test(s) ? s.toLowerCase() : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The reference's `s.find(needle, start)`: strstr from `start`; null when not found. */
function findFrom(s: string, needle: string, start: number): number | null {
  if (!(s.length > start && start >= 0)) return null;
  // strstr: both strings end at their first NUL. Rare, so looked for only where it matters:
  // in the needle, and in the text up to the end of a match (not in all the rest of it).
  if (needle.indexOf("\0") < 0) {
    const i = s.indexOf(needle, start);
    if (i < 0) return null;
    if (s.slice(start, i + needle.length).indexOf("\0") < 0) return i;
  }
  const i = cString(s.slice(start)).indexOf(cString(needle));
  return i < 0 ? null : start + i;
}

/**
 * The methods compiled code calls directly on a string (compiler-fast-paths.ts), with their
 * arguments in place of an array. Each gives undefined where its native would convert an
 * argument or raise an error: the compiled code then calls the native itself, so those
 * cases keep every check and message of the native call.
 */
export const stringFastPaths = {
  find(s: string, needle: unknown, start: unknown): number | null | undefined {
    if (start === undefined) start = 0;
    if (typeof needle !== "string" || typeof start !== "number") return undefined;
    return findFrom(s, needle, start);
  },
  slice(s: string, start: unknown, end: unknown): string | undefined {
    if (typeof start !== "number") return undefined;
    const len = s.length;
    let e = end === undefined ? len : typeof end === "number" ? end : NaN;
    let b = start;
    if (b < 0) b += len;
    if (e < 0) e += len;
    // NaN (an end that is no integer) fails here too
    if (!(b <= e && e <= len && b >= 0)) return undefined;
    return s.slice(b, e);
  },
  toupper: upper,
  tolower: lower,
};

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
    native("find", -2, "s s n", (self, args) =>
      findFrom(self as string, args[0] as string, args.length > 1 ? toInteger(args[1]) : 0),
    ),
    native("tolower", -1, "s n n", (self, args) => mapRange(self as string, args, lower)),
    native("toupper", -1, "s n n", (self, args) => mapRange(self as string, args, upper)),
    weakrefNative(),
  ]);
}
