// Squirrel's conversions of values to text: tostring(), print, string concatenation.
import {
  SqClass,
  SqFloat,
  SqGenerator,
  SqInstance,
  SqTable,
  SqThread,
  SqWeakRef,
} from "./values.ts";
import { metamethod } from "./metamethods.ts";
import { callMeta } from "./call.ts";
import { printfG } from "./stdlib/printf-float.ts";

/** C printf `%.{precision}g` of a number, as the reference prints floats (exact rounding). */
export function formatG(x: number, precision = 6): string {
  return printfG(x, precision);
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
    case "string":
      return v;
    case "number":
      return String(v);
    case "boolean":
      return v ? "true" : "false";
    case "function":
      return address("function", v);
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
