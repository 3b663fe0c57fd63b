// How an imp API object looks to Squirrel. `hardware`, `imp`, `server`, `agent` and `crypto` are
// tables of natives; pins, buses, timers, imp.info() and blobs are instances of classes, which
// `type()` calls "meta" as the imp does (developer.electricimp.com/api/imp/info: "not a Squirrel
// table, but a 'meta' object"; impUnit's assertDeepEqual switches on it). `typeof` gives "meta"
// too, but for a blob ("blob", through its own `_typeof`). Members the imp has but
// the emulator does not (/api, "Loud gaps" in issue 3) throw "<path> is not emulated yet" from
// a `_get` metamethod, never a silent null; any other unknown name gives the imp's own
// "the index '<name>' does not exist", so a member of another model (hardware.pinA on an imp001)
// fails as it does on the real imp, and `in` stays usable for feature tests.

import { tableSet } from "../../runtime/access.ts";
import { rawNewMember, createInstance } from "../../runtime/classes.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { isInstance, SqClass, SqTable, SqThrow } from "../../runtime/values.ts";
import type { SqInstance, SqNative } from "../../runtime/values.ts";

/** What a `_get` metamethod throws for "no such member here": the runtime then raises the index error. */
function notFound(): never {
  throw new SqThrow(null);
}

function notEmulated(path: string): never {
  sqError(`${path} is not emulated yet`);
}

export interface ApiTableOptions {
  /** Members the imp has that the emulator does not: reading one throws. */
  notEmulated?: readonly string[];
  /** Members computed when read (imp.configparams follows the host). */
  computed?: Readonly<Record<string, () => unknown>>;
}

/** A table of natives named `path` in messages (`hardware`, `imp`, `server`, `agent`). */
export function apiTable(
  path: string,
  members: readonly SqNative[],
  options: ApiTableOptions = {},
): SqTable {
  const t = new SqTable();
  for (const f of members) tableSet(t, f.nat.name, f);
  const missing = new Set(options.notEmulated ?? []);
  const computed = options.computed ?? {};
  const delegate = new SqTable();
  tableSet(
    delegate,
    "_get",
    native("_get", 2, null, (_self, args) => {
      const key = args[0];
      if (typeof key === "string") {
        if (Object.prototype.hasOwnProperty.call(computed, key)) return computed[key]!();
        if (missing.has(key)) notEmulated(`${path}.${key}`);
      }
      return notFound();
    }),
  );
  t.d = delegate;
  return t;
}

/** Adds a member to an API table after it was made (hardware's pins and buses, per model). */
export function addMember(t: SqTable, name: string, value: unknown): void {
  tableSet(t, name, value);
}

/**
 * A class whose instances are API objects: `describe(instance)` names one in messages
 * (`hardware.pin1`), `methods` are its natives.
 */
export function apiClass(
  describe: (self: SqInstance) => string,
  methods: readonly SqNative[],
  notEmulatedMembers: readonly string[] = [],
): SqClass {
  const cls = new SqClass(null);
  for (const f of methods) rawNewMember(cls, f.nat.name, f, null, false);
  const missing = new Set(notEmulatedMembers);
  markMetaClass(cls);
  cls.meta._typeof = native("_typeof", 1, null, () => "meta");
  cls.meta._get = native("_get", 2, null, (self, args) => {
    const key = args[0];
    if (typeof key === "string" && missing.has(key))
      notEmulated(`${describe(self as SqInstance)}.${key}`);
    return notFound();
  });
  return cls;
}

/** Classes whose instances are imp API objects. */
const metaClasses = new WeakSet<SqClass>();

/** Makes the instances of `cls` (and of classes derived from it) imp API objects: type() says "meta". */
export function markMetaClass(cls: SqClass): void {
  metaClasses.add(cls);
}

/** True for an imp API object (a pin, a bus, a blob, imp.info(), ...). */
export function isApiObject(v: unknown): boolean {
  if (!isInstance(v)) return false;
  for (let c: SqClass | null = v.c; c !== null; c = c.base) if (metaClasses.has(c)) return true;
  return false;
}

/** A new instance of an API class (no constructor runs). */
export function apiInstance(cls: SqClass): SqInstance {
  return createInstance(cls);
}
