// Command-line options of the form `--name value`, `--name=value` or a bare `--flag`, anywhere
// before `--`. Every command declares its options; anything else is a UsageError of one line.
import { UsageError } from "./command.ts";

/** An option that takes a value (given once, unless `repeatable`), or a flag that takes none. */
export type OptionSpec = { value: string; repeatable?: boolean } | { flag: true };

export interface ParsedArgs {
  /** Each valued option's values, in the order given. */
  values: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export function parseArgs(
  args: readonly string[],
  specs: Record<string, OptionSpec>,
  command: string,
): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
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
    if ("flag" in spec) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
      continue;
    }
    const text = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (text === undefined) throw new UsageError(`option --${name} needs a value (${spec.value})`);
    if (!spec.repeatable && values.has(name))
      throw new UsageError(`option --${name} is given twice`);
    values.set(name, [...(values.get(name) ?? []), text]);
  }
  return { values, flags, positionals };
}

/** The value of an option given at most once, or undefined. */
export function optionValue(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.values.get(name)?.[0];
}

/** A whole number of milliseconds. */
export function parseMilliseconds(text: string, name: string): number {
  if (!/^\d+$/.test(text))
    throw new UsageError(`option --${name} takes a whole number of milliseconds, not '${text}'`);
  return Number(text);
}

/** A number of bytes, optionally with a K, M or G suffix (powers of 1024). */
export function parseBytes(text: string, name: string): number {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(text);
  if (m === null)
    throw new UsageError(
      `option --${name} takes a number of bytes such as 67108864 or 64M, not '${text}'`,
    );
  const scale = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[
    m[2]!.toUpperCase() as "" | "K" | "M" | "G"
  ];
  return Number(m[1]) * scale;
}
