// The command line of `vimp run`: the firmware file, then its options (option-parser.ts);
// `--set` may be given many times and `--realtime` takes no value. Every mistake is a
// UsageError of one line (exit status 2).

import { modelNamed, MODELS, type ImpModel } from "../device/models/index.ts";
import type { DigitalLevel } from "../device/pins.ts";
import { DEFAULT_MODEL } from "../device/models/index.ts";
import { DurationError, parseDuration } from "../sim/duration.ts";
import { UsageError } from "./command.ts";
import { optionValue, parseArgs, type OptionSpec } from "./option-parser.ts";

/** chosen: how long a fast-forwarded run lasts without --for: an hour of virtual time (a real-time run goes on until stopped). */
export const DEFAULT_RUN_FOR = "1h";

/** One `--set pin7=1@5s`: drive `pin` to `level` (null lets go) at virtual time `at` µs. */
export interface PinSetting {
  readonly pin: string;
  readonly level: DigitalLevel | null;
  readonly at: number;
  /** As written, for messages. */
  readonly text: string;
}

export interface RunOptions {
  readonly file: string;
  readonly model: ImpModel;
  /** Virtual µs to run for at most; Infinity for no limit. */
  readonly limit: number;
  readonly realtime: boolean;
  readonly traceJson: string | null;
  readonly vcd: string | null;
  readonly settings: readonly PinSetting[];
  readonly seed: string | undefined;
}

/** The options of `vimp run`; `--set` may be given many times. */
const RUN_OPTIONS: Record<string, OptionSpec> = {
  model: { value: "MODEL" },
  for: { value: "DURATION" },
  "trace-json": { value: "FILE" },
  set: { value: "PIN=LEVEL@TIME", repeatable: true },
  vcd: { value: "FILE" },
  seed: { value: "SEED" },
  realtime: { flag: true },
};

export function parseRunArgs(args: readonly string[]): RunOptions {
  const parsed = parseArgs(args, RUN_OPTIONS, "run");
  const { values, flags, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`'vimp run' takes one firmware file, got ${positionals.length}`);

  const one = (name: string) => optionValue(parsed, name);
  const model = modelOption(one("model") ?? DEFAULT_MODEL);
  const realtime = flags.has("realtime");
  const forText = one("for");
  const limit = forText !== undefined ? duration(forText, "--for") : realtime ? Infinity : parseDuration(DEFAULT_RUN_FOR);
  if (limit === 0) throw new UsageError("--for must be longer than 0");
  const seed = one("seed");
  if (seed !== undefined && seed.trim() === "") throw new UsageError("--seed needs a value, such as 1 or my-test");
  return {
    file: positionals[0]!,
    model,
    limit,
    realtime,
    traceJson: one("trace-json") ?? null,
    vcd: one("vcd") ?? null,
    settings: (values.get("set") ?? []).map((text) => pinSetting(text, model)),
    seed,
  };
}

function modelOption(name: string): ImpModel {
  try {
    return modelNamed(name);
  } catch {
    throw new UsageError(`unknown model '${name}' for --model: the emulated models are ${Object.keys(MODELS).join(" and ")}`);
  }
}

function duration(text: string, option: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`${option} ${error.message}`);
    throw error;
  }
}

/** `pin7=1@5s`: a pin of the model, a level (0, 1, or z to let go) and a virtual time. */
function pinSetting(text: string, model: ImpModel): PinSetting {
  const m = /^([A-Za-z0-9_]+)=([^@]*)@(.*)$/.exec(text);
  if (m === null) throw new UsageError(`--set '${text}' is not of the form PIN=LEVEL@TIME, such as pin7=1@5s`);
  const [, pin, levelText, timeText] = m as unknown as [string, string, string, string];
  if (!model.pins.some((p) => p.name === pin)) {
    throw new UsageError(`--set '${text}': the ${model.type} has no ${pin}; its pins are ${model.pins.map((p) => p.name).join(", ")}`);
  }
  const level = levelText === "0" ? 0 : levelText === "1" ? 1 : levelText === "z" ? null : undefined;
  if (level === undefined) throw new UsageError(`--set '${text}': the level must be 0, 1 or z (let go), not '${levelText}'`);
  return { pin, level, at: duration(timeText, `--set '${text}':`), text };
}
