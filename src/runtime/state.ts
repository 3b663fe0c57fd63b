// Per-VM state the runtime needs everywhere: the root table and the constant table.
import { SqTable } from "./values.ts";

export const vm = {
  root: new SqTable(),
  consts: new SqTable(),
};
