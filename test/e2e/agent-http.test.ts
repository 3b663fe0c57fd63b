// An agent's HTTP, in and out, against real local servers on 127.0.0.1 (never mocks).

import { createServer, type IncomingMessage, type Server } from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { boot, SECOND } from "./simulation-fixture.ts";
import type { Simulation } from "../../src/world/simulation.ts";
import type { Device } from "../../src/device/device.ts";
import type { AgentHttpAnswer } from "../../src/agent/host/agent.ts";

function agentLogs(sim: Simulation, device: Device): string[] {
  return sim.trace
    .ofKind("log", device.id)
    .filter((e) => e.data.source === "agent")
    .map((e) => e.data.message);
}

/** Sends a request to the device's agent and runs the clock until it is answered. */
async function ask(
  sim: Simulation,
  device: Device,
  request: {
    method?: string;
    path?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<AgentHttpAnswer> {
  let answer: AgentHttpAnswer | null = null;
  void sim
    .agent(device)!
    .request({
      method: request.method ?? "GET",
      path: request.path ?? "/",
      query: request.query ?? {},
      headers: request.headers ?? {},
      body: request.body ?? "",
    })
    .then((a) => (answer = a));
  await sim.runUntil(() => answer !== null, 120 * SECOND);
  if (answer === null) throw new Error("no answer");
  return answer;
}

const servers: Server[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const c of children.splice(0)) c.kill();
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP server on 127.0.0.1 answering with `reply`; resolves with its base URL. */
async function server(
  reply: (
    seen: Seen,
    n: number,
  ) => { status: number; body?: string; headers?: Record<string, string> } | null,
  seen: Seen[] = [],
): Promise<string> {
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("latin1"),
      };
      seen.push(entry);
      const r = reply(entry, seen.length);
      if (r === null) return; // never answer
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? "");
    });
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const address = s.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe("agent HTTP in", () => {
  it("hands the request table and a response object to http.onrequest", async () => {
    const { sim, device } = boot(``, {
      agent: `http.onrequest(function(req, res) {
        res.header("X-Echo", req.method);
        res.send(201, req.path + " " + req.query.led + " " + req.headers["content-type"] + " " + req.body);
      });`,
    });
    await sim.runFor(1 * SECOND);
    const a = await ask(sim, device, {
      method: "POST",
      path: "/api/light",
      query: { led: "on" },
      headers: { "content-type": "text/plain" },
      body: "hello",
    });
    expect(a).toEqual({
      status: 201,
      headers: { "x-echo": "POST" },
      body: "/api/light on text/plain hello",
    });
  });

  it("lets the agent keep the response and answer later, e.g. after asking its sleeping device", async () => {
    const { sim, device } = boot(
      `agent.on("read", function(_) { agent.send("reading", 21.5); });
       imp.wakeup(2, function() { server.sleepfor(30); });`,
      {
        agent: `local waiting = [];
          device.on("reading", function(v) { foreach (r in waiting) r.send(200, "temp " + v); waiting = []; });
          http.onrequest(function(req, res) { waiting.push(res); device.send("read", null); });`,
      },
    );
    await sim.runFor(1.5 * SECOND);
    const a = await ask(sim, device, { path: "/temp" });
    expect(a.status).toBe(200);
    expect(a.body).toBe("temp 21.5");
    // Now the device sleeps: the agent still answers; a request it cannot answer gets the cloud's timeout.
    await sim.runFor(5 * SECOND);
    const t0 = sim.now;
    const late = await ask(sim, device, { path: "/temp" });
    expect(late).toEqual({
      status: 504,
      headers: { "content-type": "text/plain" },
      body: "The agent did not answer in time",
    });
    expect(sim.now - t0).toBe(60 * SECOND);
  });

  it("answers 404 without a handler, 413 for a body over 512 KB, and survives both", async () => {
    const { sim, device } = boot(``, { agent: `server.log("up");` });
    await sim.runFor(1 * SECOND);
    expect((await ask(sim, device, {})).status).toBe(404);
    expect(
      (await ask(sim, device, { method: "POST", body: "x".repeat(512 * 1024 + 1) })).status,
    ).toBe(413);
    expect(sim.agent(device)!.running).toBe(true);
  });

  it("answers 500 when the agent's handler throws, and the agent restarts", async () => {
    const { sim, device } = boot(``, {
      agent: `server.log("up"); http.onrequest(function(req, res) { throw "bad request handler"; });`,
    });
    await sim.runFor(1 * SECOND);
    expect((await ask(sim, device, {})).status).toBe(500);
    await sim.runFor(3 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["up", "up"]);
  });
});

describe("agent HTTP out", () => {
  it("posts to a real server with sendasync and gets the response table", async () => {
    const seen: Seen[] = [];
    const base = await server(
      () => ({
        status: 202,
        body: '{"ok":true}',
        headers: { "Content-Type": "application/json", "X-Id": "7" },
      }),
      seen,
    );
    const { sim, device } = boot(``, {
      agent: `local req = http.post("${base}/hook?x=1", { "Content-Type": "application/json" }, http.jsonencode({ temp = 21.5, n = 3 }));
        req.sendasync(function(resp) {
          server.log(resp.statuscode + " " + resp.headers["x-id"] + " " + http.jsondecode(resp.body).ok + " " + typeof resp.rawheaders);
        });`,
    });
    await sim.runFor(2 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["202 7 true array"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url).toBe("/hook?x=1");
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.body).toBe('{ "temp": 21.5, "n": 3 }');
    const http = sim.trace
      .ofKind("http", device.id)
      .map((e) => `${e.data.direction} ${e.data.method} ${e.data.status}`);
    expect(http).toEqual(["out POST null", "out POST 202"]);
  });

  it("retries a webhook like a real agent: the server fails twice, then accepts", async () => {
    const base = await server((_seen, n) =>
      n < 3 ? { status: 503 } : { status: 200, body: "stored" },
    );
    const { sim, device } = boot(``, {
      agent: `local tries = 0;
        function post() {
          tries++;
          http.post("${base}/ingest", {}, "reading=1").sendasync(function(resp) {
            server.log("try " + tries + ": " + resp.statuscode);
            if (resp.statuscode >= 300) imp.wakeup(2 * tries, post);
          });
        }
        post();`,
    });
    await sim.runFor(20 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["try 1: 503", "try 2: 503", "try 3: 200"]);
  });

  it("reports transport failures as status codes below 100 and times out in virtual time", async () => {
    const closed = await server(() => ({ status: 200 }));
    const port = closed.split(":")[2];
    await new Promise((r) => servers.pop()!.close(r));
    const silent = await server(() => null);
    const { sim, device } = boot(``, {
      agent: `http.get("http://127.0.0.1:${port}/").sendasync(function(r) { server.log("refused " + r.statuscode); });
        try { http.get("ftp://x"); } catch (e) { server.log(e); }
        http.get("http://[bad").sendasync(function(r) { server.log("malformed " + r.statuscode); });
        http.get("${silent}/").sendasync(function(r) { server.log("silent " + r.statuscode + " at " + time()); }, null, 5);
        local c = http.get("${silent}/");
        c.sendasync(function(r) { server.log("cancelled one answered"); });
        c.cancel();
        try { c.sendasync(function(r) {}); } catch (e) { server.log(e); }`,
      simulation: { httpHoldMs: 300 },
    });
    await sim.runFor(10 * SECOND);
    expect(agentLogs(sim, device).sort()).toEqual([
      "http.get(): the URL must begin http:// or https:// (got 'ftp://x')",
      "httprequest.sendasync(): this request was already sent; make a new one for each send",
      "malformed 3",
      "refused 7",
      "silent 28 at 1735689605",
    ]);
  });

  it("holds to the rate limit: 40 requests at once, then 2 a second; the rest get status 0 and a warning", async () => {
    const seen: Seen[] = [];
    const base = await server(() => ({ status: 200 }), seen);
    const { sim, device } = boot(``, {
      agent: `local ok = 0, refused = 0;
        for (local i = 0; i < 45; i++) http.get("${base}/" + i).sendasync(function(r) {
          if (r.statuscode == 200) ok++; else if (r.statuscode == 0) refused++;
          if (ok + refused == 45) server.log(ok + " sent, " + refused + " refused");
        });
        imp.wakeup(1, function() { http.get("${base}/later").sendasync(function(r) { server.log("a second later: " + r.statuscode); }); });`,
    });
    await sim.runFor(2 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["40 sent, 5 refused", "a second later: 200"]);
    expect(seen).toHaveLength(41);
    const warnings = sim.trace
      .ofKind("error", device.id)
      .filter((e) => /rate limit/.test(e.data.message));
    expect(warnings).toHaveLength(5);
  });

  it("blocks the agent in sendsync until a server in another process answers", async () => {
    const child = spawn(process.execPath, [
      "-e",
      `require("http").createServer((q, s) => { setTimeout(() => s.end("slow " + q.method), 200); }).listen(0, "127.0.0.1", function() { console.log(this.address().port); });`,
    ]);
    children.push(child);
    const port = await new Promise<string>((resolve) =>
      child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())),
    );
    const { sim, device } = boot(``, {
      agent: `local t = time();
        local r = http.get("http://127.0.0.1:${port}/").sendsync();
        server.log(r.statuscode + " " + r.body + " " + (time() - t));`,
    });
    await sim.runFor(1 * SECOND);
    expect(agentLogs(sim, device)).toEqual(["200 slow GET 0"]);
  });
});
