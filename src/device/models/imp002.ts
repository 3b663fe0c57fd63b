// The imp002: the first solder-down module (end of life, replaced by the imp004m). Facts from the
// public pages developer.electricimp.com/api/hardware/pin/ ("imp002 modules add a further six
// pins — pin6 and pinA through pinE") and /hardware/imp002to004mtransition (12 GPIO, 85 KB of
// application RAM, analog in and out, sampler, fixed-frequency DAC, an nv table), and
// /hardware/assigning_pins/ (the wake pin is pin 1, as on the imp001).

import { imp001 } from "./imp001.ts";
import type { ImpModel, PinCapability, PinSpec } from "./model.ts";

const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
  "stateChange",
];

// chosen: pins 1–9 as on the imp001 (the imp002 keeps its pin mux for them); the added pins 6 and
// A–E are plain GPIO with ADC and PWM, since the pin mux page was not at hand to say more.
const added: PinSpec[] = ["6", "A", "B", "C", "D", "E"].map((label) => ({
  name: `pin${label}`,
  label,
  capabilities: [...GPIO, "analogIn", "pwm"],
}));
const pins: PinSpec[] = [...imp001.pins, ...added].sort((a, b) =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : 0,
);

export const imp002: ImpModel = {
  ...imp001,
  type: "imp002",
  info: { type: "imp002" },
  pins,
  // chosen: the imp001's buses on the same pins; buses on the added pins are not modelled.
  buses: imp001.buses,
  otherHardware: ["fixedfrequencydac", "sampler"], // /hardware/imp002to004mtransition
  apiMembers: { imp: [], impNet: [] },
  squirrelMemory: 85 * 1024, // /hardware/imp002to004mtransition: 85 KB application RAM
  hasNv: true, // /hardware/imp002to004mtransition: NVRAM table yes
  deviceIdFromMac: true, // a module: its id is 4 hex digits and its MAC
  hasPowerEnable: true, // imp.setpoweren() exists on imp002/imp003 (/api/imp)
  factorySupported: true,
  // chosen: like the imp003, a red/green LED driven from the module's LED pads.
  statusLed: { pads: ["LED_RED", "LED_GREEN"], bicolour: true },
  environment: "ENVIRONMENT_MODULE",
  lightLevel: null,
};
