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
server.log(typeof t + " " + type(t));
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(["meta meta"]);
    for (let i = 0; i < 3; i++) {
      const [seconds, id] = host.callsTo("wakeup").at(-1)!;
      expect(seconds).toBe(i === 0 ? 1 : 0.5);
      expect(device.dispatch(id as number)).toBe(0);
    }
    expect(host.logs).toEqual(["meta meta", "tick 1", "tick 2", "tick 3"]);
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
server.log(typeof info + " " + type(info) + " " + info.type);
try { foreach (k, v in info) server.log(k); } catch (e) { server.log("no foreach"); }
server.log(imp.environment() == ENVIRONMENT_CARD);
server.log(imp.getsoftwareversion());
server.log(imp.getmemoryfree());
server.log(imp.getssid() + " " + imp.getbssid() + " " + imp.rssi() + " " + imp.getrssi());
`);
    expect(host.logs).toEqual([
      "0c2a69abcdef",
      "meta meta imp001",
      "no foreach",
      "true",
      DEFAULT_SOFTWARE_VERSION,
      "80000",
      "virtual-imp 020000000001 -55 -55",
    ]);
  });

  it("should say ENVIRONMENT_MODULE on an imp003 and take the host's software version", async () => {
    const host = new FakeHost();
    host.identity = {
      deviceId: "30000c2a69abcdef",
      macAddress: "0c2a69abcdef",
      type: "imp003",
      softwareVersion: "abc - release-43.1",
    };
    const { status } = await run(
      `
server.log(imp.info().type + " " + imp.environment() + " " + imp.getsoftwareversion());
`,
      { host, model: imp003 },
    );
    expect(status).toBe(0);
    expect(host.logs).toEqual([`imp003 ${ENVIRONMENTS.ENVIRONMENT_MODULE} abc - release-43.1`]);
  });

  it("should read imp.configparams from the host each time, the same table while it is unchanged", async () => {
    const host = new FakeHost();
    host.configParams = JSON.stringify({
      factoryfirmware: true,
      factory_imp: "0c2a69000001",
      n: 3,
      x: 1.5,
    });
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
    expect(host.callsTo("deepSleep")).toEqual([
      [120.5, false, null],
      [5400, false, null],
    ]);
    expect(host.logs).toEqual([]);
  });

  it("should make the imp members it lacks loud", async () => {
    const { host } = await run(`
foreach (name in ["scanwifinetworks", "setsendbuffersize", "getuserconfiguration", "setpoweren"]) {
  try { imp[name]; } catch (e) { server.log(e); }
}
try { imp.net.setwifihints("020000000001", 6); } catch (e) { server.log(e); }
try { imp.nosuch(); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      "imp.scanwifinetworks is not emulated yet",
      "imp.setsendbuffersize is not emulated yet",
      "imp.getuserconfiguration is not emulated yet",
      "imp.setpoweren is not emulated yet",
      "imp.net.setwifihints is not emulated yet",
      "the index 'nosuch' does not exist",
    ]);
  });

  it("should seed math.rand from the boot info, so the same seed draws the same numbers", async () => {
    const draw = 'server.log(math.rand() + " " + rand() + " " + math.rand());';
    const a = await run(draw, { boot: { randomSeed: 42 } });
    const b = await run(draw, { boot: { randomSeed: 42 } });
    const c = await run(draw, { boot: { randomSeed: 43 } });
    expect(a.host.logs).toEqual(b.host.logs);
    expect(a.host.logs).not.toEqual(c.host.logs);
    const [x, y, z] = a.host.logs[0]!.split(" ");
    expect(new Set([x, y, z]).size).toBe(3); // rand() and math.rand() draw from one generator
  });
});

describe("imp API objects as impUnit sees them", () => {
  it('should call blobs, pins, buses, timers and imp.info() "meta" in type(), while typeof names a blob "blob"', async () => {
    const { host } = await run(`
local things = [blob(2), hardware.pin1, hardware.i2c89, imp.wakeup(1, function() {}), imp.info()];
foreach (x in things) server.log(type(x) + " " + typeof x);
server.log(type({}) + " " + type([]) + " " + type(hardware) + " " + type(1) + " " + type("s"));
class MyClass {}
server.log(type(MyClass()) + " " + typeof MyClass());
`);
    expect(host.logs).toEqual([
      "meta blob",
      "meta meta",
      "meta meta",
      "meta meta",
      "meta meta",
      "table array table integer string",
      "instance instance",
    ]);
  });

  it("should let impUnit's deep comparison compare blobs by content (the meta branch of assertDeepEqual)", async () => {
    // The switch of electricimp/impUnit's ImpTestCase._assertDeepEqual, reduced to what decides here.
    const { host } = await run(`
function deepEqual(a, b) {
  if (typeof a != typeof b) return "types differ";
  switch (type(a)) {
    case "meta":
      if (typeof a == "blob") return a.len() == b.len() && crypto.equals(a, b) ? "equal" : "blobs differ";
      return a == b ? "equal" : "differ";
    default:
      return a == b ? "equal" : "differ";
  }
}
local x = blob(3), y = blob(3), z = blob(3);
x.writestring("abc"); y.writestring("abc"); z.writestring("abd");
server.log(deepEqual(x, y) + " " + deepEqual(x, z));
`);
    expect(host.logs).toEqual(["equal blobs differ"]);
  });
});

describe("crypto on the device", () => {
  const hex = `function hex(b) { local s = ""; foreach (v in b) s += format("%02x", v); return s; }\n`;

  it("should hash strings and blobs with sha256 and hmacsha256 into 32-byte blobs (FIPS 180-2 and RFC 4231 vectors)", async () => {
    const { host } = await run(
      hex +
        `
local d = crypto.sha256("abc");
server.log(typeof d + " " + d.len() + " " + hex(d));
local b = blob(3); b.writestring("abc");
server.log(hex(crypto.sha256(b)) == hex(d));
server.log(hex(crypto.sha256("")));
server.log(hex(crypto.hmacsha256("what do ya want for nothing?", "Jefe")));
local k = blob(20); for (local i = 0; i < 20; i++) k[i] = 0x0b;
server.log(hex(crypto.hmacsha256("Hi There", k)));
`,
    );
    expect(host.logs).toEqual([
      "blob 32 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "true",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ]);
  });

  it("should compare strings and blobs by content with equals, and refuse anything else", async () => {
    const { host } = await run(`
local a = blob(2); a.writestring("hi");
server.log(crypto.equals(a, "hi") + " " + crypto.equals("hi", "ho") + " " + crypto.equals("hi", "hi!") + " " + crypto.equals("", blob(0)));
try { crypto.equals(1, "x"); } catch (e) { server.log(e); }
try { crypto.sha256({}); } catch (e) { server.log(e); }
try { crypto.equals(hardware.pin1, "x"); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      "true false false true",
      "parameter 1 has an invalid type 'integer' ; expected: 'string|instance'",
      "parameter 1 has an invalid type 'table' ; expected: 'string|instance'",
      "crypto.equals()'s first argument must be a string or a blob",
    ]);
  });

  it("should not have the agent-only members sign and verify", async () => {
    const { host } = await run(`
foreach (name in ["sign", "verify", "sha512", "md5"]) server.log(name + " " + (name in crypto));
try { crypto.sign; } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      "sign false",
      "verify false",
      "sha512 false",
      "md5 false",
      "the index 'sign' does not exist",
    ]);
  });
});

describe("the WiFi network as the device sees it", () => {
  it("should give the configured SSID, and imp.net.info() with the WiFi interface, its MAC, and the connection's addresses", async () => {
    const host = new FakeHost();
    host.ssid = "factory-line-7";
    const { host: h } = await run(
      `
server.log(imp.getssid() + " " + imp.getbssid() + " " + imp.rssi());
local n = imp.net.info();
server.log(typeof n + " " + n.interface.len() + " " + n.interface[0].type + " " + n.interface[0].macaddress + " " + n.interface[0].ssid);
server.log(("active" in n) + " " + ("lasterror" in n) + " " + n.active + " " + n.ipv4.address + " " + n.ipv4.netmask + " " + n.ipv4.gateway + " " + n.ipv4.dnsserver[0]);
`,
      { host },
    );
    expect(h.logs).toEqual([
      "factory-line-7 020000000001 -55",
      "table 1 wifi 0c2a69abcdef factory-line-7",
      "true false 0 192.168.1.241 255.255.255.0 192.168.1.1 192.168.1.1",
    ]);
  });

  it("should give the channel and the WiFi hints of the access point, and empty hints without a configuration", async () => {
    const { host } = await run(`
server.log(imp.getchannel());
local h = imp.net.getwifihints();
server.log(h.bssid + " " + h.channel);
`);
    expect(host.logs).toEqual(["6", "020000000001 6"]);
    const unconfigured = new FakeHost();
    unconfigured.ssid = "";
    const { host: h2 } = await run(
      `local h = imp.net.getwifihints(); server.log("[" + h.bssid + "] " + h.channel);`,
      { host: unconfigured },
    );
    expect(h2.logs).toEqual(["[] -1"]);
  });

  it("should leave out `active` and `ipv4` while the imp is not connected, and give `lasterror`", async () => {
    const host = new FakeHost();
    host.connected = false;
    const { host: h } = await run(
      `
local n = imp.net.info();
server.log(("active" in n) + " " + ("ipv4" in n) + " " + n.interface[0].macaddress + " " + n.lasterror);
server.log(imp.net.info().lasterror == NO_SERVER);
`,
      { host },
    );
    expect(h.logs).toEqual(["false false 0c2a69abcdef 4", "true"]);
  });
});
