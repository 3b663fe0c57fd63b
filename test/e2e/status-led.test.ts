// The status LED through boot (/troubleshooting/blinkup): connecting patterns, flashing green online, dark once
// the BlinkUp window closes with Squirrel running, and imp.enableblinkup() keeping it on.

import { describe, expect, it } from "vitest";
import { boot, SECOND, simulation } from "./simulation-fixture.ts";

function states(sim: ReturnType<typeof simulation>, deviceId: string): string[] {
  return sim.trace.ofKind("led", deviceId).map((e) => e.data.state);
}

describe("status LED", () => {
  it("shows the connecting steps, flashes green online, and goes dark 60 s after a cold boot", async () => {
    const { sim, device } = boot(`server.log("running");`);
    await sim.runFor(90 * SECOND);
    expect(states(sim, device.id)).toEqual([
      "joiningWifi",
      "gettingIpAddress",
      "resolvingServer",
      "connectingToServer",
      "online",
      "off",
    ]);
    expect(device.ledAt(0.1 * SECOND)).toMatchObject({ state: "joiningWifi", colour: "red" });
    expect(device.ledAt(30 * SECOND).state).toBe("online");
    expect(["green", "off"]).toContain(device.ledAt(30 * SECOND).colour);
    const off = sim.trace.ofKind("led", device.id).at(-1)!;
    expect(off.t).toBe(60 * SECOND);
  });

  it("stays on after the window when firmware calls imp.enableblinkup(true)", async () => {
    const { sim, device } = boot(`imp.enableblinkup(true);`);
    await sim.runFor(90 * SECOND);
    expect(device.led.state).toBe("online");
  });

  it("goes dark when the CONNECTING window closes after imp.enableblinkup(false)", async () => {
    // A warm-booted imp connects later: its CONNECTING window shows status unless turned off.
    const { sim, device } = boot(`
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { server.sleepfor(1); });
      else { imp.enableblinkup(false); server.connect(); }`);
    await sim.runFor(10 * SECOND);
    const t = sim.now;
    expect(device.isConnected).toBe(true);
    // Warm start: IDLE, so the call applied at once and nothing shows.
    expect(device.ledAt(t).state).toBe("off");
  });

  it("flashes orange while unactivated and goes dark in deep sleep and without power", async () => {
    const sim = simulation();
    const device = sim.addDevice({
      model: "imp003",
      storage: { wifi: null, activated: false },
      powerOn: true,
    });
    await sim.runFor(100 * SECOND);
    expect(device.ledAt(sim.now - 250_000)).toMatchObject({ state: "unactivated" });
    const colours = new Set(
      [0, 250, 500, 750].map((ms) => device.ledAt(50 * SECOND + ms * 1000).colour),
    );
    expect(colours).toEqual(new Set(["orange", "off"]));
    device.powerOff();
    expect(device.led.state).toBe("off");
  });

  it("is dark while the imp sleeps", async () => {
    const { sim, device } = boot(
      `if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { imp.deepsleepfor(600); });`,
    );
    await sim.runFor(10 * SECOND);
    expect(device.phase).toBe("sleeping");
    expect(device.led.state).toBe("off");
  });
});
