// The `vimp` command line: picks a command from the table and maps its outcome to an exit status.
import createDebug from "debug";
import packageJson from "../../package.json" with { type: "json" };
import { ExitStatus } from "../sandbox/exit-status.ts";
import { UsageError, type Command } from "./command.ts";

const debug = createDebug("vimp:cli");

/** A command in the table: loaded only when it runs, so `vimp sq` does not load the factory's modules. */
interface CommandEntry {
  name: string;
  /** One line in `vimp --help`. */
  summary: string;
  load(): Promise<Command>;
}

/** Every command; a new one is a file exporting a Command, added here. */
const commands: readonly CommandEntry[] = [
  {
    name: "sq",
    summary: "run a Squirrel program, like the reference sq",
    load: async () => (await import("./sq-command.ts")).sqCommand,
  },
  {
    name: "compile",
    summary: "print the JavaScript a Squirrel program translates to",
    load: async () => (await import("./compile-command.ts")).compileCommand,
  },
  {
    name: "factory",
    summary: "run a Connected Factory production line (line.json) in virtual time",
    load: async () => (await import("./factory-command.ts")).factoryCommand,
  },
  {
    name: "cloud",
    summary: "read the impCloud state of a factory run (devices, groups, logs)",
    load: async () => (await import("./cloud-command.ts")).cloudCommand,
  },
  {
    name: "run",
    summary: "boot a virtual imp with device firmware and show its log",
    load: async () => (await import("./run-command.ts")).runCommand,
  },
  {
    name: "test",
    summary: "run impUnit test files (*.test.nut) as `impt test run` does, offline",
    load: async () => (await import("./test-command.ts")).testCommand,
  },
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `vimp ${packageJson.version}: a virtual Electric Imp (Squirrel firmware on your computer)

usage: vimp <command> [options] [arguments]

commands:
${lines.join("\n")}

  vimp <command> --help   help on one command
  vimp --version          the version`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${overview()}\n`);
    return ExitStatus.ok;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`${packageJson.version}\n`);
    return ExitStatus.ok;
  }
  try {
    if (name === undefined) throw new UsageError("no command given");
    const entry = commands.find((c) => c.name === name);
    if (entry === undefined) {
      throw new UsageError(
        name.startsWith("-") ? `unknown option '${name}'` : `unknown command '${name}'`,
      );
    }
    const command = await entry.load();
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(`${command.help}\n`);
      return ExitStatus.ok;
    }
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vimp: ${error.message}${error.helpHint ? " (see vimp --help)" : ""}\n`);
      return ExitStatus.usage;
    }
    // A bug of vimp, not of the user's program: one line, the stack with DEBUG=vimp:cli.
    debug("%O", error);
    process.stderr.write(
      `vimp: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return ExitStatus.internalError;
  }
}

// A reader that goes away (`vimp sq x.nut | head`) is not an error of the program.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
