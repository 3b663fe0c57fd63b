// The device VM on its own, with a stand-in guest: a few lines of JavaScript that define
// `__imp` the way the device runtime does, so the host side's slices, outcomes and memory
// accounting are tested without Squirrel.

import { afterEach, describe, expect, it } from "vitest";
import {
  createDeviceVm,
  HOST_CALL_NAMES,
  type DeviceVm,
} from "../../../src/device/host/device-vm.ts";
import type { DeviceHostCalls } from "../../../src/device/shared/host-calls.ts";
import { createQuickJSEngine } from "../../../src/sandbox/quickjs-engine.ts";

const engine = createQuickJSEngine();

/** The stand-in guest: firmware is a JS function; callbacks are a table of functions by id. */
const GUEST = `
globalThis.__imp = {
  callbacks: {},
  boot(json) { globalThis.bootInfo = JSON.parse(json); },
  runFirmware(factory) { try { factory(); return 0; } catch (e) { if (e && e.message === "interrupted") throw e; return 1; } },
  dispatch(id, argsJson) {
    const cb = this.callbacks[id];
    if (!cb) return 0;
    try { cb(...JSON.parse(argsJson)); return 0; } catch (e) { if (e && e.message === "interrupted") throw e; return 1; }
  },
};`;

function hostCalls(
  overrides: Partial<Record<keyof DeviceHostCalls, (...args: never[]) => unknown>> = {},
): DeviceHostCalls {
  const calls: Record<string, unknown> = {};
  for (const name of HOST_CALL_NAMES) calls[name] = overrides[name] ?? (() => 0);
  return calls as unknown as DeviceHostCalls;
}

const open: DeviceVm[] = [];
afterEach(() => {
  for (const vm of open.splice(0)) vm.dispose();
});

async function vm(
  options: {
    squirrelMemory?: number;
    sliceTimeoutMs?: number;
    calls?: DeviceHostCalls;
    now?: () => number;
  } = {},
) {
  const v = await createDeviceVm({
    engine,
    hostCalls: options.calls ?? hostCalls(),
    squirrelMemory: options.squirrelMemory ?? 128 * 1024,
    sliceTimeoutMs: options.sliceTimeoutMs ?? 0,
    now: options.now ?? (() => 0),
    bundle: { code: GUEST, filename: "guest.js" },
  });
  open.push(v);
  expect(
    v.boot({
      wakeReason: 0,
      nv: null,
      pins: [],
      buses: [],
      environment: 1,
      lightLevel: null,
      apiMembers: { hardware: [], imp: [], impNet: [] },
      randomSeed: 1,
    }),
  ).toEqual({ kind: "ok" });
  return v;
}

describe("DeviceVm", () => {
  it("should run firmware, then dispatch callbacks, reporting uncaught errors", async () => {
    const log: unknown[] = [];
    const v = await vm({ calls: hostCalls({ log: (text: never) => log.push(text) }) });
    expect(
      v.loadFirmware(
        `function () { __imp.callbacks[1] = (x) => __host.log("got " + x); __imp.callbacks[2] = () => { throw new Error("boom"); }; __host.log("top"); }`,
        "fw.js",
      ),
    ).toEqual({ kind: "ok" });
    expect(v.runFirmware()).toEqual({ kind: "ok" });
    expect(v.dispatch(1, "[5]")).toEqual({ kind: "ok" });
    expect(v.dispatch(2)).toEqual({ kind: "squirrel-error", reported: true });
    expect(v.dispatch(99)).toEqual({ kind: "ok" });
    expect(log).toEqual(["top", "got 5"]);
  });

  it("should stop a runaway slice at its deadline and take the next one", async () => {
    const v = await vm({ sliceTimeoutMs: 50 });
    v.loadFirmware(
      `function () { __imp.callbacks[1] = () => { for (;;) {} }; __imp.callbacks[2] = () => {}; }`,
      "fw.js",
    );
    v.runFirmware();
    expect(v.dispatch(1)).toEqual({ kind: "deadline", timeoutMs: 50 });
    expect(v.dispatch(2)).toEqual({ kind: "ok" });
  });

  it("should give a slice blocked in a host call its wall time back", async () => {
    const calls = hostCalls({
      sleep: () => {
        const end = Date.now() + 120;
        while (Date.now() < end) {
          // the nested run of other devices
        }
        current.extendDeadline(120);
      },
    });
    const current = await vm({ sliceTimeoutMs: 80, calls });
    current.loadFirmware(
      `function () { __host.sleep(1); let x = 0; for (let i = 0; i < 1000; i++) x += i; }`,
      "fw.js",
    );
    expect(current.runFirmware()).toEqual({ kind: "ok" });
  });

  it("should end a slice that a host call interrupted", async () => {
    const calls = hostCalls({ log: () => current.interrupt() });
    const current = await vm({ calls });
    current.loadFirmware(`function () { __host.log("halt"); for (;;) {} }`, "fw.js");
    expect(current.runFirmware().kind).toBe("deadline");
  });

  it("should call a memory bomb out of memory, even when the guest saw a bare exception", async () => {
    const v = await vm();
    v.loadFirmware(
      `function () { const hog = []; for (;;) hog.push("room for " + hog.length); }`,
      "fw.js",
    );
    expect(v.runFirmware().kind).toBe("out-of-memory");
  });

  it("should count heap growth since the code loaded against the model's budget", async () => {
    let now = 0;
    const v = await vm({ squirrelMemory: 64 * 1024, now: () => now });
    v.loadFirmware(
      `function () { globalThis.keep = []; __imp.callbacks[1] = () => { for (let i = 0; i < 500; i++) keep.push({ i, s: "item " + i }); }; }`,
      "fw.js",
    );
    expect(v.runFirmware()).toEqual({ kind: "ok" });
    const before = v.memoryFree();
    expect(before).toBeGreaterThan(60 * 1024);
    expect(v.dispatch(1)).toEqual({ kind: "ok" });
    expect(v.memoryFree()).toBeLessThan(before);
    // The budget is measured every tenth slice (or a virtual ten minutes on): growth past it is out of memory.
    let outcome = v.dispatch(1);
    for (let i = 0; i < 20 && outcome.kind === "ok"; i++) {
      now += 1_000_000;
      outcome = v.dispatch(1);
    }
    expect(outcome.kind).toBe("out-of-memory");
    expect(v.memoryFree()).toBe(0);
  });

  it("should not count garbage in cycles against the budget: a long session of short-lived objects stays within it", async () => {
    let now = 0;
    const v = await vm({ squirrelMemory: 85 * 1024, now: () => now });
    // Each event leaves 200 objects that refer to each other and to a closure, then drops them
    // (a test framework's promises and handlers do this all day).
    v.loadFirmware(
      `function () { __imp.callbacks[1] = () => { for (let i = 0; i < 200; i++) { const o = { i }; o.f = () => o.i; o.self = o; } }; }`,
      "fw.js",
    );
    expect(v.runFirmware()).toEqual({ kind: "ok" });
    for (let i = 0; i < 300; i++) {
      now += 100_000;
      expect(v.dispatch(1)).toEqual({ kind: "ok" });
    }
    expect(v.memoryFree()).toBeGreaterThan(80 * 1024);
  });

  it("should refuse a bundle that does not define __imp", async () => {
    await expect(
      createDeviceVm({
        engine,
        hostCalls: hostCalls(),
        squirrelMemory: 1,
        sliceTimeoutMs: 0,
        now: () => 0,
        bundle: { code: "1", filename: "x.js" },
      }),
    ).rejects.toThrow(/did not define __imp/);
  });
});
