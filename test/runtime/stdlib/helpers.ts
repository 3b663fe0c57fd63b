// Building Squirrel values and calling natives the way compiled code does, for stdlib tests.
import { tableGet, tableSet } from "../../../src/runtime/access.ts";
import { call } from "../../../src/runtime/call.ts";
import { defaultDelegates, type DelegatedType } from "../../../src/runtime/stdlib/delegates.ts";
import { SqFloat, SqTable, SqThrow, float, type SqClosure } from "../../../src/runtime/values.ts";
import { vm } from "../../../src/runtime/state.ts";
import { installGlobals } from "../../../src/runtime/stdlib/globals.ts";

installGlobals(vm.root);

/** A Squirrel closure made from a JS function (what the compiler would emit). */
export function closure(
  fn: (self: unknown, ...args: unknown[]) => unknown,
  opts: { name?: string; params?: string[]; varargs?: boolean; defaults?: unknown[] } = {},
): SqClosure {
  const params = opts.params ?? Array.from({ length: fn.length - 1 }, (_, i) => `p${i}`);
  const f = ((self: unknown, ...args: unknown[]) => fn(self, ...args)) as SqClosure;
  f.sq = {
    name: opts.name ?? "",
    nparams: params.length,
    defaults: opts.defaults ?? [],
    varargs: opts.varargs ?? false,
    generator: false,
    src: "test.nut",
    line: 1,
    paramNames: params,
  };
  f.np = -1;
  return f;
}

/** `self.name(...args)` through a default delegate, with the native's argument checks. */
export function method(
  type: DelegatedType,
  self: unknown,
  name: string,
  ...args: unknown[]
): unknown {
  const f = tableGet(defaultDelegates[type], name);
  if (f === undefined) throw new Error(`no ${type}.${name}`);
  return call(f, self, args);
}

/** A global function of the root table, called with the root as `this`. */
export function global(name: string, ...args: unknown[]): unknown {
  const f = tableGet(vm.root, name);
  if (f === undefined) throw new Error(`no global ${name}`);
  return call(f, vm.root, args);
}

/** The Squirrel error a call raises (its thrown value), or "no error". */
export function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof SqThrow) return e.value;
    throw e;
  }
  return "no error";
}

export function table(entries: Record<string, unknown> = {}): SqTable {
  const t = new SqTable();
  for (const [k, v] of Object.entries(entries)) tableSet(t, k, v);
  return t;
}

export function get(t: SqTable, k: unknown): unknown {
  return tableGet(t, k);
}

export const f = float;
export { SqFloat };
