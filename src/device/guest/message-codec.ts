// What survives a message between a device and its agent (developer.electricimp.com
// /resources/serialisablesquirrel, "Squirrel Data Serialization"), used by both guests: the
// device's agent.send and the agent's device.send (src/agent/guest/, which builds on the device's
// guest code) encode with it, both sides' handlers decode.
//
//   survives as itself   null, bool, integer, float (1 and 1.0 stay apart), blob,
//                        a safe string (no NUL byte, valid UTF-8), arrays, tables whose keys
//                        are all safe strings — recursively
//   arrives as a blob    a string that is not safe (a NUL byte or bytes that are not UTF-8)
//   refused              functions, classes, instances (blob excepted), generators, threads,
//                        weak references, a table key that is not a safe string, a value that
//                        contains itself; the send throws a Squirrel error naming where the
//                        value sits (`data.config.cb is a function`).
//
// chosen (the imp's behaviour is unknown): a refused value anywhere refuses the whole message
// with a catchable error rather than dropping entries silently, so nothing is lost unnoticed.
//
// The wire form is JSON text, tagged as squirrel-json.ts does for `nv`, plus blobs:
//   1.5 → {"f":1.5}   blob → {"b":"<bytes as a byte string>"}   table → {"t":[[k, v], ...]}

import { tableGet, tableKeys, tableSet } from "../../runtime/access.ts";
import { sqError } from "../../runtime/errors.ts";
import { float, SqFloat, SqTable, typeOf } from "../../runtime/values.ts";
import { blobToByteString, newBlob } from "./blob.ts";
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_DEPTH } from "../shared/message-limits.ts";

/** A value no message can carry; `path` names it from the payload's root. */
export class UnsendableValue extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

type Wire =
  | null
  | boolean
  | number
  | string
  | Wire[]
  | { f: number | string }
  | { b: string }
  | { t: [string, Wire][] };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** True for a byte string that is valid UTF-8 without a NUL byte (a "safe" string). */
export function isSafeString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if (c < 0x80) continue;
    let more: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [more, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [more, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [more, min] = [3, 0x10000];
    else return false;
    let cp = c & (0x3f >> more);
    for (let k = 0; k < more; k++) {
      const d = s.charCodeAt(++i);
      if (!(d >= 0x80 && d <= 0xbf)) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  }
  return true;
}

function encodeFloat(v: number): Wire {
  if (Number.isNaN(v)) return { f: "nan" };
  if (v === Infinity) return { f: "inf" };
  if (v === -Infinity) return { f: "-inf" };
  return { f: v };
}

function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The size of a message as it counts against MAX_MESSAGE_BYTES (chosen: the imp's binary form is
 * not published): a string's or blob's bytes plus 4 for its length, 4 for a number, 1 for a bool
 * or null, 4 for each array or table plus what it holds, a key's bytes plus 4.
 */
let counted = 0;

/** The wire text of `value`; `path` names it in errors (`data`). Throws UnsendableValue. */
export function encodeMessage(value: unknown, path: string): string {
  const open = new Set<object>();
  counted = 0;
  const encode = (v: unknown, at: string, depth: number): Wire => {
    switch (typeof v) {
      case "number":
        counted += 4;
        return v;
      case "boolean":
        counted += 1;
        return v;
      case "string":
        counted += v.length + 4;
        return isSafeString(v) ? v : { b: v };
    }
    if (v === null) {
      counted += 1;
      return null;
    }
    if (v instanceof SqFloat) {
      counted += 4;
      return encodeFloat(v.v);
    }
    const bytes = blobToByteString(v);
    if (bytes !== undefined) {
      counted += bytes.length + 4;
      return { b: bytes };
    }
    counted += 4;
    const isArray = Array.isArray(v);
    if (!isArray && !(v instanceof SqTable))
      throw new UnsendableValue(at, `is ${article(typeOf(v))}`);
    if (open.has(v as object)) throw new UnsendableValue(at, "contains itself");
    if (depth >= MAX_MESSAGE_DEPTH)
      throw new UnsendableValue(at, `is nested more than ${MAX_MESSAGE_DEPTH} deep`);
    open.add(v as object);
    let out: Wire;
    if (isArray) {
      out = (v as unknown[]).map((e, i) => encode(e, `${at}[${i}]`, depth + 1));
    } else {
      const slots: [string, Wire][] = [];
      for (const k of tableKeys(v as SqTable)) {
        if (typeof k !== "string") {
          const shown = k instanceof SqFloat ? String(k.v) : String(k);
          throw new UnsendableValue(
            `${at}[${shown}]`,
            `has ${article(typeOf(k))} as its key (table keys must be strings)`,
          );
        }
        const kp = childPath(at, k);
        if (!isSafeString(k))
          throw new UnsendableValue(
            kp,
            "has a key that is not a safe string (a NUL byte or not UTF-8)",
          );
        counted += k.length + 4;
        slots.push([k, encode(tableGet(v as SqTable, k), kp, depth + 1)]);
      }
      out = { t: slots };
    }
    open.delete(v as object);
    return out;
  };
  return JSON.stringify(encode(value, path, 0));
}

/**
 * Encodes a message for `call` (`agent.send`, `device.send`); throws the Squirrel error (chosen
 * text: the imp's is not known) when it cannot be sent.
 */
export function encodeOutgoingMessage(call: string, name: string, data: unknown): string {
  let wire: string;
  try {
    wire = encodeMessage(data, "data");
  } catch (e) {
    if (e instanceof UnsendableValue) {
      sqError(
        new UnsendableValue(
          e.path,
          `${e.problem}: ${call}("${name}") can carry null, bools, integers, floats, strings, blobs, arrays and tables with string keys`,
        ).message,
      );
    }
    throw e;
  }
  const size = name.length + 4 + counted;
  if (size >= MAX_MESSAGE_BYTES) {
    sqError(
      new UnsendableValue(
        "data",
        `makes a message of ${size} bytes: ${call}("${name}") must be under ${MAX_MESSAGE_BYTES} bytes`,
      ).message,
    );
  }
  return wire;
}

function decodeWire(j: unknown): unknown {
  switch (typeof j) {
    case "string":
    case "boolean":
      return j;
    case "number":
      return Number.isInteger(j) ? j | 0 : float(j);
  }
  if (j === null) return null;
  if (Array.isArray(j)) return j.map(decodeWire);
  if (typeof j === "object") {
    const o = j as Record<string, unknown>;
    if ("f" in o) {
      const f = o.f;
      return float(
        f === "nan" ? NaN : f === "inf" ? Infinity : f === "-inf" ? -Infinity : (f as number),
      );
    }
    if (typeof o.b === "string") return newBlob(o.b);
    if (Array.isArray(o.t)) {
      const t = new SqTable();
      for (const pair of o.t as [unknown, unknown][])
        tableSet(t, decodeWire(pair[0]), decodeWire(pair[1]));
      return t;
    }
  }
  throw new Error(`not a message value: ${JSON.stringify(j)}`);
}

/** The Squirrel value of an already parsed wire value. */
export function decodeMessageJson(j: unknown): unknown {
  return decodeWire(j);
}
