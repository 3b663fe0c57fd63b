// Members the imp has that the emulator does not, by object. Reading one throws a Squirrel
// error naming it (`hardware.vbat is not emulated yet`). The README's "What the virtual imp
// emulates" table lists the same names; test/readme-emulation.test.ts keeps the two in step.

/** `hardware` members (/api/hardware). `lightlevel` is added on models without the sensor. */
export const HARDWARE_NOT_EMULATED = [
  "fixedfrequencydac",
  "sampler",
  "spiflash",
  "pwmpairKD",
  "vbat",
  "usb",
];

/** Pin members (/api/hardware): the PTPG delay. */
export const PIN_NOT_EMULATED = ["getdelay"];

/** Bus members, by kind of bus. */
export const BUS_NOT_EMULATED: Readonly<Record<"i2c" | "spi" | "uart", readonly string[]>> = {
  i2c: [],
  spi: ["chipselect"],
  uart: ["setrxfifosize", "settxfifosize"],
};

/** `imp` members (/api/imp, editor API lists). */
export const IMP_NOT_EMULATED = [
  "scanwifinetworks",
  "getcountry",
  "setcountry",
  "getbootromversion",
  "getpowersave",
  "setsendbuffersize",
  "getpoweren",
  "setpoweren",
  "setwificonfiguration",
  "setenroltokens",
  "setnvramimage",
  "setproxy",
  "setstaticnetworkconfiguration",
  "getuserconfiguration",
  "setuserconfiguration",
  "enablerescuepin",
  "getethernetspeed",
];

/** `imp.net` members. */
export const IMP_NET_NOT_EMULATED = ["setwifihints", "getcellinfo"];

/** `server` members of the device's imp (/api/server). */
export const SERVER_NOT_EMULATED = ["connectwith", "expectonlinein", "expectonlineat"];

/**
 * The names above that only some imps have (each model file says which it has: `otherHardware`,
 * `apiMembers`). On a model without one the member is absent, as on that imp: reading it gives
 * Squirrel's "the index '<name>' does not exist" and `"usb" in hardware` is false. The rest
 * every model has.
 */
export const MODEL_SPECIFIC = {
  // /api/hardware/fixedfrequencydac, /api/hardware/sampler: imp001, imp002, imp003;
  // /api/hardware/spiflash: imp003 on; /api/hardware/usb: imp005; pwmpairKD: imp003's pins K, D.
  hardware: ["fixedfrequencydac", "sampler", "spiflash", "pwmpairKD", "usb"],
  // /api/imp/getethernetspeed: the imp005's Ethernet.
  imp: ["getethernetspeed"],
  // /api/imp/net/getcellinfo: imps with a cellular modem (imp006, impC001).
  impNet: ["getcellinfo"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** What reads as "not emulated" on a model that has `has` of the model-specific `specific` names. */
export function notEmulatedOn(
  all: readonly string[],
  specific: readonly string[],
  has: readonly string[],
): string[] {
  return all.filter((name) => !specific.includes(name) || has.includes(name));
}
