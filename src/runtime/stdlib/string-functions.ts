// The string library's global functions other than format() and regexp
// (sqstdlib/sqstdstring.cpp, stringlib_funcs).

import { sqError } from "../errors.ts";
import { native } from "../native.ts";
import type { SqNative } from "../values.ts";
import { cString, isSpace } from "./clib.ts";

function stripLeft(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function stripRight(s: string): string {
  let i = s.length;
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  return s.slice(0, i);
}

/**
 * split(str, separators [, skipempty]): every character of `separators` splits. An empty last
 * piece is never returned (the reference only adds the tail when it is not empty).
 */
export function split(str: string, seps: string, skipEmpty: boolean): string[] {
  if (seps.length === 0) sqError("empty separators string");
  const s = cString(str);
  const out: string[] = [];
  let start = 0;
  for (let end = 0; end < s.length; end++) {
    if (seps.includes(s[end]!)) {
      if (!skipEmpty || end !== start) out.push(s.slice(start, end));
      start = end + 1;
    }
  }
  if (start !== s.length) out.push(s.slice(start));
  return out;
}

const ESCAPED: Record<string, string> = { "\\": "\\\\", '"': '\\"', "'": "\\'", "\0": "\\0" };

/**
 * escape(str): backslash before \ " ' and NUL, \xNN for every other byte that is not printable
 * ASCII (the reference's named escapes \t, \n, ... never apply: those bytes are not printable).
 * Bytes >= 0x80 are printed as one byte (unsigned char, as on the imp's ARM).
 */
export function escape(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    const named = ESCAPED[ch];
    if (named !== undefined) out += named;
    else if (c >= 32 && c < 127) out += ch;
    // The reference writes each \xNN with snprintf into room for 4 characters per input byte,
    // so a one-byte string has room for "\x" and one digit before the terminator, which it
    // keeps in the result: escape("\a") is "\x0" and a NUL.
    else if (s.length === 1) out += "\\x" + c.toString(16).padStart(2, "0")[0] + "\0";
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out;
}

export function stringFunctions(): SqNative[] {
  return [
    native("strip", 2, ".s", (_self, args) => stripRight(stripLeft(args[0] as string))),
    // lstrip hands the rest to sq_pushstring as a C string: it ends at a NUL.
    native("lstrip", 2, ".s", (_self, args) => cString(stripLeft(args[0] as string))),
    native("rstrip", 2, ".s", (_self, args) => stripRight(args[0] as string)),
    native("split", -3, ".ssb", (_self, args) =>
      split(args[0] as string, args[1] as string, args.length > 2 ? (args[2] as boolean) : false),
    ),
    native("escape", 2, ".s", (_self, args) => escape(args[0] as string)),
    native("startswith", 3, ".ss", (_self, args) =>
      (args[0] as string).startsWith(args[1] as string),
    ),
    native("endswith", 3, ".ss", (_self, args) => (args[0] as string).endsWith(args[1] as string)),
  ];
}
