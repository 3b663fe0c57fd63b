// What an imp model is, as data (STYLE.md: model differences live in tables, not in
// `if (model === …)`). imp001.ts and imp003.ts fill these in from /hardware/imp/pinmux.

import type { EnvironmentName } from "../shared/environments.ts";

/** What a pin can do; each pin mode needs some of these (see pin-modes.ts). */
export type PinCapability =
  | "digitalIn"
  | "digitalOut"
  | "pullUp"
  | "pullDown"
  | "openDrain"
  /** A state-change callback on a digital input. */
  | "stateChange"
  | "analogIn"
  /** DAC output. */
  | "analogOut"
  | "pwm"
  | "pulseCounter"
  /** DIGITAL_IN_WAKEUP: the pin that wakes the imp from deep sleep. */
  | "wakeUp";

export interface PinSpec {
  /** The name firmware uses: the member of `hardware` ("pin1", "pinA"). */
  readonly name: string;
  /** The pin's label in the pin-mux table ("1", "A"). */
  readonly label: string;
  readonly capabilities: readonly PinCapability[];
}

export interface UartSpec {
  readonly kind: "uart";
  /** The member of `hardware` ("uart1289"). */
  readonly name: string;
  readonly pins: {
    readonly tx?: string;
    readonly rx: string;
    readonly rts?: string;
    readonly cts?: string;
  };
  /** Lowest accepted baud rate, or null where no limit is known. */
  readonly minBaud: number | null;
  readonly maxBaud: number;
}

export interface I2cSpec {
  readonly kind: "i2c";
  readonly name: string;
  readonly pins: { readonly scl: string; readonly sda: string };
}

export interface SpiSpec {
  readonly kind: "spi";
  readonly name: string;
  readonly pins: {
    readonly sclk: string;
    readonly mosi: string;
    readonly miso: string;
    readonly cs?: string;
  };
}

export type BusSpec = UartSpec | I2cSpec | SpiSpec;

/** The LED that shows BlinkUp status (/troubleshooting/blinkup): where it is and which colours it can make. */
export interface StatusLedSpec {
  /** Module pads that drive it, or none when the LED is part of the imp itself. */
  readonly pads: readonly string[];
  /** True when red and green can be lit together (orange). */
  readonly bicolour: boolean;
}

export interface ImpModel {
  /** What `imp.info().type` gives. */
  readonly type: "imp001" | "imp002" | "imp003" | "imp004m" | "imp005" | "imp006";
  /** The members of `imp.info()`; `type` is the only one the spec lists. */
  readonly info: { readonly type: string };
  readonly pins: readonly PinSpec[];
  readonly buses: readonly BusSpec[];
  /**
   * Other `hardware` objects the model has (fixedfrequencydac, sampler, spiflash, usb): not
   * emulated, so reading one throws "not emulated"; one the model lacks is absent (the index error).
   */
  readonly otherHardware: readonly string[];
  /**
   * Members of `imp` and `imp.net` that only some imps have (imp005's `getethernetspeed`, a
   * cellular imp's `net.getcellinfo`) and this model has; the guest's MODEL_SPECIFIC lists them all.
   */
  readonly apiMembers: { readonly imp: readonly string[]; readonly impNet: readonly string[] };
  /** Memory available to Squirrel, in bytes: what `imp.getmemoryfree()` starts from. */
  readonly squirrelMemory: number;
  /** Whether the model keeps an `nv` table across deep sleep. */
  readonly hasNv: boolean;
  /** Whether the model can deep sleep at all. */
  readonly hasDeepSleep: boolean;
  /** Whether the device id is 4 hex digits followed by the MAC (modules) or comes from an ID chip. */
  readonly deviceIdFromMac: boolean;
  /** Whether `imp.setpoweren()` / `getpoweren()` exist (they throw on imp001). */
  readonly hasPowerEnable: boolean;
  /** Whether the cloud's factory flow accepts this model as a fixture or a DUT. */
  readonly factorySupported: boolean;
  readonly statusLed: StatusLedSpec;
  /** What imp.environment() says the model is. */
  readonly environment: EnvironmentName;
  /**
   * hardware.lightlevel() on a model with a light sensor (the imp001 card's BlinkUp sensor):
   * a fixed reading, 0–65535; null on a model without one.
   */
  readonly lightLevel: number | null;
  /** Deep-sleep current in µA, for a future power model. */
  readonly deepSleepMicroamps: number;
}
