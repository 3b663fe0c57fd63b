// The imp004m: the Murata LBEE5ZZ1MD module that replaced the imp002. Facts from the public pages
// developer.electricimp.com/hardware/imp002to004mtransition (18 GPIO pins; analog input but no
// analog output; no fixed-frequency DAC, no sampler; 184 KB of application RAM; external SPI
// flash required; no nv table), /api/hardware/pin/ (pin names follow the imp003's scheme),
// /hardware/assigning_pins/ (the wake pin is W), and the seriallog library's table of default
// UARTs (uartHJ on the imp004m).

import type { ImpModel, PinCapability, PinSpec } from "./model.ts";

const GPIO: readonly PinCapability[] = [
  "digitalIn",
  "digitalOut",
  "pullUp",
  "pullDown",
  "openDrain",
  "stateChange",
];

// chosen: which 18 letters: A–H, J–N, P–S and W (the imp003's letters from A, with W for wake),
// each with ADC and PWM; the pin mux page that would narrow this was not at hand.
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
  "W",
];
const pins: PinSpec[] = LABELS.map((label) => ({
  name: `pin${label}`,
  label,
  capabilities: [...GPIO, "analogIn", "pwm", ...(label === "W" ? (["wakeUp"] as const) : [])],
}));

export const imp004m: ImpModel = {
  type: "imp004m",
  info: { type: "imp004m" },
  pins,
  buses: [
    // seriallog's default UART on the imp004m; chosen: H transmits, J receives (the name's order,
    // as uartFG on the imp003), and the imp003's baud range.
    {
      kind: "uart",
      name: "uartHJ",
      pins: { tx: "pinH", rx: "pinJ" },
      minBaud: 550,
      maxBaud: 4_500_000,
    },
  ],
  otherHardware: ["spiflash"], // external SPI flash required (/hardware/imp002to004mtransition)
  apiMembers: { imp: [], impNet: [] },
  squirrelMemory: 184 * 1024, // 184 KB application RAM
  hasNv: false, // "NVRAM table: No"
  hasDeepSleep: true,
  deviceIdFromMac: true,
  hasPowerEnable: false, // chosen: not listed for the imp004m
  factorySupported: true,
  statusLed: { pads: ["LED_RED", "LED_GREEN"], bicolour: true }, // chosen, as the imp003
  environment: "ENVIRONMENT_MODULE",
  lightLevel: null,
  deepSleepMicroamps: 6, // chosen
};
