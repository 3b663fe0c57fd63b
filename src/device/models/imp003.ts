// The imp003: the Murata LBWA1ZV1CD solder-down module. Facts from /hardware/imp/pinmux (summary) and
// /hardware/imp/imp003_pinmux (pin mux). The source table of per-pin ADC/PWM/pulse-counter marks lost its empty
// cells (no published value), so those columns follow the documentation's advice: permissive on the
// pins that carry extra marks (A B C E F K M W), to be narrowed once the real mux is checked.

import type { ImpModel, PinCapability, PinSpec } from "./model.ts";

// Every pin takes DIGITAL_IN/OUT (/hardware/imp/imp003_pinmux advice).
// chosen: the documentation lists no per-pin limits on pulls or open drain, so every pin has them.
const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
];
// chosen (/hardware/imp/imp003_pinmux advice, "default-permissive"): ADC, PWM and pulse counter together on the
// pins whose extra marks cannot be told apart.
const MIXED: readonly PinCapability[] = ["analogIn", "pwm", "pulseCounter"];

function pin(label: string, extra: readonly PinCapability[] = [], stateChange = true): PinSpec {
  return {
    name: `pin${label}`,
    label,
    capabilities: [...GPIO, ...(stateChange ? (["stateChange"] as const) : []), ...extra],
  };
}

export const imp003: ImpModel = {
  type: "imp003",
  info: { type: "imp003" }, // /api/imp, imp.info().type
  // The 23 pins of /hardware/imp/imp003_pinmux. DAC on A and C (fixedfrequencydac page ✓), wake on W ✓; S and Y
  // carry no marks, so no state-change callback there (/hardware/imp/imp003_pinmux advice).
  pins: [
    pin("A", ["analogOut", ...MIXED]),
    pin("B", MIXED),
    pin("C", ["analogOut", ...MIXED]),
    pin("D"),
    pin("E", MIXED),
    pin("F", MIXED),
    pin("G"),
    pin("H"),
    pin("J"),
    pin("K", MIXED),
    pin("L"),
    pin("M", MIXED),
    pin("N"),
    pin("P"),
    pin("Q"),
    pin("R"),
    pin("S", [], false),
    pin("T"),
    pin("U"),
    pin("V"),
    pin("W", ["wakeUp", ...MIXED]),
    pin("X"),
    pin("Y", [], false),
  ],
  buses: [
    // /hardware/imp/imp003_pinmux bus roles; all UARTs 550 baud to 4.5 Mbaud
    {
      kind: "uart",
      name: "uartFG",
      pins: { tx: "pinF", rx: "pinG" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
    {
      kind: "uart",
      name: "uartQRPW",
      pins: { tx: "pinQ", rx: "pinR", rts: "pinP", cts: "pinW" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
    {
      kind: "uart",
      name: "uartUVGD",
      pins: { tx: "pinU", rx: "pinV", rts: "pinG", cts: "pinD" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
    {
      kind: "uart",
      name: "uartWJ",
      pins: { tx: "pinW", rx: "pinJ" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
    {
      kind: "uart",
      name: "uartDM",
      pins: { tx: "pinD", rx: "pinM" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
    { kind: "i2c", name: "i2cFG", pins: { scl: "pinF", sda: "pinG" } },
    { kind: "i2c", name: "i2cAB", pins: { scl: "pinA", sda: "pinB" } },
    {
      kind: "spi",
      name: "spiEBCA",
      pins: { mosi: "pinE", miso: "pinB", sclk: "pinC", cs: "pinA" },
    },
    {
      kind: "spi",
      name: "spiLGDK",
      pins: { mosi: "pinL", miso: "pinG", sclk: "pinD", cs: "pinK" },
    },
  ],
  // fixedfrequencydac: DAC on A and C (/hardware/imp/pinmux); spiflash: the imp003 requires external SPI
  // flash (/hardware/imp/pinmux, ≈ the object exists).
  // chosen: sampler, which the documentation names for the imp001 and says the imp004m lacks; we take
  // the imp003 to have it like its imp002 predecessor.
  // pwmpairKD: the paired PWM on the imp003's pins K and D (/api/hardware/pwmpairkd).
  otherHardware: ["fixedfrequencydac", "sampler", "spiflash", "pwmpairKD"],
  apiMembers: { imp: [], impNet: [] },
  squirrelMemory: 128 * 1024, // /hardware/imp/pinmux, ≈ "+50 %" on the imp002's 85 KB
  hasNv: true, // /hardware/imp/pinmux
  hasDeepSleep: true, // /hardware/imp/pinmux, ~4 µA deep sleep
  deviceIdFromMac: true, // /api/hardware: a module's id is 4 hex digits followed by its 12-hex MAC
  hasPowerEnable: true, // /api/imp: imp.setpoweren() exists on imp002/imp003
  // ≈ /manufacturing/factoryfirmware: the factory flow names imp003 features (imp.setnvramimage) and excludes only imp001
  factorySupported: true,
  // chosen: the documentation does not name the LED pads; the imp003 hardware guide has the module
  // drive a red/green bicolour LED (amber = both) from its LED_RED and LED_GREEN pads.
  statusLed: { pads: ["LED_RED", "LED_GREEN"], bicolour: true },
  environment: "ENVIRONMENT_MODULE",
  lightLevel: null, // no light sensor
  deepSleepMicroamps: 4, // /hardware/imp/pinmux
};
