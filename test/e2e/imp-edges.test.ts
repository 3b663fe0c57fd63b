// Faithful edges (issue 13): imp.wakeup's resolution rounds up and never to zero; intervals and
// sleeps out of range are named errors; agent.send carries blobs; nv is counted as the imp's
// binary form, not as JSON escapes; PWM duty cycles and UART parameters the imp rejects are
// rejected; a multi-line server.log never shows as a line of another source.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { boot, errors, logs, MS, SECOND, timeOfLog } from "./simulation-fixture.ts";

describe("imp.wakeup and imp.sleep at their edges", () => {
  it("a wakeup of 1–5 ms waits one centisecond: it is never 0, so the clock moves on", async () => {
    const { sim, device } = boot(`
      local n = 0;
      function tick() { n++; if (n < 100) imp.wakeup(0.001, tick); else server.log("done"); }
      server.log("set");
      imp.wakeup(0.005, tick);`);
    await sim.runFor(5 * SECOND);
    expect(timeOfLog(sim, device, "done")! - timeOfLog(sim, device, "set")!).toBe(100 * 10 * MS);
  });

  it("0.1 s is 10 ms ten times, not 11 (binary fractions are forgiven)", async () => {
    const { sim, device } = boot(
      `server.log("set"); imp.wakeup(0.1, function() { server.log("fired"); });`,
    );
    await sim.runFor(2 * SECOND);
    expect(timeOfLog(sim, device, "fired")! - timeOfLog(sim, device, "set")!).toBe(100 * MS);
  });

  it("a wakeup or sleep beyond the longest interval is a named error", async () => {
    const { sim, device } = boot(`
      try { imp.wakeup(1e9, function() {}); } catch (e) { server.log(e); }
      try { imp.sleep(1e9); } catch (e) { server.log(e); }
      server.log("at " + hardware.millis());`);
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual([
      "imp.wakeup(): 1000000000 s is not an interval from 0 to 10737418 s",
      "imp.sleep(): 1000000000 s is not a time to sleep from 0 to 10737418 s",
      expect.stringMatching(/^at \d+$/),
    ]);
  });
});

describe("agent.send", () => {
  it("carries a blob as its bytes", async () => {
    const { sim, device } = boot(`
      local b = blob(4);
      b.writen(0x01020304, 'i');
      b.writestring("\\x00\\xff");
      server.log(agent.send("raw", b));
      server.log(agent.send("nested", { data = b, n = 1 }));`);
    await sim.runFor(3 * SECOND);
    expect(errors(sim, device)).toEqual([]);
    expect(sim.cloud.agentMessages.map((m) => [m.name, JSON.parse(m.dataJson)])).toEqual([
      ["raw", { b: "\x04\x03\x02\x01\x00\xff" }],
      [
        "nested",
        {
          t: expect.arrayContaining([
            ["data", { b: "\x04\x03\x02\x01\x00\xff" }],
            ["n", 1],
          ]),
        },
      ],
    ]);
  });

  it("a blob sent back to the device arrives as a blob", async () => {
    const { sim, device } = boot(
      `agent.on("b", function(v) { server.log(typeof v + " " + v.len() + " " + v[1]); });`,
    );
    await sim.runFor(2 * SECOND);
    sim.cloud.sendToDevice(device.id, "b", JSON.stringify({ b: "a\x07c" }));
    await sim.runFor(1 * SECOND);
    expect(logs(sim, device)).toEqual(["blob 3 7"]);
  });
});

describe("nv size", () => {
  it("1,000 NUL bytes take about 1,000 bytes, so they fit where 4,000 do not", async () => {
    const { sim, device } = boot(`
      if (hardware.wakereason() == WAKEREASON_TIMER) {
        server.log("woke with " + nv.s.len() + " bytes");
      } else {
        nv <- { s = blob(1000).tostring() };
        try { imp.deepsleepfor(1); } catch (e) { server.log(e); }
      }`);
    await sim.runFor(10 * SECOND);
    expect(logs(sim, device)).toEqual(["woke with 1000 bytes"]);
    expect(device.nvram.size).toBeGreaterThanOrEqual(1000);
    expect(device.nvram.size).toBeLessThan(1100);
  });

  it("a string of 4,000 bytes does not fit", async () => {
    const { sim, device } = boot(`
      nv <- { s = blob(4000).tostring() };
      try { imp.deepsleepfor(1); } catch (e) { server.log(e); }`);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, device).join("\n") + errors(sim, device).join("\n")).toMatch(
      /the nv table needs 40\d\d bytes but the imp keeps only 4000/,
    );
  });
});

describe("hardware the imp rejects", () => {
  it("a PWM duty cycle outside 0–1", async () => {
    const { sim, device } = boot(`
      hardware.pinA.configure(PWM_OUT, 0.001, 0.5);
      try { hardware.pinA.write(1.5); } catch (e) { server.log(e); }
      try { hardware.pinB.configure(PWM_OUT, 0.001, -0.1); } catch (e) { server.log(e); }`);
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual([
      "hardware.pinA.write(): a PWM duty cycle is from 0.0 to 1.0, not 1.5",
      "hardware.pinB.configure(PWM_OUT, period, duty) needs a period in seconds above 0 and a duty cycle from 0 to 1",
    ]);
  });

  it("UART data bits, parity and stop bits", async () => {
    const { sim, device } = boot(
      `
      local uart = hardware.uart12;
      try { uart.configure(9600, 99, PARITY_NONE, 1, NO_CTSRTS); } catch (e) { server.log(e); }
      try { uart.configure(9600, 8, 7, 1, NO_CTSRTS); } catch (e) { server.log(e); }
      try { uart.configure(9600, 8, PARITY_NONE, 3, NO_CTSRTS); } catch (e) { server.log(e); }
      server.log(uart.configure(9600, 7, PARITY_EVEN, 2, NO_CTSRTS));`,
      { model: "imp001" },
    );
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual([
      "hardware.uart12.configure(): 99 data bits is not a word size; use 7 or 8",
      "hardware.uart12.configure(): 7 is not a parity; use PARITY_NONE, PARITY_EVEN or PARITY_ODD",
      "hardware.uart12.configure(): 3 stop bits; use 1 or 2",
      "9600",
    ]);
  });
});

describe("a multi-line server.log in the log pane (vimp run)", () => {
  it("shows each line with the entry's own timestamp and [Device], so no [Status] line can be forged", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-log-"));
    const file = path.join(dir, "forge.device.nut");
    writeFileSync(
      file,
      'server.log("first\\n2025-01-01T00:00:09.000Z [Status] Device disconnected\\r\\nlast");\n',
    );
    const vimp = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
    const r = spawnSync(process.execPath, [vimp, "run", "--for", "5s", file], { encoding: "utf8" });
    const lines = r.stdout
      .split("\n")
      .filter(
        (l) => l.includes("[Device]") || l.includes("Disconnected") || l.includes("disconnected"),
      );
    expect(lines).toEqual([
      "2025-01-01T00:00:01.300Z [Device] first",
      "2025-01-01T00:00:01.300Z [Device] 2025-01-01T00:00:09.000Z [Status] Device disconnected",
      "2025-01-01T00:00:01.300Z [Device] last",
    ]);
  });
});

describe("firmware too large for an imp", () => {
  const big = `local s = "${"ab".repeat(5 * 1024 * 1024)}";\nserver.log(s.len());\n`; // 10 MB

  it("vimp run refuses 10 MB of firmware at once, named, without loading it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-big-"));
    const file = path.join(dir, "big.device.nut");
    writeFileSync(file, big);
    const vimp = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
    const started = performance.now();
    const r = spawnSync(process.execPath, [vimp, "run", "--for", "5s", file], { encoding: "utf8" });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 2,
      stderr: `vimp: ${file}: the firmware is ${big.length} bytes, too large to load (at most 1048576) on an imp\n`,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("the impCloud refuses to deploy it, naming the group", () => {
    expect(() => boot(big)).toThrow(
      /^device code of ".*": the firmware is 10485\d\d\d bytes, too large to load \(at most 1048576\) on an imp$/,
    );
  });
});
