// The device runtime bundle (dist/device-runtime.js, built from src/device/guest/): the Squirrel
// runtime plus the guest side of the imp API, evaluated in every device VM before its firmware.
import { loadBundle } from "../../sandbox/runtime-bundle.ts";

/** The name the bundle runs under in guest stack traces (the runtime leaves those frames out). */
export const DEVICE_RUNTIME_FILENAME = "vimp-device-runtime.js";

export function deviceRuntimeBundle(): string {
  return loadBundle("device-runtime.js", DEVICE_RUNTIME_FILENAME).code;
}
