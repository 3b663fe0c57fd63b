// Spans of virtual time as people write them ("500ms", "10s", "10m", "2h", "1m30s") and as the
// clock counts them (integer µs). The testing API and `vimp run` take both forms: a number is
// µs, the unit of every `t` in the trace, so a time read from the trace can be handed back.

import { MICROS_PER_MILLI, MICROS_PER_SECOND } from "./scheduler.ts";

/** A span of virtual time: µs as a number, or text with units such as "500ms", "10s", "1m30s". */
export type Duration = number | string;

/** µs per unit, longest name first so "ms" is not read as "m" then "s". */
const UNITS: readonly (readonly [string, number])[] = [
  ["us", 1],
  ["µs", 1],
  ["ms", MICROS_PER_MILLI],
  ["s", MICROS_PER_SECOND],
  ["m", 60 * MICROS_PER_SECOND],
  ["h", 3600 * MICROS_PER_SECOND],
  ["d", 86_400 * MICROS_PER_SECOND],
];

const PART = /(\d+(?:\.\d+)?|\.\d+)(us|µs|ms|s|m|h|d)/y;

/** Thrown for text that is not a duration; the message says what is accepted. */
export class DurationError extends Error {
  override name = "DurationError";
}

/**
 * Parses "500ms", "10s", "1.5s", "10m", "2h", "1d", "1m30s" or "0" to whole µs (rounded to the
 * nearest µs). A number is taken as µs already and must be a whole, non-negative one.
 */
export function parseDuration(duration: Duration): number {
  if (typeof duration === "number") {
    if (!Number.isSafeInteger(duration) || duration < 0) {
      throw new DurationError(
        `${duration} is not a duration: a number is a whole, non-negative count of µs`,
      );
    }
    return duration;
  }
  const text = duration.trim();
  if (text === "0") return 0;
  let micros = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (m === null) break;
    micros += Number(m[1]) * UNITS.find(([unit]) => unit === m[2])![1];
    at = PART.lastIndex;
  }
  if (text.length === 0 || at !== text.length) {
    throw new DurationError(
      `'${duration}' is not a duration: write a number and a unit, such as 500ms, 10s, 10m or 2h`,
    );
  }
  const rounded = Math.round(micros);
  if (!Number.isSafeInteger(rounded))
    throw new DurationError(`'${duration}' is too long a duration`);
  return rounded;
}

/** A span of µs as a short text for messages: "1.3s", "250ms", "5m", "2h30m". */
export function formatDuration(micros: number): string {
  if (micros === 0) return "0s";
  if (micros < MICROS_PER_MILLI) return `${micros}us`;
  if (micros < MICROS_PER_SECOND) return `${trim(micros / MICROS_PER_MILLI)}ms`;
  if (micros < 60 * MICROS_PER_SECOND || micros % MICROS_PER_SECOND !== 0)
    return `${trim(micros / MICROS_PER_SECOND)}s`;
  let seconds = micros / MICROS_PER_SECOND;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return parts.join("");
}

/** A virtual time (µs since the simulation began) for messages: "+1.300s". */
export function formatVirtualTime(micros: number): string {
  return `+${(micros / MICROS_PER_SECOND).toFixed(3)}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(3)));
}
