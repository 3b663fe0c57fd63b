// The modes `pin.configure(mode, …)` takes (/api/hardware) and what each needs of the pin.
// The documentation publishes no numeric values; firmware only uses the names.
// chosen: 1 to 10 in the documentation's order, private to the emulator. PTPG modes (pin-triggered
// pulse generator) exist on the imp but are not emulated yet, so they have no constant here.

import type { PinCapability } from "../models/model.ts";

export const PIN_MODES = {
  DIGITAL_IN: 1,
  DIGITAL_IN_PULLUP: 2,
  DIGITAL_IN_PULLDOWN: 3,
  DIGITAL_IN_WAKEUP: 4,
  DIGITAL_OUT: 5,
  DIGITAL_OUT_OD: 6,
  ANALOG_IN: 7,
  ANALOG_OUT: 8,
  PWM_OUT: 9,
  PULSE_COUNTER: 10,
} as const;

export type PinModeName = keyof typeof PIN_MODES;
export type PinModeValue = (typeof PIN_MODES)[PinModeName];

/** What a pin must be able to do for each mode (the capabilities of models/model.ts). */
export const PIN_MODE_NEEDS: Readonly<Record<PinModeName, readonly PinCapability[]>> = {
  DIGITAL_IN: ["digitalIn"],
  DIGITAL_IN_PULLUP: ["digitalIn", "pullUp"],
  DIGITAL_IN_PULLDOWN: ["digitalIn", "pullDown"],
  DIGITAL_IN_WAKEUP: ["wakeUp"], // wake pin only (/api/hardware)
  DIGITAL_OUT: ["digitalOut"],
  DIGITAL_OUT_OD: ["digitalOut", "openDrain"],
  ANALOG_IN: ["analogIn"],
  ANALOG_OUT: ["analogOut"], // DAC pins only (/api/hardware)
  PWM_OUT: ["pwm"],
  PULSE_COUNTER: ["pulseCounter"],
};

/** The digital input modes, which take a state-change callback (/api/hardware). */
export const DIGITAL_INPUT_MODES: ReadonlySet<PinModeName> = new Set<PinModeName>([
  "DIGITAL_IN",
  "DIGITAL_IN_PULLUP",
  "DIGITAL_IN_PULLDOWN",
  "DIGITAL_IN_WAKEUP",
]);

const NAMES = new Map<number, PinModeName>(
  Object.entries(PIN_MODES).map(([name, value]) => [value, name as PinModeName]),
);

/** The mode named by a value from firmware, or undefined when it is not a pin mode. */
export function pinModeName(value: number): PinModeName | undefined {
  return NAMES.get(value);
}
