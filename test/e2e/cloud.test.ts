// The device and the development cloud (/resources/imp-boot-procedure message sequence, /api/server/onshutdown, /api/server/setsendtimeoutpolicy): polite
// deployment, running cached code when the cloud does not answer, send-timeout policies,
// messages between device and agent.

import { describe, expect, it } from "vitest";
import { SHUTDOWN_REASONS } from "../../src/device/shared/shutdown-reasons.ts";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";
import { SEND_ERRORS } from "../../src/device/shared/send-errors.ts";
import { boot, errors, lifecycle, logs, SECOND, simulation, wakes } from "./simulation-fixture.ts";

describe("the device and its cloud", () => {
  it("defers new Squirrel through server.onshutdown until the firmware restarts", async () => {
    const { sim, device } = boot(`
      server.log("v1 wake " + hardware.wakereason());
      server.onshutdown(function(reason) {
        server.log("shutdown asked: " + reason);
        imp.wakeup(5, function() { server.log("work done"); server.restart(); });
      });`);
    await sim.runFor(3 * SECOND);
    sim.deploy(device, `server.log("v2 wake " + hardware.wakereason());`);
    await sim.runFor(3 * SECOND);
    // Still v1, busy with its work.
    expect(logs(sim, device)).toEqual([
      "v1 wake 0",
      `shutdown asked: ${SHUTDOWN_REASONS.SHUTDOWN_NEWSQUIRREL}`,
    ]);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device)).toEqual([
      "v1 wake 0",
      `shutdown asked: ${SHUTDOWN_REASONS.SHUTDOWN_NEWSQUIRREL}`,
      "work done",
      `v2 wake ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`,
    ]);
    expect(lifecycle(sim, device)).toContain("shutdown:1:deferred");
  });

  it("restarts at once when the deployment is forced, handler or not", async () => {
    const { sim, device } = boot(`
      server.log("wake " + hardware.wakereason());
      server.onshutdown(function(reason) { server.log("asked"); });`);
    await sim.runFor(3 * SECOND);
    sim.deploy(device, `server.log("forced in " + hardware.wakereason());`, { force: true });
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual([
      "wake 0",
      `forced in ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`,
    ]);
  });

  it("runs the code it holds 10 s after it began connecting when the cloud does not answer", async () => {
    const { sim, device } = boot(
      `hardware.pinA.configure(DIGITAL_OUT, 1); server.log("wake " + hardware.wakereason());`,
    );
    await sim.runFor(5 * SECOND);
    device.powerOff();
    sim.cloud.setReachable(false);
    await sim.runFor(1 * SECOND);
    const poweredOn = sim.now;
    device.powerOn();
    // The cloud comes back 20 s after power-on, while the firmware's log line waits for it.
    sim.scheduler.at(poweredOn + 20 * SECOND, () => sim.cloud.setReachable(true));
    await sim.runFor(30 * SECOND);
    const wake = sim.trace.ofKind("wake", device.id)[1]!;
    expect(wake.data.name).toBe("WAKEREASON_POWER_ON");
    expect(wake.t - poweredOn).toBe(10 * SECOND);
    const pinA = sim.trace
      .ofKind("pin", device.id)
      .filter((e) => e.data.pin === "pinA" && e.data.level === 1);
    expect(pinA[1]!.t).toBe(wake.t);
    // Meanwhile impOS kept trying: the LED showed the server step of connecting (red/orange).
    expect(device.ledAt(poweredOn + 5 * SECOND).state).toBe("connectingToServer");
    // The firmware's line (SUSPEND_ON_ERROR: Squirrel halted) went out once the cloud was back.
    const lines = sim.trace.ofKind("log", device.id);
    expect(lines.map((e) => e.data.message)).toEqual(["wake 0", "wake 0"]);
    expect(lines[1]!.t).toBeGreaterThan(poweredOn + 20 * SECOND);
    expect(device.isConnected).toBe(true);
  });

  it("waits for the cloud when it holds no code (Activated, no Squirrel)", async () => {
    const sim = simulation();
    const device = sim.addDevice({ model: "imp003", deviceGroup: "empty", powerOn: true });
    await sim.runFor(20 * SECOND);
    expect(device.bootState).toBe("activated-no-squirrel");
    expect(wakes(sim, device)).toEqual([]);
    sim.deploy("empty", `server.log("first code, wake " + hardware.wakereason());`);
    await sim.runFor(2 * SECOND);
    expect(logs(sim, device)).toEqual([`first code, wake ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`]);
    expect(device.bootState).toBe("activated-with-squirrel");
  });

  it("returns SEND_ERROR_NOT_CONNECTED offline under RETURN_ON_ERROR and calls server.connect's callback", async () => {
    const { sim, device } = boot(`
      server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
      server.disconnect();
      local offline = server.log("lost line");
      server.connect(function(reason) {
        server.log("offline log gave " + offline + ", connect gave " + reason + ", connected " + server.isconnected());
      }, 30);`);
    await sim.runFor(10 * SECOND);
    expect(logs(sim, device)).toEqual([
      `offline log gave ${SEND_ERRORS.SEND_ERROR_NOT_CONNECTED}, connect gave 5, connected true`,
    ]);
  });

  it("halts Squirrel under SUSPEND_ON_ERROR while it reconnects for a send", async () => {
    const { sim, device } = boot(`
      server.disconnect();
      local before = hardware.millis();
      server.log("connected " + server.isconnected());
      server.log("halted for " + (hardware.millis() - before));`);
    await sim.runFor(10 * SECOND);
    // Joining WiFi, an address, the name, the server: 1.2 s of virtual time with Squirrel halted.
    expect(logs(sim, device)).toEqual(["connected false", "halted for 1200"]);
  });

  it("snoozes when SUSPEND_ON_ERROR cannot connect within a minute, and wakes with WAKEREASON_SNOOZE", async () => {
    const { sim, device } = boot(`
      if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.onidle(function() { server.sleepfor(5); });
      else server.log("awake, wake " + hardware.wakereason());`);
    await sim.runFor(3 * SECOND);
    sim.cloud.setReachable(false);
    await sim.runFor(15 * 60 * SECOND);
    expect(wakes(sim, device).slice(0, 3)).toEqual([
      "WAKEREASON_POWER_ON",
      "WAKEREASON_TIMER",
      "WAKEREASON_SNOOZE",
    ]);
    const sleeps = sim.trace.ofKind("sleep", device.id);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it("hands agent messages to agent.on handlers and logs an error when none listens", async () => {
    const { sim, device } = boot(`
      agent.on("set", function(value) { server.log("set " + value.level + " " + typeof value.level); });
      agent.send("hello", { greeting = "hi", count = 3 });`);
    await sim.runFor(3 * SECOND);
    expect(sim.cloud.agentMessages.map((m) => m.name)).toEqual(["hello"]);
    sim.cloud.sendToDevice(device.id, "set", JSON.stringify({ t: [["level", 7]] }));
    sim.cloud.sendToDevice(device.id, "nobody", "null");
    await sim.runFor(1 * SECOND);
    expect(logs(sim, device)).toEqual(["set 7 integer"]);
    expect(errors(sim, device)).toEqual(["no handler for device.send()"]);
    expect(
      sim.trace.ofKind("message", device.id).map((e) => `${e.data.direction} ${e.data.name}`),
    ).toEqual(["to-agent hello", "to-device set", "to-device nobody"]);
  });

  it("syncs the RTC from the cloud: time() and date() read the simulation's start time", async () => {
    const { sim, device } = boot(
      `local d = date(); server.log(d.year + "-" + (d.month + 1) + "-" + d.day);`,
      {
        simulation: { startTime: new Date("2024-06-15T12:00:00Z") },
      },
    );
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual(["2024-6-15"]);
  });
});
