#!/usr/bin/env node
// Benchmarks: translated Squirrel against hand-written JavaScript in the same QuickJS build with
// the same limits, and against the reference interpreter's timings.
//
//   npm run bench                    all benchmarks (builds dist/ first)
//   node bench/run.mjs fib sort      only those whose name contains "fib" or "sort"
//   node bench/run.mjs --runs 5      median of 5 runs instead of 3
//   node bench/run.mjs device        only the device benchmarks (bench/device/)
//   node bench/run.mjs --full        also the long ones (1,000 idle devices)
//
// A benchmark is bench/programs/NAME.nut with its expected output NAME.out. Optional:
// bench/js/NAME.js, a hand-written JavaScript twin that calls print(); a line for NAME in
// bench/programs/REFERENCE-TIMINGS.txt. Adding a benchmark is adding those files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createQuickJSEngine, DEFAULT_MEMORY_LIMIT, runSquirrel } from "../dist/index.js";
import { runDeviceBenchmarks } from "./device/device-benchmarks.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROGRAMS = path.join(HERE, "programs");
const HAND_WRITTEN = path.join(HERE, "js");
/** The same limits for both sides; the deadline only guards against a hang. */
const LIMITS = { memoryLimit: DEFAULT_MEMORY_LIMIT, timeoutMs: 300_000 };

function parseCommandLine(argv) {
  let runs = 3;
  let full = false;
  const filters = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--factory" || argv[i] === "--test-run") continue; // handled at the end: bench/factory.mjs, bench/test-run.mjs
    if (argv[i] === "--full") {
      full = true; // the long device benchmarks too (bench/device/device-benchmarks.mjs)
      continue;
    }
    if (argv[i] === "--runs") runs = Number(argv[++i]);
    else if (argv[i].startsWith("--runs=")) runs = Number(argv[i].slice("--runs=".length));
    else filters.push(argv[i]);
  }
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error("--runs takes a whole number of at least 1");
  return { runs, filters, full };
}

/** benchmark name -> reference sq32 median in ms, from REFERENCE-TIMINGS.txt. */
function referenceTimings() {
  const file = path.join(PROGRAMS, "REFERENCE-TIMINGS.txt");
  const timings = new Map();
  if (!existsSync(file)) return timings;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    // "bench_fib   recursive fib(27), 10 times   0.524 s  (0.522-0.533)  0.493 s": the first time is sq32.
    const m = /^(bench_\w+)\s.*?\s(\d+(?:\.\d+)?) s\s+\(/.exec(line);
    if (m) timings.set(m[1], Number(m[2]) * 1000);
  }
  return timings;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One run of the translated program in a fresh VM: the time main runs, and its output. */
async function runTranslated(name, source) {
  let stdout = "";
  let stderr = "";
  const result = await runSquirrel(source, {
    file: `${name}.nut`,
    stdout: (bytes) => (stdout += bytes),
    stderr: (bytes) => (stderr += bytes),
    ...LIMITS,
  });
  if (result.status !== 0)
    throw new Error(`${name}.nut ended with status ${result.status}: ${stderr.trim()}`);
  return {
    ms: result.timings.runMs,
    setupMs: result.timings.compileMs + result.timings.startMs,
    stdout,
  };
}

/** One run of the hand-written twin in a fresh VM of the same engine and limits. */
async function runHandWritten(name, code) {
  let stdout = "";
  const vm = await engine.createVm({
    memoryLimit: LIMITS.memoryLimit,
    hostCalls: { print: (s) => void (stdout += s) },
  });
  try {
    const started = performance.now();
    const result = vm.evaluate(`var print = function (s) { __host.print(String(s)); };\n${code}`, {
      filename: `${name}.js`,
      timeoutMs: LIMITS.timeoutMs,
    });
    const ms = performance.now() - started;
    if (!result.ok)
      throw new Error(`${name}.js failed: ${result.failure.kind}: ${result.failure.message}`);
    return { ms, stdout };
  } finally {
    vm.dispose();
  }
}

/** Runs `once` `runs` times, checks every output, returns the median time (and setup time). */
async function measure(label, runs, expected, once) {
  const times = [];
  const setups = [];
  for (let i = 0; i < runs; i++) {
    const { ms, setupMs, stdout } = await once();
    if (stdout !== expected)
      throw new Error(
        `${label}: WRONG OUTPUT\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(stdout)}`,
      );
    times.push(ms);
    if (setupMs !== undefined) setups.push(setupMs);
  }
  return { ms: median(times), setupMs: setups.length ? median(setups) : undefined };
}

function formatTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const VIMP = path.join(HERE, "..", "bin", "vimp.js");
/** The reference interpreter, when this machine has it: then it is timed in the same run. */
const SQ32 = process.env.VIMP_SQ32 ?? "/work/ref/sq32";

/** Wall ms of one whole process, checking its output. */
function timeProcess(label, command, args, expected) {
  const started = performance.now();
  const r = spawnSync(command, args, { encoding: "latin1", maxBuffer: 64 << 20 });
  const wall = performance.now() - started;
  if (r.status !== 0 || r.stdout !== expected)
    throw new Error(
      `${label}: status ${r.status}, ${r.stdout === expected ? "" : "WRONG OUTPUT "}${r.stderr.trim()}`,
    );
  return wall;
}

/**
 * \`vimp sq\` as a user runs it, whole process: with the CLI's V8 tier (Liftoff off, bin/vimp.js)
 * against \`node --liftoff\` (V8's default), and against the reference interpreter run in the same
 * run (or, without it, its recorded timings). Runs interleave, so load hits every side alike.
 */
function wholeProcess(names) {
  const haveSq32 = existsSync(SQ32);
  const rows = [];
  const toSq32 = [];
  let failed = 0;
  /** One row: each side's median whole-process time; `counts` adds it to the geometric mean. */
  const measureWhole = (label, file, expected, counts) => {
    process.stderr.write(`${label} (whole process) ...\n`);
    try {
      const tiered = [];
      const liftoff = [];
      const sq32 = [];
      const v8 = [];
      for (let i = 0; i < runs; i++) {
        v8.push(
          timeProcess(
            `vimp sq --engine v8 ${label}`,
            process.execPath,
            [VIMP, "sq", "--engine", "v8", file],
            expected,
          ),
        );
        tiered.push(
          timeProcess(`vimp sq ${label}`, process.execPath, [VIMP, "sq", file], expected),
        );
        liftoff.push(
          timeProcess(
            `node --liftoff vimp sq ${label}`,
            process.execPath,
            ["--liftoff", VIMP, "sq", file],
            expected,
          ),
        );
        if (haveSq32) sq32.push(timeProcess(`sq32 ${label}`, SQ32, [file], expected));
      }
      const reference = haveSq32 ? median(sq32) : referenceTimings().get(label);
      const t = median(tiered);
      if (counts && reference !== undefined) toSq32.push(t / reference);
      const tv8 = median(v8);
      rows.push([
        label,
        ms(t),
        ms(median(liftoff)),
        ratio(t, median(liftoff)),
        ms(reference),
        ratio(t, reference),
        !counts ? "-" : reference !== undefined && t <= 2 * reference ? "yes" : "NO",
        ms(tv8),
        ratio(tv8, t),
        ratio(tv8, reference),
        !counts ? "-" : reference !== undefined && tv8 < reference ? "yes" : "NO",
      ]);
    } catch (error) {
      failed++;
      rows.push([label, "FAILED", "-", "-", "-", "-", "-", "-", "-", "-", "-"]);
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  // Start-up alone: a program that prints one line, paid by every run of every benchmark below.
  const empty = path.join(mkdtempSync(path.join(tmpdir(), "vimp-bench-")), "start_up.nut");
  writeFileSync(empty, 'print("up\\n");\n');
  measureWhole("(start-up only)", empty, "up\n", false);
  for (const name of names) {
    const file = path.join(PROGRAMS, `${name}.nut`);
    measureWhole(name, file, readFileSync(path.join(PROGRAMS, `${name}.out`), "latin1"), true);
  }
  const geomean = toSq32.length
    ? Math.exp(toSq32.reduce((a, r) => a + Math.log(r), 0) / toSq32.length)
    : undefined;
  console.log(
    formatTable(
      [
        "whole process",
        "vimp sq ms",
        "--liftoff ms",
        "vimp/liftoff",
        "sq32 ms",
        "vimp/sq32",
        "<= 2x sq32",
        "--engine v8 ms",
        "v8/quickjs",
        "v8/sq32",
        "v8 < sq32",
      ],
      rows,
    ),
  );
  console.log(
    `\nmedian of ${runs} run(s) of each whole process. "vimp sq" is the CLI as installed (V8's Liftoff tier off);` +
      `\n"--liftoff" the same with V8's default tiers; "--engine v8" runs it in the V8 engine (target: faster than sq32). sq32 is the reference interpreter, ${haveSq32 ? `run here (${SQ32})` : "from REFERENCE-TIMINGS.txt"}.` +
      `\ngeometric mean vimp/sq32: ${geomean === undefined ? "-" : `${geomean.toFixed(2)}x`} (target <= 1.5x: ${geomean !== undefined && geomean <= 1.5 ? "met" : "NOT met"}).\n`,
  );
  return failed;
}

const ms = (v) => (v === undefined ? "-" : v.toFixed(0));
const ratio = (a, b) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);

const engine = createQuickJSEngine();
const { runs, filters, full } = parseCommandLine(process.argv.slice(2));
const reference = referenceTimings();
const names = readdirSync(PROGRAMS)
  .filter((f) => f.endsWith(".nut"))
  .map((f) => f.slice(0, -".nut".length))
  .filter((n) => filters.length === 0 || filters.some((f) => n.includes(f)))
  .sort();

const rows = [];
/** Per benchmark with a hand-written twin: whether translated is at most 2x it (the target). */
const toHand = [];
let failures = 0;
for (const name of names) {
  process.stderr.write(`${name} ...\n`);
  try {
    const expected = readFileSync(path.join(PROGRAMS, `${name}.out`), "latin1");
    const source = readFileSync(path.join(PROGRAMS, `${name}.nut`), "latin1");
    const translated = await measure(`${name}.nut`, runs, expected, () =>
      runTranslated(name, source),
    );
    const twin = path.join(HAND_WRITTEN, `${name}.js`);
    const handWritten = existsSync(twin)
      ? await measure(`${name}.js`, runs, expected, () =>
          runHandWritten(name, readFileSync(twin, "utf8")),
        )
      : undefined;
    const sq32 = reference.get(name);
    const withinTarget = handWritten !== undefined && translated.ms <= 2 * handWritten.ms;
    if (handWritten !== undefined) toHand.push(withinTarget);
    rows.push([
      name,
      ms(translated.ms),
      ms(handWritten?.ms),
      ratio(translated.ms, handWritten?.ms),
      handWritten === undefined ? "-" : withinTarget ? "yes" : "NO",
      ms(sq32),
      ratio(translated.ms, sq32),
      ratio(handWritten?.ms, sq32),
      ms(translated.setupMs),
    ]);
  } catch (error) {
    failures++;
    rows.push([name, "FAILED", "-", "-", "-", ms(reference.get(name)), "-", "-", "-"]);
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  }
}

if (names.length > 0) {
  console.log(
    formatTable(
      [
        "benchmark",
        "translated ms",
        "hand-written ms",
        "translated/hand",
        "<= 2x hand",
        "sq32 ms",
        "translated/sq32",
        "hand/sq32",
        "setup ms",
      ],
      rows,
    ),
  );
  console.log(
    `\nmedian of ${runs} run(s), each in a fresh QuickJS VM (${LIMITS.memoryLimit / 1024 / 1024} MiB). "translated" and` +
      `\n"hand-written" time the program's evaluation (parse + run); "setup" is translation plus VM and` +
      `\nruntime start, paid once per program. sq32 is the reference interpreter's whole-process time;` +
      `\n"hand/sq32" is how far even hand-written JavaScript in QuickJS is from it.` +
      `\ntranslated at most 2x hand-written (target): ${toHand.filter(Boolean).length} of ${toHand.length}` +
      ` (${toHand.length > 0 && toHand.every(Boolean) ? "met" : "NOT met"}).\n`,
  );
}
if (names.length > 0) failures += wholeProcess(names);
failures += await runDeviceBenchmarks({ filters, full, formatTable });
process.exitCode = failures > 0 ? 1 : 0;

// `vimp test` on 100 generated test files (bench/test-run.mjs): `npm run bench -- --test-run`.
if (process.argv.includes("--test-run")) {
  const { spawnSync } = await import("node:child_process");
  spawnSync(process.execPath, [path.join(HERE, "test-run.mjs")], { stdio: "inherit" });
}

// The Connected Factory line (bench/factory.mjs), 1,000 DUTs from the snapshot and then with the
// plain boot, takes minutes, so it runs only when asked:
// `npm run bench -- --factory`.
if (process.argv.includes("--factory")) {
  const { spawnSync } = await import("node:child_process");
  spawnSync(process.execPath, [path.join(HERE, "factory.mjs"), "1000", "--against-plain"], {
    stdio: "inherit",
  });
}
