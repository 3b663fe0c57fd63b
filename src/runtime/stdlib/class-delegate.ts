// The class default delegate (squirrel/sqbaselib.cpp, _class_default_delegate_funcz;
// squirrel/sqapi.cpp, sq_getattributes / sq_setattributes / sq_newmember).

import { rawIn } from "../access.ts";
import { createInstance, newMember, rawNewMember } from "../classes.ts";
import { sqError } from "../errors.ts";
import { native, nativeTable } from "../native.ts";
import { truthy } from "../ops.ts";
import type { SqClass, SqNative, SqTable } from "../values.ts";
import { rawgetNative, rawinNative, rawsetNative } from "./container-members.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";

/** Attributes of the class (key null) or of one of its members; "wrong index" for no such member. */
function attributesOf(cls: SqClass, key: unknown): unknown {
  if (key === null) return cls.attrs;
  if (!rawIn(cls, key)) sqError("wrong index");
  const a = cls.memberAttrs.get(key);
  return a === undefined ? null : a;
}

/** newmember(key, value [, attrs [, static]]); only the non-raw one asks `_newmember` first. */
function newmemberNative(name: string, raw: boolean): SqNative {
  return native(name, -3, "y", (self, args) => {
    const cls = self as SqClass;
    const [key, value] = args;
    const attrs = args.length > 2 ? args[2] : null;
    const isStatic = args.length > 3 ? truthy(args[3]) : false;
    if (key === null) sqError("null key");
    // newMember() asks `_newmember` first; rawNewMember() does not.
    if (raw) rawNewMember(cls, key, value, attrs, isStatic);
    else newMember(cls, key, value, attrs, isStatic);
    return cls;
  });
}

export function classDelegate(): SqTable {
  return nativeTable([
    native("getattributes", 2, "y.", (self, args) => attributesOf(self as SqClass, args[0])),
    native("setattributes", 3, "y..", (self, args) => {
      const cls = self as SqClass;
      const [key, value] = args;
      const old = attributesOf(cls, key);
      if (key === null) cls.attrs = value;
      else cls.memberAttrs.set(key, value);
      return old;
    }),
    rawgetNative("y"),
    rawsetNative("y"),
    rawinNative("y"),
    weakrefNative(),
    tostringNative(),
    native("instance", 1, "y", (self) => createInstance(self as SqClass)),
    native("getbase", 1, "y", (self) => (self as SqClass).base),
    newmemberNative("newmember", false),
    newmemberNative("rawnewmember", true),
  ]);
}
