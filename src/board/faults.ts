// Hardware faults a board can have (issue 12, "Faults for factory lines"): what goes wrong on an
// assembly line, in terms of the board file's parts and the module's pins. A fault changes the
// board as it is built (board.ts): an open wire is not joined, a missing sensor does not answer,
// a shorted or stuck pin is driven hard whatever the firmware does, a sensor reads out of range,
// an analog rail sits low.

import {
  BoardError,
  BOARD_SUPPLY_VOLTS,
  type BoardSpec,
  type PartSpec,
  type PartType,
} from "./board-file.ts";

export type Fault =
  /** A wire part is open: its two pins are not joined. */
  | { readonly kind: "wire-open"; readonly part: string }
  /** A pin shorted to ground: held low. */
  | { readonly kind: "short-to-ground"; readonly pin: string }
  /** A pin held at a level whatever drives it (a solder bridge to a rail, a stuck line). */
  | { readonly kind: "stuck"; readonly pin: string; readonly level: 0 | 1 }
  /** A bus peripheral is missing (not fitted, or not soldered): it never acknowledges. */
  | { readonly kind: "sensor-missing"; readonly part: string }
  /** A sensor that answers with a reading out of range. */
  | {
      readonly kind: "sensor-reading";
      readonly part: string;
      readonly celsius?: number;
      readonly humidity?: number;
    }
  /** An analog source (a supply rail on an analog pin) at a lower level than it should be. */
  | { readonly kind: "rail-low"; readonly part: string; readonly volts: number };

export type FaultKind = Fault["kind"];
export const FAULT_KINDS: readonly FaultKind[] = [
  "wire-open",
  "short-to-ground",
  "stuck",
  "sensor-missing",
  "sensor-reading",
  "rail-low",
];

/** A fault in a few words, for reports: "wire-open loopback", "stuck pinA=0". */
export function faultLabel(fault: Fault): string {
  switch (fault.kind) {
    case "short-to-ground":
      return `short-to-ground ${fault.pin}`;
    case "stuck":
      return `stuck ${fault.pin}=${fault.level}`;
    case "sensor-reading":
      return `sensor-reading ${fault.part}${fault.celsius !== undefined ? ` ${fault.celsius}C` : ""}${fault.humidity !== undefined ? ` ${fault.humidity}%` : ""}`;
    case "rail-low":
      return `rail-low ${fault.part} ${fault.volts}V`;
    default:
      return `${fault.kind} ${fault.part}`;
  }
}

const PART_KINDS: Readonly<
  Record<"wire-open" | "sensor-missing" | "sensor-reading" | "rail-low", readonly PartType[]>
> = {
  "wire-open": ["wire"],
  "sensor-missing": [
    "si7021",
    "tmp102",
    "i2c-device",
    "spi-flash",
    "uart-echo",
    "uart-terminal",
    "model",
  ],
  "sensor-reading": ["si7021", "tmp102"],
  "rail-low": ["analog"],
};

type Json = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === undefined) return "missing";
  return typeof v === "string"
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? "an array"
      : typeof v === "object" && v !== null
        ? "an object"
        : String(v);
}

/**
 * Checks one fault object (`field` names it in `file`) against the board it applies to; the
 * keys besides the fault's own (`fraction`, `duts`, `expect` in a line file) are the caller's.
 */
export function parseFault(
  raw: Json,
  file: string,
  field: string,
  board: BoardSpec,
  extraKeys: readonly string[] = [],
): Fault {
  const fail = (f: string, message: string): never => {
    throw new BoardError(file, f, message);
  };
  const kind = raw.kind;
  if (typeof kind !== "string" || !FAULT_KINDS.includes(kind as FaultKind))
    fail(`${field}.kind`, `must be one of ${FAULT_KINDS.join(", ")}, not ${describe(kind)}`);
  const keys: Record<FaultKind, string[]> = {
    "wire-open": ["part"],
    "short-to-ground": ["pin"],
    stuck: ["pin", "level"],
    "sensor-missing": ["part"],
    "sensor-reading": ["part", "celsius", "humidity"],
    "rail-low": ["part", "volts"],
  };
  const allowed = ["kind", ...keys[kind as FaultKind], ...extraKeys, "$comment"];
  for (const key of Object.keys(raw))
    if (!allowed.includes(key))
      fail(
        `${field}.${key}`,
        `is not a field of a ${kind} fault (expected ${allowed.filter((k) => k !== "$comment").join(", ")})`,
      );
  const pin = (): string => {
    const name = raw.pin;
    if (typeof name !== "string" || !board.model.pins.some((p) => p.name === name)) {
      fail(
        `${field}.pin`,
        `${board.model.type} has no pin ${typeof name === "string" ? name.replace(/^pin/, "") : describe(name)}; its pins are ${board.model.pins.map((p) => p.name).join(", ")}`,
      );
    }
    return name as string;
  };
  const part = (k: keyof typeof PART_KINDS): PartSpec => {
    const name = raw.part;
    const found = board.parts.find((p) => p.name === name);
    if (typeof name !== "string" || found === undefined) {
      const candidates = board.parts
        .filter((p) => PART_KINDS[k].includes(p.type))
        .map((p) => p.name);
      return fail(
        `${field}.part`,
        `${board.file} has no part ${describe(name)}${candidates.length > 0 ? `; a ${k} fault can name ${candidates.join(", ")}` : ` for a ${k} fault`}`,
      );
    }
    if (!PART_KINDS[k].includes(found.type))
      fail(
        `${field}.part`,
        `"${name}" is a ${found.type}; a ${k} fault needs a ${PART_KINDS[k].join(" or ")} part`,
      );
    return found;
  };
  const num = (key: string, min: number, max: number): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      fail(`${field}.${key}`, `must be a number from ${min} to ${max}, not ${describe(v)}`);
    return v as number;
  };
  switch (kind as FaultKind) {
    case "wire-open":
      return { kind: "wire-open", part: part("wire-open").name };
    case "short-to-ground":
      return { kind: "short-to-ground", pin: pin() };
    case "stuck": {
      const level = raw.level;
      if (level !== 0 && level !== 1)
        fail(`${field}.level`, `must be 0 (stuck low) or 1 (stuck high), not ${describe(level)}`);
      return { kind: "stuck", pin: pin(), level: level as 0 | 1 };
    }
    case "sensor-missing":
      return { kind: "sensor-missing", part: part("sensor-missing").name };
    case "sensor-reading": {
      const p = part("sensor-reading");
      const celsius = num("celsius", -273, 1000);
      const humidity = num("humidity", -100, 200);
      if (celsius === undefined && humidity === undefined)
        fail(
          field,
          "a sensor-reading fault needs celsius or humidity (what the sensor reads instead)",
        );
      if (humidity !== undefined && p.type !== "si7021")
        fail(`${field}.humidity`, `"${p.name}" is a ${p.type}, which measures no humidity`);
      return { kind: "sensor-reading", part: p.name, celsius, humidity };
    }
    case "rail-low":
      return {
        kind: "rail-low",
        part: part("rail-low").name,
        volts:
          num("volts", 0, BOARD_SUPPLY_VOLTS) ??
          fail(`${field}.volts`, "must be given: the rail's level in volts"),
      };
  }
}
