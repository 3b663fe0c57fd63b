// The imp001: the SD-card-sized imp. Facts from /hardware/imp/pinmux (summary) and /hardware/imp/imp001_pinmux (pin mux);
// pin 6 is reserved for the ID chip, so firmware sees pins 1, 2, 5, 7, 8 and 9.

import type { ImpModel, PinCapability } from "./model.ts";

// chosen: the documentation lists no per-pin limits on pulls, open drain or callbacks for the imp001,
// so every GPIO has them (/api/hardware offers these modes without naming pin restrictions).
const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
  "stateChange",
];

export const imp001: ImpModel = {
  type: "imp001",
  info: { type: "imp001" }, // /api/imp, imp.info().type
  pins: [
    // ADC and PWM on all six pins; DAC on 1 and 5; pulse counter and wake on 1 (/hardware/imp/imp001_pinmux)
    {
      name: "pin1",
      label: "1",
      capabilities: [...GPIO, "analogIn", "pwm", "analogOut", "pulseCounter", "wakeUp"],
    },
    { name: "pin2", label: "2", capabilities: [...GPIO, "analogIn", "pwm"] },
    { name: "pin5", label: "5", capabilities: [...GPIO, "analogIn", "pwm", "analogOut"] },
    { name: "pin7", label: "7", capabilities: [...GPIO, "analogIn", "pwm"] },
    { name: "pin8", label: "8", capabilities: [...GPIO, "analogIn", "pwm"] },
    { name: "pin9", label: "9", capabilities: [...GPIO, "analogIn", "pwm"] },
  ],
  buses: [
    // /hardware/imp/imp001_pinmux; uart1289 up to 7.5 Mbaud, the other UARTs up to 3.75 Mbaud (/api/hardware)
    // chosen: no lower baud limit is published for the imp001, so none is enforced.
    {
      kind: "uart",
      name: "uart1289",
      pins: { tx: "pin8", rx: "pin9", rts: "pin2", cts: "pin1" },
      minBaud: null,
      maxBaud: 7_500_000,
    },
    {
      kind: "uart",
      name: "uart57",
      pins: { tx: "pin5", rx: "pin7" },
      minBaud: null,
      maxBaud: 3_750_000,
    },
    {
      kind: "uart",
      name: "uart12",
      pins: { tx: "pin1", rx: "pin2" },
      minBaud: null,
      maxBaud: 3_750_000,
    },
    { kind: "i2c", name: "i2c89", pins: { scl: "pin8", sda: "pin9" } },
    { kind: "i2c", name: "i2c12", pins: { scl: "pin1", sda: "pin2" } },
    { kind: "spi", name: "spi257", pins: { sclk: "pin5", mosi: "pin7", miso: "pin2" } },
    { kind: "spi", name: "spi189", pins: { sclk: "pin1", mosi: "pin8", miso: "pin9" } },
  ],
  otherHardware: ["fixedfrequencydac", "sampler"], // /hardware/imp/imp001_pinmux, objects
  apiMembers: { imp: [], impNet: [] },
  // chosen: the imp001's free Squirrel memory is not published (/hardware/imp/pinmux, no published value);
  // the documentation puts it in the imp002 class, so the imp002's 85 KB.
  squirrelMemory: 85 * 1024,
  hasNv: true, // /hardware/imp/pinmux
  hasDeepSleep: true, // /hardware/imp/pinmux, ~6 µA deep sleep
  deviceIdFromMac: false, // /api/hardware: the imp001's id comes from its ID chip, unrelated to the MAC
  hasPowerEnable: false, // /api/imp: imp.setpoweren() throws on the imp001
  factorySupported: false, // /hardware/imp/pinmux, /api/server/factoryblinkup: imp001 fixtures and imp001 blessing are not supported
  // chosen: the documentation does not say where the status LED is; on the imp001 it is on the card
  // itself (no pads), red and green, lit together for orange.
  statusLed: { pads: [], bicolour: true },
  environment: "ENVIRONMENT_CARD",
  // chosen: a steady mid-scale reading of the 0–65535 range, as in a lit room.
  lightLevel: 32768,
  deepSleepMicroamps: 6, // /hardware/imp/pinmux
};
