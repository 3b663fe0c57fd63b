// `--engine quickjs|v8`, shared by the commands that run Squirrel: QuickJS (the default, a real
// sandbox) or V8 (node:vm in a worker per VM: faster, for trusted firmware; see README).
import type { Engine } from "../sandbox/engine.ts";
import { createV8Engine } from "../sandbox/v8-engine.ts";
import { UsageError } from "./command.ts";
import type { OptionSpec } from "./option-parser.ts";

export const ENGINE_OPTION: Record<string, OptionSpec> = { engine: { value: "NAME" } };

export const ENGINE_HELP =
  "  --engine NAME    quickjs (default: sandboxed) or v8 (faster; for firmware you trust)";

/** The engine `--engine` names; undefined for the default (QuickJS). */
export function engineNamed(name: string | undefined): Engine | undefined {
  if (name === undefined || name === "quickjs") return undefined;
  if (name === "v8") return createV8Engine();
  throw new UsageError(`unknown engine '${name}' for --engine: use quickjs or v8`);
}
