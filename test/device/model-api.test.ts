// What differs in the imp API by model (issue 12): a member only some imps have is absent on the
// others, as on the real imp (the index error, and `in` says false), and loud ("not emulated")
// on the imps that have it, so firmware written for one module fails the way it would on another.
import { afterEach, describe, expect, it } from "vitest";
import type { ImpModel } from "../../src/device/models/index.ts";
import { bootDevice, type VirtualImp } from "../../src/testing/index.ts";

let imp: VirtualImp | null = null;
afterEach(async () => {
  await imp?.dispose();
  imp = null;
});

const PROBES = [
  "hardware.usb",
  "hardware.spiflash",
  "hardware.fixedfrequencydac",
  "hardware.pwmpairKD",
  "imp.getethernetspeed",
  "imp.net.getcellinfo",
  "imp.scanwifinetworks",
];

const FIRMWARE = `
  foreach (path in ${JSON.stringify(PROBES)}) {
    local parts = split(path, ".");
    local name = parts.top();
    local owner = parts.len() == 3 ? imp.net : (parts[0] == "imp" ? imp : hardware);
    local has = name in owner;
    try { local member = owner[name]; server.log(path + " " + has + " read"); }
    catch (e) { server.log(path + " " + has + " " + e); }
  }
  server.log("done");`;

async function probe(model: ImpModel["type"]): Promise<Record<string, string>> {
  imp = await bootDevice({ model, firmware: FIRMWARE });
  await imp.waitForLog("done", "5s");
  const seen: Record<string, string> = {};
  for (const line of imp.logs.slice(0, -1)) {
    const [path, ...rest] = line.split(" ");
    seen[path!] = rest.join(" ");
  }
  return seen;
}

const absent = (name: string) => `false the index '${name}' does not exist`;
const loud = (path: string) => `false ${path} is not emulated yet`;

describe("the imp API by model", () => {
  it("an imp001 has no USB, SPI flash, Ethernet or modem: those members do not exist", async () => {
    expect(await probe("imp001")).toEqual({
      "hardware.usb": absent("usb"),
      "hardware.spiflash": absent("spiflash"),
      "hardware.fixedfrequencydac": loud("hardware.fixedfrequencydac"),
      "hardware.pwmpairKD": absent("pwmpairKD"),
      "imp.getethernetspeed": absent("getethernetspeed"),
      "imp.net.getcellinfo": absent("getcellinfo"),
      "imp.scanwifinetworks": loud("imp.scanwifinetworks"),
    });
  });

  it("an imp005 has USB and Ethernet, loudly not emulated, and no fixed-frequency DAC or modem", async () => {
    expect(await probe("imp005")).toEqual({
      "hardware.usb": loud("hardware.usb"),
      "hardware.spiflash": loud("hardware.spiflash"),
      "hardware.fixedfrequencydac": absent("fixedfrequencydac"),
      "hardware.pwmpairKD": absent("pwmpairKD"),
      "imp.getethernetspeed": loud("imp.getethernetspeed"),
      "imp.net.getcellinfo": absent("getcellinfo"),
      "imp.scanwifinetworks": loud("imp.scanwifinetworks"),
    });
  });

  it("an imp006 has its modem's cell info, loudly not emulated, and no USB or Ethernet", async () => {
    expect(await probe("imp006")).toEqual({
      "hardware.usb": absent("usb"),
      "hardware.spiflash": loud("hardware.spiflash"),
      "hardware.fixedfrequencydac": absent("fixedfrequencydac"),
      "hardware.pwmpairKD": absent("pwmpairKD"),
      "imp.getethernetspeed": absent("getethernetspeed"),
      "imp.net.getcellinfo": loud("imp.net.getcellinfo"),
      "imp.scanwifinetworks": loud("imp.scanwifinetworks"),
    });
  });

  it("an imp003 has the paired PWM on K and D, loudly not emulated", async () => {
    const seen = await probe("imp003");
    expect(seen["hardware.pwmpairKD"]).toBe(loud("hardware.pwmpairKD"));
    expect(seen["hardware.usb"]).toBe(absent("usb"));
  });
});
