// Host calls answered straight from QuickJS's argument vector (src/sandbox/quickjs-host-calls.ts),
// which leans on quickjs-emscripten internals: these tests fail if an upgrade moves them, and
// check that the direct path is the one taken, in a fresh VM and in one from a snapshot.
import { describe, expect, it } from "vitest";
import { disposedAfterEach, valueOf } from "./vm-fixture.ts";
import type { HostValue, Vm, VmOptions } from "../../src/sandbox/engine.ts";
import { createQuickJSEngine } from "../../src/sandbox/quickjs-engine.ts";
import { directCalls } from "../../src/sandbox/quickjs-host-calls.ts";

const engine = createQuickJSEngine();
const keep = disposedAfterEach();
async function newVm(options: VmOptions): Promise<Vm> {
  return keep(await engine.createVm(options));
}

const PRELOAD = { code: "var preloaded = 1;", filename: "preload.js" };

describe.each([
  ["a fresh VM", {}],
  ["a VM from a snapshot", { preload: PRELOAD }],
])("host calls in %s", (_name, extra: Partial<VmOptions>) => {
  it("are answered directly, not through the library's general path", async () => {
    const vm = await newVm({ ...extra, hostCalls: { ping: () => "pong" } });
    const before = directCalls.count;
    expect(
      valueOf(vm.evaluate("var r = ''; for (var i = 0; i < 10; i++) r = __host.ping(); r")),
    ).toBe("pong");
    expect(directCalls.count - before).toBe(10);
  });

  it("pass every kind of argument as the host sees it, a missing one as null", async () => {
    const seen: HostValue[][] = [];
    const vm = await newVm({
      ...extra,
      hostCalls: {
        record: (...args) => {
          seen.push(args);
        },
      },
    });
    valueOf(
      vm.evaluate(
        "__host.record(0, -1.5, 2147483647, NaN, -0, true, false, null, undefined, '', 'a\\0b\\xff')",
      ),
    );
    expect(seen).toHaveLength(1);
    const [args] = seen;
    expect(args!.slice(0, 3)).toEqual([0, -1.5, 2147483647]);
    expect(Number.isNaN(args![3])).toBe(true);
    expect(Object.is(args![4], -0)).toBe(true);
    expect(args!.slice(5)).toEqual([true, false, null, null, "", "a\0b\xff"]);
  });

  it("give the guest every kind of result", async () => {
    const results: (HostValue | undefined)[] = [
      7,
      -2.25,
      true,
      false,
      null,
      undefined,
      "",
      "x\0\xff",
    ];
    const vm = await newVm({
      ...extra,
      hostCalls: { next: () => results.shift() },
    });
    const script = `var out = []; for (var i = 0; i < 8; i++) { var v = __host.next();
      out.push(v === undefined ? "undefined" : v === null ? "null" : typeof v + ":" + JSON.stringify(v)); }
      out.join(" ")`;
    expect(valueOf(vm.evaluate(script))).toBe(
      'number:7 number:-2.25 boolean:true boolean:false null undefined string:"" string:"x\\u0000ÿ"',
    );
  });

  it("read their arguments right after the memory has grown many times over", async () => {
    const seen: HostValue[][] = [];
    const vm = await newVm({
      ...extra,
      memoryLimit: 256 << 20,
      hostCalls: { rec: (a, b) => void seen.push([a, b]) },
    });
    valueOf(
      vm.evaluate(
        "var big = []; for (var i = 0; i < 1e6; i++) big.push({ i: i }); __host.rec(1, 'a')",
      ),
    );
    valueOf(vm.evaluate("__host.rec(true, null)"));
    expect(seen).toEqual([
      [1, "a"],
      [true, null],
    ]);
  });

  it("turn what the host throws, and values it cannot take or give, into guest exceptions", async () => {
    const vm = await newVm({
      ...extra,
      hostCalls: {
        broken: () => {
          throw new RangeError("pin 9 does not exist");
        },
        object: () => ({}) as unknown as HostValue,
        echo: (v) => v,
      },
    });
    expect(
      valueOf(vm.evaluate("try { __host.broken(); 'no' } catch (e) { e.name + ': ' + e.message }")),
    ).toBe("RangeError: pin 9 does not exist");
    expect(valueOf(vm.evaluate("try { __host.object(); 'no' } catch (e) { e.message }"))).toBe(
      "host calls return strings, numbers, booleans, null or nothing",
    );
    expect(valueOf(vm.evaluate("try { __host.echo([1]); 'no' } catch (e) { e.message }"))).toBe(
      "host calls take strings, numbers, booleans and null only",
    );
    // the VM goes on as before
    expect(valueOf(vm.evaluate("__host.echo('still here')"))).toBe("still here");
  });
});

describe("host calls with directHostCalls: false", () => {
  it("go the library's way, with the same values and errors", async () => {
    const library = createQuickJSEngine({ directHostCalls: false });
    const vm = await library.createVm({
      hostCalls: {
        add: (a, b) => (a as number) + (b as number),
        broken: () => {
          throw new Error("no such pin");
        },
      },
    });
    keep(vm);
    const before = directCalls.count;
    expect(valueOf(vm.evaluate("__host.add(2, 3)"))).toBe(5);
    expect(valueOf(vm.evaluate("try { __host.broken() } catch (e) { e.message }"))).toBe(
      "no such pin",
    );
    expect(directCalls.count).toBe(before);
  });
});

describe("a host call's result too large for the VM", () => {
  it("is an out-of-memory exception the guest can catch, and the host and other VMs go on", async () => {
    const big = "x".repeat(12 << 20);
    const vm = await newVm({ memoryLimit: 16 << 20, hostCalls: { big: () => big } });
    expect(
      valueOf(vm.evaluate("try { __host.big(); 'no' } catch (e) { 'caught: ' + e.message }")),
    ).toBe("caught: out of memory");
    const other = await newVm({ hostCalls: { small: () => "ok" } });
    expect(valueOf(other.evaluate("__host.small()"))).toBe("ok");
  });
});
