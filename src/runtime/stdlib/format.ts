// format(): Squirrel's printf (sqstdlib/sqstdstring.cpp, sqstd_format) and the C printf
// conversions it hands each directive to, for a 32-bit int and a float promoted to double.
// Floats are printed from their exact binary value and rounded half to even, as glibc does.

import { sqError } from "../errors.ts";
import { SqFloat } from "../values.ts";
import { floatToInt } from "./conversions.ts";
import { cString } from "./string-delegate.ts";

/** Limits of the reference (sqstdstring.cpp): 2 digits of width, 2 of precision, 20 chars of spec. */
const MAX_DIGITS = 2;
const MAX_SPEC_LEN = 20;

export interface FormatSpec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  hash: boolean;
  zero: boolean;
  width: number;
  /** null when the directive gives none. */
  precision: number | null;
}

// ---- exact decimal digits of a double ------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Float64Array and Uint32Array share the platform's byte order; find where the high word is.
const HI = (() => {
  f64[0] = 1;
  return u32[1] === 0x3ff00000 ? 1 : 0;
})();

/** |x| = mant * 2^exp, for finite x. */
function decompose(x: number): { mant: bigint; exp: number } {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[1 - HI]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { mant, exp: -1074 };
  mant |= 1n << 52n;
  return { mant, exp: biased - 1075 };
}

/** True when the sign bit of x is set (also for -0 and a negative NaN). */
function signBit(x: number): boolean {
  f64[0] = x;
  return (u32[HI]! >>> 31) === 1;
}

const pow10cache: bigint[] = [];
function pow10(n: number): bigint {
  let p = pow10cache[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    pow10cache[n] = p;
  }
  return p;
}

/** |x| * 10^p10 as a fraction. */
function scaled(x: number, p10: number): [bigint, bigint] {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (p10 >= 0) num *= pow10(p10);
  else den *= pow10(-p10);
  return [num, den];
}

/** num/den rounded to the nearest integer, ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Digits of |x| with `prec` decimals: [integer part, fraction]. */
function fixedDigits(x: number, prec: number): [string, string] {
  const [num, den] = scaled(x, prec);
  const s = roundHalfEven(num, den).toString().padStart(prec + 1, "0");
  return [s.slice(0, s.length - prec), s.slice(s.length - prec)];
}

/** |x| as d.ddd × 10^exp with `prec` decimals: the prec+1 digits and the exponent. */
function expDigits(x: number, prec: number): { digits: string; exp: number } {
  if (x === 0) return { digits: "0".repeat(prec + 1), exp: 0 };
  const lo = pow10(prec);
  const hi = pow10(prec + 1);
  let k = Math.floor(Math.log10(Math.abs(x)));
  for (;;) {
    const [num, den] = scaled(x, prec - k);
    const q = num / den;
    if (q >= hi) {
      k++;
      continue;
    }
    if (q < lo) {
      k--;
      continue;
    }
    let n = roundHalfEven(num, den);
    if (n === hi) {
      n = lo;
      k++;
    }
    return { digits: n.toString(), exp: k };
  }
}

function expSuffix(exp: number, upper: boolean): string {
  const e = Math.abs(exp).toString().padStart(2, "0");
  return (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + e;
}

function fixedBody(x: number, prec: number, hash: boolean): string {
  const [int, frac] = fixedDigits(x, prec);
  return prec > 0 || hash ? `${int}.${frac}` : int;
}

function expBody(x: number, prec: number, hash: boolean, upper: boolean): string {
  const { digits, exp } = expDigits(x, prec);
  const mant = prec > 0 || hash ? `${digits[0]}.${digits.slice(1)}` : digits;
  return mant + expSuffix(exp, upper);
}

/** Removes trailing zeros of the fraction (and a bare point): %g without '#'. */
function trimFraction(s: string): string {
  if (!s.includes(".")) return s;
  return s.replace(/0+$/, "").replace(/\.$/, "");
}

function generalBody(x: number, precision: number, hash: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = expDigits(x, p - 1);
  if (p > exp && exp >= -4) {
    const s = fixedBody(x, p - 1 - exp, hash);
    return hash ? s : trimFraction(s);
  }
  let mant = p - 1 > 0 || hash ? `${digits[0]}.${digits.slice(1)}` : digits;
  if (!hash) mant = trimFraction(mant);
  return mant + expSuffix(exp, upper);
}

/** Pads `body` (after `prefix`: sign or 0x) to the width, with zeros between them when asked. */
function pad(prefix: string, body: string, spec: FormatSpec, zeroPad: boolean): string {
  const len = prefix.length + body.length;
  if (spec.width <= len) return prefix + body;
  const fill = spec.width - len;
  if (spec.minus) return prefix + body + " ".repeat(fill);
  if (zeroPad) return prefix + "0".repeat(fill) + body;
  return " ".repeat(fill) + prefix + body;
}

/** C printf of a double with %f, %e, %E, %g or %G. */
export function formatFloat(x: number, conv: string, spec: FormatSpec): string {
  const upper = conv === "E" || conv === "G";
  const neg = signBit(x);
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  if (!Number.isFinite(x)) {
    let body = Number.isNaN(x) ? "nan" : "inf";
    if (upper) body = body.toUpperCase();
    return pad(sign, body, spec, false);
  }
  const a = Math.abs(x);
  const prec = spec.precision ?? 6;
  let body: string;
  if (conv === "f") body = fixedBody(a, prec, spec.hash);
  else if (conv === "e" || conv === "E") body = expBody(a, prec, spec.hash, upper);
  else body = generalBody(a, prec, spec.hash, upper);
  return pad(sign, body, spec, spec.zero && !spec.minus);
}

/** C printf of a 32-bit int with %d, %i, %o, %u, %x or %X. */
export function formatInt(v: number, conv: string, spec: FormatSpec): string {
  let prefix = "";
  let digits: string;
  const u = v >>> 0;
  switch (conv) {
    case "d": case "i":
      digits = Math.abs(v).toString();
      prefix = v < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
      break;
    case "o": digits = u.toString(8); break;
    case "u": digits = u.toString(); break;
    case "x": digits = u.toString(16); break;
    default: digits = u.toString(16).toUpperCase(); break;
  }
  if (spec.precision !== null) {
    if (spec.precision === 0 && v === 0) digits = "";
    else digits = digits.padStart(spec.precision, "0");
  }
  if (spec.hash) {
    if (conv === "o" && !digits.startsWith("0")) digits = "0" + digits;
    if ((conv === "x" || conv === "X") && v !== 0) prefix = conv === "x" ? "0x" : "0X";
  }
  return pad(prefix, digits, spec, spec.zero && !spec.minus && spec.precision === null);
}

/** C printf of %s (the string ends at its first NUL) and %c. */
function formatText(s: string, spec: FormatSpec): string {
  return pad("", s, spec, false);
}

// ---- the directive parser of sqstd_format --------------------------------------------------

function isFlag(c: string | undefined): boolean {
  return c === "-" || c === "+" || c === " " || c === "#" || c === "0";
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** sq_getinteger: numbers (floats truncated) and bools. */
function intArg(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (v instanceof SqFloat) return floatToInt(v.v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** sq_getfloat: numbers only, as the float the reference holds. */
function floatArg(v: unknown): number | null {
  if (v instanceof SqFloat) return v.v;
  if (typeof v === "number") return Math.fround(v);
  return null;
}

/** Squirrel's format(fmt, ...): the reference's error texts and its limits on directives. */
export function sqFormat(fmt: string, args: unknown[]): string {
  let out = "";
  let n = 0;
  let nparam = 0;
  while (n < fmt.length) {
    const c = fmt[n]!;
    if (c !== "%") {
      out += c;
      n++;
      continue;
    }
    if (fmt[n + 1] === "%") {
      out += "%";
      n += 2;
      continue;
    }
    n++;
    if (nparam >= args.length) sqError("not enough parameters for the given format string");
    const start = n;
    const spec: FormatSpec = {
      minus: false, plus: false, space: false, hash: false, zero: false, width: 0, precision: null,
    };
    while (isFlag(fmt[n])) {
      const f = fmt[n];
      if (f === "-") spec.minus = true;
      else if (f === "+") spec.plus = true;
      else if (f === " ") spec.space = true;
      else if (f === "#") spec.hash = true;
      else spec.zero = true;
      n++;
    }
    let wc = 0;
    while (isDigit(fmt[n])) {
      spec.width = spec.width * 10 + Number(fmt[n]);
      n++;
      if (++wc > MAX_DIGITS) sqError("width format too long");
    }
    if (fmt[n] === ".") {
      n++;
      spec.precision = 0;
      wc = 0;
      while (isDigit(fmt[n])) {
        spec.precision = spec.precision * 10 + Number(fmt[n]);
        n++;
        if (++wc > MAX_DIGITS) sqError("precision format too long");
      }
    }
    if (n - start > MAX_SPEC_LEN) sqError("format too long");
    const conv = fmt[n];
    const arg = args[nparam];
    switch (conv) {
      case "s": {
        if (typeof arg !== "string") sqError("string expected for the specified format");
        let s = cString(arg);
        if (spec.precision !== null) s = s.slice(0, spec.precision);
        out += formatText(s, spec);
        break;
      }
      case "i": case "d": case "o": case "u": case "x": case "X": case "c": {
        const v = intArg(arg);
        if (v === null) sqError("integer expected for the specified format");
        out += conv === "c" ? formatText(String.fromCharCode(v & 0xff), spec) : formatInt(v, conv, spec);
        break;
      }
      case "f": case "g": case "G": case "e": case "E": {
        const v = floatArg(arg);
        if (v === null) sqError("float expected for the specified format");
        out += formatFloat(v, conv, spec);
        break;
      }
      default:
        sqError("invalid format");
    }
    n++;
    nparam++;
  }
  return out;
}
