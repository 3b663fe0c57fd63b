// The C library behaviour the reference leans on, shared by the delegates, format(), the
// math and string functions: strtol/strtod (squirrel/sqbaselib.cpp, str2num), isspace,
// NUL-terminated strings, and the casts between SQInteger (int32) and SQFloat (float32).

import { float, SqFloat } from "../values.ts";

/** The text a C function sees of a byte string: everything before the first NUL. */
export function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** C isspace() in the "C" locale. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/**
 * C `(int)f` for a float. The reference build is i386 with SSE, whose conversion gives
 * INT_MIN for NaN and for values outside the int range.
 */
export function floatToInt(x: number): number {
  if (!(x >= -2147483648 && x < 2147483648)) return -2147483648;
  return Math.trunc(x) | 0;
}

/** The reference's `tointeger(o)` on a number or bool (bools are 0/1). */
export function toInteger(v: unknown): number {
  if (typeof v === "number") return v;
  if (v instanceof SqFloat) return floatToInt(v.v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return 0;
}

/** The reference's `tofloat(o)` on a number, as a JS number rounded to float32. */
export function toFloatValue(v: unknown): number {
  if (v instanceof SqFloat) return v.v;
  if (typeof v === "number") return Math.fround(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return 0;
}

export interface Parsed {
  value: number;
  /** Index just past the last character used. */
  end: number;
}

/**
 * C strtol with a 32-bit long (i386): leading spaces, sign, "0x" for base 16 or 0, octal for
 * base 0; out-of-range results clamp to LONG_MIN/LONG_MAX. Null when nothing was converted.
 */
export function strtol(s: string, base: number): Parsed | null {
  // glibc returns 0 for a bad base without setting the end pointer; the reference then reads
  // an uninitialised pointer and takes the 0 as converted ("12".tointeger(1) is 0).
  if (base !== 0 && (base < 2 || base > 36)) return { value: 0, end: s.length };
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") {
    neg = s[i] === "-";
    i++;
  }
  const hasHexPrefix =
    s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && digitValue(s.charCodeAt(i + 2)) < 16;
  if ((base === 0 || base === 16) && hasHexPrefix) {
    base = 16;
    i += 2;
  } else if (base === 0) {
    base = s[i] === "0" ? 8 : 10;
  }
  const start = i;
  let mag = 0;
  while (i < s.length) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= base) break;
    if (mag <= 2147483648) mag = mag * base + d; // beyond that it clamps anyway
    i++;
  }
  if (i === start) return null;
  let value: number;
  if (neg) value = mag >= 2147483648 ? -2147483648 : -mag;
  else value = mag >= 2147483647 ? 2147483647 : mag;
  return { value, end: i };
}

const DEC_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?/;

/** C strtod: decimal or hexadecimal floats, inf/infinity, nan, nan(...). Null when nothing was converted. */
export function strtod(s: string): Parsed | null {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const rest = s.slice(i);
  const special = /^([+-]?)(infinity|inf|nan(?:\([0-9A-Za-z_]*\))?)/i.exec(rest);
  if (special) {
    const neg = special[1] === "-";
    const word = special[2]!.toLowerCase();
    const value = word.startsWith("nan") ? NaN : neg ? -Infinity : Infinity;
    return { value, end: i + special[0].length };
  }
  const hex = HEX_FLOAT.exec(rest);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? "").length > 0)) {
    const intDigits = hex[2]!;
    const fracDigits = hex[3] ?? "";
    const mant = BigInt("0x0" + intDigits + fracDigits);
    let exp = -4 * fracDigits.length;
    let len =
      hex[1]!.length + 2 + intDigits.length + (hex[3] !== undefined ? 1 + fracDigits.length : 0);
    if (hex[4] !== undefined) {
      exp += Number(hex[4]);
      len += 1 + hex[4].length;
    }
    let value = Number(mant) * Math.pow(2, exp);
    if (hex[1] === "-") value = -value;
    return { value, end: i + len };
  }
  const dec = DEC_FLOAT.exec(rest);
  if (!dec) return null;
  return { value: Number(dec[0]), end: i + dec[0].length };
}

/**
 * The reference's str2num: a string containing '.' (or 'e'/'E' when the base is at most 13)
 * is read with strtod as a float, any other with strtol as an integer. Null = cannot convert.
 */
export function str2num(s: string, base: number): number | SqFloat | null {
  s = cString(s); // nothing after a NUL byte is seen
  const eIsExponent = base <= 13;
  let isFloat = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "." || (eIsExponent && (c === "e" || c === "E"))) {
      isFloat = true;
      break;
    }
  }
  if (isFloat) {
    const r = strtod(s);
    return r === null ? null : float(r.value);
  }
  const r = strtol(s, base);
  // "-0" reads as the integer 0 (so "-0".tofloat() is 0.0, not -0.0)
  return r === null ? null : r.value | 0;
}
