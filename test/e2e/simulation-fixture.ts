// What the end-to-end tests share: a simulation with one or more devices running Squirrel, and
// readers of the trace in the imp's terms (log lines, wake reasons, LED states).

import { afterEach } from "vitest";
import {
  Simulation,
  type AddDeviceOptions,
  type SimulationOptions,
} from "../../src/world/simulation.ts";
import { MICROS_PER_MILLI, MICROS_PER_SECOND } from "../../src/sim/scheduler.ts";
import type { Device } from "../../src/device/device.ts";
import type { TraceEvent } from "../../src/sim/trace.ts";
import { engineUnderTest } from "../engine-under-test.ts";

export const SECOND = MICROS_PER_SECOND;
export const MS = MICROS_PER_MILLI;

const open: Simulation[] = [];

afterEach(async () => {
  for (const sim of open.splice(0)) await sim.dispose();
});

/** A simulation that is disposed after the test. */
export function simulation(options: SimulationOptions = {}): Simulation {
  const sim = new Simulation({ engine: engineUnderTest, ...options });
  open.push(sim);
  return sim;
}

/** A simulation with one powered device running `firmware`. */
export function boot(
  firmware: string,
  options: Partial<AddDeviceOptions> & { simulation?: SimulationOptions } = {},
): { sim: Simulation; device: Device } {
  const sim = simulation(options.simulation);
  const device = sim.addDevice({ model: "imp003", firmware, powerOn: true, ...options });
  return { sim, device };
}

/** The device's log lines ([Device] lines: server.log), in order. */
export function logs(sim: Simulation, device: Device): string[] {
  return sim.trace
    .ofKind("log", device.id)
    .filter((e) => e.data.source === "device")
    .map((e) => e.data.message);
}

/** The device's error lines (server.error and uncaught errors), in order. */
export function errors(sim: Simulation, device: Device): string[] {
  return sim.trace.ofKind("error", device.id).map((e) => e.data.message);
}

/** The wake reasons of every Squirrel start, by name. */
export function wakes(sim: Simulation, device: Device): string[] {
  return sim.trace.ofKind("wake", device.id).map((e) => e.data.name);
}

/** Every event of the device, as `kind` or `kind:detail` for the kinds a boot sequence is made of. */
export function lifecycle(sim: Simulation, device: Device): string[] {
  const out: string[] = [];
  for (const event of sim.trace.forDevice(device.id)) {
    const e = event as TraceEvent;
    switch (e.kind) {
      case "power":
        out.push(`power:${e.data.on ? "on" : "off"}`);
        break;
      case "boot":
        out.push(`boot:${e.data.boot}`);
        break;
      case "wake":
        out.push(`wake:${e.data.name}`);
        break;
      case "restart":
        out.push(`restart:${e.data.reason}`);
        break;
      case "sleep":
        out.push("sleep");
        break;
      case "shutdown":
        out.push(`shutdown:${e.data.reason}${e.data.deferred ? ":deferred" : ""}`);
        break;
    }
  }
  return out;
}

/** The time (µs) of the first log line equal to `message`, or undefined. */
export function timeOfLog(sim: Simulation, device: Device, message: string): number | undefined {
  return sim.trace.ofKind("log", device.id).find((e) => e.data.message === message)?.t;
}
