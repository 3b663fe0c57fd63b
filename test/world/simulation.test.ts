import { afterEach, describe, expect, it } from "vitest";
import { Simulation } from "../../src/world/simulation.ts";
import { CompileError } from "../../src/squirrel/compile-error.ts";

const S = 1_000_000;
const open: Simulation[] = [];
afterEach(async () => {
  for (const sim of open.splice(0)) await sim.dispose();
});

function simulation(options: ConstructorParameters<typeof Simulation>[0] = {}): Simulation {
  const sim = new Simulation(options);
  open.push(sim);
  return sim;
}

const TICKER = `
  local n = 0;
  function tick() { n++; server.log("tick " + n); hardware.pin1.configure(DIGITAL_OUT, n % 2); imp.wakeup(1, tick); }
  tick();`;

describe("Simulation", () => {
  it("should run until a predicate holds, or say false at the virtual timeout", async () => {
    const sim = simulation();
    const device = sim.addDevice({ model: "imp001", firmware: TICKER, powerOn: true });
    const seen = (n: number) => () =>
      sim.trace.ofKind("log", device.id).some((e) => e.data.message === `tick ${n}`);
    expect(await sim.runUntil(seen(3), 10 * S)).toBe(true);
    const at = sim.now;
    expect(sim.trace.last("log", device.id)!.t).toBe(at);
    expect(await sim.runUntil(() => false, 5 * S)).toBe(false);
    expect(sim.now).toBe(at + 5 * S);
  });

  it("should give the same trace for the same inputs", async () => {
    const run = async () => {
      const sim = simulation({ seed: "repeat" });
      const a = sim.addDevice({ model: "imp001", firmware: TICKER, powerOn: true });
      sim.addDevice({
        model: "imp003",
        firmware: `server.log(hardware.getdeviceid() + " " + math.rand());`,
        powerOn: true,
      });
      await sim.runFor(3 * S);
      a.drivePin("pin2", 1);
      await sim.runFor(3 * S);
      return sim.trace.toJSONLines();
    };
    const first = await run();
    expect(await run()).toBe(first);
  });

  it("should refuse agent code and firmware that does not compile, saying where", () => {
    const sim = simulation();
    expect(() =>
      sim.addDevice({ model: "imp003", firmware: "server.log(1);", agent: "local = 1;" }),
    ).toThrow(CompileError);
    expect(() =>
      sim.addDevice({ model: "imp003", firmware: "server.log(1);", agent: "local = 1;" }),
    ).toThrow(/^agent_code line = \(1\)/);
    expect(() =>
      sim.addDevice({
        model: "imp003",
        firmware: { source: "local = 1;", file: "app.device.nut" },
      }),
    ).toThrow(CompileError);
    expect(() => sim.addDevice({ model: "imp009" })).toThrow(/unknown imp model 'imp009'/);
  });

  it("should put devices with different firmware in different groups and deploy to one", async () => {
    const sim = simulation();
    const a = sim.addDevice({ model: "imp003", firmware: `server.log("a1");`, powerOn: true });
    const b = sim.addDevice({ model: "imp003", firmware: `server.log("b1");`, powerOn: true });
    await sim.runFor(3 * S);
    sim.deploy(a, `server.log("a2");`);
    await sim.runFor(3 * S);
    const lines = (id: string) => sim.trace.ofKind("log", id).map((e) => e.data.message);
    expect(lines(a.id)).toEqual(["a1", "a2"]);
    expect(lines(b.id)).toEqual(["b1"]);
    expect(sim.device(a.id)).toBe(a);
  });
});
