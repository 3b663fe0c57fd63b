// What a fresh VM's root table holds: the base library, the math library (also as the imp's
// `math` table) and the string library (squirrel/sqbaselib.cpp sq_base_register,
// sqstdlib/sqstdmath.cpp, sqstdlib/sqstdstring.cpp).

import { tableSet } from "../access.ts";
import { native } from "../native.ts";
import { SqTable } from "../values.ts";
import type { SqNative } from "../values.ts";
import { baseFunctions } from "./base-functions.ts";
import { sqFormat } from "./format.ts";
import { mathFunctions, PI, RAND_MAX } from "./math.ts";
import { createRegexpClass } from "./regexp.ts";
import { stringFunctions } from "./string-functions.ts";
import { systemFunctions } from "./system.ts";

/** The reference the corpus was produced with: Squirrel 3.2, 32-bit int and float, 8-bit chars. */
export const VERSION = "Squirrel 3.2 stable";
export const VERSION_NUMBER = 320;

function setAll(t: SqTable, fns: SqNative[]): void {
  for (const f of fns) tableSet(t, f.nat.name, f);
}

export function installGlobals(root: SqTable): void {
  setAll(root, baseFunctions());
  tableSet(root, "_versionnumber_", VERSION_NUMBER);
  tableSet(root, "_version_", VERSION);
  tableSet(root, "_charsize_", 1);
  tableSet(root, "_intsize_", 4);
  tableSet(root, "_floatsize_", 4);

  const math = mathFunctions();
  setAll(root, math);
  tableSet(root, "RAND_MAX", RAND_MAX);
  tableSet(root, "PI", PI);
  // Imp code calls math.rand(), math.abs(), ...: the same functions (and one random state).
  const mathTable = new SqTable();
  setAll(mathTable, math);
  tableSet(mathTable, "RAND_MAX", RAND_MAX);
  tableSet(mathTable, "PI", PI);
  tableSet(root, "math", mathTable);

  tableSet(root, "regexp", createRegexpClass());
  tableSet(
    root,
    "format",
    native("format", -2, ".s", (_self, args) => sqFormat(args[0] as string, args.slice(1))),
  );
  setAll(root, stringFunctions());
  setAll(root, systemFunctions());
}
