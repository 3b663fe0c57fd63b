import { describe, expect, it } from "vitest";
import { BLINKUP_FLAGS } from "../../../src/device/shared/blinkup-flags.ts";
import { SEND_TIMEOUT_POLICIES, WAIT_POLICIES } from "../../../src/device/shared/send-policies.ts";
import { MAX_DEEP_SLEEP_SECONDS } from "../../../src/device/guest/deep-sleep.ts";
import { CONNECT_REASONS } from "../../../src/device/shared/connect-reasons.ts";
import { SHUTDOWN_REASONS } from "../../../src/device/shared/shutdown-reasons.ts";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { boot, run } = deviceTests();

describe("server on the device", () => {
  it("should log any value as print converts it, and print and error() go to the log too", async () => {
    const { host, status } = await run(`
server.log("text");
server.log(42);
server.log(1.5);
server.log(2.0);
server.log(true);
server.log(null);
server.log(server.log("returns"));
print("from print");
server.error("bad");
error("from error");
server.log({});
`);
    expect(status).toBe(0);
    const logs = host.logs;
    expect(logs.slice(0, 9)).toEqual([
      "text",
      "42",
      "1.5",
      "2",
      "true",
      "null",
      "returns",
      "0",
      "from print",
    ]);
    expect(logs[9]).toMatch(/^\(table : 0x[0-9a-f]{8}\)$/);
    expect(host.errors).toEqual(["bad", "from error"]);
  });

  it("should end a logged string at its first NUL byte, as a C string (print and error too)", async () => {
    const { host, status } = await run(`
server.log("before\\x00after");
print("p\\x00q");
server.error("e\\x00f");
error("g\\x00h");
server.log("\\x00");
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(["before", "p", ""]);
    expect(host.errors).toEqual(["e", "g"]);
  });

  it("should connect through the host and pass the connect reason to the callback", async () => {
    const { device, host } = await run(`
server.connect(function(reason) {
  server.log("connected: " + (reason == SERVER_CONNECTED));
}, 30);
server.connect();
`);
    const [[id, timeout], [noCallback, defaultTimeout]] = host.callsTo("connect");
    expect([timeout, noCallback, defaultTimeout]).toEqual([30, 0, 60]);
    // the second connect() replaced the pending callback (/api/server/setsendtimeoutpolicy)
    expect(device.dispatch(id as number, [CONNECT_REASONS.SERVER_CONNECTED])).toBe(0);
    expect(host.logs).toEqual([]);
    device.run(`server.connect(function(r) { server.log("reason " + r); });`, "again");
    const [again] = host.callsTo("connect").at(-1)!;
    expect(device.dispatch(again as number, [CONNECT_REASONS.NO_WIFI])).toBe(0);
    expect(host.logs).toEqual(["reason 1"]);
  });

  it("should pass the connection calls and the send timeout policy to the host", async () => {
    const { host, status } = await run(`
server.setsendtimeoutpolicy(RETURN_ON_ERROR, WAIT_FOR_ACK, 10);
server.log(server.isconnected());
server.disconnect();
server.log(server.isconnected());
server.log(server.flush(5));
`);
    expect(status).toBe(0);
    expect(host.callsTo("setSendTimeoutPolicy")).toEqual([
      [SEND_TIMEOUT_POLICIES.RETURN_ON_ERROR, WAIT_POLICIES.WAIT_FOR_ACK, 10],
    ]);
    expect(host.callsTo("disconnect")).toEqual([[]]);
    expect(host.callsTo("flush")).toEqual([[5]]);
    expect(host.logs).toEqual(["true", "false", "true"]);
  });

  it("should keep onshutdown and onunexpecteddisconnect handlers until replaced, and clear them with null", async () => {
    const { device, host } = await run(`
server.onshutdown(function(reason) {
  server.log("shutdown " + (reason == SHUTDOWN_NEWSQUIRREL));
  server.restart();
});
server.onunexpecteddisconnect(function(reason) { server.log("lost " + reason); });
`);
    const [[shutdownId]] = host.callsTo("onShutdown");
    const [[disconnectId]] = host.callsTo("onUnexpectedDisconnect");
    expect(device.dispatch(disconnectId as number, [CONNECT_REASONS.NO_IP_ADDRESS])).toBe(0);
    expect(device.dispatch(disconnectId as number, [CONNECT_REASONS.NO_SERVER])).toBe(0);
    expect(device.dispatch(shutdownId as number, [SHUTDOWN_REASONS.SHUTDOWN_NEWSQUIRREL])).toBe(0);
    expect(host.logs).toEqual(["lost 2", "lost 4", "shutdown true"]);
    expect(host.callsTo("restart")).toEqual([[null]]);
    device.run("server.onshutdown(null);", "later");
    expect(host.callsTo("onShutdown").at(-1)).toEqual([0]);
    expect(device.dispatch(shutdownId as number, [1])).toBe(0);
    expect(host.logs).toHaveLength(3);
  });

  it("should flush and deep sleep through server.sleepfor, and never come back", async () => {
    const { host, status } = await run(`
server.sleepfor(300);
server.log("still here");
`);
    expect(status).toBe(0);
    expect(host.callsTo("deepSleep")).toEqual([[300, true, null]]);
    expect(host.logs).toEqual([]);
  });

  it("should refuse a deep sleep longer than 28 days less 2 s", async () => {
    const { host } = await run(`
try { server.sleepfor(${MAX_DEEP_SLEEP_SECONDS + 1}); } catch (e) { server.log(e); }
try { server.sleepuntil(24, 0); } catch (e) { server.log(e); }
`);
    expect(host.logs).toEqual([
      `server.sleepfor(): ${MAX_DEEP_SLEEP_SECONDS + 1} s is out of range; a deep sleep lasts 0 to ${MAX_DEEP_SLEEP_SECONDS} s`,
      "server.sleepuntil(): the hour must be 0 to 23, not 24",
    ]);
    expect(host.callsTo("deepSleep")).toEqual([]);
  });

  it("should sleep until the next UTC time given, on the weekday given", async () => {
    const host = new FakeHost();
    host.rtc = Date.UTC(2024, 0, 3, 12, 0, 0) / 1000; // Wednesday 12:00:00 UTC
    const device = await boot({ host });
    device.run("server.sleepuntil(13, 15, 30);", "a"); // later today
    device.run("server.sleepuntil(11, 0);", "b"); // tomorrow
    device.run("server.sleepuntil(12, 0, 0, MONDAY);", "c"); // next Monday
    device.run("server.sleepuntil(13, 0, 0, WEDNESDAY);", "d"); // today, in an hour
    device.run("server.sleepuntil(12, 0, 0, WEDNESDAY);", "e"); // now: a week on
    expect(host.callsTo("deepSleep").map((c) => c[0])).toEqual([
      4530,
      23 * 3600,
      5 * 86400,
      3600,
      7 * 86400,
    ]);
  });

  it("should ask the host to bless and pass the result to the callback", async () => {
    const { device, host } = await run(`
server.bless(true, function(blessed) {
  server.log("blessed " + blessed);
  if (blessed) imp.clearconfiguration();
});
`);
    const [[pass, id]] = host.callsTo("bless");
    expect(pass).toBe(true);
    expect(device.dispatch(id as number, [true])).toBe(0);
    expect(host.logs).toEqual(["blessed true"]);
    expect(host.callsTo("clearConfiguration")).toHaveLength(1);
  });

  it("should pass factory BlinkUp to the host with the LED pin's name", async () => {
    const { host, status } = await run(`
server.factoryblinkup("factory-ssid", "secret", hardware.pin1, BLINKUP_FAST);
try { server.factoryblinkup("s", "p", 1, 0); } catch (e) { server.log(e); }
`);
    expect(status).toBe(0);
    expect(host.callsTo("factoryBlinkUp")).toEqual([
      ["factory-ssid", "secret", "pin1", BLINKUP_FLAGS.BLINKUP_FAST],
    ]);
    expect(host.logs).toEqual([
      "server.factoryblinkup(): the LED pin must be a pin of hardware, such as hardware.pin1",
    ]);
  });

  it("should make the server members it lacks loud", async () => {
    const { host } = await run(`
foreach (name in ["connectwith", "expectonlinein"]) {
  try { server[name]; } catch (e) { server.log(e); }
}
`);
    expect(host.logs).toEqual([
      "server.connectwith is not emulated yet",
      "server.expectonlinein is not emulated yet",
    ]);
  });
});

describe("agent on the device", () => {
  it("should send messages as tagged JSON, so the agent gets integers, floats and tables as sent", async () => {
    const { host, status } = await run(`
server.log(agent.send("reading", { temp = 21.5, count = 3, one = 1.0, tags = ["a", true, null] }));
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(["0"]);
    const [[name, json]] = host.callsTo("agentSend");
    expect(name).toBe("reading");
    const slots = new Map((JSON.parse(json as string) as { t: [string, unknown][] }).t);
    expect(slots).toEqual(
      new Map<string, unknown>([
        ["temp", { f: 21.5 }],
        ["count", 3],
        ["one", { f: 1 }],
        ["tags", ["a", true, null]],
      ]),
    );
  });

  it("should return the host's send error code and refuse data that cannot be sent", async () => {
    const host = new FakeHost();
    host.agentSendResult = 1;
    const { status } = await run(
      `
server.log(agent.send("x", 1) == SEND_ERROR_NOT_CONNECTED);
try { agent.send("x", { cb = function() {} }); } catch (e) { server.log(e); }
`,
      { host },
    );
    expect(status).toBe(0);
    expect(host.logs).toEqual([
      "true",
      'data.cb is a function: agent.send("x") can carry null, bools, integers, floats, strings, blobs, arrays and tables with string keys',
    ]);
  });

  it("should call an agent.on handler with the one payload the agent sent", async () => {
    const { device, host } = await run(`
agent.on("config", function(data) {
  server.log(typeof data.rate + " " + typeof data.scale + " " + data.name + " " + data.list.len());
});
`);
    const [[name, id]] = host.callsTo("agentOn");
    expect(name).toBe("config");
    const payload = JSON.stringify({
      t: [
        ["rate", 5],
        ["scale", { f: 1 }],
        ["name", "probe"],
        ["list", [1, 2]],
      ],
    });
    expect(device.dispatchJson(id as number, `[${payload}]`)).toBe(0);
    expect(host.logs).toEqual(["integer float probe 2"]);
    device.run(`agent.on("config", null);`, "later");
    expect(host.callsTo("agentOn").at(-1)).toEqual(["config", 0]);
    expect(device.dispatchJson(id as number, `[${payload}]`)).toBe(0);
    expect(host.logs).toHaveLength(1);
  });
});
