// The device section of `npm run bench`: what a virtual imp costs on the host, each figure next
// to a bare QuickJS context doing the same, and the targets of issue 3 with whether they are met.
//
//   device_boot         cold boot to first statement (wall ms)            target: under 10 ms
//   device_timers       imp.wakeup(0) chain events per wall second
//   device_pin_writes   pin.write() calls per second, and the cost of one  target: at most 2x a bare host call
//   device_memory_100   host memory per idle device, 100 booted
//   device_memory_1000  the same with 1,000 booted (only with --full: ~1.5 min and ~1.5 GB)  target: 1,000 in one process
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchBoot } from "./boot.mjs";
import { benchPinWrites } from "./pin-writes.mjs";
import { benchTimers } from "./timers.mjs";

const IDLE_MEMORY = fileURLToPath(new URL("./idle-memory.mjs", import.meta.url));

/** One idle-memory measurement in a fresh process (RSS is the whole process's). */
function idleMemory(n, side) {
  const r = spawnSync(process.execPath, ["--expose-gc", IDLE_MEMORY, String(n), side], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`idle-memory ${n} ${side} failed (status ${r.status}): ${r.stderr.trim().split("\n").at(-1)}`);
  return JSON.parse(r.stdout);
}

const MB = 1024 * 1024;
const fixed = (v, digits) => v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (v) => `${fixed(v, 0)}/s`;
const cost = (imp, bare) => `${(imp / bare).toFixed(1)}x`;
const met = (ok) => (ok ? "yes" : "NO");

/** Every device benchmark: its name (for filters), whether it needs --full, and how to make its row. */
export const DEVICE_BENCHMARKS = [
  {
    name: "device_boot",
    async row() {
      const r = await benchBoot();
      return {
        cells: ["device_boot: cold boot to first statement", `${r.imp.toFixed(1)} ms`, `${r.bare.toFixed(1)} ms`, cost(r.imp, r.bare), "< 10 ms", met(r.imp < 10)],
        note:
          `device_boot: median of 20 boots, each a new device in one simulation; the process's first boot took ${r.processCold.toFixed(0)} ms ` +
          `(QuickJS compiled, runtime read, firmware translated). A bare context loading the device runtime alone takes ${r.withRuntime.toFixed(1)} ms.`,
      };
    },
  },
  {
    name: "device_timers",
    async row() {
      const r = await benchTimers();
      return {
        cells: ["device_timers: imp.wakeup(0) events", rate(r.imp), rate(r.bare), cost(r.bare, r.imp), "-", "-"],
        note: "device_timers: 50,000 events of one chain; bare = the host entering a bare context once per event (evaluate).",
      };
    },
  },
  {
    name: "device_pin_writes",
    async row() {
      const r = await benchPinWrites();
      return {
        cells: [
          "device_pin_writes: cost of one pin.write()",
          `${r.impCallMicros.toFixed(2)} µs`,
          `${r.bareCallMicros.toFixed(2)} µs`,
          cost(r.impCallMicros, r.bareCallMicros),
          "<= 2x host call",
          met(r.impCallMicros <= 2 * r.bareCallMicros),
        ],
        note: `device_pin_writes: 200,000 toggling writes, ${rate(r.perSecond)} with the loop; each cost is the loop with the call less the empty loop.`,
      };
    },
  },
  ...[100, 1000].map((n) => ({
    name: `device_memory_${n}`,
    full: n > 100,
    async row() {
      const imp = idleMemory(n, "imp");
      const bare = idleMemory(n, "bare");
      return {
        cells: [
          `device_memory_${n}: host memory per idle device`,
          `${(imp.perDevice / MB).toFixed(2)} MB`,
          `${(bare.perDevice / MB).toFixed(2)} MB`,
          cost(imp.perDevice, bare.perDevice),
          n === 1000 ? "1,000 in one process" : "-",
          n === 1000 ? met(imp.running === n) : "-",
        ],
        note:
          `device_memory_${n}: RSS growth / ${n} in a fresh process; ${imp.running} of ${n} devices running, ` +
          `${(imp.rss / MB).toFixed(0)} MB RSS in all, booted in ${(imp.bootMs / 1000).toFixed(1)} s (bare contexts: ${(bare.bootMs / 1000).toFixed(1)} s).`,
      };
    },
  })),
];

/** Runs the device benchmarks whose names contain a filter (all with none); returns how many failed. */
export async function runDeviceBenchmarks({ filters = [], full = false, formatTable }) {
  const selected = DEVICE_BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  const rows = [];
  const notes = [];
  let failures = 0;
  for (const benchmark of selected) {
    if (benchmark.full && !full) {
      notes.push(`${benchmark.name}: skipped (run with --full; it takes about a minute and a half and 1.5 GB of memory).`);
      continue;
    }
    process.stderr.write(`${benchmark.name} ...\n`);
    try {
      const { cells, note } = await benchmark.row();
      rows.push(cells);
      notes.push(note);
    } catch (error) {
      failures++;
      rows.push([benchmark.name, "FAILED", "-", "-", "-", "-"]);
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (selected.length === 0) return 0;
  console.log(formatTable(["device benchmark", "virtual imp", "bare QuickJS", "imp/bare cost", "target", "met"], rows));
  console.log(`\n${notes.join("\n")}\n"imp/bare cost" is how many times the bare context's cost (time or memory) one operation of the virtual imp takes.`);
  return failures;
}
