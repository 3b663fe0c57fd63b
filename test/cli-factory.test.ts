// `vimp factory` and `vimp cloud` as a user runs them, against mistakes and a webhook endpoint
// that is down (issue 13): undelivered webhooks named at the end with exit status 1 and resumed
// by the next run with --state; a --state or --json path that cannot work refused before the
// run, exit status 2, nothing created or overwritten.
import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lineJson } from "./factory/line-fixture.ts";

const VIMP = fileURLToPath(new URL("../bin/vimp.js", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "vimp-cli-factory-"));
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

function vimpSync(...args: string[]) {
  const r = spawnSync(process.execPath, [VIMP, ...args], {
    cwd: work,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asynchronous, so that a local server in this process can answer meanwhile. */
function vimp(
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VIMP, ...args], { cwd: work });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A line with one DUT and a blessing webhook to `url`, written to disk; returns its line.json. */
function line(url: string, seed: string): string {
  const { json, dir } = lineJson({ seed, webhooks: [{ event: "blessing", url }] });
  const file = path.join(dir, "line.json");
  writeFileSync(file, JSON.stringify(json));
  return file;
}

const FAST = ["--webhook-attempts", "2", "--webhook-backoff", "0.05", "--webhook-timeout", "1"];

describe("vimp factory and undelivered webhooks", () => {
  it("names each undelivered webhook, exits 1, and the next run with --state delivers it", async () => {
    let up = false;
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (up) received.push(body);
        res.statusCode = up ? 200 : 500;
        res.end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/blessed`;
    const state = path.join(work, "state");
    const first = await vimp("factory", "--state", state, ...FAST, line(url, "first"));
    expect(first.stdout).toContain("1/1 DUTs as expected");
    const deviceId = /^ok # +1 (\S+)/m.exec(first.stdout)![1]!;
    expect(first.stdout).toContain(
      `\nwebhook not delivered: blessing for device ${deviceId} to ${url} (2 attempts, last: HTTP 500); kept in ${state}, sent again by the next run with --state ${state}\n`,
    );
    expect(first.status).toBe(1);
    const pending = vimpSync("cloud", "webhooks", "--state", state);
    expect(pending.stdout).toMatch(
      new RegExp(
        `^pending {2}delivery-\\d+ {2}blessing {2}${deviceId} {2}${url.replace(/[.]/g, "\\.")} {2}2 attempts, last: HTTP 500$`,
        "m",
      ),
    );
    // The endpoint is back: the next run (new DUTs) delivers the pending one as well as its own.
    up = true;
    const second = await vimp("factory", "--state", state, ...FAST, line(url, "second"));
    expect(second.stdout).not.toContain("webhook not delivered");
    expect(second.status).toBe(0);
    expect(received.map((b) => (JSON.parse(b) as { device_id: string }).device_id)).toContain(
      deviceId,
    );
    expect(received).toHaveLength(2);
    expect(vimpSync("cloud", "webhooks", "--state", state).stdout).not.toContain("pending");
  }, 60_000);

  it("without --state, says the undelivered webhook is lost", async () => {
    const r = await vimp("factory", ...FAST, line("http://127.0.0.1:1/nothing-listens", "lost"));
    expect(r.stdout).toMatch(
      /\nwebhook not delivered: blessing for device \S+ to http:\/\/127\.0\.0\.1:1\/nothing-listens \(2 attempts, last: connect ECONNREFUSED 127\.0\.0\.1:1\); lost: run with --state DIR to keep it for the next run\n/,
    );
    expect(r.status).toBe(1);
  }, 60_000);
});

describe("vimp factory and vimp cloud refuse paths that cannot work, before the run", () => {
  const sample = fileURLToPath(new URL("../firmware-samples/factory", import.meta.url));

  it.each([
    [
      "a file",
      () => (writeFileSync(path.join(work, "a-file"), "mine"), "a-file"),
      "vimp: --state a-file: is a file, not a directory",
    ],
    [
      "a typo'd parent",
      () => "no/such/state",
      `vimp: --state no/such/state: cannot be created: ${path.join(work, "no", "such")} is not a directory`,
    ],
    [
      "a directory of other files",
      () => (
        mkdirSync(path.join(work, "src"), { recursive: true }),
        writeFileSync(path.join(work, "src", "x.nut"), ""),
        "src"
      ),
      "vimp: --state src: holds other files and no impCloud state; give an empty or new directory",
    ],
    [
      "under /proc",
      () => "/proc/vimp/state",
      "vimp: --state /proc/vimp/state: cannot be created: /proc/vimp is not a directory",
    ],
  ])("--state %s: exit 2, named", (_what, make, message) => {
    const dir = make();
    const before = readdirSync(work).sort();
    const r = vimpSync("factory", "--state", dir, sample);
    expect(r).toEqual({ status: 2, stdout: "", stderr: `${message}\n` });
    expect(readdirSync(work).sort()).toEqual(before);
  });

  it("a damaged cloud.json: exit 2, the file named, nothing overwritten", () => {
    const state = path.join(work, "damaged");
    mkdirSync(state);
    writeFileSync(path.join(state, "cloud.json"), "");
    const r = vimpSync("factory", "--state", state, sample);
    expect(r).toEqual({
      status: 2,
      stdout: "",
      stderr: `vimp: ${path.join(state, "cloud.json")}: is empty: the state is damaged (nothing was changed)\n`,
    });
    expect(readdirSync(state)).toEqual(["cloud.json"]);
    expect(readFileSync(path.join(state, "cloud.json"), "utf8")).toBe("");
  });

  it("--json into a missing directory: exit 2 before the run", () => {
    const started = performance.now();
    const r = vimpSync("factory", "--json", "reports/run.json", sample);
    expect(r).toEqual({
      status: 2,
      stdout: "",
      stderr: "vimp: --json reports/run.json: cannot be written: no such directory reports/\n",
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("--webhook-attempts out of range: exit 2, named", () => {
    expect(vimpSync("factory", "--webhook-attempts", "0", sample)).toMatchObject({
      status: 2,
      stderr:
        "vimp: --webhook-attempts '0' must be a whole number from 1 to 100 (see vimp --help)\n",
    });
    expect(vimpSync("factory", "--webhook-timeout", "1e300", sample)).toMatchObject({
      status: 2,
      stderr:
        "vimp: --webhook-timeout '1e300' must be a number from 0.001 to 600 (see vimp --help)\n",
    });
  });

  it("vimp cloud on a directory without state says so and creates nothing", () => {
    mkdirSync(path.join(work, "empty"));
    expect(vimpSync("cloud", "devices", "--state", "empty")).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "vimp: --state empty: holds no impCloud state (no cloud.json or journal.jsonl; a 'vimp factory --state empty' run creates them)\n",
    });
    expect(readdirSync(path.join(work, "empty"))).toEqual([]);
    expect(vimpSync("cloud", "groups", "--state", "stat")).toMatchObject({
      status: 2,
      stderr:
        "vimp: --state stat: no such directory (a 'vimp factory --state stat' run creates it)\n",
    });
    expect(existsSync(path.join(work, "stat"))).toBe(false);
  });
});
