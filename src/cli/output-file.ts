// Output files (`--json`, `--trace-json`, `--vcd`) are checked before a run starts, so a typo
// in a directory name fails at once instead of after the whole run, losing its report. Nothing
// is created or truncated by the check.

import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./command.ts";

function problem(file: string): string | null {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return "a part of the path is not a directory";
    if (code !== "ENOENT") return (error as Error).message;
    const dir = path.dirname(file);
    try {
      if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    } catch {
      return `no such directory ${dir}/`;
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `the directory ${dir} is not writable`;
    }
    return null;
  }
  if (stats.isDirectory()) return "it is a directory";
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return "permission denied";
  }
  return null;
}

/** Checks each `[option, file]` (file null: not given); a UsageError names the first that cannot be written. */
export function checkOutputFiles(
  outputs: readonly (readonly [option: string, file: string | null | undefined])[],
): void {
  const seen = new Map<string, string>();
  for (const [option, file] of outputs) {
    if (file == null) continue;
    const why = problem(file);
    if (why !== null)
      throw new UsageError(`${option} ${file}: cannot be written: ${why}`, { helpHint: false });
    const full = path.resolve(file);
    const other = seen.get(full);
    if (other !== undefined)
      throw new UsageError(`${option} ${file}: the same file as ${other}`, { helpHint: false });
    seen.set(full, option);
  }
}
