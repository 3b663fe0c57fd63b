// The device runtime bundle (dist/device-runtime.js, built from src/device/guest/): the Squirrel
// runtime plus the guest side of the imp API, evaluated in every device VM before its firmware.
// Read once per process, like the plain runtime bundle (sandbox/runtime-bundle.ts).
import { readFileSync } from "node:fs";

/** Next to the bundled library in dist/, or two levels up from src/device/. */
const CANDIDATES = [new URL("./device-runtime.js", import.meta.url), new URL("../../dist/device-runtime.js", import.meta.url)];

/** The name the bundle runs under in guest stack traces (the runtime leaves those frames out). */
export const DEVICE_RUNTIME_FILENAME = "vimp-device-runtime.js";

let cached: string | undefined;

export function deviceRuntimeBundle(): string {
  if (cached !== undefined) return cached;
  for (const url of CANDIDATES) {
    try {
      cached = readFileSync(url, "utf8");
      return cached;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new Error("the device runtime bundle dist/device-runtime.js is missing: run `npm run build`");
}
