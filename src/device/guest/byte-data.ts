// Bus data crosses the host boundary as byte strings (host-calls.ts); firmware passes strings or
// blobs (blob.ts), and gets back what it passed: a string for a string, a blob for a blob.

import { sqError } from "../../runtime/errors.ts";
import { blobToByteString } from "./blob.ts";

export { isBlob, newBlob } from "./blob.ts";

/** The bytes of a string or blob argument; `what` names the argument in the error. */
export function bytesOf(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  const bytes = blobToByteString(v);
  if (bytes === undefined) sqError(`${what} must be a string or a blob`);
  return bytes;
}
