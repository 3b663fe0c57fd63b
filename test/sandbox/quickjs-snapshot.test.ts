// VMs started from a memory snapshot of a template (src/sandbox/quickjs-snapshot.ts), which leans
// on quickjs-emscripten internals: these tests fail if an upgrade moves them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { disposedAfterEach, valueOf } from "./vm-fixture.ts";
import { PreloadError, type HostValue, type Vm, type VmOptions } from "../../src/sandbox/engine.ts";
import { createQuickJSEngine } from "../../src/sandbox/quickjs-engine.ts";
import {
  growthFromBuildStart,
  newQuickJSInstance,
  quickjsBuildPages,
  quickjsLeastPages,
  WASM_PAGE,
} from "../../src/sandbox/quickjs-instance.ts";
import { takeMemory } from "../../src/sandbox/quickjs-memory-pool.ts";

const keep = disposedAfterEach();

const engine = createQuickJSEngine();
async function newVm(options: VmOptions): Promise<Vm> {
  return keep(await engine.createVm(options));
}

const COUNTER = {
  filename: "counter.js",
  code: "var count = 0; function bump() { return ++count; } var big = []; for (var i = 0; i < 20000; i++) big.push({ i: i });",
};

describe("VMs from a snapshot", () => {
  it("pins quickjs-emscripten exactly, since the snapshot leans on its internals", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    );
    const pinned = manifest.dependencies["quickjs-emscripten"];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const require = createRequire(import.meta.url);
    const installed = JSON.parse(
      readFileSync(require.resolve("quickjs-emscripten/package.json"), "utf8"),
    ).version;
    expect(installed).toBe(pinned);
  });

  it("start with the preload's state and each keeps its own from then on", async () => {
    const a = await newVm({ preload: COUNTER });
    const b = await newVm({ preload: COUNTER });
    expect(valueOf(a.evaluate("big.length + big[19999].i"))).toBe(39999);
    expect(valueOf(a.evaluate("bump(); bump(); bump()"))).toBe(3);
    expect(valueOf(b.evaluate("bump()"))).toBe(1);
    const c = await newVm({ preload: COUNTER });
    expect(valueOf(c.evaluate("count"))).toBe(0);
  });

  it("draw different Math.random sequences", async () => {
    const draws = async () =>
      valueOf(
        (await newVm({ preload: COUNTER })).evaluate("[Math.random(), Math.random()].join()"),
      );
    const first = await draws();
    const second = await draws();
    expect(first).not.toBe(second);
  });

  it("each draw their own Math.random sequence, however many start", async () => {
    const first = new Set<HostValue | undefined>();
    for (let i = 0; i < 70; i++) {
      const vm = await engine.createVm({ preload: COUNTER });
      first.add(valueOf(vm.evaluate("Math.random()")));
      vm.dispose();
    }
    expect(first.size).toBe(70);
  });

  it("call their own host functions, in the order given, under the template's names", async () => {
    const said: string[] = [];
    const hostCalls = (who: string) => ({
      first: (x: HostValue) => `${who} first ${String(x)}`,
      second: (x: HostValue) => {
        said.push(`${who} second ${String(x)}`);
      },
    });
    const a = await newVm({ preload: COUNTER, hostCalls: hostCalls("a") });
    const b = await newVm({ preload: COUNTER, hostCalls: hostCalls("b") });
    expect(valueOf(b.evaluate("__host.first(1)"))).toBe("b first 1");
    expect(valueOf(a.evaluate("__host.first(2)"))).toBe("a first 2");
    a.evaluate("__host.second(3)");
    b.evaluate("__host.second(4)");
    expect(said).toEqual(["a second 3", "b second 4"]);
  });

  it("keep a preload's functions that reach the host working", async () => {
    const preload = {
      filename: "logger.js",
      code: "function say(x) { return __host.log('said ' + x); }",
    };
    const lines: HostValue[] = [];
    const vm = await newVm({ preload, hostCalls: { log: (x) => void lines.push(x) } });
    valueOf(vm.evaluate("say('hi'); say('there')"));
    expect(lines).toEqual(["said hi", "said there"]);
  });

  it("each get their own memory limit, and one filling it leaves the others running", async () => {
    const small = await newVm({ preload: COUNTER, memoryLimit: 32 * 1024 * 1024 });
    const other = await newVm({ preload: COUNTER, memoryLimit: 64 * 1024 * 1024 });
    const failure = small.evaluate("var a = []; while (true) a.push(new Array(1000).fill('x'));");
    expect(failure).toMatchObject({
      ok: false,
      failure: { kind: "out-of-memory", memoryLimit: 32 * 1024 * 1024 },
    });
    expect(valueOf(other.evaluate("bump()"))).toBe(1);
  });

  it("take a new template when the preload's text changes under the same name", async () => {
    const one = await newVm({ preload: { filename: "v.js", code: "var version = 1;" } });
    const two = await newVm({ preload: { filename: "v.js", code: "var version = 2;" } });
    expect(valueOf(one.evaluate("version"))).toBe(1);
    expect(valueOf(two.evaluate("version"))).toBe(2);
  });

  it("refuse a preload that throws, saying why, and the engine goes on", async () => {
    const rejected = engine.createVm({
      preload: { filename: "broken.js", code: "throw new TypeError('no runtime here')" },
    });
    await expect(rejected).rejects.toBeInstanceOf(PreloadError);
    await expect(rejected).rejects.toThrow("TypeError: no runtime here");
    expect(valueOf((await newVm({ preload: COUNTER })).evaluate("bump()"))).toBe(1);
  });

  it("refuse a preload that calls the host while it loads (its answer could not be copied)", async () => {
    const rejected = engine.createVm({
      preload: { filename: "chatty.js", code: "__host.log('loading')" },
      hostCalls: { log: () => undefined },
    });
    await expect(rejected).rejects.toThrow(/may not call the host while it loads/);
  });

  it("behave as a VM that loaded the preload itself", async () => {
    const plain = createQuickJSEngine({ snapshots: false });
    const script =
      "bump(); [typeof bump, count, big.length, Object.keys(globalThis).sort().join()].join('|')";
    const fresh = await plain.createVm({ preload: COUNTER });
    keep(fresh);
    const cloned = await newVm({ preload: COUNTER });
    expect(valueOf(cloned.evaluate(script))).toBe(valueOf(fresh.evaluate(script)));
  });

  it("start from a layered preload (code on top of a runtime) with both layers' state and stack lines", async () => {
    const layer = {
      filename: "firmware.nut",
      code: "var layered = bump() + 10;\nfunction fail() {\n  throw new Error('at line 3');\n}",
    };
    const a = await newVm({ preload: [COUNTER, layer] });
    const b = await newVm({ preload: [COUNTER, layer] });
    expect(valueOf(a.evaluate("[layered, count, big.length].join()"))).toBe("11,1,20000");
    expect(valueOf(a.evaluate("bump()"))).toBe(2);
    expect(valueOf(b.evaluate("count"))).toBe(1); // its own copy of the layered state
    expect(valueOf(b.evaluate("try { fail() } catch (e) { e.stack }"))).toMatch(/firmware\.nut:3/);
    // The layer below is still a template of its own.
    expect(valueOf((await newVm({ preload: COUNTER })).evaluate("typeof layered"))).toBe(
      "undefined",
    );
  });

  it("refuse a layer that throws, and the layer below still starts VMs", async () => {
    const rejected = engine.createVm({
      preload: [COUNTER, { filename: "bad-layer.js", code: "bump(); null.x" }],
    });
    await expect(rejected).rejects.toBeInstanceOf(PreloadError);
    await expect(rejected).rejects.toThrow(/TypeError/);
    expect(valueOf((await newVm({ preload: COUNTER })).evaluate("count"))).toBe(0);
  });

  it("copy none of what the preload left behind in freed memory, such as its own text", async () => {
    const marker = "left-behind-";
    const preload = {
      filename: "garbage.js",
      code: `/* ${marker.repeat(20000)} */ var kept = "kept-" + "text"; var list = []; for (var i = 0; i < 5000; i++) list.push("item " + i); list = null;`,
    };
    const vm = await newVm({ preload });
    const memory = (vm as unknown as { memory: WebAssembly.Memory }).memory;
    const heap = Buffer.from(memory.buffer);
    expect(heap.includes("kept-text")).toBe(true);
    expect(heap.includes(marker.repeat(8))).toBe(false);
    expect(heap.includes("item 4321")).toBe(false);
    expect(
      valueOf(vm.evaluate("kept + ' ' + typeof list + ' ' + [1, 2, 3].map((x) => x * 2)")),
    ).toBe("kept-text object 2,4,6");
  });

  it("keep only the most recent layered templates, remaking one that was let go", async () => {
    for (let version = 0; version < 12; version++) {
      const vm = await newVm({
        preload: [COUNTER, { filename: `layer-${version}.js`, code: `var v = ${version};` }],
      });
      expect(valueOf(vm.evaluate("v"))).toBe(version);
    }
    const again = await newVm({
      preload: [COUNTER, { filename: "layer-0.js", code: "var v = 0;" }],
    });
    expect(valueOf(again.evaluate("v + count"))).toBe(0);
  });
});

describe("QuickJS memories that start below the build's 16 MiB (quickjs-instance.ts)", () => {
  const MiB = 1024 * 1024;

  /** A bare instance on a memory of `initial` pages, limited to `maximum`. */
  async function instance(initial: number, maximum: number) {
    const memory = new WebAssembly.Memory({ initial, maximum });
    const module = await newQuickJSInstance(memory);
    const runtime = module.newRuntime();
    const context = runtime.newContext();
    return { memory, runtime, context };
  }

  it("ask only for the build's static data and stack, well under its 16 MiB", () => {
    expect(quickjsBuildPages() * WASM_PAGE).toBe(16 * MiB);
    expect(quickjsLeastPages()).toBeGreaterThan(64); // the 5 MiB stack alone
    expect(quickjsLeastPages()).toBeLessThan(quickjsBuildPages() / 2);
  });

  it("grow for a 1 MB allocation, and not past 16 MiB while what is asked for fits there", async () => {
    const { memory, runtime, context } = await instance(quickjsLeastPages(), 512);
    const before = memory.buffer.byteLength;
    const result = context.evalCode(
      "var kept = []; for (var i = 0; i < 4; i++) kept.push(new Uint8Array(1024 * 1024).fill(i + 1)); kept[3][5] + kept.length",
    );
    expect(context.dump(context.unwrapResult(result))).toBe(8);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(16 * MiB);
    context.dispose();
    runtime.dispose();
  });

  it.each([
    { first: "small steps", steps: [1024, 16 * 1024, 64 * 1024] },
    { first: "one request past 16 MiB", steps: [12 * MiB, 16 * 1024, 64 * 1024] },
  ])(
    "take the same sizes past 16 MiB as a memory that started there, and run out at the same point ($first)",
    async ({ steps }) => {
      const run = async (initial: number) => {
        const { memory, context } = await instance(initial, 512); // a 32 MiB limit
        const sizes: number[] = [];
        let outcome = "";
        for (const step of steps) {
          for (let round = 0; round < (step > MiB ? 1 : 40) && outcome === ""; round++) {
            const result = context.evalCode(
              `globalThis.kept = globalThis.kept || []; for (var i = 0; i < (${step} > 1e6 ? 1 : 64); i++) kept.push(new Uint8Array(${step}).fill(1)); kept.length`,
            );
            if (result.error !== undefined) {
              outcome = `failed at step ${step}, round ${round}`;
              result.error.dispose();
            } else result.value.dispose();
            sizes.push(Math.max(memory.buffer.byteLength, 16 * MiB));
          }
        }
        // The runtime is full: it is let go, not freed.
        return { sizes, outcome };
      };
      const small = await run(quickjsLeastPages());
      const built = await run(quickjsBuildPages());
      expect(built.outcome).not.toBe("");
      expect(new Set(built.sizes).size).toBeGreaterThan(2);
      expect(small).toEqual(built);
    },
  );

  it("grow for one request larger than 16 MiB as from 16 MiB", () => {
    // Emscripten's steps from 16 MiB: 20% more (or the request), then 10% more, then 5% more.
    expect(growthFromBuildStart(17 * MiB, 256)).toEqual([308, 282, 272]);
    expect(growthFromBuildStart(40 * MiB, 256)).toEqual([640, 640, 640]);
    expect(growthFromBuildStart(3 * 1024 * MiB, 256)).toEqual([]);
  });
});

describe("WebAssembly memories for VMs (quickjs-memory-pool.ts)", () => {
  it("are each new, untouched and of the size asked for, in a burst as one at a time", () => {
    const taken = Array.from({ length: 40 }, (_, i) => takeMemory(3 + (i % 2), 8));
    expect(new Set(taken).size).toBe(40);
    for (const [i, memory] of taken.entries()) {
      expect(memory.buffer.byteLength).toBe((3 + (i % 2)) * WASM_PAGE);
      expect(new Uint8Array(memory.buffer).every((byte) => byte === 0)).toBe(true);
      new Uint8Array(memory.buffer).fill(7);
      memory.grow(8 - 3 - (i % 2));
      expect(() => memory.grow(1)).toThrow(RangeError);
    }
    expect(takeMemory(3, 8).buffer.byteLength).toBe(3 * WASM_PAGE);
  });
});
