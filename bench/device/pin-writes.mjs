// Pin writes: `pin.write()` toggling a DIGITAL_OUT pin in a Squirrel loop, each write crossing
// the sandbox boundary and changing the line (so each also records a trace event). Against: a
// bare QuickJS context calling a host function that does nothing, the library's way; and, for
// information, the same call answered by the engine's direct path, which the pin write takes
// too. Each side's cost per call is its loop with the call less the same loop without it, so
// the ratio compares the calls alone (a translated Squirrel loop and a plain JavaScript one cost
// differently in themselves). Both sides run their loop once before they are timed: V8
// optimises QuickJS's interpreter only after it has run a while.
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { runUntilLogged, SLICE_TIMEOUT_MS, VM_MEMORY_LIMIT, wallTimesOfLogs } from "./common.mjs";

export async function benchPinWrites({ writes = 200_000, warmUp = 20_000 } = {}) {
  const engine = createQuickJSEngine();
  const sim = new Simulation({ engine, trace: { retain: false } });
  const times = wallTimesOfLogs(sim);
  sim.addDevice({
    model: "imp001",
    powerOn: true,
    firmware: `
      local pin = hardware.pin9;
      pin.configure(DIGITAL_OUT, 0);
      // warm the path once, as the bare side does: V8 optimises QuickJS's interpreter only
      // after it has run a while, and a loop keeps the code it started in
      imp.wakeup(0.5, function() {
        for (local i = 0; i < ${warmUp}; i++) pin.write(i & 1);
      });
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

  return {
    perSecond: writes / (impWritesMs / 1000),
    impCallMicros: ((impWritesMs - impLoopMs) * 1000) / writes,
    // a bare QuickJS context, its host calls taken the library's way (quickjs-emscripten's
    // general path), and the same with the engine's direct path (quickjs-host-calls.ts)
    bareCallMicros: await bareHostCallMicros(
      createQuickJSEngine({ directHostCalls: false }),
      writes,
    ),
    directCallMicros: await bareHostCallMicros(engine, writes),
  };
}

/** The cost of one call of a host function that does nothing, from a bare context's loop. */
async function bareHostCallMicros(engine, writes) {
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
  return ((bareCallsMs - bareLoopMs) * 1000) / writes;
}
