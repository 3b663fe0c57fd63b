// The default delegates: what `value.member` finds for each type once the value's own slots
// and delegates have nothing (squirrel/sqstate.cpp, the _*_default_delegate tables).

import type { SqTable } from "../values.ts";
import { arrayDelegate } from "./array-delegate.ts";
import { classDelegate } from "./class-delegate.ts";
import { functionDelegate } from "./function-delegate.ts";
import { instanceDelegate } from "./instance-delegate.ts";
import { numberDelegate } from "./number-delegates.ts";
import { stringDelegate } from "./string-delegate.ts";
import { tableDelegate } from "./table-delegate.ts";
import { weakrefDelegate } from "./weakref-delegate.ts";

export type DelegatedType =
  | "integer"
  | "float"
  | "bool"
  | "string"
  | "table"
  | "array"
  | "function"
  | "class"
  | "instance"
  | "weakref";

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
