// The imp005: the Murata LBWA1UZ1GC-901 module with 5 GHz WiFi and wired Ethernet, the module
// inside impFactory fixtures. Facts from the public pages
// developer.electricimp.com/hardware/imp/imp005_hardware_guide (its lettered pins, listed with
// their default states: A–H, J–N, P–W, Y and XA–XE; UART1_RX and UART2_RX pads; the spi0 and
// spiBCAD buses, SPI mode 0 only), /api/hardware/pin/ ("instead of pin X, the imp005 has pins XA
// through XE"), /hardware/assigning_pins/ (the wake pin is W), and FactoryTools' imp005 fixture
// code (hardware.uart0, uart1, uart2, i2c0, spi0, spiBCAD, usb; pins C, E, F, H, M, R, W).

import type { ImpModel, PinCapability, PinSpec } from "./model.ts";

const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
  "stateChange",
];

const LABELS = [
  "A",
  "B",
  "C",
  "D",
  "E",
  "F",
  "G",
  "H",
  "J",
  "K",
  "L",
  "M",
  "N",
  "P",
  "Q",
  "R",
  "S",
  "T",
  "U",
  "V",
  "W",
  "Y",
  "XA",
  "XB",
  "XC",
  "XD",
  "XE",
];
// chosen: PWM on every lettered pin (impOS 36 on) and no ADC or DAC: the imp005's analog inputs
// are not on its lettered pins as far as the pages at hand say.
const pins: PinSpec[] = LABELS.map((label) => ({
  name: `pin${label}`,
  label,
  capabilities: [...GPIO, "pwm", ...(label === "W" ? (["wakeUp"] as const) : [])],
}));

// The imp005's uart0–2, i2c0 and spi0 are on dedicated pads, not on lettered pins: named here by
// pad (UART1_RX is the hardware guide's name; the others are chosen in its pattern).
const UART_MAX = 4_500_000; // chosen: the imp003's limit

export const imp005: ImpModel = {
  type: "imp005",
  info: { type: "imp005" },
  pins,
  buses: [
    {
      kind: "uart",
      name: "uart0",
      pins: { tx: "UART0_TX", rx: "UART0_RX" },
      minBaud: null,
      maxBaud: UART_MAX,
    },
    {
      kind: "uart",
      name: "uart1",
      pins: { tx: "UART1_TX", rx: "UART1_RX" },
      minBaud: null,
      maxBaud: UART_MAX,
    },
    {
      kind: "uart",
      name: "uart2",
      pins: { tx: "UART2_TX", rx: "UART2_RX" },
      minBaud: null,
      maxBaud: UART_MAX,
    },
    { kind: "i2c", name: "i2c0", pins: { scl: "I2C0_SCL", sda: "I2C0_SDA" } },
    {
      kind: "spi",
      name: "spi0",
      pins: { sclk: "SPI0_SCLK", mosi: "SPI0_MOSI", miso: "SPI0_MISO" },
    },
    // chosen: the letters in the imp003's spiEBCA order (MOSI, MISO, SCLK, CS).
    {
      kind: "spi",
      name: "spiBCAD",
      pins: { mosi: "pinB", miso: "pinC", sclk: "pinA", cs: "pinD" },
    },
  ],
  otherHardware: ["usb", "spiflash"], // FactoryTools' fixture code uses hardware.usb (not emulated)
  apiMembers: { imp: ["getethernetspeed"], impNet: [] }, // /api/imp/getethernetspeed: the imp005's Ethernet
  squirrelMemory: 512 * 1024, // chosen: the imp005 has far more RAM than the imp003; no figure was at hand
  // chosen: the imp005 is mains-powered (Ethernet, fixtures): no nv table and no deep sleep, so
  // imp.deepsleepfor() and server.sleepfor() throw as on a model without them.
  hasNv: false,
  hasDeepSleep: false,
  deviceIdFromMac: true,
  hasPowerEnable: false,
  factorySupported: true,
  statusLed: { pads: ["LED_RED", "LED_GREEN"], bicolour: true }, // chosen, as the imp003
  environment: "ENVIRONMENT_MODULE",
  lightLevel: null,
  deepSleepMicroamps: 0,
};
