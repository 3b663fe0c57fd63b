// Squirrel's conversions of values to text: tostring(), print, string concatenation.
import {
  SqClass, SqFloat, SqGenerator, SqInstance, SqTable, SqThread, SqWeakRef,
} from "./values.ts";
import { metamethod } from "./metamethods.ts";
import { callMeta } from "./call.ts";

/** C printf `%.{precision}g` of a number, as the reference prints floats. */
export function formatG(x: number, precision = 6): string {
  if (x !== x) return x < 0 ? "-nan" : "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const p = precision === 0 ? 1 : precision;
  const exp = x.toExponential(p - 1); // d.ddde+X, rounded to p significant digits
  const e = Number(exp.slice(exp.indexOf("e") + 1));
  if (e < -4 || e >= p) {
    let mant = exp.slice(0, exp.indexOf("e"));
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const sign = e < 0 ? "-" : "+";
    const abs = Math.abs(e);
    return `${mant}e${sign}${abs < 10 ? "0" + abs : abs}`;
  }
  let fixed = x.toFixed(Math.max(0, p - 1 - e));
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}

// Objects print with an address in the reference; here a stable per-object number stands in.
const ids = new WeakMap<object, number>();
let nextId = 1;
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

function address(kind: string, o: object): string {
  return `(${kind} : 0x${objectId(o).toString(16).padStart(8, "0")})`;
}

/** Squirrel `tostring()`: honours `_tostring` on instances and on tables' delegates. */
export function toStr(v: unknown): string {
  switch (typeof v) {
    case "string": return v;
    case "number": return String(v);
    case "boolean": return v ? "true" : "false";
    case "function": return address("function", v);
  }
  if (v === null || v === undefined) return "null";
  if (v instanceof SqFloat) return formatG(v.v);
  if (v instanceof SqInstance || v instanceof SqTable) {
    const mm = metamethod(v, "_tostring");
    if (mm !== undefined) {
      const s = callMeta(mm, v, []);
      if (typeof s === "string") return s;
      return toStr(s);
    }
    return address(v instanceof SqTable ? "table" : "instance", v as object);
  }
  if (Array.isArray(v)) return address("array", v);
  if (v instanceof SqClass) return address("class", v);
  if (v instanceof SqGenerator) return address("generator", v);
  if (v instanceof SqThread) return address("thread", v);
  if (v instanceof SqWeakRef) return address("weakref", v);
  return address("userdata", v as object);
}
