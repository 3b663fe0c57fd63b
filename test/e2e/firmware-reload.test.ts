// Firmware booted again (a power cycle, a wake from deep sleep, another device of a line) starts
// from the engine's snapshot of it already loaded (src/device/host/device-vm.ts, `firmware`):
// every boot must look exactly like the first.
import { describe, expect, it } from "vitest";
import { errors, logs, SECOND, simulation } from "./simulation-fixture.ts";

const FIRMWARE = `local started = hardware.wakereason();
server.log("up " + started + " free>0 " + (imp.getmemoryfree() > 0));
imp.wakeup(1, function() {
  local t = { n = started };
  throw "failed after wake reason " + t.n;
});
`;

describe("firmware loaded again", () => {
  it("runs the same on every boot, with the same error lines, on one device and on the next", async () => {
    const sim = simulation();
    const first = sim.addDevice({ model: "imp003", firmware: FIRMWARE, powerOn: true });
    await sim.runFor(3 * SECOND);
    for (let cycle = 0; cycle < 2; cycle++) {
      first.powerOff();
      first.powerOn();
      await sim.runFor(3 * SECOND);
    }
    expect(logs(sim, first)).toEqual(["up 0 free>0 true", "up 0 free>0 true", "up 0 free>0 true"]);
    const perBoot = errors(sim, first).join("\n").split("failed after wake reason 0");
    expect(perBoot).toHaveLength(4);
    expect(new Set(perBoot.slice(1).map((s) => s.trim())).size).toBe(1);
    expect(perBoot[1]).toMatch(/device_code:5/);

    const second = sim.addDevice({ model: "imp003", firmware: FIRMWARE, powerOn: true });
    await sim.runFor(3 * SECOND);
    expect(logs(sim, second)).toEqual(["up 0 free>0 true"]);
    expect(errors(sim, second)).toEqual(errors(sim, first).slice(0, errors(sim, second).length));
  });
});
