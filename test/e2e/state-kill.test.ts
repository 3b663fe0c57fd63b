// kill -9 against the impCloud's state (issue 13): a real process changes the state as fast as
// it can, saying "ack N" only after change N returned, and is killed with SIGKILL at many
// moments, through snapshots (compaction) too. After each kill the state must load, hold every
// acknowledged change, and hold each log entry once. Then `vimp factory --state` itself is
// killed a few times with webhooks to a flapping endpoint (scripts/chaos.mjs, which
// `npm run chaos` runs at length).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";
// @ts-expect-error: a plain ES module script without type declarations
import { chaos } from "../../scripts/chaos.mjs";

const LIBRARY = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/** The writer: from `start` on, registers device N and logs "log N", then says "ack N"; a snapshot every 23 changes. */
const WRITER = `
import { writeSync } from "node:fs";
const { ImpCloud } = await import(process.env.LIBRARY);
const { Scheduler } = { Scheduler: class { now = 0; after() { return { cancel() { return true; } }; } at() { return { cancel() { return true; } }; } } };
const cloud = new ImpCloud({ scheduler: new Scheduler(), trace: { record() {}, addListener() { return () => {}; } }, stateDir: process.env.STATE });
for (let n = Number(process.env.START); ; n++) {
  const id = "30000c2a" + n.toString(16).padStart(8, "0");
  cloud.registerDevice({ deviceId: id, macAddress: id.slice(4), model: "imp003" });
  cloud.deviceLog(id, "log", "log " + n);
  writeSync(1, "ack " + n + "\\n");
  if (n % 23 === 0) cloud.save();
}
`;

/** Runs the writer from `start`, kills it `afterMs` after its first ack; resolves with the last ack seen. */
function writeUntilKilled(state: string, start: number, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER], {
      env: { ...process.env, LIBRARY, STATE: state, START: String(start) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      timer ??= setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`the writer ended by itself: ${err}`));
      const acks = [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
      resolve(acks.at(-1) ?? start - 1);
    });
  });
}

describe("kill -9 and the state", () => {
  it("keeps every acknowledged change, once, whatever moment the process is killed at", async () => {
    const state = path.join(mkdtempSync(path.join(tmpdir(), "vimp-kill-")), "state");
    let next = 1;
    // Kill points spread over a writer's life: right away, and later through many snapshots.
    for (const afterMs of [0, 1, 3, 7, 12, 20, 35, 60, 90, 140]) {
      const lastAck = await writeUntilKilled(state, next, afterMs);
      const cloud = new ImpCloud({
        scheduler: new Scheduler(),
        trace: new Trace({ retain: false }),
        stateDir: state,
        createState: false,
      });
      const ids = new Set(cloud.devices().map((d) => d.id));
      for (let n = 1; n <= lastAck; n++)
        expect(
          ids.has(`30000c2a${n.toString(16).padStart(8, "0")}`),
          `device ${n} (acknowledged)`,
        ).toBe(true);
      const messages = cloud.logs().map((l) => l.message);
      expect(new Set(messages).size, "no log entry replayed twice").toBe(messages.length);
      // The next writer goes on after what is on disk (an unacknowledged change may have landed).
      next = Math.max(lastAck, ids.size) + 1;
    }
    expect(next).toBeGreaterThan(100);
  }, 60_000);

  it("vimp factory --state killed at random moments: every blessing and webhook accounted for", async () => {
    const result = (await chaos({ runs: 2, seed: 7, duts: 4, maxKillMs: 3000 })) as {
      blessed: number;
    };
    expect(result.blessed).toBeGreaterThan(0);
  }, 120_000);
});
