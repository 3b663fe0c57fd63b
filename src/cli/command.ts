// A `vimp` command: its name, its help, and what it does. main.ts holds the table of them.

export interface Command {
  name: string;
  /** The text of `vimp <name> --help`. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

/** A mistake on the command line: reported in one line, exit status 2. */
export class UsageError extends Error {
  /** Whether to point at `vimp --help` (not for a file that cannot be read). */
  readonly helpHint: boolean;

  constructor(message: string, { helpHint = true }: { helpHint?: boolean } = {}) {
    super(message);
    this.name = "UsageError";
    this.helpHint = helpHint;
  }
}
