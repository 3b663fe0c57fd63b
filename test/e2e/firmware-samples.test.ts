// Every device sample in firmware-samples/ runs on a virtual imp.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FakeTemperatureSensor, TMP102_ADDRESS } from "../../src/device/i2c-temperature-sensor.ts";
import { logs, SECOND, simulation } from "./simulation-fixture.ts";

function sample(name: string): { source: string; file: string } {
  return {
    source: readFileSync(new URL(`../../firmware-samples/${name}`, import.meta.url), "latin1"),
    file: name,
  };
}

describe("firmware samples", () => {
  it("blink.device.nut toggles its LED every half second", async () => {
    const sim = simulation();
    const device = sim.addDevice({
      model: "imp001",
      firmware: sample("blink.device.nut"),
      powerOn: true,
    });
    await sim.runFor(12 * SECOND);
    expect(logs(sim, device)).toEqual(["blink starting, wake reason 0", "blinked 10 times"]);
    const edges = sim.trace.ofKind("pin", device.id).filter((e) => e.data.pin === "pin9");
    expect(edges.slice(1, 4).map((e) => e.t - edges[1]!.t)).toEqual([0, 0.5 * SECOND, 1 * SECOND]);
  });

  it("button.device.nut counts presses and lights its LED for a second", async () => {
    const sim = simulation();
    const device = sim.addDevice({
      model: "imp003",
      firmware: sample("button.device.nut"),
      powerOn: true,
    });
    await sim.runFor(2 * SECOND);
    for (const at of [0, 3]) {
      sim.scheduler.at(sim.now + at * SECOND, () => device.drivePin("pinW", 0));
      sim.scheduler.at(sim.now + (at + 0.2) * SECOND, () => device.drivePin("pinW", null));
    }
    await sim.runFor(0.5 * SECOND);
    expect(device.pinLevel("pinA")).toBe(1);
    await sim.runFor(5 * SECOND);
    expect(device.pinLevel("pinA")).toBe(0);
    expect(logs(sim, device)).toEqual(["button ready", "button pressed (1)", "button pressed (2)"]);
  });

  it("sleepy-logger.device.nut keeps readings in nv across deep sleep and reports every third wake", async () => {
    const sim = simulation();
    const device = sim.addDevice({ model: "imp001", firmware: sample("sleepy-logger.device.nut") });
    const sensor = new FakeTemperatureSensor(20);
    device.attachI2C("i2c89", TMP102_ADDRESS, sensor);
    device.powerOn();
    for (const celsius of [20, 21, 22, 23, 24, 25, 26]) {
      sensor.celsius = celsius;
      await sim.runFor(300 * SECOND);
    }
    expect(logs(sim, device)).toEqual([
      "wake 1: 20.00",
      "wake 3: 21.00, 22.00",
      "wake 6: 23.00, 24.00, 25.00",
    ]);
    expect(
      sim.trace
        .ofKind("wake", device.id)
        .map((e) => e.data.name)
        .slice(0, 3),
    ).toEqual(["WAKEREASON_POWER_ON", "WAKEREASON_TIMER", "WAKEREASON_TIMER"]);
  });
});
