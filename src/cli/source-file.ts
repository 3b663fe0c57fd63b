// Reading a Squirrel source file: a byte string (latin1), as the translator expects.
import { readFileSync } from "node:fs";
import { UsageError } from "./command.ts";

export function readSourceFile(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : (error as Error).message;
    throw new UsageError(`cannot read '${path}': ${why}`, { helpHint: false });
  }
}
