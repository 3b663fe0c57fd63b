// The handle a firmware test holds on one booted virtual imp: drive its inputs, run its clock,
// wait for what it does, and read what it did. Everything is virtual time: nothing moves until
// the test advances the clock or waits, and a wait of ten minutes costs what the firmware costs.
//
// Two kinds of wait, by what is waited for:
//   - things that happen (a log line, an error line, a wake): only ones from the call on count,
//     so waiting twice for /tick/ gives two ticks;
//   - states (a pin level, an LED colour, a condition): a state that already holds returns at once.
// A wait that runs out throws WaitTimeoutError naming what it waited for and what it saw last.

import type { Board } from "../board/board.ts";
import type { Device, DevicePhase } from "../device/device.ts";
import {
  LED_PATTERNS,
  ledColour,
  type LedChange,
  type LedColour,
  type LedReading,
  type LedState,
} from "../device/led.ts";
import type { I2cPeripheral, SpiPeripheral, UartPeripheral } from "../device/peripherals.ts";
import type { DigitalLevel } from "../device/pins.ts";
import {
  WAKE_REASONS,
  wakeReasonName,
  type WakeReasonName,
} from "../device/shared/wake-reasons.ts";
import type { Simulation } from "../world/simulation.ts";
import type { LineLevel, Trace, TraceEvent, TraceKind } from "../sim/trace.ts";
import { formatVirtualTime, parseDuration, type Duration } from "../sim/duration.ts";
import { nvValue, type NvValue } from "./nv-value.ts";
import { StallGuard } from "../sim/stall-guard.ts";
import { WaitTimeoutError } from "./wait-timeout-error.ts";
import { VirtualAgent } from "./virtual-agent.ts";

/** How long a wait waits when no timeout is given: a minute of virtual time. */
export const DEFAULT_WAIT_TIMEOUT: Duration = "60s";

/** What a log line is matched with: a string matches a line containing it. */
export type LogPattern = string | RegExp;

/** A line of the device's log that a wait matched. */
export interface LogLine {
  /** When it was logged (virtual µs). */
  readonly t: number;
  readonly message: string;
  /** The match of a RegExp pattern (its groups); null for a string pattern. */
  readonly match: RegExpExecArray | null;
}

/** The LED target of waitForLed: a colour ("green") or one of the imp's LED states ("online"). */
export type LedTarget = LedColour | LedState;

const LED_COLOURS: readonly string[] = ["off", "red", "green", "orange"];

export class VirtualImp {
  private readonly guard = new StallGuard();
  private agentHandle: VirtualAgent | null = null;

  constructor(
    /** The simulation the device lives in: its scheduler, trace and impCloud. */
    readonly simulation: Simulation,
    /** The device itself, for anything this handle does not cover. */
    readonly device: Device,
    /** The board around the device, when bootDevice was given one: its buttons, LEDs and parts. */
    readonly board: Board | null = null,
  ) {}

  // ---------------------------------------------------------------- reading

  /**
   * The device's agent (booted with `agent` or `agentFile`): HTTP requests to it, its log, its
   * messages, what it saved. Throws when the device has no agent.
   */
  get agent(): VirtualAgent {
    if (this.simulation.agent(this.device) === undefined)
      throw new Error(`this virtual imp has no agent: boot it with \`agent\` or \`agentFile\``);
    return (this.agentHandle ??= new VirtualAgent(this.simulation, this.device.id));
  }

  /** The device id (hardware.getdeviceid()). */
  get id(): string {
    return this.device.id;
  }

  get model(): Device["model"]["type"] {
    return this.device.model.type;
  }

  /** Virtual time now, in µs since the simulation began. */
  get now(): number {
    return this.simulation.now;
  }

  /** "off", "booting", "running" or "sleeping". */
  get phase(): DevicePhase {
    return this.device.phase;
  }

  /** The one trace of the simulation: every device and cloud event. */
  get trace(): Trace {
    return this.simulation.trace;
  }

  /** This device's events, of one kind if given, oldest first. */
  events<K extends TraceKind>(kind?: K): TraceEvent<K>[] {
    return this.trace.query<K>({ kind, device: this.id });
  }

  /** The [Device] lines so far: server.log() and print(). */
  get logs(): string[] {
    return this.logEvents().map((e) => e.data.message);
  }

  /** The error lines so far: server.error(), error(), uncaught errors (one line per frame) and the imp's own error reports. */
  get errors(): string[] {
    return this.events("error").map((e) => e.data.message);
  }

  /** The wake reason the running (or last) Squirrel run got, by constant name; null before the first. */
  get wakeReason(): WakeReasonName | null {
    const reason = this.device.wakeReason;
    return reason === null ? null : (wakeReasonName(reason) ?? null);
  }

  /**
   * The `nv` table as NVRAM holds it — saved when the device last went into deep sleep — as plain
   * JavaScript (tables are objects); null when nothing is saved (never slept, or power was lost).
   */
  get nv(): NvValue {
    return nvValue(this.device.nv);
  }

  /** The status LED now. */
  get led(): LedReading {
    return this.device.ledAt(this.now);
  }

  /** What the status LED showed at virtual time `t` (µs, or "5s" after the start), with the colour lit at that instant. */
  ledAt(t: Duration): LedReading {
    return this.device.ledAt(parseDuration(t));
  }

  /** Every LED state change, oldest first: the LED timeline. */
  get ledChanges(): readonly LedChange[] {
    return this.device.led.history();
  }

  /** A pin's line as a logic analyser sees it: 0, 1, "z" (floating) or "x" (PWM, DAC). */
  pinLevel(pin: string): LineLevel {
    return this.device.pinLevel(pin);
  }

  // ---------------------------------------------------------------- driving

  /** Drives a pin from outside: 0 or 1, or null to let go of it. */
  drive(pin: string, level: DigitalLevel | null): void {
    // A pin with board parts on it is driven through the board, so the parts still count.
    if (this.board?.manages(pin)) this.board.drive(pin, level);
    else this.device.drivePin(pin, level);
  }

  /** Presses a button part of the board (its pin goes to the button's active level). */
  press(button: string): void {
    this.boardOrThrow("press").press(button);
  }

  /** Releases a button part of the board. */
  release(button: string): void {
    this.boardOrThrow("release").release(button);
  }

  private boardOrThrow(what: string): Board {
    if (this.board === null)
      throw new Error(
        `${what}() needs a board: boot the device with bootDevice({ board: "board.json" })`,
      );
    return this.board;
  }

  /** Puts an analog level on a pin, as a fraction (0–1) of the supply, or null to let go. */
  driveAnalog(pin: string, fraction: number | null): void {
    this.device.driveAnalog(pin, fraction);
  }

  /** Attaches an I²C peripheral model at its 7-bit address (firmware uses it shifted left by one). */
  attachI2C(bus: string, address: number, model: I2cPeripheral): void {
    this.device.attachI2C(bus, address, model);
  }

  attachSpi(bus: string, model: SpiPeripheral): void {
    this.device.attachSpi(bus, model);
  }

  attachUart(bus: string, model: UartPeripheral): void {
    this.device.attachUart(bus, model);
  }

  /** Removes power: nv and the RTC are lost. */
  powerOff(): void {
    this.device.powerOff();
  }

  /** Applies power: a cold boot, WAKEREASON_POWER_ON. */
  powerOn(): void {
    this.device.powerOn();
  }

  // ---------------------------------------------------------------- time

  /** Runs the clock forward by `duration` ("5s", or µs). */
  async advance(duration: Duration): Promise<void> {
    await this.runUntil(() => false, duration);
  }

  /** Waits for a new [Device] log line that matches `pattern`; resolves with it. */
  waitForLog(pattern: LogPattern, timeout: Duration = DEFAULT_WAIT_TIMEOUT): Promise<LogLine> {
    return this.waitForLine("log", pattern, timeout);
  }

  /** Waits for a new error line (see `errors`) that matches `pattern`; resolves with it. */
  waitForError(pattern: LogPattern, timeout: Duration = DEFAULT_WAIT_TIMEOUT): Promise<LogLine> {
    return this.waitForLine("error", pattern, timeout);
  }

  /** Waits until a pin's line is at `level` (at once if it is already); resolves with the virtual time. */
  async waitForPin(
    pin: string,
    level: LineLevel,
    timeout: Duration = DEFAULT_WAIT_TIMEOUT,
  ): Promise<number> {
    this.device.pin(pin); // an unknown pin fails here, naming the model's pins
    if (await this.runUntil(() => this.device.pinLevel(pin) === level, timeout)) return this.now;
    const last = this.events("pin")
      .filter((e) => e.data.pin === pin)
      .at(-1);
    const since = last === undefined ? "the start" : formatVirtualTime(last.t);
    throw this.timedOut(
      `waitForPin(${JSON.stringify(pin)}, ${JSON.stringify(level)})`,
      timeout,
      `${pin} has been ${JSON.stringify(this.device.pinLevel(pin))} since ${since}`,
    );
  }

  /**
   * Waits until the LED shows `target` (at once if it does): a colour, which a state shows when
   * it is the state's colour ("flashing green" is green), or a state by name ("online").
   */
  async waitForLed(
    target: LedTarget,
    timeout: Duration = DEFAULT_WAIT_TIMEOUT,
  ): Promise<LedReading> {
    if (!LED_COLOURS.includes(target) && !Object.hasOwn(LED_PATTERNS, target)) {
      throw new TypeError(
        `'${target}' is neither an LED colour (${LED_COLOURS.join(", ")}) nor an LED state (${Object.keys(LED_PATTERNS).join(", ")})`,
      );
    }
    const shows = () => {
      const state = this.device.led.state;
      return state === target || ledColour(state) === target;
    };
    if (await this.runUntil(shows, timeout)) return this.led;
    const { state, since } = this.led;
    const shown =
      state === "off"
        ? "off"
        : `${ledColour(state)} (${state}: ${LED_PATTERNS[state].description})`;
    const seen = `the LED has been ${shown} since ${formatVirtualTime(since)}`;
    throw this.timedOut(`waitForLed(${JSON.stringify(target)})`, timeout, seen);
  }

  /**
   * Waits for Squirrel to start again with `reason` (by name or value), or for any new start when
   * no reason is given; resolves with the wake reason's name.
   */
  async waitForWake(
    reason?: WakeReasonName | number,
    timeout: Duration = DEFAULT_WAIT_TIMEOUT,
  ): Promise<WakeReasonName> {
    const wanted = typeof reason === "string" ? WAKE_REASONS[reason] : reason;
    if (typeof reason === "string" && wanted === undefined) {
      throw new TypeError(
        `'${reason}' is not a wake reason; they are ${Object.keys(WAKE_REASONS).join(", ")}`,
      );
    }
    const seen: { name: WakeReasonName | null } = { name: null };
    const stop = this.trace.addListener((e) => {
      if (
        seen.name === null &&
        e.device === this.id &&
        e.kind === "wake" &&
        (wanted === undefined || e.data.reason === wanted)
      ) {
        seen.name = e.data.name as WakeReasonName;
      }
    });
    try {
      if (await this.runUntil(() => seen.name !== null, timeout)) return seen.name!;
    } finally {
      stop();
    }
    const last = this.events("wake").at(-1);
    const lastSeen =
      last === undefined
        ? `Squirrel has not started yet (the device is ${this.phase})`
        : `the last wake reason was ${last.data.name} at ${formatVirtualTime(last.t)} (the device is ${this.phase} now)`;
    const what =
      reason === undefined
        ? ""
        : JSON.stringify(typeof reason === "number" ? (wakeReasonName(reason) ?? reason) : reason);
    throw this.timedOut(`waitForWake(${what})`, timeout, lastSeen);
  }

  /** Waits until `condition()` holds (checked between events); `description` names it in the timeout error. */
  async waitFor(
    condition: () => boolean,
    timeout: Duration = DEFAULT_WAIT_TIMEOUT,
    description = "the condition",
  ): Promise<void> {
    if (await this.runUntil(condition, timeout)) return;
    throw this.timedOut(
      `waitFor(${description})`,
      timeout,
      `the device is ${this.phase}; ${this.lastLogSeen("log")}`,
    );
  }

  /** Powers the device off and frees its VM. */
  async dispose(): Promise<void> {
    this.board?.dispose();
    await this.simulation.dispose();
  }

  // ---------------------------------------------------------------- inside

  private logEvents(): TraceEvent<"log">[] {
    return this.events("log").filter((e) => e.data.source === "device");
  }

  private async waitForLine(
    kind: "log" | "error",
    pattern: LogPattern,
    timeout: Duration,
  ): Promise<LogLine> {
    const test = lineTest(pattern);
    const seen: { line: LogLine | null } = { line: null };
    const stop = this.trace.addListener((e) => {
      if (seen.line !== null || e.device !== this.id || e.kind !== kind) return;
      const data = e.data as { source: string; message: string };
      if (kind === "log" && data.source !== "device") return;
      const match = test(data.message);
      if (match !== undefined) seen.line = { t: e.t, message: data.message, match };
    });
    try {
      if (await this.runUntil(() => seen.line !== null, timeout)) return seen.line!;
    } finally {
      stop();
    }
    const call = `${kind === "log" ? "waitForLog" : "waitForError"}(${pattern instanceof RegExp ? String(pattern) : JSON.stringify(pattern)})`;
    throw this.timedOut(call, timeout, `${this.lastLogSeen(kind)} (the device is ${this.phase})`);
  }

  private lastLogSeen(kind: "log" | "error"): string {
    const last = kind === "log" ? this.logEvents().at(-1) : this.events("error").at(-1);
    const what = kind === "log" ? "log line" : "error line";
    if (last === undefined) return `no ${what} was seen`;
    return `the last ${what} was ${JSON.stringify(last.data.message)} at ${formatVirtualTime(last.t)}`;
  }

  /** Runs events until `done()` or `timeout`; throws ClockStalledError if the clock stops moving. */
  private runUntil(done: () => boolean, timeout: Duration): Promise<boolean> {
    const micros = parseDuration(timeout);
    return this.simulation.runUntil(() => {
      if (done()) return true;
      this.guard.check(this.simulation.now);
      return false;
    }, micros);
  }

  private timedOut(call: string, timeout: Duration, lastSeen: string): WaitTimeoutError {
    return new WaitTimeoutError(call, parseDuration(timeout), this.now, lastSeen);
  }
}

/** A pattern as a test of one line: the match (null for a string), or undefined for no match. */
function lineTest(pattern: LogPattern): (message: string) => RegExpExecArray | null | undefined {
  if (typeof pattern === "string")
    return (message) => (message.includes(pattern) ? null : undefined);
  // Without g and y, so exec() keeps no state between lines.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  return (message) => re.exec(message) ?? undefined;
}
