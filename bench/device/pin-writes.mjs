// Pin writes: `pin.write()` toggling a DIGITAL_OUT pin in a Squirrel loop, each write crossing
// the sandbox boundary and changing the line (so each also records a trace event). Against: a
// bare QuickJS context calling a host function that does nothing. Each side's cost per call is
// its loop with the call less the same loop without it, so the ratio compares the calls alone
// (a translated Squirrel loop and a plain JavaScript one cost differently in themselves).
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { runUntilLogged, SLICE_TIMEOUT_MS, VM_MEMORY_LIMIT, wallTimesOfLogs } from "./common.mjs";

export async function benchPinWrites({ writes = 200_000 } = {}) {
  const engine = createQuickJSEngine();
  const sim = new Simulation({ engine, trace: { retain: false } });
  const times = wallTimesOfLogs(sim);
  sim.addDevice({
    model: "imp001",
    powerOn: true,
    firmware: `
      local pin = hardware.pin9;
      pin.configure(DIGITAL_OUT, 0);
      imp.wakeup(1, function() {
        server.log("loop");
        for (local i = 0; i < ${writes}; i++) {}
        server.log("loop done");
        for (local i = 0; i < ${writes}; i++) pin.write(i & 1);
        server.log("writes done");
      });`,
  });
  const loopStarted = await runUntilLogged(sim, times, "loop");
  const loopEnded = await runUntilLogged(sim, times, "loop done");
  const writesEnded = await runUntilLogged(sim, times, "writes done");
  await sim.dispose();
  const impLoopMs = loopEnded - loopStarted;
  const impWritesMs = writesEnded - loopEnded;

  let calls = 0;
  const vm = await engine.createVm({
    memoryLimit: VM_MEMORY_LIMIT,
    hostCalls: { write: () => void calls++ },
  });
  const timed = (code) => {
    const started = performance.now();
    const result = vm.evaluate(code, { timeoutMs: SLICE_TIMEOUT_MS });
    if (!result.ok) throw new Error(`bare loop failed: ${result.failure.message}`);
    return performance.now() - started;
  };
  timed("for (var i = 0; i < 1000; i++) __host.write(i & 1);"); // warm the path once
  const bareLoopMs = timed(`for (var i = 0; i < ${writes}; i++) {}`);
  const bareCallsMs = timed(`for (var i = 0; i < ${writes}; i++) __host.write(i & 1);`);
  vm.dispose();

  return {
    perSecond: writes / (impWritesMs / 1000),
    impCallMicros: ((impWritesMs - impLoopMs) * 1000) / writes,
    bareCallMicros: ((bareCallsMs - bareLoopMs) * 1000) / writes,
  };
}
