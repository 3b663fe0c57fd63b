// `vimp sq file.nut`: runs a Squirrel program like the reference `sq` does.
import { runSquirrel, DEFAULT_TIMEOUT_MS } from "../sandbox/squirrel-vm.ts";
import { DEFAULT_MEMORY_LIMIT } from "../sandbox/engine.ts";
import { QUICKJS_MAX_MEMORY_LIMIT, QUICKJS_MIN_MEMORY_LIMIT } from "../sandbox/quickjs-engine.ts";
import { UsageError, type Command } from "./command.ts";
import { ByteOutput } from "./byte-output.ts";
import { optionValue, parseArgs, parseBytes, parseMilliseconds } from "./option-parser.ts";
import { readSourceFile } from "./source-file.ts";
import { ENGINE_HELP, ENGINE_OPTION, engineNamed } from "./engine-option.ts";

export const sqCommand: Command = {
  name: "sq",
  help: `usage: vimp sq [--timeout ms] [--memory bytes] [--engine NAME] file.nut

Runs file.nut in a fresh sandboxed VM. What it prints goes to stdout as is (no newline is
added); error reports go to stderr.

  --timeout ms     stop the program after this long (default ${DEFAULT_TIMEOUT_MS}; 0: never)
  --memory bytes   memory the VM may use, e.g. 67108864 or 64M (default ${DEFAULT_MEMORY_LIMIT / 1024 / 1024}M; 16M to 2G)
${ENGINE_HELP}

Exit status: 0 when the program finishes (or the integer its main returns), 1 after an
uncaught error, 3 when stopped at the timeout, 4 out of memory, 5 stack overflow, 70 an
internal error of vimp, 254 a compile error, 2 a mistake on the command line.`,

  async run(args) {
    const parsed = parseArgs(
      args,
      { timeout: { value: "ms" }, memory: { value: "bytes" }, ...ENGINE_OPTION },
      "sq",
    );
    const { positionals } = parsed;
    if (positionals.length !== 1)
      throw new UsageError(`'vimp sq' takes one file, got ${positionals.length}`);
    const memoryText = optionValue(parsed, "memory");
    const memoryLimit = memoryText === undefined ? undefined : parseBytes(memoryText, "memory");
    const timeoutText = optionValue(parsed, "timeout");
    const timeoutMs =
      timeoutText === undefined ? undefined : parseMilliseconds(timeoutText, "timeout");
    if (
      memoryLimit !== undefined &&
      (memoryLimit < QUICKJS_MIN_MEMORY_LIMIT || memoryLimit > QUICKJS_MAX_MEMORY_LIMIT)
    ) {
      throw new UsageError(`--memory must be between 16M and 2G, not ${memoryLimit} bytes`);
    }
    const engine = engineNamed(optionValue(parsed, "engine"));
    const file = positionals[0]!;
    const source = readSourceFile(file);
    const output = new ByteOutput();
    try {
      const result = await runSquirrel(source, {
        file,
        stdout: output.stdout,
        stderr: output.stderr,
        memoryLimit,
        timeoutMs,
        engine,
      });
      return result.status;
    } finally {
      output.flush();
    }
  },
};
