// format(): Squirrel's printf (sqstdlib/sqstdstring.cpp, sqstd_format) and the C printf
// conversions it hands each directive to, for a 32-bit int and a float promoted to double.

import { sqError } from "../errors.ts";
import { SqFloat } from "../values.ts";
import { cString, floatToInt } from "./clib.ts";
import { formatFloat, pad, type FormatSpec } from "./printf-float.ts";

/** Limits of the reference (sqstdstring.cpp): 2 digits of width, 2 of precision, 20 chars of spec. */
const MAX_DIGITS = 2;
const MAX_SPEC_LEN = 20;

/** C printf of a 32-bit int with %d, %i, %o, %u, %x or %X. */
export function formatInt(v: number, conv: string, spec: FormatSpec): string {
  let prefix = "";
  let digits: string;
  const u = v >>> 0;
  switch (conv) {
    case "d":
    case "i":
      digits = Math.abs(v).toString();
      prefix = v < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
      break;
    case "o":
      digits = u.toString(8);
      break;
    case "u":
      digits = u.toString();
      break;
    case "x":
      digits = u.toString(16);
      break;
    default:
      digits = u.toString(16).toUpperCase();
      break;
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
      minus: false,
      plus: false,
      space: false,
      hash: false,
      zero: false,
      width: 0,
      precision: null,
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
      case "i":
      case "d":
      case "o":
      case "u":
      case "x":
      case "X":
      case "c": {
        const v = intArg(arg);
        if (v === null) sqError("integer expected for the specified format");
        out +=
          conv === "c" ? formatText(String.fromCharCode(v & 0xff), spec) : formatInt(v, conv, spec);
        break;
      }
      case "f":
      case "g":
      case "G":
      case "e":
      case "E": {
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
