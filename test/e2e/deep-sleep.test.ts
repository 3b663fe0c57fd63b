// Deep sleep (/api/imp/deepsleepfor, /resources/imp-boot-procedure warm boot): the VM goes, pins tri-state but the wake pin,
// the imp wakes by timer or by its wake pin rising, nv and the RTC are kept, and Squirrel runs
// at once, offline.

import { describe, expect, it } from "vitest";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";
import { boot, lifecycle, logs, SECOND } from "./simulation-fixture.ts";

describe("deep sleep", () => {
  it("server.sleepfor: a warm boot by timer, nv kept, offline until firmware sends", async () => {
    const { sim, device } = boot(`
      if (!("nv" in getroottable())) nv <- { count = 0 };
      nv.count++;
      server.log("wake " + hardware.wakereason() + " count " + nv.count + " connected " + server.isconnected());
      if (nv.count < 3) imp.onidle(function() { server.sleepfor(60); });`);
    await sim.runFor(200 * SECOND);
    expect(lifecycle(sim, device)).toEqual([
      "power:on",
      "boot:cold",
      "wake:WAKEREASON_POWER_ON",
      "sleep",
      "boot:warm",
      "wake:WAKEREASON_TIMER",
      "sleep",
      "boot:warm",
      "wake:WAKEREASON_TIMER",
    ]);
    // isconnected() is read before server.log connects (SUSPEND_ON_ERROR connects for the log itself).
    expect(logs(sim, device)).toEqual([
      "wake 0 count 1 connected true",
      "wake 1 count 2 connected false",
      "wake 1 count 3 connected false",
    ]);
    const sleeps = sim.trace.ofKind("sleep", device.id);
    const warmWakes = sim.trace.ofKind("wake", device.id).slice(1);
    expect(warmWakes[0]!.t - sleeps[0]!.t).toBe(60 * SECOND);
    expect(sleeps[0]!.data.wakeAt).toBe(warmWakes[0]!.t);
    expect(device.phase).toBe("running");
  });

  it("a warm boot starts Squirrel at once, without connecting", async () => {
    const { sim, device } = boot(`
      server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { imp.deepsleepfor(10); });
      else hardware.pinA.configure(DIGITAL_OUT, 1);`);
    await sim.runFor(30 * SECOND);
    const warm = sim.trace.ofKind("boot", device.id).find((e) => e.data.boot === "warm")!;
    const wake = sim.trace.ofKind("wake", device.id)[1]!;
    expect(wake.t).toBe(warm.t);
    expect(device.pinLevel("pinA")).toBe(1);
    expect(sim.trace.ofKind("connect", device.id)).toHaveLength(1); // the cold boot's only
    expect(device.isConnected).toBe(false);
  });

  it("wakes on the wake pin rising (imp003 pin W) with WAKEREASON_PIN, nv kept", async () => {
    const { sim, device } = boot(`
      if (!("nv" in getroottable())) nv <- { count = 0 };
      nv.count++;
      hardware.pinW.configure(DIGITAL_IN_WAKEUP);
      hardware.pinA.configure(DIGITAL_OUT, 1);
      server.log("wake " + hardware.wakereason() + " count " + nv.count);
      if (nv.count == 1) imp.onidle(function() { imp.deepsleepfor(3600); });`);
    await sim.runFor(5 * SECOND);
    expect(device.phase).toBe("sleeping");
    // Asleep: every pin tri-stated except the wake pin, which keeps its pull-down.
    expect(device.pinLevel("pinA")).toBe("z");
    expect(device.pin("pinW").mode).toBe("DIGITAL_IN_WAKEUP");
    await sim.runFor(25 * SECOND);
    device.drivePin("pinW", 1);
    await sim.runFor(5 * SECOND);
    expect(lifecycle(sim, device).slice(-3)).toEqual(["sleep", "boot:warm", "wake:WAKEREASON_PIN"]);
    expect(logs(sim, device)).toEqual([
      "wake 0 count 1",
      `wake ${WAKE_REASONS.WAKEREASON_PIN} count 2`,
    ]);
  });

  it("a wake pin already high keeps the imp from sleeping: it wakes at once", async () => {
    const { sim, device } = boot(`
      hardware.pinW.configure(DIGITAL_IN_WAKEUP);
      server.log("wake " + hardware.wakereason());
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { imp.deepsleepfor(3600); });`);
    await sim.runFor(1.2 * SECOND);
    device.drivePin("pinW", 1);
    await sim.runFor(10 * SECOND);
    expect(logs(sim, device)).toEqual(["wake 0", `wake ${WAKE_REASONS.WAKEREASON_PIN}`]);
  });

  it("the RTC runs on through deep sleep", async () => {
    const { sim, device } = boot(`
      if (!("nv" in getroottable())) nv <- { before = time() };
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { nv.before = time(); server.sleepfor(300); });
      else server.log("slept " + (time() - nv.before));`);
    await sim.runFor(400 * SECOND);
    expect(logs(sim, device)).toEqual(["slept 300"]);
  });

  it("nv that does not fit is the sleep call's error", async () => {
    const { sim, device } = boot(`
      nv <- { big = blob(5000).tostring() };
      try { imp.deepsleepfor(10); } catch (e) { server.log("caught: " + e); }`);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device)[0]).toMatch(/^caught: .*nv/);
    expect(device.phase).toBe("running");
  });
});
