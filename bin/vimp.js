#!/usr/bin/env node
// The installed `vimp` command: everything lives in the bundled CLI (built by `npm run build`).
import { setFlagsFromString } from "node:v8";

// QuickJS runs as WebAssembly. V8 first compiles it with Liftoff, its baseline compiler, and
// optimises hot functions later; but QuickJS's interpreter loop is entered once per program and
// WebAssembly has no on-stack replacement, so a long program stays in baseline code to the end.
// Without Liftoff every function is compiled optimised on first call: CPU-heavy Squirrel runs in
// about half the time, for ~0.1 s more start-up. It must be set before the module is compiled
// (the first VM); NODE_OPTIONS does not accept it. Only for `vimp sq`, one CPU-bound program:
// `vimp run`, `factory` and tests are dominated by boots, where the extra compile time at
// start-up costs more than it saves. `node --liftoff bin/vimp.js sq ...` keeps Liftoff (the
// benchmark's baseline).
if (process.argv[2] === "sq" && !process.execArgv.includes("--liftoff"))
  setFlagsFromString("--no-liftoff");

try {
  await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js"))
    throw error;
  process.stderr.write("vimp: dist/cli.js is missing: run `npm run build` first\n");
  process.exitCode = 70;
}
