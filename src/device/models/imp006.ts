// The imp006: the cellular (LTE Cat-M1/NB-IoT, Quectel modem) module with optional WiFi. Facts
// from the public pages developer.electricimp.com/node/3131 ("The Functions Available From The
// imp006's Pins": seven UARTs, four SPI buses and three I²C buses on three groups of pins, named
// in the imp003's scheme; the first group A–W with uartABCD, uartPQRS, spiEFGH, i2cJK, i2cLM,
// i2cTU; the second from XA with uartXEFGH, uartXJKLM, spiXABCD, spiXPQRS, spiXTUVW),
// /api/imp/net/getcellinfo (the imp006's Quectel modem answers it), /api/imp/net (WiFi optional),
// /hardware/assigning_pins/ (the wake pin is W, as on the other lettered imps).

import type { BusSpec, ImpModel, PinCapability, PinSpec } from "./model.ts";

const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
  "stateChange",
];

// The pin-mux table at hand lost its empty cells, so its PWM / ADC / DAC / Wake / State-change
// marks ("Yes") cannot be put back in their columns. chosen: a state-change callback on every pin;
// PWM on every pin with a mark; ADC on the pins with two marks or more; no DAC.
const MARKS: Readonly<Record<string, number>> = {
  B: 1,
  E: 1,
  F: 2,
  H: 1,
  J: 1,
  N: 2,
  R: 1,
  S: 1,
  T: 2,
  U: 1,
  V: 2,
  W: 3,
  XA: 2,
  XB: 2,
  XC: 2,
  XD: 2,
  XG: 1,
  XH: 1,
};

// The first group is the page's; chosen: the second group runs XA–XW (the page's rows stop at XH
// here, its buses reach XW), the third YA–YM (public imp006 board firmware uses YD, YH and YM).
// The imp's pin letters skip I and O.
const LETTERS = "ABCDEFGHJKLMNPQRSTUVW".split("");
const FIRST = LETTERS;
const SECOND = LETTERS.map((l) => `X${l}`);
const THIRD = LETTERS.slice(0, LETTERS.indexOf("M") + 1).map((l) => `Y${l}`);

const pins: PinSpec[] = [...FIRST, ...SECOND, ...THIRD].map((label) => {
  const marks = MARKS[label] ?? 0;
  const extra: PinCapability[] = [];
  if (marks >= 1) extra.push("pwm");
  if (marks >= 2) extra.push("analogIn");
  if (label === "W") extra.push("wakeUp");
  return { name: `pin${label}`, label, capabilities: [...GPIO, ...extra] };
});

const UART_MAX = 4_500_000; // chosen: the imp003's limit

function uart(name: string, tx: string, rx: string, rts: string, cts: string): BusSpec {
  return { kind: "uart", name, pins: { tx, rx, rts, cts }, minBaud: null, maxBaud: UART_MAX };
}

function spi(name: string, mosi: string, miso: string, sclk: string, cs: string): BusSpec {
  return { kind: "spi", name, pins: { mosi, miso, sclk, cs } };
}

export const imp006: ImpModel = {
  type: "imp006",
  info: { type: "imp006" },
  pins,
  buses: [
    uart("uartABCD", "pinA", "pinB", "pinC", "pinD"),
    uart("uartPQRS", "pinP", "pinQ", "pinR", "pinS"),
    uart("uartXEFGH", "pinXE", "pinXF", "pinXG", "pinXH"),
    // chosen: XJ–XM in the order of uartXEFGH (TX, RX, RTS, CTS); the page's rows were not at hand.
    uart("uartXJKLM", "pinXJ", "pinXK", "pinXL", "pinXM"),
    // chosen: the third group's UART, as public imp006 board firmware names it; the page's other
    // two UARTs (seven in all) are not modelled.
    uart("uartYABCD", "pinYA", "pinYB", "pinYC", "pinYD"),
    spi("spiEFGH", "pinE", "pinF", "pinG", "pinH"),
    spi("spiXABCD", "pinXA", "pinXB", "pinXC", "pinXD"),
    // chosen: COPI, CIPO, SCK, CS in letter order, as spiEFGH and spiXABCD are on the page.
    spi("spiXPQRS", "pinXP", "pinXQ", "pinXR", "pinXS"),
    spi("spiXTUVW", "pinXT", "pinXU", "pinXV", "pinXW"),
    { kind: "i2c", name: "i2cJK", pins: { scl: "pinJ", sda: "pinK" } },
    { kind: "i2c", name: "i2cLM", pins: { scl: "pinL", sda: "pinM" } },
    { kind: "i2c", name: "i2cTU", pins: { scl: "pinT", sda: "pinU" } },
  ],
  otherHardware: ["spiflash"], // chosen: hardware.spiflash as on the imp003 and later modules
  // /api/imp/net/getcellinfo: the imp006's modem (not emulated: loud).
  apiMembers: { imp: [], impNet: ["getcellinfo"] },
  squirrelMemory: 512 * 1024, // chosen: as the imp005; no figure was at hand
  // chosen: a battery-powered cellular module keeps nv and deep sleeps (public imp006 tracker
  // firmware deep sleeps between fixes).
  hasNv: true,
  hasDeepSleep: true,
  deviceIdFromMac: true, // chosen, as the other modules
  hasPowerEnable: false, // chosen: /api/imp lists imp.setpoweren() for the imp002/imp003 only
  factorySupported: true,
  statusLed: { pads: ["LED_RED", "LED_GREEN"], bicolour: true }, // chosen, as the imp003
  environment: "ENVIRONMENT_MODULE",
  lightLevel: null,
  deepSleepMicroamps: 6, // chosen
};
