#!/usr/bin/env node
// Host memory per idle device: boots N virtual imps whose firmware logs once and then waits
// (Squirrel running, nothing scheduled), and reports the process's RSS growth divided by N.
// "imp" starts each VM from the engine's runtime snapshot (the default), "imp-plain" loads the
// runtime into each afresh. Against: N bare QuickJS contexts with the same limits, each having
// evaluated one statement.
// Run in a process of its own, so nothing else measured before skews the RSS:
//
//   node --expose-gc bench/device/idle-memory.mjs 100 imp|imp-plain|bare    prints one JSON line
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { VM_MEMORY_LIMIT } from "./common.mjs";

const FIRMWARE = 'server.log("idle");';

function settledRss() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

async function measureImps(n, snapshots) {
  const engine = createQuickJSEngine({ snapshots });
  // Warm-up outside the measurement: QuickJS's WebAssembly compiled, the runtime bundle read, the
  // firmware translated, and (its third start) the snapshot with the firmware loaded made.
  const warm = new Simulation({ engine, trace: { retain: false } });
  for (let i = 0; i < 3; i++)
    warm.addDevice({ model: "imp001", firmware: FIRMWARE, powerOn: true });
  await warm.runFor(5_000_000);
  await warm.dispose();

  const before = settledRss();
  const started = performance.now();
  const sim = new Simulation({ engine, trace: { retain: false } });
  let idle = 0;
  let allUpMs = Infinity;
  sim.trace.addListener((event) => {
    if (event.kind === "log" && event.data.message === "idle" && ++idle === n)
      allUpMs = performance.now() - started;
  });
  for (let i = 0; i < n; i++) sim.addDevice({ model: "imp001", firmware: FIRMWARE, powerOn: true });
  await sim.runFor(90_000_000); // past the LED's minute: nothing left scheduled
  if (idle !== n) throw new Error(`${idle} of ${n} devices came up`);
  const after = settledRss();
  const running = sim.devices.filter((d) => d.phase === "running").length;
  // bootMs: until the last device ran its first statement.
  return {
    n,
    perDevice: (after - before) / n,
    rss: after,
    bootMs: allUpMs,
    running,
    pending: sim.scheduler.pending,
  };
}

async function measureBare(n) {
  const engine = createQuickJSEngine();
  (await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT })).dispose();
  const before = settledRss();
  const started = performance.now();
  const vms = [];
  for (let i = 0; i < n; i++) {
    const vm = await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT });
    vm.evaluate('var state = "idle";');
    vms.push(vm);
  }
  const bootMs = performance.now() - started;
  const after = settledRss();
  return {
    n,
    perDevice: (after - before) / n,
    rss: after,
    bootMs,
    alive: vms.filter((vm) => vm.alive).length,
  };
}

const [count, side] = process.argv.slice(2);
const n = Number(count);
if (!Number.isInteger(n) || n < 1 || !["imp", "imp-plain", "bare"].includes(side)) {
  console.error("usage: node --expose-gc bench/device/idle-memory.mjs N imp|imp-plain|bare");
  process.exit(2);
}
console.log(
  JSON.stringify(side === "bare" ? await measureBare(n) : await measureImps(n, side === "imp")),
);
