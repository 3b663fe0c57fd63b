// The `nv` table (/api/nv): not pre-created — firmware makes a global table named `nv`
// (`if (!("nv" in getroottable())) nv <- {...}`); impOS saves it just before deep sleep and
// re-creates it on the wake. Which boots get it back is the host's business (nvram.ts); here it
// is turned into tagged JSON (squirrel-json.ts, so 1 and 1.0 and nested tables survive) and back.

import { tableGet, tableSet } from "../../runtime/access.ts";
import { sqError } from "../../runtime/errors.ts";
import { SqTable, typeOf } from "../../runtime/values.ts";
import { article, decodeSquirrel, encodeSquirrel, UnencodableValue } from "./squirrel-json.ts";

const NV = "nv";

/** What nv can keep, for the error text. */
const STORABLE = "nv keeps tables, arrays, strings, integers, floats, bools and null";

/** Re-creates `nv` from the image the host kept, or leaves it absent (null: a boot that does not keep it). */
export function restoreNv(root: SqTable, image: string | null): void {
  if (image === null) return;
  tableSet(root, NV, decodeSquirrel(image));
}

/**
 * The image of `nv` for deep sleep, or null when firmware never made it. chosen (the imp's text
 * is not known): a value nv cannot keep is a Squirrel error raised by the sleep call, naming it:
 * "cannot save nv: nv.handler is a function (nv keeps …)".
 */
export function saveNv(root: SqTable): string | null {
  const nv = tableGet(root, NV);
  if (nv === undefined) return null;
  if (!(nv instanceof SqTable))
    sqError(`cannot save nv: nv is ${article(typeOf(nv))}, not a table (${STORABLE})`);
  try {
    return encodeSquirrel(nv, NV);
  } catch (e) {
    if (e instanceof UnencodableValue) sqError(`cannot save nv: ${e.message} (${STORABLE})`);
    throw e;
  }
}

/**
 * The image of `nv` for server.restart(), which never fails: a VM restart does not keep nv on the
 * imp as far as the documentation knows (/api/nv ⚠, nvram.ts), so an nv that cannot be saved is
 * simply not passed on.
 */
export function nvForRestart(root: SqTable): string | null {
  const nv = tableGet(root, NV);
  if (!(nv instanceof SqTable)) return null;
  try {
    return encodeSquirrel(nv, NV);
  } catch (e) {
    if (e instanceof UnencodableValue) return null;
    throw e;
  }
}
