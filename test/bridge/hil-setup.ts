// What the hardware-in-the-loop tests need and whether this machine has it: socat for a
// pseudo-terminal pair, and the StandardFirmata .hex that `npm run setup:hil` (run by .ci/run)
// takes out of the avrgirl-arduino tarball.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hasSocat } from "./pty-pair.ts";

export const STANDARD_FIRMATA_HEX = fileURLToPath(
  new URL("../../.cache/StandardFirmata.uno.hex", import.meta.url),
);

/** Why the bridge tests cannot run here, or null when they can. */
export function missingForHil(): string | null {
  if (!hasSocat()) return "socat is not installed (apt-get install socat)";
  if (!existsSync(STANDARD_FIRMATA_HEX))
    return "the StandardFirmata .hex is missing (npm run setup:hil)";
  return null;
}
