// Generators: a Squirrel function containing `yield` runs as a JS generator.
import { SqGenerator, SqTable, typeOf, type SqClosure } from "./values.ts";
import { native } from "./native.ts";
import { registerDelegate, tableSet } from "./access.ts";
import { sqError } from "./errors.ts";

export function makeGenerator(
  it: Generator<unknown, unknown, unknown>,
  fn: SqClosure,
): SqGenerator {
  return new SqGenerator(it, fn);
}

/** `resume g`: runs to the next yield (its value) or to the end (the return value, once). */
export function resume(g: unknown): unknown {
  if (!(g instanceof SqGenerator))
    sqError(`trying to resume a '${typeOf(g)}',only genenerator can be resumed`);
  if (g.status === "dead") sqError("resuming dead generator");
  if (g.status === "running") sqError("resuming active generator");
  g.status = "running";
  let r: IteratorResult<unknown, unknown>;
  try {
    r = g.it.next();
  } catch (e) {
    g.status = "dead";
    throw e;
  }
  g.status = r.done ? "dead" : "suspended";
  return r.value === undefined ? null : r.value;
}

export const generatorDelegate = new SqTable();
tableSet(
  generatorDelegate,
  "getstatus",
  native("getstatus", 1, "g", (self) => (self as SqGenerator).status),
);
registerDelegate((o) => o instanceof SqGenerator, generatorDelegate);
