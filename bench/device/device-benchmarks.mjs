// The device section of `npm run bench`: what a virtual imp costs on the host, each figure next
// to its baseline measured in the same run (the plain boot, a bare QuickJS context), and the
// targets of issues 3 and 9 with whether they are met.
//
//   device_boot         cold boot to first statement (wall ms), snapshot vs plain boot, the same firmware
//                       again and new firmware each boot; a large firmware booted again   target: <= 5 ms
//   device_timers       imp.wakeup(0) chain events per wall second
//   device_pin_writes   pin.write() calls per second, and the cost of one  target: at most 2x a bare host call
//   device_memory_100   host memory per idle device and boot time, 100 booted, snapshot vs plain   target: no worse
//   device_memory_1000  1,000 booted in one process (only with --full)   target: booted in <= 5 s
//   agent_boot          deployment to the agent code's first statement (wall ms)
//   agent_messages      device⇄agent messages per wall second
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchAgentBoot, benchAgentMessages } from "./agent.mjs";
import { benchBoot } from "./boot.mjs";
import { benchPinWrites } from "./pin-writes.mjs";
import { benchTimers } from "./timers.mjs";

const IDLE_MEMORY = fileURLToPath(new URL("./idle-memory.mjs", import.meta.url));

/** One idle-memory measurement in a fresh process (RSS is the whole process's). */
function idleMemory(n, side) {
  const r = spawnSync(process.execPath, ["--expose-gc", IDLE_MEMORY, String(n), side], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0)
    throw new Error(
      `idle-memory ${n} ${side} failed (status ${r.status}): ${r.stderr.trim().split("\n").at(-1)}`,
    );
  return JSON.parse(r.stdout);
}

const MB = 1024 * 1024;
const fixed = (v, digits) =>
  v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (v) => `${fixed(v, 0)}/s`;
const cost = (imp, bare) => `${(imp / bare).toFixed(2)}x`;
const met = (ok) => (ok ? "yes" : "NO");

/** Every device benchmark: its name (for filters), whether it needs --full, and how to make its row. */
export const DEVICE_BENCHMARKS = [
  {
    name: "device_boot",
    async row() {
      const r = await benchBoot();
      return {
        cells: [
          [
            "device_boot: cold boot to first statement, same firmware",
            `${r.imp.toFixed(1)} ms`,
            "plain boot",
            `${r.plain.toFixed(1)} ms`,
            cost(r.imp, r.plain),
            "<= 5 ms",
            met(r.imp <= 5),
          ],
          [
            "device_boot: the same, new firmware each boot",
            `${r.newFirmware.toFixed(1)} ms`,
            "plain boot",
            `${r.plain.toFixed(1)} ms`,
            cost(r.newFirmware, r.plain),
            "<= 5 ms",
            met(r.newFirmware <= 5),
          ],
          [
            `device_boot: ${Math.round(r.largeBytes / 1024)} KB firmware booted again`,
            `${r.largeAgain.toFixed(1)} ms`,
            "new each boot",
            `${r.largeNew.toFixed(1)} ms`,
            cost(r.largeAgain, r.largeNew),
            "-",
            "-",
          ],
          [
            "device_boot: the same against a bare context",
            `${r.imp.toFixed(1)} ms`,
            "bare QuickJS",
            `${r.bare.toFixed(1)} ms`,
            cost(r.imp, r.bare),
            "-",
            "-",
          ],
        ],
        note:
          `device_boot: median of 20 boots, each a new device in one simulation, each VM a copy of the snapshot of one that loaded ` +
          `the device runtime; with the same firmware each boot, from its third start on the copy has the firmware loaded too; with new firmware ` +
          `each boot, it is translated and loaded every time (as each file of a test suite is). "plain boot" loads the runtime into every VM afresh. The process's first boot took ${r.processCold.toFixed(0)} ms ` +
          `(QuickJS compiled, runtime read and snapshotted, firmware translated). A bare context loading the device runtime alone takes ${r.withRuntime.toFixed(1)} ms.`,
      };
    },
  },
  {
    name: "device_timers",
    async row() {
      const r = await benchTimers();
      return {
        cells: [
          [
            "device_timers: imp.wakeup(0) events",
            rate(r.imp),
            "bare QuickJS",
            rate(r.bare),
            cost(r.bare, r.imp),
            "-",
            "-",
          ],
        ],
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
          [
            "device_pin_writes: cost of one pin.write()",
            `${r.impCallMicros.toFixed(2)} µs`,
            "bare host call",
            `${r.bareCallMicros.toFixed(2)} µs`,
            cost(r.impCallMicros, r.bareCallMicros),
            "<= 2x host call",
            met(r.impCallMicros <= 2 * r.bareCallMicros),
          ],
          [
            "device_pin_writes: the same against a direct host call",
            `${r.impCallMicros.toFixed(2)} µs`,
            "direct host call",
            `${r.directCallMicros.toFixed(2)} µs`,
            cost(r.impCallMicros, r.directCallMicros),
            "-",
            "-",
          ],
        ],
        note: `device_pin_writes: 200,000 toggling writes, ${rate(r.perSecond)} with the loop; each cost is the loop with the call less the empty loop, both sides warmed first. "bare host call" is a bare QuickJS context calling a host function that does nothing, the library's way (quickjs-emscripten's general path); "direct host call" is the same answered by the engine's direct path (src/sandbox/quickjs-host-calls.ts), which every virtual imp's calls take, pin writes included.`,
      };
    },
  },
  {
    name: "agent_boot",
    async row() {
      const r = await benchAgentBoot();
      return {
        cells: [
          [
            "agent_boot: deployment to first statement",
            `${r.agent.toFixed(1)} ms`,
            "bare + agent runtime",
            `${r.bareWithRuntime.toFixed(1)} ms`,
            cost(r.agent, r.bareWithRuntime),
            "-",
            "-",
          ],
        ],
        note:
          `agent_boot: median of 20 agents, each a new device's in one simulation; bare = a context loading the agent runtime alone. ` +
          `The process's first agent took ${r.processCold.toFixed(0)} ms.`,
      };
    },
  },
  {
    name: "agent_messages",
    async row() {
      const r = await benchAgentMessages();
      return {
        cells: [
          ["agent_messages: device⇄agent messages", rate(r.perSecond), "-", "-", "-", "-", "-"],
        ],
        note: "agent_messages: 20,000 agent.send from the device in one event, each echoed by the agent with device.send; messages (both ways) per wall second.",
      };
    },
  },
  {
    name: "device_memory_100",
    async row() {
      const n = 100;
      const imp = idleMemory(n, "imp");
      const plain = idleMemory(n, "imp-plain");
      const bare = idleMemory(n, "bare");
      // "No worse": within 5% (RSS moves that much from run to run).
      return {
        cells: [
          [
            `device_memory_${n}: host memory per idle device`,
            `${(imp.perDevice / MB).toFixed(2)} MB`,
            "plain boot",
            `${(plain.perDevice / MB).toFixed(2)} MB`,
            cost(imp.perDevice, plain.perDevice),
            "no worse than plain",
            met(imp.perDevice <= plain.perDevice * 1.05),
          ],
          [
            `device_memory_${n}: the same against bare contexts`,
            `${(imp.perDevice / MB).toFixed(2)} MB`,
            "bare QuickJS",
            `${(bare.perDevice / MB).toFixed(2)} MB`,
            cost(imp.perDevice, bare.perDevice),
            "-",
            "-",
          ],
          [
            `device_boot_${n}: ${n} idle devices booted`,
            `${(imp.bootMs / 1000).toFixed(2)} s`,
            "plain boot",
            `${(plain.bootMs / 1000).toFixed(2)} s`,
            cost(imp.bootMs, plain.bootMs),
            "-",
            "-",
          ],
        ],
        note: `device_memory_${n}: RSS growth / ${n} in a fresh process each; ${imp.running} of ${n} devices running, ${(imp.rss / MB).toFixed(0)} MB RSS in all; booted = until the last ran its first statement.`,
      };
    },
  },
  {
    name: "device_memory_1000",
    full: true,
    async row() {
      const n = 1000;
      const imp = idleMemory(n, "imp");
      return {
        cells: [
          [
            `device_boot_${n}: ${n} idle devices booted`,
            `${(imp.bootMs / 1000).toFixed(2)} s`,
            "-",
            "-",
            "-",
            "<= 5 s",
            met(imp.bootMs <= 5000 && imp.running === n),
          ],
          [
            `device_memory_${n}: host memory per idle device`,
            `${(imp.perDevice / MB).toFixed(2)} MB`,
            "-",
            "-",
            "-",
            "1,000 in one process",
            met(imp.running === n),
          ],
        ],
        note: `device_memory_${n}: ${imp.running} of ${n} devices running in one process, ${(imp.rss / MB).toFixed(0)} MB RSS in all.`,
      };
    },
  },
];

/** Runs the device benchmarks whose names contain a filter (all with none); returns how many failed. */
export async function runDeviceBenchmarks({ filters = [], full = false, formatTable }) {
  const selected = DEVICE_BENCHMARKS.filter(
    (b) => filters.length === 0 || filters.some((f) => b.name.includes(f)),
  );
  const rows = [];
  const notes = [];
  let failures = 0;
  for (const benchmark of selected) {
    if (benchmark.full && !full) {
      notes.push(
        `${benchmark.name}: skipped (run with --full; it takes about a minute and a half and 1.5 GB of memory).`,
      );
      continue;
    }
    process.stderr.write(`${benchmark.name} ...\n`);
    try {
      const { cells, note } = await benchmark.row();
      rows.push(...cells);
      notes.push(note);
    } catch (error) {
      failures++;
      rows.push([benchmark.name, "FAILED", "-", "-", "-", "-", "-"]);
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (selected.length === 0) return 0;
  console.log(
    formatTable(
      ["device benchmark", "virtual imp", "baseline", "baseline's", "ratio", "target", "met"],
      rows,
    ),
  );
  console.log(
    `\n${notes.join("\n")}\n"ratio" is the virtual imp's figure over its baseline's, measured in the same run (for a rate, the baseline's over the imp's: the cost of one operation).`,
  );
  return failures;
}
