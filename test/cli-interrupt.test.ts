// Ctrl-C while firmware is in a runaway loop (issue 13): the terminal sends SIGINT to vimp's
// process group; the event is stopped at once (not after the 10 s runaway deadline, and not
// after a second runaway), the run ends with exit status 130, and the trace and VCD are written.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const VIMP = fileURLToPath(new URL("../bin/vimp.js", import.meta.url));

describe("Ctrl-C during a runaway event", () => {
  it("stops at once, exit status 130, trace and VCD written", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-ctrlc-"));
    const firmware = path.join(dir, "runaway.device.nut");
    writeFileSync(
      firmware,
      'hardware.pin9.configure(DIGITAL_OUT, 1);\nimp.wakeup(2, function() { server.log("looping"); while (true) {} });\n',
    );
    const trace = path.join(dir, "trace.jsonl");
    const vcd = path.join(dir, "pins.vcd");
    // detached: a process group of its own, as a terminal's foreground job is.
    const child = spawn(
      process.execPath,
      [VIMP, "run", "--trace-json", trace, "--vcd", vcd, firmware],
      { detached: true },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const looping = new Promise<void>((resolve) =>
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        // The device boots and loops within a second of wall time, several on a loaded machine.
        if (stderr.includes("vimp: running")) setTimeout(resolve, 4000);
      }),
    );
    await looping;
    const sent = performance.now();
    process.kill(-child.pid!, "SIGINT");
    const status = await new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    const took = performance.now() - sent;
    expect(status).toBe(130);
    expect(took).toBeLessThan(3_000); // the runaway deadline is 10 s
    expect(stderr).toMatch(/vimp: interrupted at \+3\.300s/);
    expect(stdout).toContain("[Device] looping\n");
    expect(stdout).toContain(
      "[Status] ERROR: Squirrel stopped: the host was interrupted (Ctrl-C) during an event\n",
    );
    expect(stdout).not.toContain("restarting");
    const events = readFileSync(trace, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; data: { message?: string } });
    expect(
      events.some((e) => e.kind === "error" && e.data.message?.includes("interrupted (Ctrl-C)")),
    ).toBe(true);
    expect(readFileSync(vcd, "utf8")).toMatch(/\$var wire 1 \S+ pin9 \$end/);
  }, 30_000);
});
