import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { disposedAfterEach, valueOf } from "./vm-fixture.ts";
import {
  createQuickJSEngine,
  QUICKJS_MAX_MEMORY_LIMIT,
  QUICKJS_MIN_MEMORY_LIMIT,
} from "../../src/sandbox/quickjs-engine.ts";
import type { EvaluateResult, HostValue, Vm, VmOptions } from "../../src/sandbox/engine.ts";

const engine = createQuickJSEngine();
const SMALL_MEMORY = 32 * 1024 * 1024;
/** With a preload, every VM is a copy of a template's memory (quickjs-snapshot.ts): the same tests hold. */
const PRELOAD = { code: "globalThis.preloaded = 'yes';", filename: "preload.js" };

function failureOf(result: EvaluateResult) {
  if (result.ok) throw new Error(`expected a failure, got ${String(result.value)}`);
  return result.failure;
}

const keep = disposedAfterEach();

describe.each([
  { mode: "fresh", extra: {} },
  { mode: "from a snapshot", extra: { preload: PRELOAD } },
])("QuickJS VMs started $mode", ({ extra }: { extra: VmOptions }) => {
  const create = (options: VmOptions = {}) => engine.createVm({ ...extra, ...options });

  async function newVm(options: VmOptions = {}): Promise<Vm> {
    return keep(await create(options));
  }

  describe("the engine", () => {
    it("evaluates scripts and returns primitive completion values", async () => {
      const vm = await newVm();
      expect(valueOf(vm.evaluate("6 * 7"))).toBe(42);
      expect(valueOf(vm.evaluate("'a' + 'b'"))).toBe("ab");
      expect(valueOf(vm.evaluate("1 < 2"))).toBe(true);
      expect(valueOf(vm.evaluate("null"))).toBe(null);
      expect(valueOf(vm.evaluate("({ a: 1 })"))).toBe(undefined);
    });

    it("keeps globals between slices of the same VM and nothing between VMs", async () => {
      const first = await newVm();
      valueOf(first.evaluate("globalThis.counter = 1"));
      expect(valueOf(first.evaluate("++counter"))).toBe(2);
      const second = await newVm();
      expect(valueOf(second.evaluate("typeof counter"))).toBe("undefined");
    });

    it("reports an uncaught exception with its name and message", async () => {
      const vm = await newVm();
      const failure = failureOf(vm.evaluate("null.x", { filename: "prog.js" }));
      expect(failure).toMatchObject({ kind: "exception", name: "TypeError" });
      expect(failureOf(vm.evaluate("throw 'plain'"))).toMatchObject({
        kind: "exception",
        message: "plain",
      });
      expect(failureOf(vm.evaluate("if ("))).toMatchObject({
        kind: "exception",
        name: "SyntaxError",
      });
      expect(valueOf(vm.evaluate("'still fine'"))).toBe("still fine");
    });

    it("uses the file name given for a slice in guest stack traces", async () => {
      const vm = await newVm();
      const stack = valueOf(
        vm.evaluate("function where() { return new Error('x').stack; }\nwhere()", {
          filename: "blink.nut",
        }),
      );
      expect(stack).toContain("blink.nut:1");
    });
  });

  describe("host calls", () => {
    it("are defined on __host before the first script and carry primitives both ways", async () => {
      const seen: HostValue[][] = [];
      const vm = await newVm({
        hostCalls: {
          add: (a, b) => (a as number) + (b as number),
          record: (...args) => {
            seen.push(args);
          },
          greet: (name) => `hello ${String(name)}`,
          yes: () => true,
        },
      });
      expect(valueOf(vm.evaluate("__host.add(2, 3)"))).toBe(5);
      expect(valueOf(vm.evaluate("__host.greet('imp')"))).toBe("hello imp");
      expect(
        valueOf(
          vm.evaluate(
            "__host.yes() === true && __host.record(1, 'two', false, null) === undefined",
          ),
        ),
      ).toBe(true);
      expect(seen).toEqual([[1, "two", false, null]]);
    });

    it("carry every byte value, NUL included, in both directions", async () => {
      const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
      let received = "";
      const vm = await newVm({
        hostCalls: {
          take: (s) => {
            received = s as string;
          },
          give: () => allBytes + "\u0100",
        },
      });
      valueOf(
        vm.evaluate(
          "var all = ''; for (var i = 0; i < 256; i++) all += String.fromCharCode(i); __host.take(all + '\\u0100')",
        ),
      );
      expect(received).toBe(allBytes + "\u0100");
      expect(
        valueOf(
          vm.evaluate("var back = __host.give(); back.length === 257 && back === all + '\\u0100'"),
        ),
      ).toBe(true);
    });

    it("turn a host failure into a guest exception the guest can catch", async () => {
      const vm = await newVm({
        hostCalls: {
          broken: () => {
            throw new Error("pin 9 does not exist");
          },
        },
      });
      expect(valueOf(vm.evaluate("try { __host.broken(); 'no' } catch (e) { e.message }"))).toBe(
        "pin 9 does not exist",
      );
      expect(
        valueOf(vm.evaluate("try { __host.broken({}); 'no' } catch (e) { e.message }")),
      ).toMatch(/primitives|strings, numbers/);
    });

    it("cannot be replaced by the guest", async () => {
      const vm = await newVm({ hostCalls: { ping: () => "pong" } });
      valueOf(vm.evaluate("try { __host.ping = null; globalThis.__host = null; } catch (e) {}"));
      expect(valueOf(vm.evaluate("__host.ping()"))).toBe("pong");
    });
  });

  describe("memory limit", () => {
    it("stops a memory bomb with an out-of-memory failure and the next VM runs", async () => {
      const vm = await newVm({ memoryLimit: SMALL_MEMORY });
      const failure = failureOf(
        vm.evaluate("var a = []; while (true) a.push(new Array(1000).fill('x'));"),
      );
      expect(failure).toMatchObject({ kind: "out-of-memory", memoryLimit: SMALL_MEMORY });
      expect(vm.alive).toBe(false);
      expect(failureOf(vm.evaluate("1"))).toMatchObject({ kind: "out-of-memory" });
      const next = await newVm({ memoryLimit: SMALL_MEMORY });
      expect(valueOf(next.evaluate("[1, 2, 3].length"))).toBe(3);
    });

    it("refuses one allocation larger than the whole limit", async () => {
      const vm = await newVm({ memoryLimit: SMALL_MEMORY });
      const result = vm.evaluate("new ArrayBuffer(64 * 1024 * 1024).byteLength");
      expect(result.ok).toBe(false);
    });

    it("is rejected outside what this QuickJS build can take", async () => {
      await expect(create({ memoryLimit: QUICKJS_MIN_MEMORY_LIMIT - 1 })).rejects.toThrow(
        /memory limit/,
      );
      await expect(create({ memoryLimit: QUICKJS_MAX_MEMORY_LIMIT + 65536 })).rejects.toThrow(
        /memory limit/,
      );
      const largest = await newVm({ memoryLimit: QUICKJS_MAX_MEMORY_LIMIT });
      expect(valueOf(largest.evaluate("1 + 1"))).toBe(2);
    });
  });

  describe("stack limit", () => {
    it("lets JavaScript catch its own stack overflow", async () => {
      const vm = await newVm();
      const script =
        "function deeper(n) { return deeper(n + 1) + 1; } try { deeper(0); 'no' } catch (e) { 'caught ' + e.message }";
      expect(valueOf(vm.evaluate(script))).toBe("caught stack overflow");
      expect(valueOf(vm.evaluate("'usable after'"))).toBe("usable after");
    });

    it("reports an uncaught stack overflow as such", async () => {
      const vm = await newVm();
      expect(
        failureOf(vm.evaluate("function deeper() { return deeper() + 1; } deeper()")),
      ).toMatchObject({
        kind: "stack-overflow",
      });
    });

    it("survives Node's own stack running out inside the engine, and the next VM runs", () => {
      // With a small Node stack, the guest's 256 KiB check cannot fire before Node's does.
      const script = `
        const { createQuickJSEngine } = await import(${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)});
        const engine = createQuickJSEngine();
        const extra = ${JSON.stringify(extra)};
        const vm = await engine.createVm(extra);
        const first = vm.evaluate("function down() { return down() + 1; } down()");
        vm.dispose();
        const next = await engine.createVm({ ...extra, stackLimit: 32 * 1024 });
        const second = next.evaluate("6 * 7");
        next.dispose();
        console.log(JSON.stringify({ first: first.ok ? "ok" : first.failure.kind, second: second.ok ? second.value : "failed" }));`;
      const child = spawnSync(
        process.execPath,
        ["--stack-size=300", "--input-type=module", "-e", script],
        { encoding: "utf8" },
      );
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toEqual({ first: "crashed", second: 42 });
    });

    it("is rejected above 256 KiB", async () => {
      await expect(create({ stackLimit: 512 * 1024 })).rejects.toThrow(/stack limit/);
    });
  });

  describe("deadline", () => {
    it("stops a runaway loop that try/catch cannot hold, and the VM takes the next slice", async () => {
      const vm = await newVm();
      const failure = failureOf(
        vm.evaluate("while (true) { try { for (;;) {} } catch (e) {} finally { } }", {
          timeoutMs: 100,
        }),
      );
      expect(failure).toMatchObject({ kind: "deadline", timeoutMs: 100 });
      expect(valueOf(vm.evaluate("'next slice'", { timeoutMs: 100 }))).toBe("next slice");
      const next = await newVm();
      expect(valueOf(next.evaluate("1 + 1"))).toBe(2);
    });

    it("is renewed for every slice", async () => {
      const vm = await newVm();
      const busy = "var end = Date.now() + 100; while (Date.now() < end) {} 'done'";
      for (let slice = 0; slice < 12; slice++)
        expect(valueOf(vm.evaluate(busy, { timeoutMs: 1000 }))).toBe("done");
    });

    it("does not apply when no timeout is given", async () => {
      const vm = await newVm();
      expect(
        valueOf(vm.evaluate("var end = Date.now() + 50; while (Date.now() < end) {} 'done'")),
      ).toBe("done");
    });
  });

  describe("disposal", () => {
    it("can be repeated, and a disposed VM refuses work", async () => {
      const vm = await create({ hostCalls: { ping: () => "pong" } });
      valueOf(vm.evaluate("__host.ping()"));
      vm.dispose();
      vm.dispose();
      expect(vm.alive).toBe(false);
      expect(failureOf(vm.evaluate("1"))).toMatchObject({ kind: "crashed" });
    });

    it("frees every handle it made, even after failures", async () => {
      for (let i = 0; i < 10; i++) {
        const vm = await create({ hostCalls: { echo: (s) => s } });
        valueOf(vm.evaluate("__host.echo('x' + " + i + ")"));
        vm.evaluate("throw new Error('boom')");
        vm.evaluate("while (true) {}", { timeoutMs: 20 });
        vm.evaluate("function f() { return f(); } f()");
        expect(() => vm.dispose()).not.toThrow();
      }
    });
  });
});
