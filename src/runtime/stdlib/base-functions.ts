// The base library's global functions (squirrel/sqbaselib.cpp, base_funcs) other than those
// the VM core provides (compilestring, newthread, suspend, getstackinfos, callee).

import { toStr } from "../convert.ts";
import { sqError } from "../errors.ts";
import { host } from "../host.ts";
import { native } from "../native.ts";
import { vm } from "../state.ts";
import { truthy } from "../ops.ts";
import { isClosure, isNative, SqTable, typeOf } from "../values.ts";
import type { SqNative } from "../values.ts";
import { cString, toInteger } from "./clib.ts";
import { vmHandlers } from "./vm-handlers.ts";

/** Only functions and null are taken as handlers; anything else is ignored (sq_seterrorhandler). */
function isHandler(v: unknown): boolean {
  return v === null || isClosure(v) || isNative(v);
}

export function baseFunctions(): SqNative[] {
  return [
    native("seterrorhandler", 2, null, (_self, args) => {
      if (isHandler(args[0])) vmHandlers.errorHandler = args[0];
      return null;
    }),
    native("setdebughook", 2, null, (_self, args) => {
      if (isHandler(args[0])) vmHandlers.debugHook = args[0];
      return null;
    }),
    native("enabledebuginfo", 2, null, (_self, args) => {
      vmHandlers.debugInfo = truthy(args[0]);
      return null;
    }),
    native("getroottable", 1, null, () => vm.root),
    native("setroottable", 2, null, (_self, args) => {
      const t = args[0];
      // The reference also takes null; here the runtime always needs a root table.
      if (!(t instanceof SqTable)) sqError("invalid type");
      const old = vm.root;
      vm.root = t;
      return old;
    }),
    native("getconsttable", 1, null, () => vm.consts),
    native("setconsttable", 2, null, (_self, args) => {
      const t = args[0];
      if (!(t instanceof SqTable)) sqError("invalid type, expected table");
      const old = vm.consts;
      vm.consts = t;
      return old;
    }),
    native("assert", -2, null, (_self, args) => {
      if (truthy(args[0])) return null;
      if (args.length > 1) sqError(toStr(args[1]));
      return sqError("assertion failed");
    }),
    // sq prints with C strings: a NUL byte ends the text
    native("print", 2, null, (_self, args) => {
      host.print(cString(toStr(args[0])));
      return null;
    }),
    native("error", 2, null, (_self, args) => {
      host.error(cString(toStr(args[0])));
      return null;
    }),
    native("array", -2, ".n", (_self, args) => {
      const size = toInteger(args[0]);
      // The reference would try to allocate ~4G slots; refuse like sq_arrayresize does.
      if (size < 0) sqError("negative size");
      return new Array<unknown>(size).fill(args.length > 1 ? args[1] : null);
    }),
    native("type", 2, null, (_self, args) => typeOf(args[0])),
    // Reference counting frees everything the emulator could report here.
    native("collectgarbage", 0, null, () => 0),
    native("resurrectunreachable", 0, null, () => null),
  ];
}
