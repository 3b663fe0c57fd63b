#!/usr/bin/env node
// `npm run chaos [-- RUNS [SEED]]`: kills `vimp factory --state DIR` with SIGKILL at random
// moments, RUNS times, while its blessing webhooks go to a local endpoint that flaps (answers
// 200, 500, drops the connection, answers slowly), then runs the line once more to the end and
// checks, from the outside (`vimp cloud … --state DIR` and what the endpoint received), that:
//   - the state always loads (no kill leaves it damaged);
//   - every device the endpoint heard of as blessed is blessed in the state (a blessing is
//     journalled before anyone hears of it);
//   - every blessed device's webhook was answered 2xx or is still pending in the state;
//   - after the last run, made with the endpoint up again, nothing is pending and every blessed
//     device's webhook arrived.
// Not part of `npm test` (it takes minutes); test/e2e/factory-kill.test.ts runs a few rounds.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VIMP = path.join(root, "bin", "vimp.js");

/** A small deterministic random source (mulberry32), so a failing seed can be run again. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The endpoint: every POST is noted with the answer it got; answers flap in a fixed cycle until
 * `recover()`, then every answer is 200.
 */
async function flappingEndpoint() {
  const received = []; // { deviceId, status } (status null: connection dropped)
  let n = 0;
  let recovered = false;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const deviceId = JSON.parse(body).device_id;
      switch (recovered ? 0 : n++ % 5) {
        case 1:
          received.push({ deviceId, status: 500 });
          res.statusCode = 500;
          res.end();
          break;
        case 2:
          received.push({ deviceId, status: null });
          req.socket.destroy();
          break;
        case 3:
          setTimeout(() => {
            received.push({ deviceId, status: 200 });
            res.end("ok");
          }, 150);
          break;
        default:
          received.push({ deviceId, status: 200 });
          res.end("ok");
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const close = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  };
  const recover = () => void (recovered = true);
  return { url: `http://127.0.0.1:${server.address().port}/blessed`, received, close, recover };
}

/** A line of the sample's firmware with `duts` DUTs on two fixtures and a blessing webhook. */
function writeLine(dir, seed, url, duts) {
  for (const f of [
    "fixture.device.nut",
    "dut.device.nut",
    "dut.board.json",
    "application.device.nut",
    "application.agent.nut",
  ]) {
    copyFileSync(path.join(root, "firmware-samples", "factory", f), path.join(dir, f));
  }
  const line = {
    product: "SmartLamp",
    seed,
    deviceGroups: [
      {
        name: "lamp-production",
        type: "production",
        deployment: { device: "application.device.nut", agent: "application.agent.nut" },
        webhooks: [{ event: "blessing", url }],
      },
      { name: "lamp-dut", type: "dut", deployment: { device: "dut.device.nut" } },
      {
        name: "lamp-fixtures",
        type: "factory",
        dutTarget: "lamp-dut",
        productionTarget: "lamp-production",
        deployment: { device: "fixture.device.nut" },
      },
    ],
    fixtures: [
      {
        name: "fixture-1",
        model: "imp003",
        group: "lamp-fixtures",
        blinkUpLed: "pinB",
        button: "pinC",
      },
      {
        name: "fixture-2",
        model: "imp003",
        group: "lamp-fixtures",
        blinkUpLed: "pinB",
        button: "pinC",
      },
    ],
    // The sample DUT firmware tests its board (rail, loop-back, sensor): its DUTs get the sample's board.
    duts: [{ count: duts, board: "dut.board.json" }],
  };
  const file = path.join(dir, "line.json");
  writeFileSync(file, JSON.stringify(line, null, 2));
  return file;
}

const FACTORY_OPTIONS = [
  "--webhook-attempts",
  "3",
  "--webhook-backoff",
  "0.05",
  "--webhook-timeout",
  "2",
];

/** Runs `vimp factory`; kills it with SIGKILL after `killAfterMs` (null: lets it finish). */
function factory(line, state, killAfterMs) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [VIMP, "factory", "--state", state, ...FACTORY_OPTIONS, line],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.resume();
    const timer =
      killAfterMs === null ? null : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** What `vimp cloud` reads from the state: blessed device ids and pending webhook deliveries. */
function readState(state) {
  const cloud = (what) => {
    const r = spawnSync(process.execPath, [VIMP, "cloud", what, "--state", state], {
      encoding: "utf8",
    });
    // Killed before its first change: no state yet, which is consistent.
    if (r.status === 2 && /no such directory|holds no impCloud state/.test(r.stderr)) return [];
    if (r.status !== 0)
      throw new Error(
        `vimp cloud ${what} --state ${state} failed (${r.status}): ${r.stderr.trim()}`,
      );
    return r.stdout.split("\n").filter((l) => l !== "");
  };
  const blessed = new Set(
    cloud("devices").flatMap((l) => (/\s(?<!not )blessed\s/.test(l) ? [l.split(/\s+/)[0]] : [])),
  );
  const pending = new Set(
    cloud("webhooks").flatMap((l) => (l.startsWith("pending ") ? [l.split(/\s+/)[3]] : [])),
  );
  return { blessed, pending };
}

/** The checks after a kill (or at the end, `final`); returns the problems found. */
function check({ blessed, pending }, received, final) {
  const problems = [];
  const heard = new Set(received.map((r) => r.deviceId));
  const acknowledged = new Set(received.filter((r) => r.status === 200).map((r) => r.deviceId));
  for (const id of heard)
    if (!blessed.has(id))
      problems.push(`the endpoint heard that ${id} was blessed, but the state does not say so`);
  for (const id of blessed) {
    if (!acknowledged.has(id) && !pending.has(id))
      problems.push(`${id} is blessed, but its webhook was neither answered 2xx nor is it pending`);
  }
  if (final && pending.size > 0)
    problems.push(
      `after the last run ${pending.size} webhook(s) are still pending: ${[...pending].join(", ")}`,
    );
  return problems;
}

/** The whole exercise; resolves with a summary, rejects with the problems found. */
export async function chaos({
  runs = 20,
  seed = Date.now() % 100000,
  duts = 6,
  maxKillMs = 6000,
  log = () => {},
} = {}) {
  const rand = random(seed);
  const work = mkdtempSync(path.join(tmpdir(), "vimp-chaos-"));
  const state = path.join(work, "state");
  const endpoint = await flappingEndpoint();
  const kills = [];
  try {
    for (let i = 0; i < runs; i++) {
      const line = writeLine(work, `chaos-${seed}-${i}`, endpoint.url, duts);
      const killAfter = Math.round(200 + rand() * maxKillMs);
      const r = await factory(line, state, killAfter);
      kills.push(killAfter);
      if (r.signal === null && r.code !== 0 && r.code !== 1)
        throw new Error(`run ${i + 1}: vimp factory exited ${r.code}: ${r.stderr.trim()}`);
      const problems = check(readState(state), endpoint.received, false);
      log(
        `run ${i + 1}/${runs}: ${r.signal === null ? `ended (exit ${r.code})` : `killed after ${killAfter} ms`}; ${problems.length === 0 ? "consistent" : problems.join("; ")}`,
      );
      if (problems.length > 0)
        throw new Error(
          `seed ${seed}, run ${i + 1} (killed after ${killAfter} ms):\n  ${problems.join("\n  ")}`,
        );
    }
    // The endpoint is up for the last run. Still flapping, one delivery could miss all of its
    // attempts in that run (each has a 2 in 5 chance), and stay pending as it should.
    endpoint.recover();
    const last = await factory(
      writeLine(work, `chaos-${seed}-last`, endpoint.url, duts),
      state,
      null,
    );
    if (last.code !== 0 && last.code !== 1)
      throw new Error(`the last run exited ${last.code}: ${last.stderr.trim()}`);
    const final = readState(state);
    const problems = check(final, endpoint.received, true);
    if (problems.length > 0)
      throw new Error(`seed ${seed}, after the last run:\n  ${problems.join("\n  ")}`);
    return { seed, runs, kills, blessed: final.blessed.size, posts: endpoint.received.length };
  } finally {
    await endpoint.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 20);
  const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  try {
    const result = await chaos({ runs, seed, log: (line) => console.log(line) });
    console.log(
      `chaos: ${result.runs} runs killed at random (seed ${result.seed}); ${result.blessed} devices blessed, ${result.posts} webhook POSTs; every blessing and webhook accounted for`,
    );
  } catch (error) {
    console.error(`chaos: ${error.message}`);
    process.exitCode = 1;
  }
}
