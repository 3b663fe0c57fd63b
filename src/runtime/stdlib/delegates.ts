// The default delegates: what `value.member` finds for each type once the value's own slots
// and delegates have nothing (squirrel/sqstate.cpp, the _*_default_delegate tables).

import { SqFloat, type SqTable, type SqType } from "../values.ts";
import { arrayDelegate } from "./array-delegate.ts";
import { classDelegate } from "./class-delegate.ts";
import { functionDelegate } from "./function-delegate.ts";
import { instanceDelegate } from "./instance-delegate.ts";
import { numberDelegate } from "./number-delegates.ts";
import { stringDelegate } from "./string-delegate.ts";
import { tableDelegate } from "./table-delegate.ts";
import { weakrefDelegate } from "./weakref-delegate.ts";

/** The types whose default delegate is in this table (generators and threads keep theirs in generators.ts and threads.ts). */
export type DelegatedType = Exclude<SqType, "null" | "generator" | "thread" | "userdata">;

// Integers, floats and bools share one delegate, as in the reference.
const numbers = numberDelegate();

export const defaultDelegates: { [type in DelegatedType]: SqTable } = {
  integer: numbers,
  float: numbers,
  bool: numbers,
  string: stringDelegate(),
  table: tableDelegate(),
  array: arrayDelegate(),
  function: functionDelegate(),
  class: classDelegate(),
  instance: instanceDelegate(),
  weakref: weakrefDelegate(),
};

/**
 * Puts the members of the default delegates of strings, numbers, bools and arrays on the guest's
 * String, Number, Boolean, SqFloat and Array prototypes, under their slot names ("$len"), so that
 * the compiled fast path for `value.member` (`value?.$member`) finds a method without `get()`.
 * Those values hold no slots of their own, and the delegates never change, so what the fast path
 * finds is what `get()` would. Called once, by the runtime bundle inside the VM only.
 */
export function installPrimitiveMembers(): void {
  const targets: [object, SqTable][] = [
    [String.prototype, defaultDelegates.string],
    [Number.prototype, defaultDelegates.integer],
    [Boolean.prototype, defaultDelegates.bool],
    [SqFloat.prototype, defaultDelegates.float],
    [Array.prototype, defaultDelegates.array],
  ];
  for (const [prototype, delegate] of targets) {
    for (const key of Object.keys(delegate)) {
      if (key.charCodeAt(0) !== 36) continue; // "$": a slot
      // configurable: a host test process may load the runtime more than once
      Object.defineProperty(prototype, key, {
        value: delegate[key as `$${string}`],
        configurable: true,
      });
    }
  }
}
