// `vimp run` as a user runs it: `node bin/vimp.js run …` on firmware in a scratch folder and on
// the bundled samples; and the log pane it prints, on its own.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LogPane } from "../src/cli/log-pane.ts";
import type { TraceEvent } from "../src/sim/trace.ts";

const VIMP = fileURLToPath(new URL("../bin/vimp.js", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLES = path.join(ROOT, "firmware-samples");
const work = mkdtempSync(path.join(tmpdir(), "vimp-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function vimp(...args: string[]) {
  const r = spawnSync(process.execPath, [VIMP, ...args], {
    cwd: work,
    timeout: 60_000,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, source: string): string {
  writeFileSync(path.join(work, name), source);
  return name;
}

function sample(name: string): string {
  return path.join(SAMPLES, name);
}

describe("vimp run", () => {
  it("prints the log pane of a blinking imp001 for the virtual time asked", () => {
    const r = vimp("run", sample("blink.device.nut"), "--for", "12s");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        "2025-01-01T00:00:00.000Z [Status] Power on",
        "2025-01-01T00:00:00.000Z [Status] Cold boot (imp001)",
        "2025-01-01T00:00:00.000Z [Status] LED flashing red/orange: joining the WiFi network",
        "2025-01-01T00:00:00.800Z [Status] LED flashing red/orange: getting an IP address",
        "2025-01-01T00:00:01.000Z [Status] LED flashing red/orange: resolving the server name",
        "2025-01-01T00:00:01.100Z [Status] LED flashing red/orange: connecting to the server",
        "2025-01-01T00:00:01.200Z [Status] LED flashing green: connected to the server",
        "2025-01-01T00:00:01.200Z [Status] Device connected",
        "2025-01-01T00:00:01.300Z [Status] Device booting; wake reason: power on (WAKEREASON_POWER_ON)",
        "2025-01-01T00:00:01.300Z [Device] blink starting, wake reason 0",
        "2025-01-01T00:00:10.300Z [Device] blinked 10 times",
        "",
      ].join("\n"),
    );
    const [first, last] = r.stderr.trim().split("\n");
    expect(first).toMatch(
      /^vimp: running .*blink\.device\.nut on a virtual imp001 \(device id [0-9a-f]{16}\) in virtual time for up to 12s$/,
    );
    expect(last).toMatch(
      /^vimp: stopped at \+12\.000s: 12s of virtual time have passed, after \d+\.\d s of wall time$/,
    );
  });

  it("runs until the firmware goes quiet, driving inputs given with --set", () => {
    const r = vimp(
      "run",
      sample("button.device.nut"),
      "--model",
      "imp003",
      "--set",
      "pinW=0@3s",
      "--set=pinW=z@3.2s",
      "--set",
      "pinW=0@10s",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("2025-01-01T00:00:03.000Z [Device] button pressed (1)\n");
    expect(r.stdout).toContain("2025-01-01T00:00:10.000Z [Device] button pressed (2)\n");
    expect(r.stdout.trim().split("\n").at(-1)).toBe("2025-01-01T00:01:00.000Z [Status] LED off");
    expect(r.stderr).toContain(
      "vimp: the firmware went quiet at +60.000s (nothing more is scheduled)",
    );
  });

  it("runs on an imp006 with --model imp006, whose pins W and A the button sample uses too", () => {
    const r = vimp(
      "run",
      sample("button.device.nut"),
      "--model",
      "imp006",
      "--set",
      "pinW=0@3s",
      "--for",
      "5s",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("[Status] Cold boot (imp006)\n");
    expect(r.stdout).toContain("2025-01-01T00:00:03.000Z [Device] button pressed (1)\n");
    expect(r.stderr).toMatch(/^vimp: running .*button\.device\.nut on a virtual imp006 /);
  });

  it("shows deep sleep and timer wakes", () => {
    const r = vimp("run", sample("sleepy-logger.device.nut"), "--for", "6m");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "2025-01-01T00:00:01.300Z [Status] Device going to deep sleep for 5m (until 2025-01-01T00:05:01.300Z)\n",
    );
    expect(r.stdout).toContain(
      "2025-01-01T00:05:01.300Z [Status] Warm boot from deep sleep (imp001)\n",
    );
    expect(r.stdout).toContain(
      "2025-01-01T00:05:01.300Z [Status] Device booting; wake reason: timer (deep sleep ended) (WAKEREASON_TIMER)\n",
    );
    // The warm boot lights the LED and darkens it at one instant: the pane shows neither.
    expect(r.stdout).not.toMatch(/00:05:01\.300Z \[Status\] LED/);
  });

  it("shows errors as [Device] ERROR lines and exits 1 when the firmware crashed", () => {
    const r = vimp(
      "run",
      file(
        "crash.device.nut",
        'function tick() {\n  local t = {};\n  server.log("tick");\n  t.nope;\n}\nimp.wakeup(1, tick);\n',
      ),
      "--for",
      "5s",
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      [
        "2025-01-01T00:00:02.300Z [Device] tick",
        "2025-01-01T00:00:02.300Z [Device] ERROR: the index 'nope' does not exist",
        "2025-01-01T00:00:02.300Z [Device] ERROR:   in tick crash.device.nut:4",
        "2025-01-01T00:00:02.300Z [Status] Squirrel VM restarting: uncaught Squirrel error",
        "2025-01-01T00:00:03.400Z [Status] Device booting; wake reason: Squirrel run-time error (WAKEREASON_SQUIRREL_ERROR)",
      ].join("\n"),
    );
    expect(r.stderr).toContain("vimp: the firmware crashed 2 times");
  });

  it("counts running out of memory as a crash", () => {
    const r = vimp(
      "run",
      file(
        "hog.device.nut",
        'big <- [];\nfor (local i = 0; i < 20000; i++) big.push("item " + i);\n',
      ),
      "--for",
      "2s",
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\[Status\] ERROR: Device out of memory: .*; restarting\n/);
  });

  it("does not count server.error() as a crash", () => {
    const r = vimp("run", file("complain.device.nut", 'server.error("sensor missing");\n'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("[Device] ERROR: sensor missing\n");
  });

  it("stops with exit status 3 when an imp.wakeup(0) chain stalls the virtual clock", () => {
    const r = vimp(
      "run",
      file("spin.device.nut", "function spin() { imp.wakeup(0, spin); }\nspin();\n"),
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      "vimp: stopped at +1.300s: the virtual clock stalled (more than 100000 events at one instant: an endless imp.wakeup(0) chain?)",
    );
  });

  it("writes the whole trace as JSON Lines and pin levels as VCD", () => {
    const r = vimp(
      "run",
      sample("blink.device.nut"),
      "--for",
      "3s",
      "--trace-json",
      "trace.jsonl",
      "--vcd",
      "pins.vcd",
    );
    expect(r.status).toBe(0);
    const events = readFileSync(path.join(work, "trace.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as TraceEvent);
    for (const event of events) expect(Object.keys(event)).toEqual(["t", "device", "kind", "data"]);
    expect(events.find((e) => e.kind === "log")).toMatchObject({
      t: 1_300_000,
      kind: "log",
      data: { source: "device", message: "blink starting, wake reason 0" },
    });
    expect(events.filter((e) => e.kind === "pin").length).toBeGreaterThan(3);
    const vcd = readFileSync(path.join(work, "pins.vcd"), "utf8");
    expect(vcd).toMatch(/^\$version virtual-imp \$end\n\$timescale 1us \$end\n/);
    expect(vcd).toMatch(/\$var wire 1 \S+ pin9 \$end/);
    expect(vcd).toContain("#1800000\n");
  });

  it("gives the same output for the same seed, and another device for another seed", () => {
    const blink = sample("blink.device.nut");
    const [a, b, c] = [
      vimp("run", blink, "--for", "2s", "--seed", "1"),
      vimp("run", blink, "--for", "2s", "--seed", "1"),
      vimp("run", blink, "--for", "2s", "--seed", "2"),
    ];
    expect(a.stdout).toBe(b.stdout);
    const id = (r: { stderr: string }) => /device id (\w+)/.exec(r.stderr)?.[1];
    expect(id(a)).toBe(id(b));
    expect(id(a)).not.toBe(id(c));
  });

  it("paces virtual time to the wall clock with --realtime, and prints the same", () => {
    const started = performance.now();
    const paced = vimp("run", sample("blink.device.nut"), "--for", "1500ms", "--realtime");
    expect(performance.now() - started).toBeGreaterThanOrEqual(1500);
    expect(paced.status).toBe(0);
    expect(paced.stdout).toBe(vimp("run", sample("blink.device.nut"), "--for", "1500ms").stdout);
  });

  it.each([
    [["run"], "vimp: 'vimp run' takes one firmware file, got 0 (see vimp --help)"],
    [["run", "missing.nut"], "vimp: cannot read 'missing.nut': no such file"],
    [
      ["run", "--model", "imp009", "x.nut"],
      "vimp: unknown model 'imp009' for --model: the emulated models are imp001, imp002, imp003, imp004m, imp005 and imp006 (see vimp --help)",
    ],
    [
      ["run", "--for", "10x", "x.nut"],
      "vimp: --for '10x' is not a duration: write a number and a unit, such as 500ms, 10s, 10m or 2h (see vimp --help)",
    ],
    [
      ["run", "--for", "10", "x.nut"],
      "vimp: --for '10' is not a duration: write a number and a unit, such as 500ms, 10s, 10m or 2h (see vimp --help)",
    ],
    [
      ["run", "--set", "pin7", "x.nut"],
      "vimp: --set 'pin7' is not of the form PIN=LEVEL@TIME, such as pin7=1@5s (see vimp --help)",
    ],
    [
      ["run", "--set", "pin7=2@5s", "x.nut"],
      "vimp: --set 'pin7=2@5s': the level must be 0, 1 or z (let go), not '2' (see vimp --help)",
    ],
    [
      ["run", "--set", "pinA=1@5s", "x.nut"],
      "vimp: --set 'pinA=1@5s': the imp001 has no pinA; its pins are pin1, pin2, pin5, pin7, pin8, pin9 (see vimp --help)",
    ],
    [
      ["run", "--set", "pin7=1@soon", "x.nut"],
      "vimp: --set 'pin7=1@soon': 'soon' is not a duration: write a number and a unit, such as 500ms, 10s, 10m or 2h (see vimp --help)",
    ],
    [
      ["run", "--realtime=yes", "x.nut"],
      "vimp: option --realtime takes no value (see vimp --help)",
    ],
    [["run", "--loud", "x.nut"], "vimp: unknown option '--loud' for 'vimp run' (see vimp --help)"],
    [
      ["run", "--trace-json", "no/such/dir/t.jsonl", "x.nut"],
      "vimp: --trace-json no/such/dir/t.jsonl: cannot be written: no such directory no/such/dir/",
    ],
    [["run", "--vcd", ".", "x.nut"], "vimp: --vcd .: cannot be written: it is a directory"],
    [
      ["run", "--vcd", "x.out", "--trace-json", "./x.out", "x.nut"],
      "vimp: --vcd x.out: the same file as --trace-json",
    ],
  ])("refuses %j in one line, exit status 2", (args, message) => {
    file("x.nut", 'server.log("x");\n');
    const r = vimp(...args);
    expect(r).toEqual({ status: 2, stdout: "", stderr: `${message}\n` });
  });

  it("refuses firmware that does not compile with the compiler's file:line:col, exit status 2", () => {
    const r = vimp("run", file("broken.device.nut", 'server.log("never");\nlocal x = (1 + 2;\n'));
    expect(r).toEqual({
      status: 2,
      stdout: "",
      stderr: "vimp: broken.device.nut:2:18: expected ')' (the firmware does not compile)\n",
    });
  });

  it("is listed by vimp --help and explains itself with --help", () => {
    expect(vimp("--help").stdout).toMatch(
      /\n {2}run +boot a virtual imp with device firmware and show its log\n/,
    );
    const help = vimp("run", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: vimp run \[options\] firmware\.device\.nut\n/);
  });
});

describe("firmware samples under vimp run", () => {
  /** Every device sample, with the model its pins are for and a run long enough to see it work. */
  const samples: Record<string, { model: string; runFor: string; shows: string }> = {
    "blink.device.nut": { model: "imp001", runFor: "30s", shows: "[Device] blinked 20 times" },
    "button.device.nut": { model: "imp003", runFor: "30s", shows: "[Device] button ready" },
    "sleepy-logger.device.nut": { model: "imp001", runFor: "11m", shows: "[Device] wake 3: " },
    "i2c-sensor.device.nut": {
      model: "imp001",
      runFor: "30s",
      shows: "[Device] ERROR: Si7021 not answering (I2C error -",
    },
  };

  it.each(Object.entries(samples))("%s runs cleanly", (name, { model, runFor, shows }) => {
    const r = vimp("run", sample(name), "--model", model, "--for", runFor);
    expect(r.stderr).not.toContain("crashed");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(shows);
  });

  it("every device sample in firmware-samples/ is run by some test", () => {
    // The factory's samples (firmware-samples/factory/) are run through their line file by the factory tests.
    const tests = readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(ROOT, "test", f), "utf8"))
      .join("\n");
    const untested = readdirSync(SAMPLES).filter(
      (name) => name.endsWith(".nut") && !tests.includes(name),
    );
    expect(untested).toEqual([]);
  });
});

describe("the log pane", () => {
  const lines: string[] = [];
  const pane = new LogPane({
    write: (line) => lines.push(line),
    startTime: Date.UTC(2026, 2, 1) / 1000,
  });
  const led = (t: number, state: string): TraceEvent => ({
    t,
    device: "d",
    kind: "led",
    data: { state, colour: "green", flashing: true },
  });

  it("shows the last of the LED changes at one instant, and none that changes nothing", () => {
    pane.show(led(0, "joiningWifi"));
    pane.show(led(1_000, "online"));
    pane.show(led(1_000, "off"));
    pane.show(led(2_000, "online"));
    pane.show(led(2_000, "off"));
    pane.show({ t: 3_000, device: "d", kind: "log", data: { source: "device", message: "hi" } });
    pane.flush();
    expect(lines).toEqual([
      "2026-03-01T00:00:00.000Z [Status] LED flashing red/orange: joining the WiFi network",
      "2026-03-01T00:00:00.001Z [Status] LED off",
      "2026-03-01T00:00:00.003Z [Device] hi",
    ]);
  });

  it("leaves out pin events and events of no device", () => {
    lines.length = 0;
    pane.show({ t: 0, device: "d", kind: "pin", data: { pin: "pin1", level: 1 } });
    pane.show({ t: 0, device: null, kind: "deployment", data: { id: "deployment-1", sha: "00" } });
    pane.show({
      t: 0,
      device: "d",
      kind: "error",
      data: { source: "status", message: "something" },
    });
    expect(lines).toEqual(["2026-03-01T00:00:00.000Z [Status] ERROR: something"]);
  });
});
