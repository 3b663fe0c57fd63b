// The V8 engine (node:vm in a worker per VM): the same engine interface and the same outcomes
// for the same limits as QuickJS.
import { describe, expect, it } from "vitest";
import { disposedAfterEach, valueOf } from "./vm-fixture.ts";
import { PreloadError, type Vm, type VmOptions } from "../../src/sandbox/engine.ts";
import { createV8Engine } from "../../src/sandbox/v8-engine.ts";

const engine = createV8Engine();
const keep = disposedAfterEach();

async function newVm(options: VmOptions = {}): Promise<Vm> {
  return keep(await engine.createVm(options));
}

describe("V8 VMs", () => {
  it("evaluate scripts, keep globals between slices and nothing between VMs", async () => {
    const a = await newVm();
    expect(valueOf(a.evaluate("var counter = 41; counter + 1"))).toBe(42);
    expect(valueOf(a.evaluate("({ a: 1 })"))).toBe(undefined);
    const b = await newVm();
    expect(valueOf(b.evaluate("typeof counter"))).toBe("undefined");
  });

  it("start side by side, each one alive and none seeing the collector its worker uses", async () => {
    // V8's flags are process-wide: guests starting at once once raced on --expose-gc, and one
    // died at start ("the V8 worker stopped") or got `gc` in its global.
    const twoEngines = [engine, createV8Engine()];
    for (let round = 0; round < 3; round++) {
      const vms = await Promise.all(
        Array.from({ length: 16 }, (_, i) => twoEngines[i % 2]!.createVm()),
      );
      vms.forEach(keep);
      for (const vm of vms) expect(valueOf(vm.evaluate("typeof gc"))).toBe("undefined");
      for (const vm of vms.splice(0)) vm.dispose();
    }
  });

  it("report an uncaught exception with its name, message and the file name in its stack", async () => {
    const vm = await newVm();
    const result = vm.evaluate("function where() { null.x; }\nwhere()", { filename: "blink.nut" });
    expect(result).toMatchObject({ ok: false, failure: { kind: "exception", name: "TypeError" } });
    expect(!result.ok && result.failure.kind === "exception" && result.failure.stack).toContain(
      "blink.nut:1",
    );
    expect(valueOf(vm.evaluate("'still fine'"))).toBe("still fine");
  });

  it("carry every byte value through host calls, and turn a host failure into a catchable error", async () => {
    let received = "";
    const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    const vm = await newVm({
      hostCalls: {
        take: (s) => void (received = s as string),
        give: () => allBytes,
        broken: () => {
          throw new Error("pin 9 does not exist");
        },
      },
    });
    valueOf(
      vm.evaluate(
        "var all = ''; for (var i = 0; i < 256; i++) all += String.fromCharCode(i); __host.take(all)",
      ),
    );
    expect(received).toBe(allBytes);
    expect(valueOf(vm.evaluate("__host.give() === all"))).toBe(true);
    expect(valueOf(vm.evaluate("try { __host.broken(); 'no' } catch (e) { e.message }"))).toBe(
      "pin 9 does not exist",
    );
    expect(
      valueOf(vm.evaluate("try { __host.give = null; } catch (e) {} typeof __host.give")),
    ).toBe("function");
  });

  it("stop a runaway loop at its deadline and take the next slice", async () => {
    const vm = await newVm();
    expect(
      vm.evaluate("while (true) { try { for (;;) {} } catch (e) {} }", { timeoutMs: 100 }),
    ).toMatchObject({
      ok: false,
      failure: { kind: "deadline", timeoutMs: 100 },
    });
    expect(valueOf(vm.evaluate("'next slice'"))).toBe("next slice");
  });

  it("stop a memory bomb as out of memory, spend that VM only, and the next VM runs", async () => {
    const limit = 32 * 1024 * 1024;
    const vm = await newVm({ memoryLimit: limit });
    const other = await newVm();
    expect(
      vm.evaluate("var a = []; while (true) a.push(new Array(1000).fill('x'));"),
    ).toMatchObject({
      ok: false,
      failure: { kind: "out-of-memory", memoryLimit: limit },
    });
    expect(vm.alive).toBe(false);
    expect(vm.evaluate("1")).toMatchObject({ ok: false, failure: { kind: "out-of-memory" } });
    expect(valueOf(other.evaluate("1 + 1"))).toBe(2);
    expect(valueOf((await newVm({ memoryLimit: limit })).evaluate("[1, 2, 3].length"))).toBe(3);
  });

  it("let JavaScript catch its own stack overflow, and report an uncaught one as such", async () => {
    const vm = await newVm();
    expect(
      valueOf(
        vm.evaluate(
          "function d(n) { return d(n + 1) + 1; } try { d(0); 'no' } catch (e) { 'caught' }",
        ),
      ),
    ).toBe("caught");
    expect(vm.evaluate("function deeper() { return deeper() + 1; } deeper()")).toMatchObject({
      ok: false,
      failure: { kind: "stack-overflow" },
    });
    expect(valueOf(vm.evaluate("'usable after'"))).toBe("usable after");
  });

  it("refuse a preload that throws, and a disposed VM refuses work", async () => {
    await expect(
      engine.createVm({
        preload: { code: "throw new TypeError('broken bundle')", filename: "b.js" },
      }),
    ).rejects.toBeInstanceOf(PreloadError);
    const vm = await engine.createVm({ preload: { code: "var ready = 'yes';", filename: "p.js" } });
    expect(valueOf(vm.evaluate("ready"))).toBe("yes");
    vm.dispose();
    vm.dispose();
    expect(vm.evaluate("1")).toMatchObject({ ok: false, failure: { kind: "crashed" } });
  });

  it("refuse limits out of range", async () => {
    await expect(engine.createVm({ memoryLimit: 1024 })).rejects.toThrow(/memory limit/);
    await expect(engine.createVm({ stackLimit: 1024 * 1024 })).rejects.toThrow(/stack limit/);
  });
});
