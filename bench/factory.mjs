#!/usr/bin/env node
// The Connected Factory benchmark (issue 4): a line of N DUTs (default 1,000) on the sample's
// DUT board, a tenth with a board fault (2 % each of an open loop-back, a missing sensor, a low
// rail, a sensor out of range, a shorted input) so they fail their self-test, through BlinkUp, DUT firmware, blessing and the start
// of the application firmware. Prints wall time, DUTs per second, the speed-up of virtual over
// wall time, and host memory, and whether the line meets issue 9's target (1,000 DUTs in 30 s).
// Every VM starts from the engine's runtime snapshot; --against-plain runs the same line again
// with the runtime loaded into every VM afresh (the plain boot) and prints the ratio.
//
//   node bench/factory.mjs            1,000 DUTs, 20 fixtures
//   node bench/factory.mjs 100        100 DUTs
//   node bench/factory.mjs 1000 --against-plain
//   npm run bench -- --factory        with the other benchmarks (builds dist/ first)
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createQuickJSEngine, parseLine, runLine } from "../dist/index.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SAMPLE = path.join(HERE, "..", "firmware-samples", "factory");
const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
const fixtures = Math.max(1, Math.min(20, Math.round(count / 50)));

const json = JSON.parse(readFileSync(path.join(SAMPLE, "line.json"), "utf8"));
json.fixtures = Array.from({ length: fixtures }, (_, i) => ({
  name: `fixture-${i + 1}`,
  board: "fixture.board.json",
  group: "lamp-fixtures",
  blinkUpLed: "pinB",
  button: "start",
}));
json.duts = [{ count, board: "dut.board.json" }];
json.faults = [
  { kind: "wire-open", part: "loopback", fraction: 0.02 },
  { kind: "sensor-missing", part: "climate", fraction: 0.02 },
  { kind: "rail-low", part: "rail", volts: 2.2, fraction: 0.02 },
  { kind: "sensor-reading", part: "climate", celsius: 85, fraction: 0.02 },
  { kind: "short-to-ground", pin: "pinA", fraction: 0.02 },
];
const spec = parseLine(json, path.join(SAMPLE, "line.json"));
const failing = spec.faults.reduce((n, f) => n + Math.round(f.fraction * count), 0);

/** Runs the line once; prints its figures; returns its wall seconds and whether every DUT ended as expected. */
async function runOnce(label, engine) {
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const started = performance.now();
  const { report } = await runLine(spec, {
    engine,
    retainTrace: false,
    onProgress: (done) => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (done % 100 === 0)
        process.stderr.write(
          `  ${done}/${count} DUTs, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
    },
  });
  const wall = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const s = report.summary;
  const mib = (b) => (b / 1024 / 1024).toFixed(0);
  console.log(`factory line (${label}): ${count} DUTs (${failing} failing), ${fixtures} fixtures`);
  console.log(`  as expected      ${s.asExpected}/${s.duts} (${JSON.stringify(s.byOutcome)})`);
  console.log(`  wall time        ${wall.toFixed(2)} s`);
  console.log(`  DUTs per second  ${(count / wall).toFixed(1)}`);
  console.log(
    `  virtual time     ${s.virtualSeconds.toFixed(0)} s of line time: ${(s.virtualSeconds / wall).toFixed(0)}x real time`,
  );
  const perDut = report.duts
    .filter((d) => d.appStartedAt !== null)
    .map((d) => (d.appStartedAt - d.placedAt) / 1e6);
  const cycle = perDut.reduce((a, b) => a + b, 0) / Math.max(1, perDut.length);
  // Stations interleave on one thread, so one DUT's share of the host is wall / count.
  console.log(
    `  one DUT cycle    ${cycle.toFixed(1)} s virtual (placed to app start) for ${((wall / count) * 1000).toFixed(0)} ms of host time: ${(cycle / (wall / count)).toFixed(0)}x real time`,
  );
  console.log(`  host memory      peak RSS ${mib(peakRss)} MiB (${mib(rssBefore)} MiB before)`);
  return { wall, ok: report.ok };
}

const TARGET_S = 30;
const snapshot = await runOnce("VMs from the runtime snapshot", createQuickJSEngine());
let ok = snapshot.ok;
if (process.argv.includes("--against-plain")) {
  const plain = await runOnce(
    "plain boot: the runtime loaded into every VM",
    createQuickJSEngine({ snapshots: false }),
  );
  ok &&= plain.ok;
  console.log(
    `snapshot / plain wall time: ${(snapshot.wall / plain.wall).toFixed(2)}x (${snapshot.wall.toFixed(2)} s against ${plain.wall.toFixed(2)} s)`,
  );
}
if (count === 1000)
  console.log(
    `target: 1,000 DUTs in <= ${TARGET_S} s: ${snapshot.wall <= TARGET_S ? "met" : "NOT met"} (${snapshot.wall.toFixed(1)} s)`,
  );
process.exitCode = ok ? 0 : 1;
