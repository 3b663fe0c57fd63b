// Squirrel values as JSON, for data that leaves this VM and comes back as Squirrel: the `nv`
// table across deep sleep (/api/nv) and agent.send payloads (/api/agent/send). Squirrel tells 1 from
// 1.0 and allows keys of any scalar type, which plain JSON cannot carry, so the form is tagged:
//
//   null, true, false, 5, "bytes"   as themselves (strings are byte strings)
//   1.5                             {"f":1.5}    NaN and infinities: {"f":"nan"|"inf"|"-inf"}
//   [a, b]                          [a, b]
//   {k = v, ...}                    {"t":[[k, v], ...]}
//   a blob (agent.send only)        {"b":"bytes"}
//
// Plain JSON from the host (configparams, callback arguments) is read by fromHostJson instead.

import { tableGet, tableKeys, tableSet } from "../../runtime/access.ts";
import { float, SqFloat, SqTable, typeOf } from "../../runtime/values.ts";
import { blobToByteString, newBlob } from "./blob.ts";

/** Deeper than this is refused (and a cycle is found before it): the imp's nv holds under 4 KB anyway. */
export const MAX_DEPTH = 32;

/** A value the tagged form cannot carry; `path` names it from the root (`nv.config.cb`). */
export class UnencodableValue extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { f: number | string }
  | { t: [Json, Json][] }
  | { b: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function childPath(path: string, key: unknown): string {
  if (typeof key === "string" && IDENTIFIER.test(key)) return `${path}.${key}`;
  return `${path}[${typeof key === "string" ? JSON.stringify(key) : describeKey(key)}]`;
}

function describeKey(key: unknown): string {
  if (key instanceof SqFloat) return String(key.v);
  return String(key);
}

/** "a function", "an instance": a type name with its article, for error texts. */
export function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function encodeFloat(v: number): Json {
  if (Number.isNaN(v)) return { f: "nan" };
  if (v === Infinity) return { f: "inf" };
  if (v === -Infinity) return { f: "-inf" };
  return { f: v };
}

/**
 * The tagged JSON text of `value`; `path` is its name in errors. Throws UnencodableValue.
 * `blobs`: blobs are carried (agent messages: "blobs are serialisable", /api/agent/send); nv keeps none.
 */
export function encodeSquirrel(
  value: unknown,
  path: string,
  { blobs = false }: { blobs?: boolean } = {},
): string {
  const open = new Set<object>();
  const encode = (v: unknown, at: string, depth: number): Json => {
    switch (typeof v) {
      case "number":
      case "string":
      case "boolean":
        return v;
    }
    if (v === null) return null;
    if (v instanceof SqFloat) return encodeFloat(v.v);
    if (blobs) {
      const bytes = blobToByteString(v);
      if (bytes !== undefined) return { b: bytes };
    }
    const isArray = Array.isArray(v);
    if (!isArray && !(v instanceof SqTable))
      throw new UnencodableValue(at, `is ${article(typeOf(v))}`);
    if (open.has(v as object)) throw new UnencodableValue(at, "contains itself");
    if (depth >= MAX_DEPTH) throw new UnencodableValue(at, `is nested more than ${MAX_DEPTH} deep`);
    open.add(v as object);
    let out: Json;
    if (isArray) {
      out = (v as unknown[]).map((e, i) => encode(e, `${at}[${i}]`, depth + 1));
    } else {
      const t = v as SqTable;
      const slots: [Json, Json][] = [];
      for (const k of tableKeys(t)) {
        const kp = childPath(at, k);
        if (!(
          typeof k === "string" ||
          typeof k === "number" ||
          typeof k === "boolean" ||
          k instanceof SqFloat
        )) {
          throw new UnencodableValue(kp, `has ${article(typeOf(k))} as its key`);
        }
        slots.push([encode(k, kp, depth + 1), encode(tableGet(t, k), kp, depth + 1)]);
      }
      out = { t: slots };
    }
    open.delete(v as object);
    return out;
  };
  return JSON.stringify(encode(value, path, 0));
}

function decodeFloat(f: unknown): SqFloat {
  if (typeof f === "number") return float(f);
  if (f === "nan") return float(NaN);
  if (f === "inf") return float(Infinity);
  if (f === "-inf") return float(-Infinity);
  throw new Error(`not a tagged float: ${JSON.stringify(f)}`);
}

function decodeJson(j: unknown): unknown {
  switch (typeof j) {
    case "string":
    case "boolean":
      return j;
    case "number":
      return Number.isInteger(j) ? j | 0 : float(j);
  }
  if (j === null) return null;
  if (Array.isArray(j)) return j.map(decodeJson);
  if (typeof j === "object") {
    const o = j as Record<string, unknown>;
    if ("f" in o) return decodeFloat(o.f);
    if (typeof o.b === "string") return newBlob(o.b);
    if (Array.isArray(o.t)) {
      const t = new SqTable();
      for (const pair of o.t as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2)
          throw new Error("a tagged table slot is not a [key, value] pair");
        tableSet(t, decodeJson(pair[0]), decodeJson(pair[1]));
      }
      return t;
    }
  }
  throw new Error(`not a Squirrel value in tagged JSON: ${JSON.stringify(j)}`);
}

/** The Squirrel value of tagged JSON text (from encodeSquirrel, here or in another VM). */
export function decodeSquirrel(text: string): unknown {
  return decodeJson(JSON.parse(text));
}

/** The Squirrel value of an already parsed tagged JSON value. */
export function decodeSquirrelJson(j: unknown): unknown {
  return decodeJson(j);
}

/** Text from outside the VM as the byte string Squirrel holds: UTF-8 where it is not bytes already. */
export function byteString(s: string): string {
  let bytes = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) {
      bytes = false;
      break;
    }
  }
  if (bytes) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out += String.fromCharCode(c);
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

/**
 * Plain JSON from the host as Squirrel: objects become tables with string keys, integral numbers
 * in the 32-bit range integers, other numbers floats.
 */
export function fromHostJson(j: unknown): unknown {
  switch (typeof j) {
    case "string":
      return byteString(j);
    case "boolean":
      return j;
    case "number":
      return Number.isInteger(j) && j >= -0x80000000 && j <= 0x7fffffff ? j : float(j);
  }
  if (j === null || j === undefined) return null;
  if (Array.isArray(j)) return j.map(fromHostJson);
  const t = new SqTable();
  for (const [k, v] of Object.entries(j as Record<string, unknown>))
    tableSet(t, byteString(k), fromHostJson(v));
  return t;
}

/**
 * A getter for a JSON value the host gives (imp.configparams): parsed again only when the host's
 * text changes, so the same table comes back while it does not.
 */
export function hostJsonValue(read: () => string): () => unknown {
  let text: string | undefined;
  let value: unknown = null;
  return () => {
    const now = read();
    if (now !== text) {
      text = now;
      value = fromHostJson(JSON.parse(now));
    }
    return value;
  };
}
