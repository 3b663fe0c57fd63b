// The README's "What the virtual imp emulates" table against the emulator's own lists of what
// it does not emulate (src/device/guest/not-emulated.ts): a member added to or removed from a
// list without the README following, or the other way round, fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BUS_NOT_EMULATED,
  HARDWARE_NOT_EMULATED,
  IMP_NET_NOT_EMULATED,
  IMP_NOT_EMULATED,
  PIN_NOT_EMULATED,
  SERVER_NOT_EMULATED,
} from "../src/device/guest/not-emulated.ts";

interface TableRow {
  readonly status: string;
  /** The names after "Not emulated:", `get/setX` spelled out as getX and setX. */
  readonly notEmulated: string[];
}

function emulationTable(): Map<string, TableRow> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.split("## What the virtual imp emulates")[1]?.split("\n## ")[0];
  if (section === undefined)
    throw new Error('README.md has no "What the virtual imp emulates" section');
  const rows = new Map<string, TableRow>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 5 || cells[1] === "Area" || cells[1]!.startsWith("---")) continue;
    const [, area, status, text] = cells;
    const listed = text!.split("Not emulated:")[1] ?? "";
    const names = [...listed.matchAll(/`([^`]+)`/g)].flatMap(([, name]) => {
      const pair = /^get\/set(.+)$/.exec(name!);
      return pair === null ? [name!] : [`get${pair[1]}`, `set${pair[1]}`];
    });
    rows.set(area!, { status: status!, notEmulated: names });
  }
  return rows;
}

const LISTS: readonly { area: string; code: readonly string[] }[] = [
  { area: "Pins (`hardware.pinX`)", code: PIN_NOT_EMULATED },
  { area: "I²C", code: BUS_NOT_EMULATED.i2c },
  { area: "SPI", code: BUS_NOT_EMULATED.spi },
  { area: "UART", code: BUS_NOT_EMULATED.uart },
  { area: "Other `hardware`", code: HARDWARE_NOT_EMULATED },
  {
    area: "`imp`",
    code: [...IMP_NOT_EMULATED, ...IMP_NET_NOT_EMULATED.map((name) => `net.${name}`)],
  },
  { area: "`server`", code: SERVER_NOT_EMULATED },
];

describe("the README's emulation table", () => {
  const table = emulationTable();

  it.each(LISTS)("$area lists exactly what the code does not emulate", ({ area, code }) => {
    const row = table.get(area);
    expect(row, `README row "${area}"`).toBeDefined();
    expect([...row!.notEmulated].sort()).toEqual([...code].sort());
    // "emulated" promises nothing missing; "partly" promises something is.
    expect(row!.status).toBe(code.length === 0 ? "emulated" : "partly");
  });
});
