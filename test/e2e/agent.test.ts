// Device + agent pairs end to end: messages both ways in virtual time, the agent's lifecycle, and
// the agent API's behaviour a firmware engineer sees in the log.

import { describe, expect, it } from "vitest";
import { boot, SECOND, MS, simulation } from "./simulation-fixture.ts";
import type { Simulation } from "../../src/world/simulation.ts";
import type { Device } from "../../src/device/device.ts";

function agentLogs(sim: Simulation, device: Device): string[] {
  return sim.trace
    .ofKind("log", device.id)
    .filter((e) => e.data.source === "agent")
    .map((e) => e.data.message);
}
function agentErrors(sim: Simulation, device: Device): string[] {
  return sim.trace
    .ofKind("error", device.id)
    .filter((e) => e.data.source === "agent")
    .map((e) => e.data.message);
}
function deviceLogs(sim: Simulation, device: Device): string[] {
  return sim.trace
    .ofKind("log", device.id)
    .filter((e) => e.data.source === "device")
    .map((e) => e.data.message);
}

describe("device and agent", () => {
  it("plays ping-pong: each round trip takes two network latencies of virtual time", async () => {
    const { sim, device } = boot(
      `local sent = 0;
       function ping() { sent = hardware.millis(); agent.send("ping", sent); }
       agent.on("pong", function(t) {
         server.log("rtt " + (hardware.millis() - t) + " ms");
         if (t < 5000) imp.wakeup(1, ping);
       });
       ping();`,
      { agent: `device.on("ping", function(t) { device.send("pong", t); });` },
    );
    await sim.runFor(8 * SECOND);
    const rtts = deviceLogs(sim, device);
    expect(rtts.length).toBeGreaterThanOrEqual(3);
    // 50 ms each way (the development cloud's latency).
    for (const line of rtts) expect(line).toBe("rtt 100 ms");
    expect(
      sim.trace.ofKind("agent", device.id).map((e) => `${e.data.event} ${e.data.reason}`),
    ).toEqual(["start reload"]);
    expect(
      sim.trace
        .ofKind("message", device.id)
        .slice(0, 2)
        .map((e) => `${e.data.direction} ${e.data.name}`),
    ).toEqual(["to-agent ping", "to-device pong"]);
  });

  it("carries what survives a message: integers, floats, blobs, nested tables; unsafe strings arrive as blobs", async () => {
    const { sim, device } = boot(
      `local b = blob(3); b.writen(0x010203, 'b'); b.seek(0);
       agent.send("data", { i = 1, f = 1.0, s = "caf\\xc3\\xa9", raw = "a\\x00b", bytes = blob(2), list = [1, [2.5, null], true], nested = { deep = { x = -7 } } });`,
      {
        agent: `device.on("data", function(d) {
          foreach (k in ["i", "f", "s", "raw", "bytes", "list", "nested"]) server.log(k + " " + typeof d[k]);
          server.log(d.raw.len() + " " + d.list[1][0] + " " + d.nested.deep.x + " " + d.s.len());
        });`,
      },
    );
    await sim.runFor(2 * SECOND);
    expect(agentLogs(sim, device)).toEqual([
      "i integer",
      "f float",
      "s string",
      "raw blob",
      "bytes blob",
      "list array",
      "nested table",
      "3 2.5 -7 5",
    ]);
  });

  it("refuses unserialisable data with an error naming where it sits; the device keeps running", async () => {
    const { sim, device } = boot(
      `try { agent.send("x", { ok = 1, bad = { cb = function() {} } }); } catch (e) { server.log(e); }
       try { agent.send("x", { [1] = "int key" }); } catch (e) { server.log(e); }
       try { agent.send("x", "x" + blob(300 * 1024).tostring()); } catch (e) { server.log(e.slice(0, 40)); }
       server.log("still running");`,
      { agent: `device.on("x", function(d) { server.log("got one"); });` },
    );
    await sim.runFor(2 * SECOND);
    const lines = deviceLogs(sim, device);
    expect(lines[0]).toMatch(/^data\.bad\.cb is a function: agent\.send\("x"\) can carry/);
    expect(lines[1]).toMatch(/^data\[1\] has an integer as its key \(table keys must be strings\)/);
    expect(lines[2]).toBe("data makes a message of 307210 bytes: ag");
    expect(lines[3]).toBe("still running");
    expect(agentLogs(sim, device)).not.toContain("got one");
  });

  it("logs 'no handler' on the agent for a message nobody listens for, and goes on", async () => {
    const { sim, device } = boot(`agent.send("nobody", 1); agent.send("known", 2);`, {
      agent: `device.on("known", function(v) { server.log("known " + v); });`,
    });
    await sim.runFor(2 * SECOND);
    expect(agentErrors(sim, device)).toEqual(["no handler for agent.send()"]);
    expect(agentLogs(sim, device)).toEqual(["known 2"]);
    expect(
      sim.trace
        .ofKind("message-delivery", device.id)
        .map((e) => `${e.data.name} ${e.data.outcome}`),
    ).toEqual(["nobody no-handler", "known delivered"]);
  });

  it("keeps the agent running while its device sleeps, and drops device.send while the device is offline", async () => {
    const { sim, device } = boot(
      `agent.on("hello", function(v) { server.log("hello " + v); });
       imp.onidle(function() { server.sleepfor(10); });`,
      {
        agent: `local n = 0;
          function tick() { n++; server.log("tick " + n + " connected " + device.isconnected()); device.send("hello", n); if (n < 4) imp.wakeup(4, tick); }
          imp.wakeup(4, tick);
          device.ondisconnect(function(r) { server.log("device gone"); });`,
      },
    );
    await sim.runFor(17 * SECOND);
    const agent = agentLogs(sim, device);
    expect(agent).toContain("device gone");
    // The device was online from 1.2 s to its first sleep at 1.3 s; warm wakes stay offline.
    expect(agent).toEqual([
      "device gone",
      "tick 1 connected false",
      "tick 2 connected false",
      "tick 3 connected false",
      "tick 4 connected false",
    ]);
    expect(
      sim.trace
        .ofKind("message-delivery", device.id)
        .map((e) => `${e.data.name} ${e.data.outcome}`),
    ).toEqual(Array(4).fill("hello dropped"));
    expect(deviceLogs(sim, device)).toEqual([]);
    expect(sim.trace.ofKind("wake", device.id).length).toBeGreaterThanOrEqual(2);
  });

  it("restarts the agent after an uncaught error, keeping server.save data", async () => {
    const { sim, device } = boot(``, {
      agent: `local d = server.load();
        local runs = ("runs" in d) ? d.runs + 1 : 1;
        server.save({ runs = runs });
        server.log("run " + runs);
        if (runs < 3) imp.wakeup(1, function() { throw "boom " + runs; });`,
    });
    await sim.runFor(10 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["run 1", "run 2", "run 3"]);
    expect(agentErrors(sim, device).filter((l) => l.startsWith("boom"))).toEqual([
      "boom 1",
      "boom 2",
    ]);
    const status = sim.trace
      .ofKind("log", device.id)
      .filter((e) => e.data.source === "status" && e.data.message.startsWith("Agent restarted"))
      .map((e) => e.data.message);
    expect(status).toEqual([
      "Agent restarted: reload.",
      "Agent restarted: error.",
      "Agent restarted: error.",
    ]);
    expect(sim.agent(device)!.storedText).toBe('1:{"runs":3}');
  });

  it("stops a runaway agent event, logs it and restarts the agent; the device is untouched", async () => {
    const { sim, device } = boot(`imp.wakeup(3, function() { server.log("device fine"); });`, {
      agent: `server.log("up"); imp.wakeup(1, function() { while (true) {} });`,
      simulation: { sliceTimeoutMs: 200 },
    });
    await sim.runFor(5 * SECOND);
    expect(agentErrors(sim, device).some((l) => /ran for more than 200 ms/.test(l))).toBe(true);
    expect(agentLogs(sim, device).filter((l) => l === "up").length).toBeGreaterThanOrEqual(2);
    expect(deviceLogs(sim, device)).toEqual(["device fine"]);
  });

  it("keeps every other agent running while one runs away", async () => {
    const sim = simulation({ sliceTimeoutMs: 200 });
    const calm = sim.addDevice({
      model: "imp003",
      firmware: ``,
      agent: `function tick() { server.log("tick " + time()); imp.wakeup(1, tick); } tick();`,
      powerOn: true,
    });
    const wild = sim.addDevice({
      model: "imp003",
      firmware: `server.log("wild device up");`,
      agent: `imp.wakeup(0.5, function() { while (true) {} });`,
      powerOn: true,
      seed: "wild",
    });
    await sim.runFor(3.2 * SECOND);
    expect(agentLogs(sim, calm)).toEqual([
      "tick 1735689600",
      "tick 1735689601",
      "tick 1735689602",
      "tick 1735689603",
    ]);
    expect(agentErrors(sim, wild).some((l) => /ran for more than 200 ms/.test(l))).toBe(true);
    expect(deviceLogs(sim, wild)).toEqual(["wild device up"]);
  });

  it("tells the agent who its device is: device.info() and device.isconnected()", async () => {
    const { sim, device } = boot(``, {
      agent: `function show() { local i = device.info(); server.log(i.id + " " + i.isconnected + " [" + i.ipaddress + "] " + device.isconnected()); }
        show(); imp.wakeup(2, show);`,
    });
    await sim.runFor(3 * SECOND);
    expect(agentLogs(sim, device)).toEqual([
      `${device.id} false [] false`,
      `${device.id} true [127.0.0.1] true`,
    ]);
  });

  it("restarts the agent on a new deployment without restarting the device when only the agent changed", async () => {
    const sim = simulation();
    const firmware = { source: `server.log("device up");` };
    const device = sim.addDevice({
      model: "imp003",
      firmware,
      agent: `server.log("agent v1");`,
      powerOn: true,
    });
    await sim.runFor(2 * SECOND);
    sim.deploy(device, { ...firmware, agent: { source: `server.log("agent v2");` } });
    await sim.runFor(2 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["agent v1", "agent v2"]);
    expect(deviceLogs(sim, device)).toEqual(["device up"]);
    expect(sim.trace.ofKind("agent", device.id).map((e) => e.data.reason)).toEqual([
      "reload",
      "new_bytecode_version",
    ]);
  });

  it("has the agent API and none of the device's; unemulated members name themselves", async () => {
    const { sim, device } = boot(``, {
      agent: `
        server.log(imp.environment() == ENVIRONMENT_AGENT);
        server.log("hardware" in getroottable());
        server.log(imp.configparams.deviceid == "${"$"}{ID}");
        try { http.requeststream("GET", "http://x", {}); } catch (e) { server.log(e); }
        try { crypto.sign(); } catch (e) { server.log(e); }
        try { imp.onidle(null); } catch (e) { server.log(e); }
        server.log(http.agenturl());
        local t = imp.wakeup(5, function() { server.log("named fired"); }, "poll");
        imp.cancelwakeup("poll");
        try { imp.cancelwakeup("poll"); } catch (e) { server.log(e); }
        server.log(date().year + " " + time());`,
    });
    await sim.runFor(6 * SECOND);
    const lines = agentLogs(sim, device).map((l) => l.replace(device.id, "${ID}"));
    expect(lines).toEqual([
      "true",
      "false",
      "false",
      "http.requeststream is not emulated yet",
      "crypto.sign is not emulated yet",
      "the index 'onidle' does not exist",
      `https://agent.electricimp.com/${sim.agent(device)!.id}`,
      "imp.cancelwakeup(): there is no active timer named 'poll'",
      "2025 1735689600",
    ]);
    void MS;
  });
});
