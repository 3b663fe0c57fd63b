// Issue 3, "How we will know": boot and wake reasons for every cause, nv kept or lost as
// /resources/imp-boot-procedure and /api/nv say, asserted on the trace of real virtual devices.

import { describe, expect, it } from "vitest";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";
import { boot, errors, lifecycle, logs, SECOND, simulation, wakes } from "./simulation-fixture.ts";

/** Logs the wake reason and an nv counter that survives only what nv survives. */
const COUNTING = `
if (!("nv" in getroottable())) nv <- { boots = 0 };
nv.boots++;
server.log("wake " + hardware.wakereason() + " boots " + nv.boots);
`;

describe("wake reasons", () => {
  it("power on: a cold boot that connects first, WAKEREASON_POWER_ON", async () => {
    const { sim, device } = boot(COUNTING);
    await sim.runFor(5 * SECOND);
    expect(lifecycle(sim, device)).toEqual(["power:on", "boot:cold", "wake:WAKEREASON_POWER_ON"]);
    expect(logs(sim, device)).toEqual(["wake 0 boots 1"]);
    // Squirrel started only after the connection and the code check (/resources/imp-boot-procedure, cold boot).
    const connected = sim.trace.ofKind("connect", device.id)[0]!.t;
    expect(sim.trace.ofKind("wake", device.id)[0]!.t).toBeGreaterThan(connected);
  });

  it("imp.reset(): a cold start with WAKEREASON_SW_RESET, nv lost", async () => {
    const { sim, device } = boot(`${COUNTING}
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.wakeup(1, function() { imp.reset(); });`);
    await sim.runFor(10 * SECOND);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "boot:cold",
      "wake:WAKEREASON_SW_RESET",
    ]);
    expect(logs(sim, device)).toEqual([
      "wake 0 boots 1",
      `wake ${WAKE_REASONS.WAKEREASON_SW_RESET} boots 1`,
    ]);
  });

  it("server.restart(): the VM restarts with WAKEREASON_SW_RESTART, no reboot", async () => {
    const { sim, device } = boot(`
      server.log("wake " + hardware.wakereason());
      if (hardware.wakereason() != WAKEREASON_SW_RESTART) imp.wakeup(1, function() { server.restart(); });`);
    await sim.runFor(10 * SECOND);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "restart:server.restart()",
      "wake:WAKEREASON_SW_RESTART",
    ]);
    expect(logs(sim, device)).toEqual(["wake 0", `wake ${WAKE_REASONS.WAKEREASON_SW_RESTART}`]);
  });

  it("an uncaught error: onunhandledexception has its say, then WAKEREASON_SQUIRREL_ERROR", async () => {
    const { sim, device } = boot(`
      imp.onunhandledexception(function(e) { server.log("handler saw: " + e); });
      server.log("wake " + hardware.wakereason());
      if (hardware.wakereason() != WAKEREASON_SQUIRREL_ERROR) imp.wakeup(1, function() { local t = {}; t.missing; });`);
    await sim.runFor(10 * SECOND);
    expect(wakes(sim, device)).toEqual(["WAKEREASON_POWER_ON", "WAKEREASON_SQUIRREL_ERROR"]);
    expect(logs(sim, device)).toEqual([
      "wake 0",
      "handler saw: the index 'missing' does not exist",
      `wake ${WAKE_REASONS.WAKEREASON_SQUIRREL_ERROR}`,
    ]);
    expect(errors(sim, device)[0]).toContain("the index 'missing' does not exist");
    expect(lifecycle(sim, device)).toContain("restart:uncaught Squirrel error");
  });

  it("an error at top level each run restarts with a growing pause", async () => {
    const { sim, device } = boot(`server.log("run"); throw "always";`);
    await sim.runFor(60 * SECOND);
    const starts = sim.trace.ofKind("wake", device.id).map((e) => e.t);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
  });

  it("out of memory: a de facto cold start with WAKEREASON_SW_RESET", async () => {
    const { sim, device } = boot(`
      server.log("wake " + hardware.wakereason());
      if (hardware.wakereason() == WAKEREASON_POWER_ON) {
        imp.wakeup(1, function() {
          local hog = [];
          while (true) hog.push("a string that takes room " + hog.len());
        });
      }`);
    await sim.runFor(15 * SECOND);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "boot:cold",
      "wake:WAKEREASON_SW_RESET",
    ]);
    expect(
      sim.trace
        .ofKind("error", device.id)
        .some((e) => e.data.source === "status" && /out of memory/.test(e.data.message)),
    ).toBe(true);
  });

  it("out of memory against the model's budget across events, not only the engine's", async () => {
    const { sim, device } = boot(`
      hog <- [];
      server.log("wake " + hardware.wakereason() + " free " + (imp.getmemoryfree() > 100000));
      if (hardware.wakereason() == WAKEREASON_POWER_ON) {
        function grow() { for (local i = 0; i < 200; i++) hog.push(format("%08d", hog.len())); imp.wakeup(0.05, grow); }
        grow();
      }`);
    await sim.runFor(120 * SECOND);
    expect(wakes(sim, device).slice(0, 2)).toEqual(["WAKEREASON_POWER_ON", "WAKEREASON_SW_RESET"]);
    expect(logs(sim, device)[0]).toBe("wake 0 free true");
  });

  it("power cycle: nv and the RTC lost, WAKEREASON_POWER_ON again", async () => {
    const { sim, device } = boot(COUNTING);
    await sim.runFor(5 * SECOND);
    device.powerOff();
    await sim.runFor(1 * SECOND);
    device.powerOn();
    await sim.runFor(5 * SECOND);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "power:off",
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
    ]);
    expect(logs(sim, device)).toEqual(["wake 0 boots 1", "wake 0 boots 1"]);
  });

  it("new Squirrel without an onshutdown handler: restart at once with WAKEREASON_NEW_SQUIRREL", async () => {
    const { sim, device } = boot(`server.log("v1 wake " + hardware.wakereason());`);
    await sim.runFor(5 * SECOND);
    sim.deploy(device, `server.log("v2 wake " + hardware.wakereason());`);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device)).toEqual([
      "v1 wake 0",
      `v2 wake ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`,
    ]);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "shutdown:1",
      "restart:new Squirrel",
      "wake:WAKEREASON_NEW_SQUIRREL",
    ]);
  });

  it("BlinkUp: 3 s of green, activation, then WAKEREASON_BLINKUP", async () => {
    const sim = simulation();
    const device = sim.addDevice({
      model: "imp001",
      firmware: `server.log("wake " + hardware.wakereason());`,
      storage: { wifi: null, activated: false },
    });
    device.powerOn();
    await sim.runFor(5 * SECOND);
    expect(device.bootState).toBe("unactivated");
    expect(device.led.state).toBe("unactivated");
    expect(device.ledAt(sim.now).colour).toMatch(/orange|off/);
    expect(wakes(sim, device)).toEqual([]);
    const t = sim.now;
    expect(
      device.blinkUp({ ssid: "home", password: "secret", planId: "plan", enrolmentToken: "token" }),
    ).toBe(true);
    expect(device.bootState).toBe("pending-activation");
    await sim.runFor(10 * SECOND);
    expect(device.ledAt(t + 1 * SECOND)).toMatchObject({ state: "blinkupOk", colour: "green" });
    expect(device.ledAt(t + 3.5 * SECOND).state).not.toBe("blinkupOk");
    expect(sim.trace.ofKind("enroll", device.id).map((e) => e.data.ok)).toEqual([true]);
    expect(device.bootState).toBe("activated-with-squirrel");
    expect(logs(sim, device)).toEqual([`wake ${WAKE_REASONS.WAKEREASON_BLINKUP}`]);
  });

  it("a new impOS: the update (LED green), then a cold boot with WAKEREASON_NEW_FIRMWARE", async () => {
    const { sim, device } = boot(
      `server.log("wake " + hardware.wakereason() + " on " + imp.getsoftwareversion());`,
    );
    await sim.runFor(5 * SECOND);
    const released = sim.now;
    sim.cloud.releaseImpOS("release-44.0");
    await sim.runFor(40 * SECOND);
    expect(logs(sim, device)[1]).toBe(
      `wake ${WAKE_REASONS.WAKEREASON_NEW_FIRMWARE} on release-44.0`,
    );
    expect(device.ledAt(released + 10 * SECOND).state).toBe("updatingImpOS");
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "shutdown:2",
      "restart:new impOS",
      "boot:cold",
      "wake:WAKEREASON_NEW_FIRMWARE",
    ]);
  });
});
