// C printf's %f, %e and %g of a double, digit for digit as glibc prints them: from the exact
// binary value, rounded half to even. Used by format() and fit for tostring()'s "%g".

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
  return u32[HI]! >>> 31 === 1;
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

/** True when |x| * 10^prec ends exactly in .5: then |x| * 2^(prec+1) is an odd integer. */
function isTie(x: number, prec: number): boolean {
  const y = x * Math.pow(2, prec + 1);
  return Number.isInteger(y) && y % 2 === 1;
}

/** Digits of |x| with `prec` decimals: [integer part, fraction]. */
function fixedDigits(x: number, prec: number): [string, string] {
  // toFixed is exact but rounds ties away from zero; C rounds them to even.
  if (x < 1e21 && !isTie(x, prec)) {
    const s = x.toFixed(prec);
    const dot = s.indexOf(".");
    return dot < 0 ? [s, ""] : [s.slice(0, dot), s.slice(dot + 1)];
  }
  const [num, den] = scaled(x, prec);
  const s = roundHalfEven(num, den)
    .toString()
    .padStart(prec + 1, "0");
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
export function pad(prefix: string, body: string, spec: FormatSpec, zeroPad: boolean): string {
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

/** C `%.{precision}g` (how the reference prints floats: tostring uses 6, error messages 14). */
export function printfG(x: number, precision = 6): string {
  return formatFloat(x, "g", {
    minus: false,
    plus: false,
    space: false,
    hash: false,
    zero: false,
    width: 0,
    precision,
  });
}
