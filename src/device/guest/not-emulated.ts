// Members the imp has that the emulator does not, by object. Reading one throws a Squirrel
// error naming it (`hardware.spiflash is not emulated yet`). The README's "What the virtual imp
// emulates" table lists the same names; test/readme-emulation.test.ts keeps the two in step.

/** `hardware` members (/api/hardware). `lightlevel` is added on models without the sensor. */
export const HARDWARE_NOT_EMULATED = ["fixedfrequencydac", "sampler", "spiflash", "pwmpairKD", "vbat", "usb"];

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
  "scanwifinetworks", "getcountry", "setcountry", "getbootromversion",
  "getpowersave", "setsendbuffersize", "getpoweren", "setpoweren", "setwificonfiguration",
  "setenroltokens", "setnvramimage", "setproxy", "setstaticnetworkconfiguration",
  "getuserconfiguration", "setuserconfiguration", "enablerescuepin", "getethernetspeed",
];

/** `imp.net` members. */
export const IMP_NET_NOT_EMULATED = ["setwifihints"];

/** `server` members of the device's imp (/api/server). */
export const SERVER_NOT_EMULATED = ["connectwith", "expectonlinein", "expectonlineat"];
