#!/usr/bin/env node
// Fetches the StandardFirmata firmware the bridge tests run on an emulated ATmega328P: the
// prebuilt Arduino Uno .hex inside the avrgirl-arduino 5.0.1 npm tarball. `npm pack` fetches the
// tarball alone (none of the package's dependencies, among them a git one). The .hex goes to
// .cache/ (never committed); run once before `npm test`, as .ci/run does. Idempotent.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const STANDARD_FIRMATA_HEX = path.join(ROOT, ".cache", "StandardFirmata.uno.hex");
const PACKAGE = "avrgirl-arduino@5.0.1";
const INSIDE = "package/junk/hex/uno/StandardFirmata.cpp.hex";

if (existsSync(STANDARD_FIRMATA_HEX)) {
  console.log(`StandardFirmata: ${path.relative(ROOT, STANDARD_FIRMATA_HEX)} is already there`);
} else {
  const work = mkdtempSync(path.join(tmpdir(), "vimp-firmata-"));
  try {
    const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop();
    execFileSync("tar", ["xzf", path.join(work, tarball), "-C", work, INSIDE]);
    mkdirSync(path.dirname(STANDARD_FIRMATA_HEX), { recursive: true });
    renameSync(path.join(work, INSIDE), STANDARD_FIRMATA_HEX);
    console.log(
      `StandardFirmata: ${path.relative(ROOT, STANDARD_FIRMATA_HEX)} taken from ${PACKAGE}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
