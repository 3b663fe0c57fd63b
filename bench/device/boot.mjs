// Cold boot to first statement: wall ms from power on to the firmware's first statement running
// (server.log), through the boot sequence (WiFi, cloud, code check: 1.3 s of virtual time), the
// Squirrel VM's creation and the device runtime's load. The default engine starts each VM from a
// memory snapshot of one that loaded the runtime; against: the same engine loading the runtime
// into every VM afresh (the plain boot), and a bare QuickJS context evaluating one statement.
import { readFileSync } from "node:fs";
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { median, SLICE_TIMEOUT_MS, VM_MEMORY_LIMIT, wallTimesOfLogs } from "./common.mjs";

const FIRST = "first statement";
const FIRMWARE = `server.log("${FIRST}");`;

/**
 * Median wall ms of `runs` boots, each a new device in one simulation, and the process's first.
 * `firmwareOf(i)` is the firmware of boot i: the same text each time (from the third start on,
 * VMs start from a snapshot with it loaded), or a new text each time (translated and loaded at
 * every boot, as each file of a test suite is).
 */
async function bootTimes(engine, runs, firmwareOf = () => FIRMWARE) {
  const sim = new Simulation({ engine, trace: { retain: false } });
  const times = wallTimesOfLogs(sim);
  const boots = [];
  let first;
  // The first boot also compiles QuickJS's WebAssembly (once per process), reads the runtime
  // bundle, makes the snapshot and translates the firmware (cached by code hash): reported apart.
  for (let i = 0; i <= runs; i++) {
    const device = sim.addDevice({ model: "imp001", firmware: firmwareOf(i) });
    times.clear();
    const started = performance.now();
    device.powerOn();
    await sim.runUntil(() => times.has(FIRST), 60_000_000);
    const ms = times.get(FIRST) - started;
    if (i === 0) first = ms;
    else boots.push(ms);
    device.powerOff();
  }
  await sim.dispose();
  return { median: median(boots), first };
}

/** Firmware of ~85 KB: 400 small classes and functions, then the statement timed. */
function largeFirmware() {
  let text = "";
  for (let i = 0; i < 400; i++) {
    text += `class C${i} { x = 0; constructor(a) { x = a; } function get(k) { local t = { a = 1, b = [1, 2, 3], c = "s" + k }; foreach (kk, v in t) x += k; return x; } }\n`;
    text += `function f${i}(n) { local c = C${i}(n); return c.get(n) + ${i}; }\n`;
  }
  return text + FIRMWARE;
}

export async function benchBoot({ runs = 20 } = {}) {
  const engine = createQuickJSEngine();
  // Warm-up: V8 optimises the host's code over the first boots; each side is then measured warm.
  const warmUp = await bootTimes(engine, runs);
  const snapshot = await bootTimes(engine, runs);
  const newFirmware = await bootTimes(engine, runs, (i) => `${FIRMWARE} // boot ${i}`);
  const plain = await bootTimes(createQuickJSEngine({ snapshots: false }), runs);
  const large = largeFirmware();
  const largeAgain = await bootTimes(engine, 10, () => large);
  const largeNew = await bootTimes(engine, 10, (i) => `${large} // boot ${i}`);

  const bare = [];
  const withRuntime = [];
  const runtime = readFileSync(new URL("../../dist/device-runtime.js", import.meta.url), "utf8");
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    let vm = await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT });
    vm.evaluate(`var first = "${FIRST}";`, { timeoutMs: SLICE_TIMEOUT_MS });
    bare.push(performance.now() - started);
    vm.dispose();
    // Where the plain boot's time goes: the same bare context, loading the device runtime.
    started = performance.now();
    vm = await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT });
    vm.evaluate(runtime, { filename: "device-runtime.js" });
    withRuntime.push(performance.now() - started);
    vm.dispose();
  }
  return {
    newFirmware: newFirmware.median,
    largeBytes: large.length,
    largeAgain: largeAgain.median,
    largeNew: largeNew.median,
    imp: snapshot.median,
    processCold: warmUp.first,
    plain: plain.median,
    bare: median(bare),
    withRuntime: median(withRuntime),
  };
}
