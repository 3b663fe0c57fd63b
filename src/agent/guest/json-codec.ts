// http.jsonencode / http.jsondecode (developer.electricimp.com /api/http/jsonencode,
// /api/http/jsondecode). Strings are byte strings: their bytes go out as they are (UTF-8 text stays
// UTF-8) with JSON's escapes for quotes, backslashes and control characters; \u escapes coming in
// become UTF-8 bytes.
//
// chosen (the exact spacing of the imp's default output is not published): the default form puts
// a space inside brackets and after ':' and ',' — `{ "a": 1, "b": [ 1, 2 ] }`; `{compact = true}`
// strips every space — `{"a":1,"b":[1,2]}`. Floats print as Squirrel's tostring() prints them.

import { tableGet, tableKeys } from "../../runtime/access.ts";
import { toStr } from "../../runtime/convert.ts";
import { sqError } from "../../runtime/errors.ts";
import { float, SqFloat, SqTable, typeOf } from "../../runtime/values.ts";
import { tableSet } from "../../runtime/access.ts";
import { isBlob } from "../../device/guest/blob.ts";
import { byteString } from "../../device/guest/squirrel-json.ts";

/** http.jsondecode refuses JSON nested deeper than this (developer.electricimp.com /api/http/jsondecode). */
export const JSON_DECODE_MAX_NESTING = 5;

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += s[i];
  }
  return out + '"';
}

/** An encoding problem at `path`; `skippable` ones are dropped by server.save format 1. */
export class JsonEncodeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

/**
 * JSON text of `value`. With `dropBad`, a slot that cannot be encoded is left out and reported
 * through it (server.save format 1) instead of failing the whole value.
 */
export function jsonEncode(
  value: unknown,
  compact: boolean,
  dropBad?: (e: JsonEncodeError) => void,
): string {
  const open = new Set<object>();
  const sep = compact ? "," : ", ";
  const colon = compact ? ":" : ": ";
  const pad = compact ? "" : " ";
  const check = (v: unknown, at: string): void => {
    if (
      v === null ||
      typeof v === "number" ||
      typeof v === "boolean" ||
      typeof v === "string" ||
      v instanceof SqFloat
    )
      return;
    if (Array.isArray(v) || v instanceof SqTable) return;
    if (isBlob(v))
      throw new JsonEncodeError(
        at,
        "is a blob: http.jsonencode cannot encode blobs (base64-encode them first)",
      );
    throw new JsonEncodeError(
      at,
      `is ${article(typeOf(v))}: JSON holds null, bools, numbers, strings, arrays and tables`,
    );
  };
  const encode = (v: unknown, at: string): string => {
    check(v, at);
    if (v === null) return "null";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (v instanceof SqFloat) {
      if (!Number.isFinite(v.v))
        throw new JsonEncodeError(at, `is ${toStr(v)}, which JSON cannot hold`);
      return toStr(v);
    }
    if (typeof v === "string") return quote(v);
    if (open.has(v as object)) throw new JsonEncodeError(at, "contains itself");
    open.add(v as object);
    const parts: string[] = [];
    let text: string;
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        try {
          parts.push(encode(e, `${at}[${i}]`));
        } catch (err) {
          if (!(err instanceof JsonEncodeError) || dropBad === undefined) throw err;
          dropBad(err);
        }
      });
      text = parts.length === 0 ? "[]" : `[${pad}${parts.join(sep)}${pad}]`;
    } else {
      const seen = new Set<string>();
      for (const k of tableKeys(v as SqTable)) {
        const key = typeof k === "string" ? k : toStr(k);
        const kp = `${at}.${key}`;
        try {
          if (seen.has(key))
            throw new JsonEncodeError(
              kp,
              `is a key twice once keys are text (both ${key} and "${key}"), which JSON cannot hold`,
            );
          seen.add(key);
          parts.push(`${quote(key)}${colon}${encode(tableGet(v as SqTable, k), kp)}`);
        } catch (err) {
          if (!(err instanceof JsonEncodeError) || dropBad === undefined) throw err;
          dropBad(err);
        }
      }
      text = parts.length === 0 ? "{}" : `{${pad}${parts.join(sep)}${pad}}`;
    }
    open.delete(v as object);
    return text;
  };
  return encode(value, "value");
}

/** The text of UTF-8 bytes, or null when they are not UTF-8. */
function utf8Text(bytes: string): string | null {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c < 0x80) {
      out += bytes[i];
      continue;
    }
    const more = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? (c <= 0xef ? 2 : -1) : c >= 0xc2 ? 1 : -1;
    if (more < 0 || i + more >= bytes.length) return null;
    let cp = c & (0x3f >> more);
    for (let k = 1; k <= more; k++) {
      const d = bytes.charCodeAt(i + k);
      if (!(d >= 0x80 && d <= 0xbf)) return null;
      cp = (cp << 6) | (d & 0x3f);
    }
    i += more;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Text as its UTF-8 bytes (one char per byte). */
function utf8Bytes(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
  if (ascii) return s;
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out += ch;
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000)
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else
      out += String.fromCharCode(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      );
  }
  return out;
}

/** A parsed JSON value as Squirrel; `maxNesting` containers deep at most (Infinity for none). */
export function jsonDecode(text: string, maxNesting: number): unknown {
  let parsed: unknown;
  let utf8 = true;
  try {
    // The bytes are UTF-8 text (JSON is): decoded first, so \u escapes and raw bytes agree.
    const decoded = utf8Text(text);
    utf8 = decoded !== null;
    parsed = JSON.parse(decoded ?? text);
  } catch (e) {
    sqError(`http.jsondecode(): not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const convert = (j: unknown, depth: number): unknown => {
    if (j === null) return null;
    switch (typeof j) {
      case "string":
        return utf8 ? utf8Bytes(j) : byteString(j);
      case "boolean":
        return j;
      case "number":
        return Number.isInteger(j) && j >= -0x80000000 && j <= 0x7fffffff ? j : float(j);
    }
    if (depth >= maxNesting)
      sqError(`http.jsondecode(): the JSON is nested more than ${maxNesting} levels deep`);
    if (Array.isArray(j)) return j.map((e) => convert(e, depth + 1));
    const t = new SqTable();
    for (const [k, v] of Object.entries(j as Record<string, unknown>))
      tableSet(t, utf8 ? utf8Bytes(k) : byteString(k), convert(v, depth + 1));
    return t;
  };
  return convert(parsed, 0);
}
