// Agents next to the device figures: agent boot (wall ms from deployment to the agent code's
// first statement: the agent VM's creation, the agent runtime's load, the top level), and
// messages per wall second between a device and its agent (agent.send → device.on → device.send
// → agent.on, each leg through the impCloud's 50 ms of virtual latency).
import { readFileSync } from "node:fs";
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { median, SLICE_TIMEOUT_MS, VM_MEMORY_LIMIT } from "./common.mjs";

const FIRST = "agent first statement";

/** Wall time at which each [Agent] line was logged. */
function agentLogTimes(sim) {
  const times = new Map();
  sim.trace.addListener((event) => {
    if (event.kind === "log" && event.data.source === "agent")
      times.set(event.data.message, performance.now());
  });
  return times;
}

export async function benchAgentBoot({ runs = 20 } = {}) {
  const engine = createQuickJSEngine();
  const sim = new Simulation({ engine, trace: { retain: false } });
  const times = agentLogTimes(sim);
  const boots = [];
  let processCold;
  for (let i = 0; i <= runs; i++) {
    times.clear();
    const started = performance.now();
    // A new device each time, with an agent whose code logs once (its group's deployment).
    sim.addDevice({ model: "imp001", agent: `server.log("${FIRST}");`, seed: `agent-boot-${i}` });
    await sim.runUntil(() => times.has(FIRST), 1_000_000);
    const ms = times.get(FIRST) - started;
    if (i === 0) processCold = ms;
    else boots.push(ms);
  }
  await sim.dispose();
  const bare = [];
  const runtime = readFileSync(new URL("../../dist/agent-runtime.js", import.meta.url), "utf8");
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const vm = await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT });
    vm.evaluate(runtime, { filename: "agent-runtime.js", timeoutMs: SLICE_TIMEOUT_MS });
    bare.push(performance.now() - started);
    vm.dispose();
  }
  return { agent: median(boots), bareWithRuntime: median(bare), processCold };
}

export async function benchAgentMessages({ count = 20_000 } = {}) {
  const sim = new Simulation({ trace: { retain: false } });
  const device = sim.addDevice({
    model: "imp001",
    firmware: `local got = 0;
      agent.on("pong", function(n) { got++; if (got == ${count}) server.log("all back"); });
      for (local i = 0; i < ${count}; i++) agent.send("ping", i);`,
    agent: `device.on("ping", function(n) { device.send("pong", n); });`,
  });
  let done = null;
  let started = null;
  sim.trace.addListener((e) => {
    if (e.kind === "log" && e.data.message === "all back") done = performance.now();
    if (e.kind === "message" && started === null) started = performance.now();
  });
  device.powerOn();
  await sim.runUntil(() => done !== null, 600_000_000);
  if (done === null) throw new Error("the messages never all came back");
  await sim.dispose();
  // Every message crosses twice (there and back).
  return { perSecond: (2 * count) / ((done - started) / 1000) };
}
