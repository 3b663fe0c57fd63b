// The function default delegate, for closures and natives alike
// (squirrel/sqbaselib.cpp, _closure_default_delegate_funcz).

import { tableSet } from "../access.ts";
import { bindEnv, call } from "../call.ts";
import { sqError } from "../errors.ts";
import { native, nativeTable, nativeTypecheck } from "../native.ts";
import { isClosure, isNative, SqTable } from "../values.ts";
import type { SqClosure } from "../values.ts";
import { tostringNative, weakrefNative } from "./shared-members.ts";
import { vm } from "../state.ts";

/**
 * `f.call()` / `f.acall([])` pass not even `this`: closures always refuse that, natives
 * unless they take any number of parameters (sqvm.cpp, StartCall / CallNative).
 */
function callWithoutThis(f: unknown): unknown {
  if (isClosure(f)) {
    const required = 1 + f.sq.nparams;
    if (f.sq.varargs)
      sqError(`wrong number of parameters (0 passed, at least ${required} required)`);
    sqError(`wrong number of parameters (0 passed, ${required} required)`);
  }
  if (isNative(f) && f.nat.nparams !== 0) sqError("wrong number of parameters");
  return call(f, null, []);
}

/** `f.call(this, ...args)`; `f.acall([this, ...args])` passes the same list. */
function callWith(f: unknown, thisAndArgs: unknown[]): unknown {
  if (thisAndArgs.length === 0) return callWithoutThis(f);
  return call(f, thisAndArgs[0], thisAndArgs.slice(1));
}

/**
 * Roots given by setroot(). Compiled code resolves globals through the VM's root table only,
 * so a closure's own root is recorded for getroot() but does not change its lookups.
 */
const closureRoots = new WeakMap<SqClosure, SqTable>();

function infosOf(f: unknown): SqTable {
  const t = new SqTable();
  if (isClosure(f)) {
    const { sq } = f;
    const params: unknown[] = ["this", ...sq.paramNames.slice(0, sq.nparams)];
    // The compiler declares `...` as a parameter named vargv (sqcompiler.cpp).
    if (sq.varargs) params.push("vargv", "...");
    tableSet(t, "native", false);
    tableSet(t, "name", sq.name ? sq.name : null);
    tableSet(t, "src", sq.src);
    tableSet(t, "parameters", params);
    // An integer, not a bool: the reference stores the SQBool as it is.
    tableSet(t, "varargs", sq.varargs ? 1 : 0);
    tableSet(t, "defparams", sq.defaults.slice());
  } else if (isNative(f)) {
    tableSet(t, "native", true);
    tableSet(t, "name", f.nat.name);
    tableSet(t, "paramscheck", f.nat.nparams);
    tableSet(t, "typecheck", nativeTypecheck(f));
  }
  return t;
}

export function functionDelegate(): SqTable {
  return nativeTable([
    native("call", -1, "c", (self, args) => callWith(self, args)),
    // pcall only keeps the error handler from being called; it does not catch (README).
    native("pcall", -1, "c", (self, args) => callWith(self, args)),
    native("acall", 2, "ca", (self, args) => callWith(self, args[0] as unknown[])),
    native("pacall", 2, "ca", (self, args) => callWith(self, args[0] as unknown[])),
    weakrefNative(),
    tostringNative(),
    native("bindenv", 2, "c x|y|t", (self, args) => bindEnv(self, args[0])),
    native("getinfos", 1, "c", (self) => infosOf(self)),
    native("getroot", 1, "c", (self) => {
      if (!isClosure(self)) sqError("closure expected");
      return closureRoots.get(self) ?? vm.root;
    }),
    native("setroot", 2, "ct", (self, args) => {
      if (!isClosure(self)) sqError("closure expected");
      closureRoots.set(self, args[0] as SqTable);
      return self;
    }),
  ]);
}
