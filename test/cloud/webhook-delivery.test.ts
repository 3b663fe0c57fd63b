// Webhook delivery against a real endpoint on 127.0.0.1 that is down, flaps, answers 500,
// answers slowly or never (issue 13): the waits between attempts are wall time, an answer is
// waited for up to the timeout, every attempt is in the trace at its virtual time, and what is
// not delivered stays pending in --state for the next run. The retry schedule is shortened.
import { createServer, type Server, type ServerResponse } from "node:http";
import { mkdtempSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import type { WebhookRetry } from "../../src/cloud/webhook-delivery.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";

const FAST: WebhookRetry = { attempts: 4, firstBackoffMs: 60, wallTimeoutMs: 1_000 };

const servers: Server[] = [];
const sockets = new Set<Socket>();
const clouds: ImpCloud[] = [];
afterEach(async () => {
  for (const c of clouds.splice(0)) c.webhooks.stop();
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

/** An endpoint whose answer to the n-th POST (from 1) `answer` decides; every POST is counted. */
async function endpoint(answer: (n: number, res: ServerResponse) => void, port = 0) {
  const posts: { at: number; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push({ at: performance.now(), body });
      answer(posts.length, res);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    posts,
    server,
  };
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

/** A cloud with a deployment webhook to `url`; `fire` deploys, which POSTs once. */
function cloudWith(url: string, options: { stateDir?: string; retry?: WebhookRetry } = {}) {
  const scheduler = new Scheduler();
  const trace = new Trace();
  const cloud = new ImpCloud({
    scheduler,
    trace,
    stateDir: options.stateDir,
    webhookRetry: options.retry ?? FAST,
  });
  clouds.push(cloud);
  if (cloud.findProduct("Lamp") === undefined) {
    const product = cloud.createProduct("Lamp");
    cloud.createDeviceGroup({ product: product.id, name: "dev", type: "development" });
    cloud.createWebhook({ group: "dev", url, event: "deployment" });
  }
  let version = 0;
  const fire = () => cloud.deploy("dev", { deviceCode: `server.log("v${++version}");` });
  return { cloud, trace, scheduler, fire };
}

describe("webhook delivery to a real endpoint", () => {
  it("reaches an endpoint that comes up after a while: the waits are wall time", async () => {
    const port = await freePort();
    const { cloud, trace, fire } = cloudWith(`http://127.0.0.1:${port}/hook`);
    const started = performance.now();
    fire();
    // Down for 150 ms of wall time (the simulation does not move at all meanwhile).
    await new Promise((r) => setTimeout(r, 150));
    const server = await endpoint((_n, res) => res.end("ok"), port);
    await cloud.webhooks.drain();
    expect(server.posts).toHaveLength(1);
    expect(cloud.webhooks.undelivered).toEqual([]);
    const answers = trace
      .ofKind("webhook")
      .filter((e) => e.data.status !== null || e.data.error !== undefined);
    expect(answers.at(-1)!.data).toMatchObject({ status: 200, final: true });
    expect(answers.slice(0, -1).every((e) => /ECONNREFUSED/.test(String(e.data.error)))).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    // Nothing pending is left in the state.
    expect(cloud.state.deliveries.size).toBe(0);
  });

  it("keeps trying an endpoint that answers 500, waiting longer each time, and names what it could not deliver", async () => {
    const server = await endpoint((_n, res) => {
      res.statusCode = 500;
      res.end("broken");
    });
    const { cloud, trace, scheduler, fire } = cloudWith(server.url);
    fire();
    await cloud.webhooks.drain();
    expect(server.posts).toHaveLength(4);
    const gaps = server.posts.slice(1).map((p, i) => p.at - server.posts[i]!.at);
    // 60, 120, 240 ms of wall time between the attempts (timers are never early).
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(60 * 2 ** i - 5));
    expect(cloud.webhooks.undelivered).toMatchObject([
      { event: "deployment", url: server.url, attempts: 4, lastError: "HTTP 500" },
    ]);
    // Every attempt is in the trace at its virtual time: the virtual clock never moved.
    const attempts = trace.ofKind("webhook").filter((e) => e.data.status === 500);
    expect(attempts.map((e) => [e.t, e.data.attempt])).toEqual(
      [1, 2, 3, 4].map((n) => [scheduler.now, n]),
    );
    // Without --state the delivery is still listed pending in memory (the CLI says it is lost).
    expect([...cloud.state.deliveries.values()]).toMatchObject([
      { attempts: 4, lastError: "HTTP 500" },
    ]);
  });

  it("delivers to an endpoint that flaps (refused, 500, dropped connection, then 200)", async () => {
    const server = await endpoint((n, res) => {
      if (n === 1) res.socket?.destroy();
      else if (n === 2) {
        res.statusCode = 503;
        res.end();
      } else res.end("ok");
    });
    const { cloud, fire } = cloudWith(server.url);
    fire();
    await cloud.webhooks.drain();
    expect(server.posts).toHaveLength(3);
    expect(cloud.webhooks.attempts.map((a) => a.status)).toEqual([null, 503, 200]);
    expect(cloud.webhooks.undelivered).toEqual([]);
  });

  it("waits for a slow answer up to the timeout, and does not post again meanwhile", async () => {
    const server = await endpoint((_n, res) => setTimeout(() => res.end("ok"), 400));
    const { cloud, fire } = cloudWith(server.url);
    fire();
    await cloud.webhooks.drain();
    expect(server.posts).toHaveLength(1);
    expect(cloud.webhooks.attempts).toMatchObject([{ status: 200, attempt: 1 }]);
  });

  it("gives up on an endpoint that never answers after the timeout of each attempt", async () => {
    const server = await endpoint(() => {}); // reads the request, never answers
    const { cloud, fire } = cloudWith(server.url, {
      retry: { attempts: 2, firstBackoffMs: 20, wallTimeoutMs: 150 },
    });
    const started = performance.now();
    fire();
    await cloud.webhooks.drain();
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150 + 20 - 5);
    expect(server.posts).toHaveLength(2);
    expect(cloud.webhooks.undelivered).toMatchObject([
      { attempts: 2, lastError: "no answer in 0.15 s" },
    ]);
  });

  it("keeps an undelivered webhook in --state and delivers it in the next run", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-hooks-"));
    let up = false;
    const server = await endpoint((_n, res) => {
      res.statusCode = up ? 200 : 500;
      res.end();
    });
    const first = cloudWith(server.url, { stateDir: dir });
    first.fire();
    await first.cloud.webhooks.drain();
    first.cloud.save();
    expect(first.cloud.webhooks.undelivered).toHaveLength(1);
    const body = server.posts[0]!.body;
    // The next run, the endpoint fixed: the pending delivery goes out again, the same body.
    up = true;
    const second = cloudWith(server.url, { stateDir: dir });
    expect([...second.cloud.state.deliveries.values()]).toMatchObject([
      { event: "deployment", attempts: 4 },
    ]);
    second.cloud.webhooks.resume(second.cloud.state.deliveries.values());
    await second.cloud.webhooks.drain();
    expect(server.posts).toHaveLength(5);
    expect(server.posts[4]!.body).toBe(body);
    expect(second.cloud.state.deliveries.size).toBe(0);
    // And a third run finds nothing left to send.
    expect(cloudWith(server.url, { stateDir: dir }).cloud.state.deliveries.size).toBe(0);
  });
});
