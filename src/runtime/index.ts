// The runtime bundle's entry, evaluated once in every VM. It builds the root table and
// hands compiled programs the runtime object `rt` (what compiled code calls, as `$r`).
import { SqFloat, SqTable, SqInstance, SqClass, SqThrow, SqWeakRef } from "./values.ts";
import * as access from "./access.ts";
import * as ops from "./ops.ts";
import { call, callv, callv0, callv1, callv2, callv3, bindEnv } from "./call.ts";
import { newClass, newMember, instantiate } from "./classes.ts";
import { iterate } from "./iterate.ts";
import { makeGenerator, resume } from "./generators.ts";
import { cocall, suspendNative, newthreadNative } from "./threads.ts";
import { typeofOp, instanceOf, cloneOp } from "./type-ops.ts";
import { toStr } from "./convert.ts";
import { caught, throwValue, run, compileString, errorReport, stackInfos } from "./program.ts";
import { makeClosure, makeTable } from "./literals.ts";
import { native } from "./native.ts";
import { sqError } from "./errors.ts";
import { installGlobals } from "./stdlib/globals.ts";
import { installPrimitiveMembers } from "./stdlib/delegates.ts";
import { stringFastPaths } from "./stdlib/string-delegate.ts";
import { vm } from "./state.ts";

export const rt = {
  root: vm.root,
  SqFloat,
  SqTable,
  SqInstance,
  SqClass,
  SqThrow,
  SqWeakRef,
  get: access.get,
  set: access.set,
  newSlot: access.newSlot,
  delSlot: access.delSlot,
  getVar: access.getVar,
  setVar: access.setVar,
  has: access.has,
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  mod: ops.mod,
  concat: ops.concat,
  unm: ops.unm,
  bitop: ops.bitop,
  bitnot: ops.bitnot,
  eq: ops.eq,
  cmp: ops.cmp,
  lt: ops.lt,
  le: ops.le,
  gt: ops.gt,
  ge: ops.ge,
  truthy: ops.truthy,
  call,
  callv,
  callv0,
  callv1,
  callv2,
  callv3,
  bindEnv,
  newClass,
  newMember,
  instantiate,
  iterate,
  makeGenerator,
  resume,
  cocall,
  typeofOp,
  instanceOf,
  cloneOp,
  toStr,
  caught,
  throwValue,
  makeClosure,
  makeTable,
  strFind: stringFastPaths.find,
  strSlice: stringFastPaths.slice,
  strToUpper: stringFastPaths.toupper,
  strToLower: stringFastPaths.tolower,
  setConst: (name: string, v: unknown) => access.tableSet(vm.consts, name, v),
};

installGlobals(vm.root);
installPrimitiveMembers();
access.tableSet(vm.root, "newthread", newthreadNative);
access.tableSet(vm.root, "suspend", suspendNative);
access.tableSet(
  vm.root,
  "compilestring",
  native("compilestring", -2, ".ss", (_self, args) =>
    compileString(args[0] as string, args.length > 1 ? (args[1] as string) : "compilestring", rt),
  ),
);
access.tableSet(
  vm.root,
  "getstackinfos",
  native("getstackinfos", 2, ".n", (_self, args) =>
    stackInfos(typeof args[0] === "number" ? args[0] : Math.trunc((args[0] as SqFloat).v)),
  ),
);
// `callee()` written as such is compiled to the running closure; reached any other way (through
// a variable, or inside a function that may suspend) the running closure cannot be known here
access.tableSet(
  vm.root,
  "callee",
  native("callee", 1, null, () =>
    sqError("callee() must be called by its name, directly in the function it returns"),
  ),
);

(globalThis as Record<string, unknown>).__vimp = {
  rt,
  run: (factory: Parameters<typeof run>[0]) => run(factory, rt),
  errorReport,
  toStr,
};
