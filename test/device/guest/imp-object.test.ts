import { describe, expect, it } from "vitest";
import { imp003 } from "../../../src/device/models/imp003.ts";
import { ENVIRONMENTS } from "../../../src/device/shared/environments.ts";
import { CLEAR_CONFIGURATION_FLAGS } from "../../../src/device/shared/clear-configuration-flags.ts";
import { DEFAULT_SOFTWARE_VERSION } from "../../../src/device/guest/identity-info.ts";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { boot, run } = deviceTests();

describe("imp on the device", () => {
  it("should set a timer through the host and run its callback, with no arguments, when the host fires it", async () => {
    const { device, host, status } = await run(`
local count = 0;
function tick() {
  count++;
  server.log("tick " + count);
  if (count < 3) imp.wakeup(0.5, tick);
}
local t = imp.wakeup(1, tick);
server.log(typeof t);
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(["instance"]);
    for (let i = 0; i < 3; i++) {
      const [seconds, id] = host.callsTo("wakeup").at(-1)!;
      expect(seconds).toBe(i === 0 ? 1 : 0.5);
      expect(device.dispatch(id as number)).toBe(0);
    }
    expect(host.logs).toEqual(["instance", "tick 1", "tick 2", "tick 3"]);
    expect(host.callsTo("wakeup")).toHaveLength(3);
  });

  it("should cancel a timer so that it never fires, and ignore a cancel after it fired", async () => {
    const { device, host } = await run(`
local a = imp.wakeup(5, function() { server.log("a"); });
local b = imp.wakeup(6, function() { server.log("b"); });
imp.cancelwakeup(a);
imp.cancelwakeup(null);
getroottable().b <- b;
`);
    const [[, idA], [, idB]] = host.callsTo("wakeup");
    expect(host.callsTo("cancelWakeup")).toEqual([[idA]]);
    expect(device.dispatch(idA as number)).toBe(0);
    expect(device.dispatch(idB as number)).toBe(0);
    device.run("imp.cancelwakeup(b);", "later");
    expect(host.logs).toEqual(["b"]);
    expect(host.callsTo("cancelWakeup")).toEqual([[idA]]);
  });

  it("should refuse an interval out of range by name, and a non-timer to cancelwakeup", async () => {
    const { host } = await run(`
try { imp.wakeup(-1, function() {}); } catch (e) { server.log(e == "imp.wakeup(): -1 s is not an interval from 0 to 10737418 s"); }
try { imp.wakeup(10737419, function() {}); } catch (e) { server.log(e == "imp.wakeup(): 10737419 s is not an interval from 0 to 10737418 s"); }
try { imp.wakeup(1, "not a function"); } catch (e) { server.log(e); }
try { imp.cancelwakeup({}); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      "true",
      "true",
      "parameter 2 has an invalid type 'string' ; expected: 'function|function'", // the reference's text for the 'c' mask
      "imp.cancelwakeup(): expected a timer returned by imp.wakeup()",
    ]);
    expect(host.callsTo("wakeup")).toEqual([]);
  });

  it("should keep one onidle slot that fires once", async () => {
    const { device, host } = await run(`
imp.onidle(function() { server.log("first"); });
imp.onidle(function() { server.log("second"); });
`);
    const [[first], [second]] = host.callsTo("onIdle");
    expect(device.dispatch(first as number)).toBe(0);
    expect(device.dispatch(second as number)).toBe(0);
    expect(device.dispatch(second as number)).toBe(0);
    expect(host.logs).toEqual(["second"]);
    device.run("imp.onidle(null);", "later");
    expect(host.callsTo("onIdle").at(-1)).toEqual([0]);
  });

  it("should block in imp.sleep through the host", async () => {
    const { host } = await run(`
local before = hardware.millis();
imp.sleep(0.25);
server.log(hardware.millis() - before);
`);
    expect(host.callsTo("sleep")).toEqual([[0.25]]);
    expect(host.logs).toEqual(["250"]);
  });

  it("should show the imp's identity: MAC, info().type, environment, software version", async () => {
    const { host } = await run(`
server.log(imp.getmacaddress());
local info = imp.info();
server.log(typeof info + " " + info.type);
try { foreach (k, v in info) server.log(k); } catch (e) { server.log("no foreach"); }
server.log(imp.environment() == ENVIRONMENT_CARD);
server.log(imp.getsoftwareversion());
server.log(imp.getmemoryfree());
server.log(imp.getssid() + " " + imp.getbssid() + " " + imp.rssi() + " " + imp.getrssi());
`);
    expect(host.logs).toEqual([
      "0c2a69abcdef",
      "instance imp001",
      "no foreach",
      "true",
      DEFAULT_SOFTWARE_VERSION,
      "80000",
      "virtual-imp 020000000001 -55 -55",
    ]);
  });

  it("should say ENVIRONMENT_MODULE on an imp003 and take the host's software version", async () => {
    const host = new FakeHost();
    host.identity = { deviceId: "30000c2a69abcdef", macAddress: "0c2a69abcdef", type: "imp003", softwareVersion: "abc - release-43.1" };
    const { status } = await run(`
server.log(imp.info().type + " " + imp.environment() + " " + imp.getsoftwareversion());
`, { host, model: imp003 });
    expect(status).toBe(0);
    expect(host.logs).toEqual([`imp003 ${ENVIRONMENTS.ENVIRONMENT_MODULE} abc - release-43.1`]);
  });

  it("should read imp.configparams from the host each time, the same table while it is unchanged", async () => {
    const host = new FakeHost();
    host.configParams = JSON.stringify({ factoryfirmware: true, factory_imp: "0c2a69000001", n: 3, x: 1.5 });
    const device = await boot({ host });
    device.run(`
local c = imp.configparams;
server.log(("factoryfirmware" in c) + " " + c.factoryfirmware + " " + c.factory_imp + " " + typeof c.n + " " + typeof c.x);
server.log(c == imp.configparams);
getroottable().first <- c;
`);
    host.configParams = "{}";
    device.run(`server.log(imp.configparams.len() + " " + (first == imp.configparams));`, "later");
    expect(host.logs).toEqual(["true true 0c2a69000001 integer float", "true", "0 false"]);
  });

  it("should pass blinkup, power-save and clear-configuration calls on", async () => {
    const { host, status } = await run(`
imp.enableblinkup(false);
imp.setpowersave(true);
imp.clearconfiguration();
imp.clearconfiguration(CONFIG_WIFI);
`);
    expect(status).toBe(0);
    expect(host.calls).toEqual([
      ["enableBlinkUp", false],
      ["setPowerSave", true],
      ["clearConfiguration", CLEAR_CONFIGURATION_FLAGS.CONFIG_ALL],
      ["clearConfiguration", CLEAR_CONFIGURATION_FLAGS.CONFIG_WIFI],
    ]);
  });

  it("should end the run at imp.reset(): no try catches it and nothing after it runs", async () => {
    const { host, status } = await run(`
try {
  imp.reset();
  server.log("after reset");
} catch (e) {
  server.log("caught " + e);
}
server.log("after try");
`);
    expect(status).toBe(0);
    expect(host.calls).toEqual([["reset"]]);
  });

  it("should deep sleep without a flush through imp.deepsleepfor and imp.deepsleepuntil", async () => {
    const host = new FakeHost();
    host.rtc = Date.UTC(2024, 0, 1, 10, 0, 0) / 1000; // a Monday, 10:00 UTC
    const device = await boot({ host });
    expect(device.run("imp.deepsleepfor(120.5); server.log(1);")).toBe(0);
    expect(device.run("imp.deepsleepuntil(11, 30);", "b")).toBe(0);
    expect(host.callsTo("deepSleep")).toEqual([[120.5, false, null], [5400, false, null]]);
    expect(host.logs).toEqual([]);
  });

  it("should make the imp members it lacks loud", async () => {
    const { host } = await run(`
foreach (name in ["net", "getchannel", "setsendbuffersize", "getuserconfiguration", "setpoweren"]) {
  try { imp[name]; } catch (e) { server.log(e); }
}
try { imp.nosuch(); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      "imp.net is not emulated yet",
      "imp.getchannel is not emulated yet",
      "imp.setsendbuffersize is not emulated yet",
      "imp.getuserconfiguration is not emulated yet",
      "imp.setpoweren is not emulated yet",
      "the index 'nosuch' does not exist",
    ]);
  });

  it("should seed math.rand from the boot info, so the same seed draws the same numbers", async () => {
    const draw = "server.log(math.rand() + \" \" + rand() + \" \" + math.rand());";
    const a = await run(draw, { boot: { randomSeed: 42 } });
    const b = await run(draw, { boot: { randomSeed: 42 } });
    const c = await run(draw, { boot: { randomSeed: 43 } });
    expect(a.host.logs).toEqual(b.host.logs);
    expect(a.host.logs).not.toEqual(c.host.logs);
    const [x, y, z] = a.host.logs[0]!.split(" ");
    expect(new Set([x, y, z]).size).toBe(3); // rand() and math.rand() draw from one generator
  });
});
