// Guest code must not reach the host: no `process`, no `require`, no host Function, whichever
// engine runs it. Each probe tries a known way out and reports what it reached as a string.
import { describe, expect, it } from "vitest";
import { disposedAfterEach, valueOf } from "./vm-fixture.ts";
import type { Engine, Vm } from "../../src/sandbox/engine.ts";
import { createQuickJSEngine } from "../../src/sandbox/quickjs-engine.ts";
import { createV8Engine } from "../../src/sandbox/v8-engine.ts";

const keep = disposedAfterEach();

/** What `fn` (guest source of a function of one argument) makes of `target`: the type of `process` it reached, or why not. */
const reach = (target: string) => `(function () {
  try {
    var F = (${target}).constructor.constructor;
    var p = F("return typeof process + '/' + typeof require")();
    return p === "undefined/undefined" ? "nothing" : "ESCAPED " + p;
  } catch (e) { return "nothing"; }
})()`;

describe.each([
  ["QuickJS", createQuickJSEngine()],
  ["V8", createV8Engine()],
] as [string, Engine][])("the %s sandbox", (_, engine) => {
  async function newVm(): Promise<Vm> {
    const vm = await engine.createVm({
      hostCalls: {
        ping: () => "pong",
        broken: () => {
          throw new Error("host failure");
        },
      },
      preload: { code: "var preloaded = true;", filename: "preload.js" },
    });
    return keep(vm);
  }

  it("has no process, require or module system in its global scope", async () => {
    const vm = await newVm();
    expect(
      valueOf(vm.evaluate("[typeof process, typeof require, typeof module, typeof global].join()")),
    ).toBe("undefined,undefined,undefined,undefined");
  });

  it("gives no way to the host's Function through the global, the host calls or their errors", async () => {
    const vm = await newVm();
    expect(valueOf(vm.evaluate(reach("globalThis")))).toBe("nothing");
    expect(valueOf(vm.evaluate(reach("this")))).toBe("nothing");
    expect(valueOf(vm.evaluate(reach("__host")))).toBe("nothing");
    expect(valueOf(vm.evaluate(reach("__host.ping")))).toBe("nothing");
    expect(
      valueOf(
        vm.evaluate(
          `var caught; try { __host.broken(); } catch (e) { caught = e; } ${reach("caught")}`,
        ),
      ),
    ).toBe("nothing");
    expect(
      valueOf(
        vm.evaluate(`var bad; try { __host.ping({}); } catch (e) { bad = e; } ${reach("bad")}`),
      ),
    ).toBe("nothing");
  });

  it("shows no host function or receiver in stack frames", async () => {
    const vm = await newVm();
    const script = `
      Error.prepareStackTrace = function (e, frames) {
        return frames.map(function (f) {
          var fn = f.getFunction && f.getFunction();
          try { return fn ? typeof fn.constructor("return typeof process")() : "none"; } catch (x) { return "none"; }
        }).join();
      };
      var stack; try { __host.broken(); } catch (e) { stack = String(e.stack); }
      /object|function/.test(stack) ? "ESCAPED " + stack : "nothing"`;
    expect(valueOf(vm.evaluate(script))).toBe("nothing");
  });

  it("lets import() reach no module and leak no host error", async () => {
    const vm = await newVm();
    valueOf(
      vm.evaluate(`var imported = "pending";
        try {
          import("node:fs").then(function () { imported = "IMPORTED"; }, function (e) { imported = ${reach("e").replace(/;?\s*$/, "")}; });
        } catch (e) { imported = ${reach("e")}; }`),
    );
    expect(["pending", "nothing"]).toContain(valueOf(vm.evaluate("imported")));
  });

  it("passes only primitives to the host", async () => {
    const vm = await newVm();
    expect(
      valueOf(vm.evaluate("try { __host.ping(function () {}); 'passed' } catch (e) { e.message }")),
    ).toMatch(/strings, numbers/);
  });
});
