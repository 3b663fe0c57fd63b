#!/usr/bin/env node
// `vimp test` on a generated suite (issue 11): N small impUnit test files (default 100), each a
// session on a fresh virtual imp; with --agents, every other one is an agent test. Prints the
// wall time of the run, what one session costs (median and slowest, from --json) and the
// speed-up of virtual over wall time. The goal: 100 files in under 20 s on two cores.
//
//   node bench/test-run.mjs            100 device test files
//   node bench/test-run.mjs 20 --agents
//   npm run bench -- --test-run        with the other benchmarks (builds dist/ first)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VIMP = path.join(HERE, "..", "bin", "vimp.js");
const count = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100);
const agents = process.argv.includes("--agents");

const dir = mkdtempSync(path.join(tmpdir(), "vimp-bench-test-"));
try {
  mkdirSync(path.join(dir, "tests"));
  writeFileSync(
    path.join(dir, ".impt.test"),
    JSON.stringify({ timeout: 10, testFiles: ["tests/*.test.nut"] }),
  );
  for (let i = 0; i < count; i++) {
    const side = agents && i % 2 === 1 ? "agent" : "device";
    writeFileSync(
      path.join(dir, "tests", `t${String(i).padStart(3, "0")}.${side}.test.nut`),
      `class Case${i} extends ImpTestCase {
  function testArithmetic() { assertEqual(${i} + 1, ${i + 1}); }
  function testTable() { assertDeepEqual({ a = [1, 2], n = ${i} }, { n = ${i}, a = [1, 2] }); }
  function testLater() {
    return Promise(function(resolve, reject) { imp.wakeup(0.5, function() { resolve(${i}); }); });
  }
}
`,
    );
  }
  const start = performance.now();
  const run = spawnSync(
    process.execPath,
    [VIMP, "test", "--json", path.join(dir, "results.json")],
    { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (performance.now() - start) / 1000;
  const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
  const costs = results.files.map((f) => f.wallMs).sort((a, b) => a - b);
  const virtual = results.files.reduce((s, f) => s + f.virtualSeconds, 0);
  const passed = results.files.filter((f) => f.status === "passed").length;
  console.log(
    `vimp test: ${count} test files (${agents ? "device and agent" : "device"}), ${passed} passed, exit status ${run.status}`,
  );
  console.log(
    `  wall time           ${seconds.toFixed(1)} s  (goal: under 20 s for 100 files; ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `  per session         median ${costs[costs.length >> 1]} ms, slowest ${costs[costs.length - 1]} ms, first ${results.files[0].wallMs} ms`,
  );
  console.log(
    `  virtual time        ${virtual.toFixed(0)} s, ${(virtual / seconds).toFixed(0)}x the wall time`,
  );
  if (passed !== count) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
