import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/sim/simulation.ts";
import { MICROS_PER_SECOND } from "../../src/sim/scheduler.ts";

describe("smoke", () => {
  it("boots and logs", async () => {
    const sim = new Simulation();
    const device = sim.addDevice({ model: "imp003", firmware: 'server.log("hello " + hardware.wakereason());\nimp.wakeup(1, function() { server.log("tick"); });' });
    device.powerOn();
    await sim.runFor(5 * MICROS_PER_SECOND);
    console.log(sim.trace.toJSONLines());
    await sim.dispose();
  });
});
