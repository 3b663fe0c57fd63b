import { createQuickJSEngine, Simulation } from "../dist/index.js";
const engine = createQuickJSEngine();
const sim = new Simulation({ engine, trace: { retain: false } });
let seen = false;
sim.trace.addListener((e) => { if (e.kind === "log" && e.data.source === "device") seen = true; });
const N = Number(process.argv[2] ?? 200);
const times = [];
for (let i = 0; i <= N; i++) {
  const device = sim.addDevice({ model: "imp001", firmware: `server.log("first");` });
  seen = false;
  const t = performance.now();
  device.powerOn();
  await sim.runUntil(() => seen, 60_000_000);
  if (i > 0) times.push(performance.now() - t);
  device.powerOff();
}
times.sort((a, b) => a - b);
console.log("median", times[times.length >> 1].toFixed(2), "ms");
await sim.dispose();
