// The device runtime bundle (dist/device-runtime.js, built from src/device/guest/): the Squirrel
// runtime plus the guest side of the imp API, evaluated in every device VM before its firmware.
import { loadBundle, type RuntimeBundle } from "../../sandbox/runtime-bundle.ts";

/** The name the bundle runs under in guest stack traces (the runtime leaves those frames out). */
export const DEVICE_RUNTIME_FILENAME = "vimp-device-runtime.js";

/** The bundle, read once per process: the same object each time, which the engine keys its snapshot by. */
export function deviceRuntimeBundle(): RuntimeBundle {
  return loadBundle("device-runtime.js", DEVICE_RUNTIME_FILENAME);
}
