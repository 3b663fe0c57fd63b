// `vimp run` with an agent, as a user runs it: both logs on one timeline, the agent's URL served
// on 127.0.0.1 and reachable with a real HTTP client while the run lasts, the wall clock and the
// virtual clock meeting at each request, --agent-only, and server.save kept with --state.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const VIMP = fileURLToPath(new URL("../bin/vimp.js", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "vimp-agent-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, source: string): string {
  writeFileSync(path.join(work, name), source);
  return name;
}

/** Starts `vimp run …`; resolves once it has printed the agent's URL. */
function start(...args: string[]) {
  const child = spawn(process.execPath, [VIMP, "run", ...args], { cwd: work });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
      const m = /the agent's URL is (\S+)/.exec(stderr);
      if (m !== null) resolve(m[1]!);
    });
    child.on("exit", () => reject(new Error(`vimp ended before printing the URL: ${stderr}`)));
  });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (status) => resolve({ status, stdout, stderr })),
  );
  return { url, done, startedAt: performance.now() };
}

describe("vimp run with an agent", () => {
  it("runs app.agent.nut beside app.device.nut, prints both logs on one timeline and serves the agent's URL", async () => {
    file(
      "app.device.nut",
      `agent.on("hi", function(v) { server.log("agent said " + v); }); agent.send("hello", 1);`,
    );
    file(
      "app.agent.nut",
      `device.on("hello", function(v) { server.log("device said " + v); device.send("hi", v + 1); });
      http.onrequest(function(req, res) { server.log("request " + req.path + " at " + clock()); res.send(200, "up " + clock()); });`,
    );
    const run = start("app.device.nut", "--for", "4s", "--http-port", "0");
    const url = await run.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{12}$/);
    // The clocks meet: two requests a second of wall time apart find the agent's clock a second apart.
    const first = await fetch(`${url}/status?x=1`);
    expect(first.status).toBe(200);
    const wallFirst = performance.now();
    const upFirst = Number((await first.text()).split(" ")[1]);
    await new Promise((r) => setTimeout(r, 1000));
    const second = await fetch(`${url}/status`);
    const wallGap = (performance.now() - wallFirst) / 1000;
    const upSecond = Number((await second.text()).split(" ")[1]);
    expect(upSecond - upFirst).toBeGreaterThanOrEqual(0.9);
    expect(upSecond - upFirst).toBeLessThanOrEqual(wallGap + 0.2);
    expect((await fetch(`${url.replace(/\/[^/]+$/, "")}/nosuchagent/`)).status).toBe(404);
    const r = await run.done;
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    const times = lines.map((l) => l.slice(0, 24));
    expect([...times].sort()).toEqual(times);
    expect(lines).toContain("2025-01-01T00:00:00.000Z [Status] Agent restarted: reload.");
    expect(lines.some((l) => /Z \[Agent\] device said 1$/.test(l))).toBe(true);
    expect(lines.some((l) => /Z \[Device\] agent said 2$/.test(l))).toBe(true);
    const requests = lines
      .filter((l) => l.includes("[Agent] request /status"))
      .map((l) => Date.parse(l.slice(0, 24)));
    expect(requests).toHaveLength(2);
    expect(requests[1]! - requests[0]!).toBeGreaterThanOrEqual(900);
    expect(r.stderr).toMatch(
      /running app\.device\.nut with the agent app\.agent\.nut on a virtual imp001 .* in real time for up to 4s/,
    );
  }, 20_000);

  it("runs an agent alone with --agent-only and keeps server.save across runs with --state", async () => {
    file(
      "counter.agent.nut",
      `local d = server.load(); local n = ("n" in d) ? d.n + 1 : 1; server.save({ n = n }); server.log("run " + n);`,
    );
    const state = path.join(work, "state");
    for (const n of [1, 2]) {
      const r = spawnSync(
        process.execPath,
        [VIMP, "run", "--agent-only", "counter.agent.nut", "--for", "200ms", "--state", state],
        { cwd: work, encoding: "utf8", timeout: 20_000 },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`[Agent] run ${n}`);
      expect(r.stdout).not.toContain("[Device]");
    }
  }, 30_000);

  it("names the agent file and line when agent code does not compile", () => {
    file("broken.device.nut", `server.log("fine");`);
    file("broken.agent.nut", `server.log("a"\nlocal = ;`);
    const r = spawnSync(process.execPath, [VIMP, "run", "broken.device.nut"], {
      cwd: work,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.agent\.nut:2:\d+: .* \(the agent code does not compile\)/);
  });
});
