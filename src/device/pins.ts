// The pins of one device: configuration checked against the model's pin table, levels, analog
// values, pulls, open drain, inputs driven from outside (tests, peripheral models, the serial
// bridge) and state-change callbacks. Every change goes into the trace through the injected
// `emit`. Facts from /api/hardware (pin object) and /hardware/imp/pinmux (what each pin can do).
//
// A pin's line is worked out from who drives it, strongest first:
//   1. the imp, when it drives: DIGITAL_OUT either way, DIGITAL_OUT_OD only low;
//   2. the outside world, through drive();
//   3. a resistor outside the imp (pullExternally(): a board's pull resistor, or a pull through a wire);
//   4. the pin's own pull (DIGITAL_IN_PULLUP high; DIGITAL_IN_PULLDOWN and DIGITAL_IN_WAKEUP low);
//   5. otherwise it floats ("z").
// chosen: when the imp and the outside drive a push-pull output against each other, the imp
// wins (the emulator has no contention model), and a floating input reads 0 so runs are
// deterministic.

import type { Emit, LineLevel } from "../sim/trace.ts";
import type { ImpModel, PinSpec } from "./models/model.ts";
import { DIGITAL_INPUT_MODES, PIN_MODE_NEEDS, PIN_MODES, pinModeName } from "./shared/pin-modes.ts";
import type { PinModeName } from "./shared/pin-modes.ts";

export type DigitalLevel = 0 | 1;

/** The largest value `read()` gives on an ANALOG_IN pin: 0–65535 spans 0 V to the supply (/api/hardware). */
export const ADC_FULL_SCALE = 65535;
/** The ADC's real resolution is 12 bits (/api/hardware). */
export const ADC_BITS = 12;

/** A pin error a firmware can meet; the device layer throws its message into Squirrel. */
export class PinError extends Error {
  override name = "PinError";
}

/** The arguments that follow the mode in `pin.configure(mode, …)`. */
export interface PinConfiguration {
  /** DIGITAL_OUT, DIGITAL_OUT_OD: the first level written (0 by default, /api/hardware). */
  initial?: number;
  /** Digital inputs: called with the new level on every state change (/api/hardware). */
  onChange?: ((level: DigitalLevel) => void) | null;
  /** PWM_OUT: the period in seconds. */
  period?: number;
  /** PWM_OUT: the duty cycle, 0–1. */
  duty?: number;
  /** PULSE_COUNTER: the counting window in seconds. */
  window?: number;
}

export interface PinsOptions {
  /** The virtual time (µs) to stamp trace events with; the scheduler's `now`. */
  now?: () => number;
  /** Where pin events go: the device's bound trace emitter. */
  emit?: Emit;
}

interface PinContext {
  readonly model: ImpModel;
  readonly now: () => number;
  readonly emit: Emit;
}

// chosen: outputs treat any non-zero number as 1, and DAC levels outside 0–1 are clamped, since
// the documentation gives no error for them. A PWM duty cycle outside 0–1 is refused, as the imp does
// (issue 13; developer.electricimp.com /api/hardware/pin/write: "between 0.0 and 1.0").
function clampUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function fractionLevel(value: number): LineLevel {
  return value <= 0 ? 0 : value >= 1 ? 1 : "x";
}

export class Pin {
  private currentMode: PinModeName | null = null;
  private output: DigitalLevel = 0;
  private external: DigitalLevel | null = null;
  private externalPull: DigitalLevel | null = null;
  private externalAnalog: number | null = null;
  private analogSource: ((t: number) => number) | null = null;
  private dac = 0;
  private pwmPeriod = 0;
  private pwmDuty = 0;
  private pulseWindow = 0;
  // Rising-edge times (µs) still inside the pulse-counter window.
  private edges: number[] = [];
  private onChange: ((level: DigitalLevel) => void) | null = null;
  private lastLine: LineLevel = "z";
  /** Whoever watches the line from outside the imp (a fixture's BlinkUp LED lights a DUT). */
  private readonly watchers = new Set<(line: LineLevel, t: number) => void>();

  constructor(
    readonly spec: PinSpec,
    private readonly context: PinContext,
  ) {}

  /** The name firmware uses ("pin1"). */
  get name(): string {
    return this.spec.name;
  }

  /** The current mode, or null when the pin is disabled (its power-on state, /api/hardware). */
  get mode(): PinModeName | null {
    return this.currentMode;
  }

  /** The line as a logic analyser would see it. */
  get line(): LineLevel {
    return this.lastLine;
  }

  /** The digital level the pin reads: 1 only when the line is high. */
  get level(): DigitalLevel {
    return this.lastLine === 1 ? 1 : 0;
  }

  /** The DAC output, 0–1 of the supply, on an ANALOG_OUT pin. */
  get analogOut(): number {
    return this.dac;
  }

  /** The PWM period (s) and duty (0–1) on a PWM_OUT pin. */
  get pwm(): { period: number; duty: number } {
    return { period: this.pwmPeriod, duty: this.pwmDuty };
  }

  /** Calls `watcher` at every change of the line from now on; returns a function that stops it. */
  watch(watcher: (line: LineLevel, t: number) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Whether this pin can take `mode` at all. */
  supports(mode: PinModeName): boolean {
    return PIN_MODE_NEEDS[mode].every((need) => this.spec.capabilities.includes(need));
  }

  /** The modes this pin can take, in PIN_MODES order. */
  supportedModes(): PinModeName[] {
    return (Object.keys(PIN_MODES) as PinModeName[]).filter((mode) => this.supports(mode));
  }

  /** `pin.configure(mode, …)`: throws a PinError for a mode or callback the pin lacks. */
  configure(mode: PinModeName | number, config: PinConfiguration = {}): void {
    const name =
      typeof mode === "number"
        ? pinModeName(mode)
        : Object.hasOwn(PIN_MODES, mode)
          ? mode
          : undefined;
    if (name === undefined) {
      // chosen: the documentation gives no text for an unknown mode value.
      throw new PinError(
        `hardware.${this.name}.configure(): ${String(mode)} is not a pin mode; use one of the pin-mode constants such as DIGITAL_OUT`,
      );
    }
    this.checkConfiguration(name, config);

    this.currentMode = name;
    this.onChange = config.onChange ?? null;
    this.edges = [];
    if (name === "DIGITAL_OUT" || name === "DIGITAL_OUT_OD")
      this.output = (config.initial ?? 0) !== 0 ? 1 : 0;
    if (name === "ANALOG_OUT") this.dac = 0;
    if (name === "PWM_OUT") {
      this.pwmPeriod = config.period!;
      this.pwmDuty = config.duty!;
    }
    if (name === "PULSE_COUNTER") this.pulseWindow = config.window!;

    const t = this.context.now();
    this.context.emit(t, "pin-mode", { pin: this.name, mode: name });
    if (name === "ANALOG_OUT") this.context.emit(t, "analog", { pin: this.name, value: this.dac });
    if (name === "PWM_OUT")
      this.context.emit(t, "pwm", { pin: this.name, period: this.pwmPeriod, duty: this.pwmDuty });
    // The change configuring causes is not a state change for the callback just given.
    this.update(false);
  }

  /** `pin.disable()`: back to the power-on state, tri-stated (/api/hardware). */
  disable(): void {
    if (this.currentMode === null) return;
    this.currentMode = null;
    this.onChange = null;
    this.edges = [];
    this.context.emit(this.context.now(), "pin-mode", { pin: this.name, mode: null });
    this.update(false);
  }

  /**
   * `pin.read()`: the digital level (also for outputs, /api/hardware), the ADC value 0–65535 on
   * ANALOG_IN, or on PULSE_COUNTER the rising edges in the window that ends now. The real read
   * blocks for that window; the device layer runs the clock through it, then reads.
   */
  read(): number {
    switch (this.currentMode) {
      case null:
        // chosen: the documentation gives no text for reading an unconfigured pin.
        throw new PinError(
          `hardware.${this.name} is not configured; call configure() before read()`,
        );
      case "ANALOG_IN": {
        const fraction =
          this.analogSource?.(this.context.now()) ??
          this.externalAnalog ??
          (this.lastLine === 1 ? 1 : 0);
        const code = Math.round(clampUnit(fraction) * (2 ** ADC_BITS - 1));
        // chosen: 12-bit codes are spread over 0–65535 so that full scale reads 65535.
        return Math.round((code * ADC_FULL_SCALE) / (2 ** ADC_BITS - 1));
      }
      case "PULSE_COUNTER":
        this.dropOldEdges();
        return this.edges.length;
      case "ANALOG_OUT":
      case "PWM_OUT":
        // chosen: the documentation does not say what read() gives on a DAC or PWM pin.
        throw new PinError(
          `hardware.${this.name} cannot be read while it is configured as ${this.currentMode}`,
        );
      default:
        return this.level;
    }
  }

  /** `pin.write(v)`: a level on digital outputs, the duty on PWM_OUT, 0–1 of the supply on ANALOG_OUT. */
  write(value: number): void {
    if (typeof value !== "number" || Number.isNaN(value)) {
      throw new PinError(`hardware.${this.name}.write() needs a number, got ${String(value)}`);
    }
    const t = this.context.now();
    switch (this.currentMode) {
      case "DIGITAL_OUT":
      case "DIGITAL_OUT_OD":
        this.output = value !== 0 ? 1 : 0;
        this.update(true);
        return;
      case "PWM_OUT": {
        if (!(value >= 0 && value <= 1))
          throw new PinError(
            `hardware.${this.name}.write(): a PWM duty cycle is from 0.0 to 1.0, not ${value}`,
          );
        const duty = value;
        if (duty === this.pwmDuty) return;
        this.pwmDuty = duty;
        this.context.emit(t, "pwm", { pin: this.name, period: this.pwmPeriod, duty });
        this.update(true);
        return;
      }
      case "ANALOG_OUT": {
        const level = clampUnit(value);
        if (level === this.dac) return;
        this.dac = level;
        this.context.emit(t, "analog", { pin: this.name, value: level });
        this.update(true);
        return;
      }
      default:
        // chosen: the documentation gives no text for writing a pin that is not an output.
        throw new PinError(
          `hardware.${this.name} is ${this.currentMode === null ? "not configured" : `configured as ${this.currentMode}`}; ` +
            `configure it as DIGITAL_OUT, DIGITAL_OUT_OD, PWM_OUT or ANALOG_OUT before write()`,
        );
    }
  }

  /**
   * Drives the pin from outside: 0 or 1, or null to let go. A digital input with a callback
   * has it called (synchronously; the device layer queues it for the VM) when its level changes.
   */
  drive(level: DigitalLevel | null): void {
    this.external = level;
    this.update(true);
  }

  /** Puts an analog level (0–1 of the supply) on the pin from outside, or null to let go; ANALOG_IN reads it. */
  driveAnalog(fraction: number | null): void {
    const value = fraction === null ? null : clampUnit(fraction);
    if (value === this.externalAnalog) return;
    this.externalAnalog = value;
    if (value !== null) this.context.emit(this.context.now(), "analog", { pin: this.name, value });
  }

  /**
   * A resistor from outside (a board's pull-up or pull-down, or another pin's pull through a
   * wire): weaker than drive(), stronger than the pin's own pull. null removes it.
   */
  pullExternally(level: DigitalLevel | null): void {
    if (level === this.externalPull) return;
    this.externalPull = level;
    this.update(true);
  }

  /**
   * An analog signal that changes with time (a board's waveform): ANALOG_IN reads `source(t)`
   * (0–1 of the supply) at virtual time t. null removes it. Costs nothing until read.
   */
  driveAnalogSignal(source: ((t: number) => number) | null): void {
    this.analogSource = source;
  }

  /** What the imp itself puts on the line: its output level (PWM and DAC as "x" unless at a rail), or null when it does not drive. */
  get impDrive(): LineLevel | null {
    switch (this.currentMode) {
      case "DIGITAL_OUT":
        return this.output;
      case "DIGITAL_OUT_OD":
        return this.output === 0 ? 0 : null;
      case "PWM_OUT":
        return fractionLevel(this.pwmDuty);
      case "ANALOG_OUT":
        return fractionLevel(this.dac);
      default:
        return null;
    }
  }

  /** The pin's own pull resistor now: 1 (pull-up), 0 (pull-down, wake pin) or null. */
  get internalPull(): DigitalLevel | null {
    return this.currentMode === "DIGITAL_IN_PULLUP"
      ? 1
      : this.currentMode === "DIGITAL_IN_PULLDOWN" || this.currentMode === "DIGITAL_IN_WAKEUP"
        ? 0
        : null;
  }

  private checkConfiguration(mode: PinModeName, config: PinConfiguration): void {
    const where = `the ${this.context.model.type} pin ${this.spec.label}`;
    if (!this.supports(mode)) {
      // chosen: the documentation says an unsupported mode throws (/api/hardware) but gives no text.
      throw new PinError(
        `hardware.${this.name} cannot be configured as ${mode}: ${where} supports ${this.supportedModes().join(", ")}`,
      );
    }
    if (config.onChange != null) {
      if (!DIGITAL_INPUT_MODES.has(mode)) {
        throw new PinError(
          `hardware.${this.name}.configure(): only digital inputs take a state-change callback, not ${mode}`,
        );
      }
      if (!this.spec.capabilities.includes("stateChange")) {
        throw new PinError(
          `hardware.${this.name} cannot call a state-change callback: ${where} has none; configure it without a callback and poll read()`,
        );
      }
    }
    if (
      mode === "PWM_OUT" &&
      !(
        typeof config.period === "number" &&
        config.period > 0 &&
        typeof config.duty === "number" &&
        config.duty >= 0 &&
        config.duty <= 1
      )
    ) {
      throw new PinError(
        `hardware.${this.name}.configure(PWM_OUT, period, duty) needs a period in seconds above 0 and a duty cycle from 0 to 1`,
      );
    }
    if (mode === "PULSE_COUNTER" && !(typeof config.window === "number" && config.window > 0)) {
      throw new PinError(
        `hardware.${this.name}.configure(PULSE_COUNTER, window) needs a counting window in seconds above 0`,
      );
    }
  }

  // The line the drivers give, strongest first (see the top of this file).
  private resolveLine(): LineLevel {
    const own = this.impDrive;
    if (own !== null) return own;
    if (this.external !== null) return this.external;
    if (this.externalPull !== null) return this.externalPull;
    switch (this.currentMode) {
      case "DIGITAL_IN_PULLUP":
        return 1;
      case "DIGITAL_IN_PULLDOWN":
      case "DIGITAL_IN_WAKEUP": // chosen: its weak pull-down (/api/imp/deepsleepfor) is on while awake too
        return 0;
      default:
        return "z";
    }
  }

  private update(notify: boolean): void {
    const before = this.level;
    const line = this.resolveLine();
    if (line === this.lastLine) return;
    this.lastLine = line;
    const t = this.context.now();
    this.context.emit(t, "pin", { pin: this.name, level: line });
    for (const watcher of this.watchers) watcher(line, t);
    const after = this.level;
    if (before === after) return;
    if (this.currentMode === "PULSE_COUNTER" && after === 1) {
      this.edges.push(t);
      this.dropOldEdges();
    }
    if (
      notify &&
      this.onChange !== null &&
      this.currentMode !== null &&
      DIGITAL_INPUT_MODES.has(this.currentMode)
    ) {
      this.onChange(after);
    }
  }

  private dropOldEdges(): void {
    const since = this.context.now() - Math.round(this.pulseWindow * 1_000_000);
    let drop = 0;
    while (drop < this.edges.length && this.edges[drop]! <= since) drop++;
    if (drop > 0) this.edges.splice(0, drop);
  }
}

/** All pins of one device, by the names firmware uses. */
export class Pins implements Iterable<Pin> {
  private readonly byName = new Map<string, Pin>();

  constructor(
    readonly model: ImpModel,
    options: PinsOptions = {},
  ) {
    const context: PinContext = {
      model,
      now: options.now ?? (() => 0),
      emit: options.emit ?? (() => {}),
    };
    for (const spec of model.pins) this.byName.set(spec.name, new Pin(spec, context));
  }

  /** The pin firmware calls `hardware.<name>`; throws for a pin the model lacks. */
  get(name: string): Pin {
    const pin = this.byName.get(name);
    if (pin === undefined) {
      throw new PinError(
        `the ${this.model.type} has no ${name}; its pins are ${[...this.byName.keys()].join(", ")}`,
      );
    }
    return pin;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  [Symbol.iterator](): Iterator<Pin> {
    return this.byName.values();
  }

  /**
   * Every pin back to its power-on state, tri-stated: at power-on, reset and deep sleep (spec
   * /api/hardware). What the outside world drives stays driven.
   */
  reset(): void {
    for (const pin of this.byName.values()) pin.disable();
  }
}
