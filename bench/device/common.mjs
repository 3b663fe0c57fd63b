// What the device benchmarks share: the engine limits a device VM runs under (so the bare
// QuickJS side is measured under the same), a median, and a device that has booted and logged.
import { QUICKJS_MIN_MEMORY_LIMIT } from "../../dist/index.js";

/** A device VM's engine memory (src/device/device-vm.ts, DEVICE_VM_MEMORY_LIMIT): the bare side gets the same. */
export const VM_MEMORY_LIMIT = 2 * QUICKJS_MIN_MEMORY_LIMIT;
/** The per-slice deadline a device sets (DEFAULT_SLICE_TIMEOUT_MS): arming it costs the same on both sides. */
export const SLICE_TIMEOUT_MS = 10_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Records the wall time (performance.now()) at which each [Device] log line was logged, as the
 * host call happens: the firmware marks the moments to time with server.log().
 */
export function wallTimesOfLogs(sim) {
  const times = new Map();
  sim.trace.addListener((event) => {
    if (event.kind === "log" && event.data.source === "device")
      times.set(event.data.message, performance.now());
  });
  return times;
}

/** Runs the simulation until `message` has been logged; throws if it is not within `seconds` of virtual time. */
export async function runUntilLogged(sim, times, message, seconds = 600) {
  if (!(await sim.runUntil(() => times.has(message), seconds * 1_000_000))) {
    throw new Error(`the benchmark firmware never logged "${message}"`);
  }
  return times.get(message);
}
