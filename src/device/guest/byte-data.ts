// Bus data crosses the host boundary as byte strings (host-calls.ts); firmware passes strings or
// blobs. The blob type belongs to blob.ts (another file's concern), so a blob is recognised the
// way Squirrel code would — `typeof b == "blob"` — and read and made through its own methods.

import { call } from "../../runtime/call.ts";
import { sqError } from "../../runtime/errors.ts";
import { get, tableGet } from "../../runtime/access.ts";
import { typeofOp } from "../../runtime/type-ops.ts";
import { vm } from "../../runtime/state.ts";
import { SqFloat } from "../../runtime/values.ts";

export function isBlob(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof SqFloat) return false;
  return typeofOp(v) === "blob";
}

/** The bytes of a string or blob argument; `what` names the argument in the error. */
export function bytesOf(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (isBlob(v)) {
    const s = call(get(v, "tostring"), v, []);
    if (typeof s === "string") return s;
  }
  return sqError(`${what} must be a string or a blob`);
}

/** A new blob holding `bytes`, positioned at its start (as a blob read from a bus is). */
export function blobOf(bytes: string, what: string): unknown {
  const ctor = tableGet(vm.root, "blob");
  if (ctor === undefined) sqError(`${what}: blob is not emulated yet`);
  const b = call(ctor, vm.root, [bytes.length]);
  call(get(b, "writestring"), b, [bytes]);
  call(get(b, "seek"), b, [0]);
  return b;
}
