// Raising Squirrel errors from the runtime, with the reference interpreter's texts.
import { SqFloat, SqThrow, typeOf } from "./values.ts";
import { formatG } from "./convert.ts";

export function sqError(msg: string): never {
  throw new SqThrow(msg);
}

/** How a value appears inside an error message: numbers and strings (cut to 50 bytes) printed, others by type name. */
export function describeValue(v: unknown): string {
  if (typeof v === "string") return v.length > 50 ? v.slice(0, 50) : v;
  if (typeof v === "number") return String(v);
  if (v instanceof SqFloat) return formatG(v.v, 14);
  // everything else, bools and null included, appears as its type name (sqvm.cpp PrintObjVal)
  return typeOf(v);
}

export function indexError(key: unknown): never {
  sqError(`the index '${describeValue(key)}' does not exist`);
}
