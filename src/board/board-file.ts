// A board file (JSON, in the spirit of Wokwi's diagram.json): the imp module and the parts wired
// to its pins — buttons, LEDs, analog sources, wires, pull resistors and bus peripherals — plus
// the pins and UARTs bridged to real hardware. Loading checks every field against the module's
// pin and bus tables and names the part and field that is wrong:
// `board.json: parts[2].pin: imp003 has no pin X`.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  describeJsonValue as describe,
  JsonFieldReader,
  type Json,
} from "../config/json-fields.ts";
import { MODELS, modelNamed, type ImpModel } from "../device/models/index.ts";
import type { BusSpec } from "../device/models/model.ts";
import { DurationError, parseDuration } from "../sim/duration.ts";
import { SI7021_ADDRESS } from "./parts/si7021.ts";

/** chosen: the supply a board's volts are measured against; hardware.voltage() gives the same 3.3 V. */
export const BOARD_SUPPLY_VOLTS = 3.3;

export type ActiveLevel = "low" | "high";
export type WaveShape = "sine" | "triangle" | "square" | "sawtooth";

/** An analog level: fixed, or a waveform between two levels (volts). */
export type AnalogLevel =
  | { readonly kind: "fixed"; readonly volts: number }
  | {
      readonly kind: "wave";
      readonly shape: WaveShape;
      readonly min: number;
      readonly max: number;
      readonly periodMicros: number;
    };

interface PartBase {
  readonly name: string;
  /** Where in the file, for messages: "parts[2]". */
  readonly field: string;
}

export type PartSpec =
  | (PartBase & {
      readonly type: "button";
      readonly pin: string;
      readonly active: ActiveLevel;
      readonly pull: "up" | "down" | "none";
    })
  | (PartBase & {
      readonly type: "led";
      readonly pin: string;
      readonly active: ActiveLevel;
      readonly colour: string;
    })
  | (PartBase & { readonly type: "analog"; readonly pin: string; readonly level: AnalogLevel })
  | (PartBase & { readonly type: "wire"; readonly pins: readonly [string, string] })
  | (PartBase & { readonly type: "pull"; readonly pin: string; readonly to: "up" | "down" })
  | (PartBase & {
      readonly type: "i2c-device";
      readonly bus: string;
      readonly address: number;
      readonly registers: ReadonlyMap<number, readonly number[]>;
    })
  | (PartBase & {
      readonly type: "si7021";
      readonly bus: string;
      readonly address: number;
      readonly celsius: number;
      readonly humidity: number;
    })
  | (PartBase & {
      readonly type: "tmp102";
      readonly bus: string;
      readonly address: number;
      readonly celsius: number;
    })
  | (PartBase & { readonly type: "uart-echo"; readonly uart: string })
  | (PartBase & {
      readonly type: "uart-terminal";
      readonly uart: string;
      readonly send: readonly { readonly at: number; readonly text: string }[];
    })
  | (PartBase & {
      readonly type: "spi-flash";
      readonly spi: string;
      readonly cs: string | null;
      readonly size: number;
      readonly jedecId: number;
    })
  | (PartBase & {
      readonly type: "model";
      /** Which bus the user's model sits on. */
      readonly bus:
        | { readonly kind: "i2c"; readonly name: string; readonly address: number }
        | { readonly kind: "spi" | "uart"; readonly name: string };
      /** Absolute path of the TypeScript or JavaScript module. */
      readonly module: string;
      readonly options: Readonly<Record<string, unknown>>;
    });

export type PartType = PartSpec["type"];

/** An imp pin bridged to a pin of a board running StandardFirmata. */
export interface FirmataPinBridge {
  readonly kind: "firmata";
  readonly impPin: string;
  readonly port: string;
  readonly pin: number;
  /** The Firmata pin as analog input channel (A0 = 0), when it is one. */
  readonly analogChannel: number | null;
  readonly field: string;
}

/** An imp UART bridged to a real serial port. */
export interface SerialUartBridge {
  readonly kind: "serial";
  readonly uart: string;
  readonly port: string;
  readonly baud: number;
  readonly field: string;
}

export type BridgeSpec = FirmataPinBridge | SerialUartBridge;

export interface BoardSpec {
  /** The file it came from, or "(board)" for one built in code. */
  readonly file: string;
  readonly model: ImpModel;
  readonly parts: readonly PartSpec[];
  readonly bridges: readonly BridgeSpec[];
  /** Firmata ports: baud rate by port path (default 57600, StandardFirmata's). */
  readonly firmataBaud: ReadonlyMap<string, number>;
}

/** A mistake in a board file: `field` is its path ("parts[2].pin"). */
export class BoardError extends Error {
  override name = "BoardError";
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}

/** chosen: StandardFirmata's serial speed (its sketch opens Serial at 57600). */
export const FIRMATA_BAUD = 57_600;

const PART_TYPES = [
  "button",
  "led",
  "analog",
  "wire",
  "pull",
  "i2c-device",
  "si7021",
  "tmp102",
  "uart-echo",
  "uart-terminal",
  "spi-flash",
  "i2c",
  "spi",
  "uart",
] as const;

/** TMP102 with ADD0 to ground (TMP102 datasheet). */
export const TMP102_DEFAULT_ADDRESS = 0x48;

class Reader extends JsonFieldReader {
  constructor(
    file: string,
    dir: string,
    readonly model: ImpModel,
  ) {
    super(file, dir);
  }

  fail(field: string, message: string): never {
    throw new BoardError(this.file, field, message);
  }

  number(v: unknown, field: string, min = -Infinity, max = Infinity): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
      const range =
        min === -Infinity
          ? ""
          : max === Infinity
            ? ` of at least ${min}`
            : ` from ${min} to ${max}`;
      this.fail(field, `must be a number${range}, not ${describe(v)}`);
    }
    return v;
  }

  /** A whole number written as a number or as "0x40" text. */
  integer(v: unknown, field: string, min: number, max: number): number {
    const n = typeof v === "string" && /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
      this.fail(
        field,
        `must be a whole number from ${min} to ${max} (0x${min.toString(16)}–0x${max.toString(16)}), not ${describe(v)}`,
      );
    }
    return n;
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[], fallback?: T): T {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string" || !allowed.includes(v as T))
      this.fail(field, `must be one of ${allowed.join(", ")}, not ${describe(v)}`);
    return v as T;
  }

  known(o: Json, field: string, keys: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!keys.includes(key) && key !== "$comment")
        this.fail(`${field}.${key}`, `is not a field of this part (expected ${keys.join(", ")})`);
    }
  }

  duration(v: unknown, field: string): number {
    if (typeof v !== "string" && typeof v !== "number")
      this.fail(field, `must be a duration such as "10s", not ${describe(v)}`);
    try {
      return parseDuration(v);
    } catch (error) {
      if (error instanceof DurationError) this.fail(field, error.message);
      throw error;
    }
  }

  pin(v: unknown, field: string): string {
    const name = this.string(v, field);
    if (!this.model.pins.some((p) => p.name === name)) {
      this.fail(
        field,
        `${this.model.type} has no pin ${name.replace(/^pin/, "")}; its pins are ${this.model.pins.map((p) => p.name).join(", ")}`,
      );
    }
    return name;
  }

  bus(v: unknown, field: string, kind: BusSpec["kind"]): string {
    const name = this.string(v, field);
    const buses = this.model.buses.filter((b) => b.kind === kind).map((b) => b.name);
    if (!buses.includes(name)) {
      this.fail(
        field,
        `${this.model.type} has no ${kind} bus ${name}; its ${kind} buses are ${buses.length > 0 ? buses.join(", ") : "none"}`,
      );
    }
    return name;
  }
}

function analogLevel(r: Reader, o: Json, field: string): AnalogLevel {
  const given = ["volts", "fraction", "waveform"].filter((k) => o[k] !== undefined);
  if (given.length !== 1)
    r.fail(
      field,
      `an analog part needs exactly one of volts, fraction or waveform${given.length > 1 ? `, not ${given.join(" and ")}` : ""}`,
    );
  if (o.volts !== undefined)
    return { kind: "fixed", volts: r.number(o.volts, `${field}.volts`, 0, BOARD_SUPPLY_VOLTS) };
  if (o.fraction !== undefined)
    return {
      kind: "fixed",
      volts: r.number(o.fraction, `${field}.fraction`, 0, 1) * BOARD_SUPPLY_VOLTS,
    };
  const w = r.object(o.waveform, `${field}.waveform`);
  r.known(w, `${field}.waveform`, ["shape", "min", "max", "period"]);
  const min = r.number(w.min ?? 0, `${field}.waveform.min`, 0, BOARD_SUPPLY_VOLTS);
  const max = r.number(w.max ?? BOARD_SUPPLY_VOLTS, `${field}.waveform.max`, 0, BOARD_SUPPLY_VOLTS);
  if (max < min) r.fail(`${field}.waveform.max`, `must not be below min (${min} V)`);
  const periodMicros = r.duration(w.period, `${field}.waveform.period`);
  if (periodMicros <= 0) r.fail(`${field}.waveform.period`, "must be longer than 0");
  return {
    kind: "wave",
    shape: r.oneOf(w.shape, `${field}.waveform.shape`, ["sine", "triangle", "square", "sawtooth"]),
    min,
    max,
    periodMicros,
  };
}

function part(r: Reader, raw: unknown, i: number): PartSpec {
  const field = `parts[${i}]`;
  const o = r.object(raw, field);
  const type = r.oneOf(o.type, `${field}.type`, PART_TYPES);
  const name = o.name === undefined ? `${type}-${i + 1}` : r.string(o.name, `${field}.name`);
  const base = { name, field };
  const f = (key: string) => `${field}.${key}`;
  switch (type) {
    case "button":
      r.known(o, field, ["type", "name", "pin", "active", "pull"]);
      return {
        ...base,
        type,
        pin: r.pin(o.pin, f("pin")),
        active: r.oneOf(o.active, f("active"), ["low", "high"], "low"),
        pull: r.oneOf(
          o.pull,
          f("pull"),
          ["up", "down", "none"],
          o.active === "high" ? "down" : "up",
        ),
      };
    case "led":
      r.known(o, field, ["type", "name", "pin", "active", "colour"]);
      return {
        ...base,
        type,
        pin: r.pin(o.pin, f("pin")),
        active: r.oneOf(o.active, f("active"), ["low", "high"], "high"),
        colour: o.colour === undefined ? "red" : r.string(o.colour, f("colour")),
      };
    case "analog":
      r.known(o, field, ["type", "name", "pin", "volts", "fraction", "waveform"]);
      return { ...base, type, pin: r.pin(o.pin, f("pin")), level: analogLevel(r, o, field) };
    case "wire": {
      r.known(o, field, ["type", "name", "pins"]);
      if (!Array.isArray(o.pins) || o.pins.length !== 2)
        r.fail(f("pins"), `must be an array of two pins, not ${describe(o.pins)}`);
      const a = r.pin(o.pins[0], `${field}.pins[0]`);
      const b = r.pin(o.pins[1], `${field}.pins[1]`);
      if (a === b) r.fail(f("pins"), `a wire joins two different pins, not ${a} to itself`);
      return { ...base, type, pins: [a, b] };
    }
    case "pull":
      r.known(o, field, ["type", "name", "pin", "to"]);
      return {
        ...base,
        type,
        pin: r.pin(o.pin, f("pin")),
        to: r.oneOf(o.to, f("to"), ["up", "down"]),
      };
    case "i2c-device": {
      r.known(o, field, ["type", "name", "bus", "address", "registers"]);
      const registers = new Map<number, number[]>();
      const regs = o.registers === undefined ? {} : r.object(o.registers, f("registers"));
      for (const [key, value] of Object.entries(regs)) {
        const rf = `${field}.registers.${key}`;
        const reg = r.integer(key, rf, 0, 0xff);
        const bytes =
          typeof value === "number"
            ? [value]
            : Array.isArray(value)
              ? value
              : r.fail(rf, `must be a byte or an array of bytes, not ${describe(value)}`);
        registers.set(
          reg,
          bytes.map((b, j) => r.integer(b, `${rf}[${j}]`, 0, 0xff)),
        );
      }
      return {
        ...base,
        type,
        bus: r.bus(o.bus, f("bus"), "i2c"),
        address: r.integer(o.address, f("address"), 0, 0x7f),
        registers,
      };
    }
    case "si7021":
      r.known(o, field, ["type", "name", "bus", "celsius", "humidity"]);
      return {
        ...base,
        type,
        bus: r.bus(o.bus, f("bus"), "i2c"),
        address: SI7021_ADDRESS,
        celsius: r.number(o.celsius ?? 21, f("celsius"), -40, 125),
        humidity: r.number(o.humidity ?? 45, f("humidity"), 0, 100),
      };
    case "tmp102":
      r.known(o, field, ["type", "name", "bus", "address", "celsius"]);
      return {
        ...base,
        type,
        bus: r.bus(o.bus, f("bus"), "i2c"),
        address:
          o.address === undefined
            ? TMP102_DEFAULT_ADDRESS
            : r.integer(o.address, f("address"), 0x48, 0x4b),
        celsius: r.number(o.celsius ?? 21.5, f("celsius"), -55, 150),
      };
    case "uart-echo":
      r.known(o, field, ["type", "name", "uart"]);
      return { ...base, type, uart: r.bus(o.uart, f("uart"), "uart") };
    case "uart-terminal": {
      r.known(o, field, ["type", "name", "uart", "send"]);
      const send = (
        o.send === undefined
          ? []
          : Array.isArray(o.send)
            ? o.send
            : r.fail(f("send"), `must be an array, not ${describe(o.send)}`)
      ).map((s, j) => {
        const sf = `${field}.send[${j}]`;
        const so = r.object(s, sf);
        r.known(so, sf, ["at", "text"]);
        if (typeof so.text !== "string")
          r.fail(`${sf}.text`, `must be a string, not ${describe(so.text)}`);
        return { at: r.duration(so.at, `${sf}.at`), text: so.text };
      });
      return { ...base, type, uart: r.bus(o.uart, f("uart"), "uart"), send };
    }
    case "spi-flash":
      r.known(o, field, ["type", "name", "spi", "cs", "size", "jedecId"]);
      return {
        ...base,
        type,
        spi: r.bus(o.spi, f("spi"), "spi"),
        cs: o.cs === undefined ? null : r.pin(o.cs, f("cs")),
        size: o.size === undefined ? 1 << 20 : sizeOf(r, o.size, f("size")),
        jedecId:
          o.jedecId === undefined ? 0xef4014 : r.integer(o.jedecId, f("jedecId"), 0, 0xffffff), // W25Q80: Winbond, SPI, 8 Mbit
      };
    case "i2c":
    case "spi":
    case "uart": {
      r.known(
        o,
        field,
        type === "i2c"
          ? ["type", "name", "bus", "address", "model", "options"]
          : ["type", "name", "bus", "model", "options"],
      );
      const busName = r.bus(o.bus, f("bus"), type);
      const modelPath = r.string(o.model, f("model"));
      const full = path.resolve(r.dir, modelPath);
      if (!/\.(ts|mts|js|mjs)$/.test(full))
        r.fail(
          f("model"),
          `must name a .ts, .mts, .js or .mjs file, not ${JSON.stringify(modelPath)}`,
        );
      if (!existsSync(full))
        r.fail(f("model"), `file ${modelPath} not found (relative to ${r.dir})`);
      const bus =
        type === "i2c"
          ? { kind: type, name: busName, address: r.integer(o.address, f("address"), 0, 0x7f) }
          : { kind: type, name: busName };
      return {
        ...base,
        type: "model",
        bus,
        module: full,
        options: o.options === undefined ? {} : r.object(o.options, f("options")),
      };
    }
  }
}

function sizeOf(r: Reader, v: unknown, field: string): number {
  const n = r.integer(v, field, 4096, 1 << 28);
  if ((n & (n - 1)) !== 0 || n % 4096 !== 0)
    r.fail(field, `must be a power of two of at least 4096 bytes (whole sectors), not ${n}`);
  return n;
}

function bridges(
  r: Reader,
  raw: unknown,
  parts: readonly PartSpec[],
): { bridges: BridgeSpec[]; baud: Map<string, number> } {
  const out: BridgeSpec[] = [];
  const baud = new Map<string, number>();
  if (raw === undefined) return { bridges: out, baud };
  const o = r.object(raw, "bridge");
  const boardPins = new Set(
    parts.flatMap((p) => ("pin" in p ? [p.pin] : p.type === "wire" ? [...p.pins] : [])),
  );
  for (const [key, value] of Object.entries(o)) {
    const field = `bridge.${key}`;
    if (key === "$comment") continue;
    const b = r.object(value, field);
    const uart = r.model.buses.find((x) => x.name === key);
    if (uart !== undefined && uart.kind === "uart") {
      r.known(b, field, ["serial", "baud"]);
      out.push({
        kind: "serial",
        uart: key,
        port: r.string(b.serial, `${field}.serial`),
        baud: r.integer(b.baud ?? 115_200, `${field}.baud`, 50, 4_000_000),
        field,
      });
      continue;
    }
    if (!r.model.pins.some((p) => p.name === key)) {
      const uarts = r.model.buses.filter((x) => x.kind === "uart").map((x) => x.name);
      r.fail(
        field,
        `${r.model.type} has no pin or UART ${key}; bridge its pins (${r.model.pins.map((p) => p.name).join(", ")}) or UARTs (${uarts.join(", ")})`,
      );
    }
    if (boardPins.has(key))
      r.fail(
        field,
        `${key} is wired to a part of this board; a pin is either on the board or bridged, not both`,
      );
    r.known(b, field, ["firmata", "pin", "baud"]);
    const port = r.string(b.firmata, `${field}.firmata`);
    const pinText = b.pin;
    let pin: number;
    let analogChannel: number | null = null;
    if (typeof pinText === "string" && /^A\d+$/i.test(pinText)) {
      analogChannel = Number(pinText.slice(1));
      // chosen: on an Arduino Uno (the StandardFirmata target here) A0 is digital pin 14.
      pin = 14 + analogChannel;
    } else pin = r.integer(pinText, `${field}.pin`, 0, 127);
    if (b.baud !== undefined) baud.set(port, r.integer(b.baud, `${field}.baud`, 50, 4_000_000));
    out.push({ kind: "firmata", impPin: key, port, pin, analogChannel, field });
  }
  return { bridges: out, baud };
}

/** Checks a parsed board file; paths of model files are relative to `file`'s directory. */
export function parseBoard(
  raw: unknown,
  file: string,
  dir = path.dirname(path.resolve(file)),
): BoardSpec {
  const top0 = new Reader(file, dir, MODELS.imp001);
  const top = top0.object(raw, "(top level)");
  top0.known(top, "(top level)", ["module", "parts", "bridge"]);
  const moduleName = top0.string(top.module, "module");
  let model: ImpModel;
  try {
    model = modelNamed(moduleName);
  } catch {
    model = top0.fail(
      "module",
      `must be one of ${Object.keys(MODELS).join(", ")}, not ${JSON.stringify(moduleName)}`,
    );
  }
  const r = new Reader(file, dir, model);
  const rawParts =
    top.parts === undefined
      ? []
      : Array.isArray(top.parts)
        ? top.parts
        : r.fail("parts", `must be an array, not ${describe(top.parts)}`);
  const parts = rawParts.map((p, i) => part(r, p, i));
  const names = new Map<string, number>();
  parts.forEach((p, i) => {
    if (names.has(p.name))
      r.fail(`parts[${i}].name`, `"${p.name}" is also the name of parts[${names.get(p.name)}]`);
    names.set(p.name, i);
  });
  checkBusUse(r, parts);
  const { bridges: b, baud } = bridges(r, top.bridge, parts);
  return { file, model, parts, bridges: b, firmataBaud: baud };
}

// Two peripherals cannot answer at one I²C address, and an SPI or UART bus has one peripheral model.
function checkBusUse(r: Reader, parts: readonly PartSpec[]): void {
  const used = new Map<string, string>();
  for (const p of parts) {
    let key: string | null = null;
    if (p.type === "i2c-device" || p.type === "si7021" || p.type === "tmp102")
      key = `${p.bus}@${p.address}`;
    else if (p.type === "uart-echo" || p.type === "uart-terminal") key = p.uart;
    else if (p.type === "spi-flash") key = p.spi;
    else if (p.type === "model")
      key = p.bus.kind === "i2c" ? `${p.bus.name}@${p.bus.address}` : p.bus.name;
    if (key === null) continue;
    const other = used.get(key);
    if (other !== undefined) {
      const where = key.includes("@")
        ? `${key.split("@")[0]} address 0x${Number(key.split("@")[1]).toString(16)}`
        : key;
      r.fail(`${p.field}`, `${where} is already taken by part "${other}"`);
    }
    used.set(key, p.name);
  }
}

/** Reads and checks a board file. */
export function loadBoard(file: string): BoardSpec {
  if (!existsSync(file)) throw new BoardError(file, "(file)", "not found");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new BoardError(
      file,
      "(file)",
      `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseBoard(raw, file);
}

/** The button parts of a board by name (what `--set`, a line's operator and the testing API press). */
export function buttonNamed(
  board: BoardSpec,
  name: string,
): (PartSpec & { type: "button" }) | undefined {
  return board.parts.find(
    (p): p is PartSpec & { type: "button" } => p.type === "button" && p.name === name,
  );
}
