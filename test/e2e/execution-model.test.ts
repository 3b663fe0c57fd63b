// The execution model (/api/imp/onidle): top-level code to completion, then one event at a time —
// timers, pin callbacks, onidle, messages — never preempting; imp.sleep blocks and moves this
// device's time; a runaway event is stopped without touching the host or other devices.

import { describe, expect, it } from "vitest";
import { virtualIpAddress } from "../../src/device/wifi-network.ts";
import {
  boot,
  errors,
  logs,
  MS,
  SECOND,
  simulation,
  timeOfLog,
  wakes,
} from "./simulation-fixture.ts";

describe("execution model", () => {
  it("runs top-level code to completion before any callback, then timers in time order", async () => {
    const { sim, device } = boot(`
      imp.wakeup(0.3, function() { server.log("a 0.3"); });
      imp.wakeup(0.1, function() { server.log("b 0.1"); });
      imp.wakeup(0.1, function() { server.log("c 0.1"); });
      imp.wakeup(0, function() { server.log("d 0"); });
      imp.onidle(function() { server.log("e idle"); });
      local cancelled = imp.wakeup(0.2, function() { server.log("cancelled"); });
      imp.cancelwakeup(cancelled);
      server.log("top level done");`);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device)).toEqual([
      "top level done",
      "d 0",
      "e idle",
      "b 0.1",
      "c 0.1",
      "a 0.3",
    ]);
    const start = timeOfLog(sim, device, "top level done")!;
    expect(timeOfLog(sim, device, "b 0.1")! - start).toBe(100 * MS);
    expect(timeOfLog(sim, device, "a 0.3")! - start).toBe(300 * MS);
  });

  it("rounds imp.wakeup up to centiseconds", async () => {
    const { sim, device } = boot(
      `imp.wakeup(0.123, function() { server.log("fired"); }); server.log("set");`,
    );
    await sim.runFor(3 * SECOND);
    expect(timeOfLog(sim, device, "fired")! - timeOfLog(sim, device, "set")!).toBe(130 * MS);
  });

  it("fires onidle once, after the events already due", async () => {
    const { sim, device } = boot(`
      local n = 0;
      imp.onidle(function() { server.log("idle"); });
      function tick() { n++; server.log("tick " + n); if (n < 3) imp.wakeup(0, tick); }
      tick();`);
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual(["tick 1", "tick 2", "tick 3", "idle"]);
  });

  it("imp.sleep blocks the VM and moves virtual time; due timers wait for it", async () => {
    const { sim, device } = boot(`
      imp.wakeup(0.5, function() { server.log("timer at " + hardware.millis()); });
      local before = hardware.millis();
      imp.sleep(2);
      server.log("slept " + (hardware.millis() - before));`);
    await sim.runFor(5 * SECOND);
    const lines = logs(sim, device);
    expect(lines[0]).toBe("slept 2000");
    expect(lines[1]).toMatch(/^timer at \d+$/);
    // The timer came due during the sleep and ran only after it.
    expect(timeOfLog(sim, device, lines[1]!)!).toBe(timeOfLog(sim, device, "slept 2000")!);
  });

  it("calls a pin's state-change callback once per change, as a separate event", async () => {
    const { sim, device } = boot(`
      hardware.pinB.configure(DIGITAL_IN_PULLUP, function() { server.log("pinB now " + hardware.pinB.read()); });
      server.log("pinB starts " + hardware.pinB.read());`);
    await sim.runFor(2 * SECOND);
    device.drivePin("pinB", 0);
    await sim.runFor(1 * SECOND);
    device.drivePin("pinB", 0);
    device.drivePin("pinB", null);
    await sim.runFor(1 * SECOND);
    expect(logs(sim, device)).toEqual(["pinB starts 1", "pinB now 0", "pinB now 1"]);
  });

  it("drives output pins into the trace", async () => {
    const { sim, device } = boot(
      `
      local led = hardware.pin1;
      local state = 0;
      led.configure(DIGITAL_OUT, 0);
      function blink() { state = 1 - state; led.write(state); imp.wakeup(0.5, blink); }
      blink();`,
      { model: "imp001" },
    );
    await sim.runFor(4 * SECOND);
    const levels = sim.trace
      .ofKind("pin", device.id)
      .filter((e) => e.data.pin === "pin1")
      .map((e) => e.data.level);
    expect(levels.slice(0, 5)).toEqual([0, 1, 0, 1, 0]);
  });

  it("stops a runaway event, restarts that device, and leaves the other device untouched", async () => {
    const sim = simulation({ sliceTimeoutMs: 200 });
    const runaway = sim.addDevice({
      model: "imp003",
      firmware: `
        server.log("runaway wake " + hardware.wakereason());
        if (hardware.wakereason() == WAKEREASON_POWER_ON) imp.wakeup(1, function() { while (true) {} });`,
      powerOn: true,
    });
    const steady = sim.addDevice({
      model: "imp001",
      firmware: `
        local n = 0;
        function tick() { n++; server.log("tick " + n); imp.wakeup(1, tick); }
        tick();`,
      powerOn: true,
    });
    await sim.runFor(8 * SECOND);
    expect(wakes(sim, runaway)).toEqual(["WAKEREASON_POWER_ON", "WAKEREASON_SQUIRREL_ERROR"]);
    expect(errors(sim, runaway).some((e) => /runaway/.test(e))).toBe(true);
    expect(wakes(sim, steady)).toEqual(["WAKEREASON_POWER_ON"]);
    const ticks = sim.trace.ofKind("log", steady.id).map((e) => e.t);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(1 * SECOND);
  });

  it("one device's uncaught errors leave another's run alone", async () => {
    const sim = simulation();
    const crashing = sim.addDevice({
      model: "imp003",
      firmware: `imp.wakeup(0.5, function() { throw "boom"; });`,
      powerOn: true,
    });
    const steady = sim.addDevice({
      model: "imp003",
      firmware: `hardware.pinA.configure(DIGITAL_OUT, 1); server.log("up");`,
      powerOn: true,
    });
    await sim.runFor(20 * SECOND);
    expect(
      wakes(sim, crashing).filter((w) => w === "WAKEREASON_SQUIRREL_ERROR").length,
    ).toBeGreaterThanOrEqual(2);
    expect(wakes(sim, steady)).toEqual(["WAKEREASON_POWER_ON"]);
    expect(steady.pinLevel("pinA")).toBe(1);
  });

  // Under V8 the measurement also counts type feedback gathered as the runtime's functions warm
  // up, tens of kilobytes that arrive at moments the machine's load decides: once in a few dozen
  // loaded runs `after` was not below `before` (not reproduced alone). QuickJS only.
  it.skipIf(process.env.VIMP_TEST_ENGINE === "v8")(
    "reports imp.getmemoryfree() from the model's budget, shrinking as data grows",
    async () => {
      const { sim, device } = boot(`
      local before = imp.getmemoryfree();
      data <- [];
      for (local i = 0; i < 500; i++) data.push({ index = i, name = "item" + i });
      local after = imp.getmemoryfree();
      server.log("budget " + (before <= 131072) + " shrank " + (after < before));`);
      await sim.runFor(3 * SECOND);
      expect(logs(sim, device)).toEqual(["budget true shrank true"]);
    },
  );

  // Under the opt-in V8 engine the worker's heap also grows with the code V8 compiles and the
  // type feedback it gathers as functions warm up, which its measurement counts: this churn runs
  // an imp001 out of memory there (about 90-98 KB "grown"), so the first half is QuickJS only.
  it.skipIf(process.env.VIMP_TEST_ENGINE === "v8")(
    "runs a long session of short-lived objects that refer to each other on an imp001 without running out of memory",
    async () => {
      // What a test framework does all day: promises and handlers that point at each other, dropped
      // after each test. Only live data counts against the imp001's 85 KB.
      const churn = `
      local n = 0;
      function tick() {
        for (local i = 0; i < 40; i++) { local o = { i = i }; o.f <- function() { return o.i; }; }
        if (++n % 100 == 0) server.log("tick " + n + ", free " + (imp.getmemoryfree() > 80000 ? "over 80000" : imp.getmemoryfree()));
        imp.wakeup(0.1, tick);
      }
      tick();`;
      const { sim, device } = boot(churn, { model: "imp001" });
      await sim.runFor(33 * SECOND);
      expect(logs(sim, device).slice(0, 3)).toEqual(
        [100, 200, 300].map((n) => `tick ${n}, free over 80000`),
      );
      expect(wakes(sim, device)).toEqual(["WAKEREASON_POWER_ON"]);
    },
  );

  it("runs an imp001 out of memory when the same objects are kept", async () => {
    const leak = `
      kept <- [];
      function tick() {
        for (local i = 0; i < 40; i++) { local o = { i = i }; o.f <- function() { return o.i; }; kept.push(o); }
        imp.wakeup(0.1, tick);
      }
      tick();`;
    const leaking = boot(leak, { model: "imp001" });
    await leaking.sim.runFor(10 * SECOND);
    expect(wakes(leaking.sim, leaking.device)).toContain("WAKEREASON_SW_RESET");
    expect(errors(leaking.sim, leaking.device).some((e) => /out of memory/.test(e))).toBe(true);
  });

  it("shows the connection in imp.net.info(): no `active` or `ipv4` while disconnected, both once connected again", async () => {
    const { sim, device } = boot(
      `
      server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_TIL_SENT, 10);
      local before = imp.net.info();
      server.disconnect();
      local off = imp.net.info();
      local seen = ("active" in before) + " " + ("active" in off) + " " + ("ipv4" in off) + " " + off.interface[0].macaddress;
      server.connect(function(reason) {
        local on = imp.net.info();
        server.log(seen + " / " + reason + " " + on.active + " " + on.ipv4.address + " " + imp.getssid());
      });`,
      { model: "imp001" },
    );
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device)).toEqual([
      `true false false ${device.identity.macAddress} / 5 0 ${virtualIpAddress(device.identity.macAddress)} virtual-imp`,
    ]);
  });

  it("keeps math.rand reproducible: the same seed gives the same numbers", async () => {
    const firmware = `server.log(math.rand() + " " + math.rand());`;
    const first = boot(firmware, { simulation: { seed: "same" } });
    const second = boot(firmware, { simulation: { seed: "same" } });
    await first.sim.runFor(3 * SECOND);
    await second.sim.runFor(3 * SECOND);
    expect(logs(first.sim, first.device)).toEqual(logs(second.sim, second.device));
  });
});

describe("events that arrive while the VM is blocked", () => {
  it("waits with a deployment's reload until the blocked event returns", async () => {
    const { sim, device } = boot(`
      server.log("v1");
      imp.wakeup(1, function() { imp.sleep(10); server.log("v1 slept"); });`);
    // Deployed while v1 is inside imp.sleep: the restart comes after the sleep returns.
    sim.scheduler.at(3.5 * SECOND, () => sim.deploy(device, `server.log("v2");`));
    await sim.runFor(20 * SECOND);
    expect(logs(sim, device)).toEqual(["v1", "v1 slept", "v2"]);
  });

  it("stops a VM blocked in imp.sleep when the power goes, and the host carries on", async () => {
    const { sim, device } = boot(
      `server.log("up"); imp.wakeup(1, function() { imp.sleep(3600); server.log("never"); });`,
    );
    // Scheduled before the sleep begins (a run method returns only once a blocked event has).
    sim.scheduler.at(12 * SECOND, () => device.powerOff());
    await sim.runFor(20 * SECOND);
    expect(device.phase).toBe("off");
    expect(logs(sim, device)).toEqual(["up"]);
    device.powerOn();
    expect(await sim.runUntil(() => logs(sim, device).length === 2, 5 * SECOND)).toBe(true);
    expect(logs(sim, device)).toEqual(["up", "up"]);
  });
});

describe("loud gaps", () => {
  it("throws a Squirrel error naming what is not emulated", async () => {
    const { sim, device } = boot(`
      try { server.expectonlinein(10); } catch (e) { server.log(e); }`);
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual(["server.expectonlinein is not emulated yet"]);
  });

  it("server.factoryblinkup on a development device is not a factory imp (issue 4: no longer a gap)", async () => {
    const { sim, device } = boot(
      `server.factoryblinkup("ssid", "pw", hardware.pinA, 0); server.log("returned at once");`,
    );
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual(["returned at once"]);
    expect(sim.trace.ofKind("error", device.id).map((e) => e.data.message)).toEqual([
      "Factory BlinkUp request failed. This is not a factory imp.",
    ]);
  });
});
