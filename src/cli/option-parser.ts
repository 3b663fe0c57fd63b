// Command-line options of the form `--name value` or `--name=value`, anywhere before `--`.
import { UsageError } from "./command.ts";

export interface OptionSpec {
  /** How the value is written in help and error messages, e.g. "ms". */
  value: string;
  parse(text: string, name: string): number;
}

export interface ParsedArgs {
  options: Map<string, number>;
  positionals: string[];
}

export function parseArgs(args: string[], specs: Record<string, OptionSpec>, command: string): ParsedArgs {
  const options = new Map<string, number>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option '${arg}' for 'vimp ${command}'`);
    let text: string | undefined;
    if (eq >= 0) text = arg.slice(eq + 1);
    else text = args[++i];
    if (text === undefined) throw new UsageError(`option --${name} needs a value (${spec.value})`);
    options.set(name, spec.parse(text, name));
  }
  return { options, positionals };
}

/** A whole number of milliseconds. */
export const millisecondsOption: OptionSpec = {
  value: "ms",
  parse(text, name) {
    if (!/^\d+$/.test(text)) throw new UsageError(`option --${name} takes a whole number of milliseconds, not '${text}'`);
    return Number(text);
  },
};

/** A number of bytes, optionally with a K, M or G suffix (powers of 1024). */
export const bytesOption: OptionSpec = {
  value: "bytes",
  parse(text, name) {
    const m = /^(\d+)([KMG]?)i?B?$/i.exec(text);
    if (m === null) throw new UsageError(`option --${name} takes a number of bytes such as 67108864 or 64M, not '${text}'`);
    const scale = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as "" | "K" | "M" | "G"];
    return Number(m[1]) * scale;
  },
};
