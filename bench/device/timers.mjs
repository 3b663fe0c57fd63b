// Timer events per second of wall time: an imp.wakeup(0) chain, each callback arming the next,
// run by the simulation as `vimp run` and the testing API run it (scheduler, event loop, one
// entry into the VM per event). Against: a bare QuickJS context entered once per event by the
// host, the least any emulator of the imp's event loop must do.
import { createQuickJSEngine, Simulation } from "../../dist/index.js";
import { runUntilLogged, SLICE_TIMEOUT_MS, VM_MEMORY_LIMIT, wallTimesOfLogs } from "./common.mjs";

export async function benchTimers({ events = 50_000 } = {}) {
  const engine = createQuickJSEngine();
  const sim = new Simulation({ engine, trace: { retain: false } });
  const times = wallTimesOfLogs(sim);
  sim.addDevice({
    model: "imp001",
    powerOn: true,
    firmware: `
      n <- 0;
      function tick() { if (++n == ${events}) server.log("done"); else imp.wakeup(0, tick); }
      server.log("start");
      imp.wakeup(0, tick);`,
  });
  const started = await runUntilLogged(sim, times, "start");
  const ended = await runUntilLogged(sim, times, "done");
  await sim.dispose();
  const imp = events / ((ended - started) / 1000);

  const vm = await engine.createVm({ memoryLimit: VM_MEMORY_LIMIT });
  vm.evaluate("var n = 0; function tick() { n++; }");
  const bareStarted = performance.now();
  for (let i = 0; i < events; i++) vm.evaluate("tick()", { timeoutMs: SLICE_TIMEOUT_MS });
  const bare = events / ((performance.now() - bareStarted) / 1000);
  vm.dispose();
  return { imp, bare };
}
