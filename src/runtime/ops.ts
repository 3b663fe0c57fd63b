// Squirrel operators on values whose types the compiler could not prove.
// The compiler emits plain JS for int32 operands and calls these otherwise.
import { SqFloat, SqInstance, SqTable, typeOf, float } from "./values.ts";
import { sqError, describeValue } from "./errors.ts";
import { toStr, objectId } from "./convert.ts";
import { metamethod } from "./metamethods.ts";
import { callMeta } from "./call.ts";

export function truthy(v: unknown): boolean {
  return (
    v !== null && v !== false && v !== 0 && v !== undefined && !(v instanceof SqFloat && v.v === 0)
  );
}

/**
 * Squirrel `==`: numbers by value across integer/float (the integer made a 32-bit float
 * first, as C compares an int with a float), floats as floats (NaN is not equal to itself),
 * strings by value, everything else by identity.
 */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return !(a instanceof SqFloat) || a.v === a.v;
  if (a instanceof SqFloat) {
    if (b instanceof SqFloat) return a.v === b.v;
    return typeof b === "number" && a.v === Math.fround(b);
  }
  if (b instanceof SqFloat) return typeof a === "number" && Math.fround(a) === b.v;
  return false;
}

/** A number operand as the reference's float arithmetic sees it: integers become 32-bit floats. */
function num(v: unknown): number | undefined {
  if (typeof v === "number") return Math.fround(v);
  if (v instanceof SqFloat) return v.v;
  return undefined;
}

/** Squirrel's three-way comparison (the `<=>` operator and the base of `< <= > >=`). */
export function cmp(a: unknown, b: unknown): number {
  const ta = typeof a,
    tb = typeof b;
  if (ta === "number" && tb === "number")
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ta === "string" && tb === "string")
    return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  const na = num(a),
    nb = num(b);
  if (na !== undefined && nb !== undefined) {
    // sqvm.cpp ObjCmp: two floats are equal only with the same bits (so -0.0 and 0.0 are
    // not), otherwise `a < b ? -1 : 1`, which puts NaN above everything
    if (a instanceof SqFloat && b instanceof SqFloat)
      return Object.is(na, nb) ? 0 : na < nb ? -1 : 1;
    return na === nb ? 0 : na < nb ? -1 : 1;
  }
  const typeA = typeOf(a);
  if (typeA === typeOf(b)) {
    if (a === b) return 0;
    if (a instanceof SqInstance || a instanceof SqTable) {
      const mm = metamethod(a, "_cmp");
      if (mm !== undefined) {
        const r = callMeta(mm, a, [b]);
        if (typeof r !== "number") sqError("_cmp must return an integer");
        return r < 0 ? -1 : r > 0 ? 1 : 0;
      }
    }
    if (typeA === "bool") return a ? 1 : -1;
    if (typeof a === "object" || typeof a === "function")
      return objectId(a as object) < objectId(b as object) ? -1 : 1;
  }
  if (a === null) return -1;
  if (b === null) return 1;
  sqError(`comparison between '${describeValue(a)}' and '${describeValue(b)}'`);
}

export function lt(a: unknown, b: unknown): boolean {
  return cmp(a, b) < 0;
}
export function le(a: unknown, b: unknown): boolean {
  return cmp(a, b) <= 0;
}
export function gt(a: unknown, b: unknown): boolean {
  return cmp(a, b) > 0;
}
export function ge(a: unknown, b: unknown): boolean {
  return cmp(a, b) >= 0;
}

const metaNames: Record<string, string> = {
  "+": "_add",
  "-": "_sub",
  "*": "_mul",
  "/": "_div",
  "%": "_modulo",
};

function arithError(op: string, a: unknown, b: unknown): never {
  sqError(`arith op ${op} on between '${typeOf(a)}' and '${typeOf(b)}'`);
}

/** Arithmetic on non-integer operands: floats, string concatenation, metamethods. */
function arith(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof SqInstance || a instanceof SqTable) {
    const mm = metamethod(a, metaNames[op]!);
    if (mm !== undefined) return callMeta(mm, a, [b]);
  }
  const x = num(a),
    y = num(b);
  if (x === undefined || y === undefined) arithError(op, a, b);
  if (typeof a === "number" && typeof b === "number") {
    switch (op) {
      case "+":
        return (a + b) | 0;
      case "-":
        return (a - b) | 0;
      case "*":
        return Math.imul(a, b);
      case "/":
        if (b === 0) sqError("division by zero");
        return (a / b) | 0;
      case "%":
        if (b === 0) sqError("division by zero");
        return (a % b) | 0;
    }
  }
  switch (op) {
    case "+":
      return float(x + y);
    case "-":
      return float(x - y);
    case "*":
      return float(x * y);
    case "/":
      return float(x / y);
    default:
      return float(x % y);
  }
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return (a + b) | 0;
  if (typeof a === "string") return a + (typeof b === "string" ? b : toStr(b));
  if (typeof b === "string") return toStr(a) + b;
  return arith("+", a, b);
}
export function sub(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return (a - b) | 0;
  return arith("-", a, b);
}
export function mul(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return Math.imul(a, b);
  return arith("*", a, b);
}
export function div(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) sqError("division by zero");
    return (a / b) | 0;
  }
  return arith("/", a, b);
}
export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") {
    if (b === 0) sqError("division by zero");
    return (a % b) | 0;
  }
  return arith("%", a, b);
}

/** String concatenation where the left operand is known to be a string. */
export function concat(a: string, b: unknown): string {
  return a + (typeof b === "string" ? b : toStr(b));
}

export function unm(a: unknown): unknown {
  if (typeof a === "number") return -a | 0;
  if (a instanceof SqFloat) return float(-a.v);
  if (a instanceof SqInstance || a instanceof SqTable) {
    const mm = metamethod(a, "_unm");
    if (mm !== undefined) return callMeta(mm, a, []);
  }
  sqError(`attempt to negate a ${typeOf(a)}`);
}

function bitwiseError(a: unknown, b: unknown): never {
  sqError(`bitwise op between '${typeOf(a)}' and '${typeOf(b)}'`);
}

export function bitop(op: string, a: unknown, b: unknown): number {
  if (typeof a !== "number" || typeof b !== "number") bitwiseError(a, b);
  switch (op) {
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "<<":
      return a << b;
    case ">>":
      return a >> b;
    default:
      return (a >>> b) | 0;
  }
}

export function bitnot(a: unknown): number {
  if (typeof a !== "number") sqError(`attempt to perform a bitwise op on a ${typeOf(a)}`);
  return ~a;
}
