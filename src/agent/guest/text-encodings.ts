// http.urlencode / urldecode (RFC 3986 §2.1–2.3: unreserved bytes as they are, every other byte
// as %XX; developer.electricimp.com /api/http/urlencode) and http.base64encode / base64decode
// (RFC 4648; /api/http/base64encode, /api/http/base64decode). Strings are byte strings.

import { tableGet, tableKeys, tableSet } from "../../runtime/access.ts";
import { toStr } from "../../runtime/convert.ts";
import { sqError } from "../../runtime/errors.ts";
import { SqFloat, SqTable, typeOf } from "../../runtime/values.ts";

const UNRESERVED = /[A-Za-z0-9\-._~]/;

export function percentEncode(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    out += UNRESERVED.test(ch)
      ? ch
      : "%" + (s.charCodeAt(i) & 0xff).toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** %XX → byte; `+` → space (form encoding, as browsers send it). Malformed escapes stay as they are. */
export function percentDecode(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "+") out += " ";
    else if (ch === "%" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += ch;
  }
  return out;
}

function scalarText(v: unknown, at: string): string {
  if (typeof v === "string" || typeof v === "number" || v instanceof SqFloat) return toStr(v);
  return sqError(
    `http.urlencode(): ${at} is ${typeOf(v)}; values must be strings, integers, floats or flat arrays of them`,
  );
}

export function urlEncode(t: SqTable): string {
  const parts: string[] = [];
  for (const k of tableKeys(t)) {
    const key = percentEncode(toStr(k));
    const v = tableGet(t, k);
    const values = Array.isArray(v) ? v : [v];
    for (const e of values)
      parts.push(`${key}=${percentEncode(scalarText(e, `the value of '${toStr(k)}'`))}`);
  }
  return parts.join("&");
}

/** chosen: a key given more than once becomes an array of its values, the inverse of urlencode. */
export function urlDecode(s: string): SqTable {
  const t = new SqTable();
  for (const part of s.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = percentDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : percentDecode(part.slice(eq + 1));
    const known: unknown = tableKeys(t).includes(key) ? tableGet(t, key) : undefined;
    if (known === undefined) tableSet(t, key, value);
    else if (Array.isArray(known)) known.push(value);
    else tableSet(t, key, [known, value]);
  }
  return t;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64Encode(bytes: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes.charCodeAt(i) & 0xff;
    const b = i + 1 < bytes.length ? bytes.charCodeAt(i + 1) & 0xff : 0;
    const c = i + 2 < bytes.length ? bytes.charCodeAt(i + 2) & 0xff : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : "=";
  }
  return out;
}

/** The decoded bytes, or "" when `text` is not base64 (the imp gives an empty blob, no error). */
export function base64Decode(text: string): string {
  const s = text.replace(/[\r\n\t ]/g, "");
  if (s.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return "";
  const clean = s.replace(/=+$/, "");
  let out = "";
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | ALPHABET.indexOf(clean[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}
