// `vimp compile file.nut`: prints the JavaScript a Squirrel program translates to.
import { compile } from "../squirrel/index.ts";
import { CompileError } from "../squirrel/compile-error.ts";
import { ExitStatus } from "../sandbox/exit-status.ts";
import { UsageError, type Command } from "./command.ts";
import { parseArgs } from "./option-parser.ts";
import { readSourceFile } from "./source-file.ts";

export const compileCommand: Command = {
  name: "compile",
  help: `usage: vimp compile file.nut

Prints the generated JavaScript (a function expression, the program's main) on stdout.
A compile error is printed on stderr as the reference sq prints it; exit status 254.`,

  async run(args) {
    const { positionals } = parseArgs(args, {}, "compile");
    if (positionals.length !== 1)
      throw new UsageError(`'vimp compile' takes one file, got ${positionals.length}`);
    const file = positionals[0]!;
    const source = readSourceFile(file);
    try {
      // The file name goes in as bytes, as `vimp sq` passes it; the JavaScript comes out as text.
      process.stdout.write(`${compile(source, Buffer.from(file, "utf8").toString("latin1")).js}\n`);
      return ExitStatus.ok;
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      process.stderr.write(Buffer.from(`${error.message}\n`, "latin1"));
      return ExitStatus.compileError;
    }
  },
};
