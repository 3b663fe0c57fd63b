// The command line of `vimp run`: the firmware file, then its options (option-parser.ts);
// `--set` may be given many times and `--realtime` takes no value. Every mistake is a
// UsageError of one line (exit status 2).

import { BoardError, buttonNamed, loadBoard, type BoardSpec } from "../board/board-file.ts";
import { modelNamed, MODELS, type ImpModel } from "../device/models/index.ts";
import type { DigitalLevel } from "../device/pins.ts";
import { DEFAULT_MODEL } from "../device/models/index.ts";
import { DurationError, parseDuration } from "../sim/duration.ts";
import { UsageError } from "./command.ts";
import { optionValue, parseArgs, type OptionSpec } from "./option-parser.ts";
import { ENGINE_OPTION, engineNamed } from "./engine-option.ts";
import type { Engine } from "../sandbox/engine.ts";

/** chosen: how long a fast-forwarded run lasts without --for: an hour of virtual time (a real-time run goes on until stopped). */
export const DEFAULT_RUN_FOR = "1h";

/**
 * One `--set pin7=1@5s`: drive `pin` to `level` (null lets go) at virtual time `at` µs; or
 * `--set button=pressed@5s`: press (level 1) or release (0) a button part of the board.
 */
export interface PinSetting {
  readonly pin: string;
  /** True when `pin` names a button part of the board, not a pin. */
  readonly button?: boolean;
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
  /** True when --for was given. */
  readonly limitGiven: boolean;
  readonly realtime: boolean;
  readonly traceJson: string | null;
  readonly vcd: string | null;
  readonly settings: readonly PinSetting[];
  readonly seed: string | undefined;
  /** `--board FILE`: the parts wired to the device. */
  readonly board: BoardSpec | null;
  /** `--engine`: undefined for the default (QuickJS). */
  readonly engine: Engine | undefined;
  /** The agent code file: --agent, or the .agent.nut beside a .device.nut (resolved by the command). */
  readonly agent: string | null;
  /** --agent-only: `file` is agent code and no device firmware runs. */
  readonly agentOnly: boolean;
  /** --http-port: where agents' URLs are served on 127.0.0.1 (0: any free port). */
  readonly httpPort: number;
  /** --state DIR: keep the impCloud (server.save data included) there between runs. */
  readonly stateDir: string | null;
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
  board: { value: "FILE" },
  ...ENGINE_OPTION,
  agent: { value: "FILE" },
  "agent-only": { flag: true },
  "http-port": { value: "PORT" },
  state: { value: "DIR" },
};

export function parseRunArgs(args: readonly string[]): RunOptions {
  const parsed = parseArgs(args, RUN_OPTIONS, "run");
  const { values, flags, positionals } = parsed;
  const agentOnly = flags.has("agent-only");
  if (positionals.length !== 1)
    throw new UsageError(
      `'vimp run' takes one ${agentOnly ? "agent" : "firmware"} file, got ${positionals.length}`,
    );
  if (agentOnly && optionValue(parsed, "agent") !== undefined)
    throw new UsageError("--agent-only runs the one file given as agent code: leave --agent out");
  const portText = optionValue(parsed, "http-port");
  if (portText !== undefined && !(/^\d+$/.test(portText) && Number(portText) <= 65535))
    throw new UsageError(`--http-port takes a port number from 0 to 65535, not '${portText}'`);

  const one = (name: string) => optionValue(parsed, name);
  const boardFile = one("board");
  const board = boardFile === undefined ? null : boardOption(boardFile);
  const modelText = one("model");
  const model =
    board !== null && modelText === undefined
      ? board.model
      : modelOption(modelText ?? DEFAULT_MODEL);
  if (board !== null && model.type !== board.model.type) {
    throw new UsageError(
      `--model ${model.type} does not match --board ${boardFile}, whose module is ${board.model.type}; leave --model out`,
    );
  }
  // A bridged board talks to real hardware: its run is paced to the wall clock.
  const realtime = flags.has("realtime") || (board !== null && board.bridges.length > 0);
  const forText = one("for");
  const limit =
    forText !== undefined
      ? duration(forText, "--for")
      : realtime
        ? Infinity
        : parseDuration(DEFAULT_RUN_FOR);
  if (limit === 0) throw new UsageError("--for must be longer than 0");
  const seed = one("seed");
  if (seed !== undefined && seed.trim() === "")
    throw new UsageError("--seed needs a value, such as 1 or my-test");
  return {
    file: positionals[0]!,
    model,
    limit,
    limitGiven: forText !== undefined,
    realtime,
    traceJson: one("trace-json") ?? null,
    vcd: one("vcd") ?? null,
    settings: (values.get("set") ?? []).map((text) => pinSetting(text, model, board)),
    seed,
    board,
    engine: engineNamed(one("engine")),
    agent: one("agent") ?? null,
    agentOnly,
    httpPort: portText === undefined ? 0 : Number(portText),
    stateDir: one("state") ?? null,
  };
}

function modelOption(name: string): ImpModel {
  try {
    return modelNamed(name);
  } catch {
    const names = Object.keys(MODELS);
    throw new UsageError(
      `unknown model '${name}' for --model: the emulated models are ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`,
    );
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

function boardOption(file: string): BoardSpec {
  try {
    return loadBoard(file);
  } catch (error) {
    if (error instanceof BoardError) throw new UsageError(error.message, { helpHint: false });
    throw error;
  }
}

/** `pin7=1@5s`: a pin of the model, a level (0, 1, or z to let go) and a virtual time; or a board's button, pressed or released. */
function pinSetting(text: string, model: ImpModel, board: BoardSpec | null): PinSetting {
  const m = /^([A-Za-z0-9_-]+)=([^@]*)@(.*)$/.exec(text);
  if (m === null)
    throw new UsageError(`--set '${text}' is not of the form PIN=LEVEL@TIME, such as pin7=1@5s`);
  const [, pin, levelText, timeText] = m as unknown as [string, string, string, string];
  if (board !== null && buttonNamed(board, pin) !== undefined) {
    const pressed =
      levelText === "pressed" || levelText === "1"
        ? 1
        : levelText === "released" || levelText === "0"
          ? 0
          : undefined;
    if (pressed === undefined)
      throw new UsageError(
        `--set '${text}': a button is pressed or released (1 or 0), not '${levelText}'`,
      );
    return { pin, button: true, level: pressed, at: duration(timeText, `--set '${text}':`), text };
  }
  if (!model.pins.some((p) => p.name === pin)) {
    throw new UsageError(
      `--set '${text}': the ${model.type} has no ${pin}; its pins are ${model.pins.map((p) => p.name).join(", ")}`,
    );
  }
  const level =
    levelText === "0" ? 0 : levelText === "1" ? 1 : levelText === "z" ? null : undefined;
  if (level === undefined)
    throw new UsageError(
      `--set '${text}': the level must be 0, 1 or z (let go), not '${levelText}'`,
    );
  return { pin, level, at: duration(timeText, `--set '${text}':`), text };
}
