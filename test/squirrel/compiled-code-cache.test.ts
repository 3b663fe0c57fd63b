// Compiled code kept by key, and when a VM starts with it already loaded (src/squirrel/compiled-code-cache.ts).
import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/squirrel/compile-error.ts";
import { CompiledCodeCache, PRELOAD_EARLY_BYTES } from "../../src/squirrel/compiled-code-cache.ts";

describe("the compiled code cache", () => {
  it("compiles once per key, and says to preload small code from its third start", () => {
    const cache = new CompiledCodeCache();
    const js = cache.compiled("k", `server.log("hi");`, "a.nut");
    expect(cache.compiled("k", "this source is not read again", "a.nut")).toBe(js);
    const starts = [0, 1, 2, 3].map(() => cache.startPreload("k", `server.log("hi");`, "a.nut"));
    expect(starts).toEqual([undefined, undefined, { js, file: "a.nut" }, { js, file: "a.nut" }]);
  });

  it("preloads large code from its second start", () => {
    const cache = new CompiledCodeCache();
    let source = "";
    for (let i = 0; source.length < PRELOAD_EARLY_BYTES; i++)
      source += `function f${i}(a) { return a + ${i}; }\n`;
    expect(cache.startPreload("big", source, "big.nut")).toBeUndefined();
    expect(cache.startPreload("big", source, "big.nut")?.file).toBe("big.nut");
  });

  it("never preloads code that does not compile, and compiled() still reports its error", () => {
    const cache = new CompiledCodeCache();
    for (let i = 0; i < 4; i++)
      expect(cache.startPreload("bad", "local = ;", "bad.nut")).toBeUndefined();
    expect(() => cache.compiled("bad", "local = ;", "bad.nut")).toThrow(CompileError);
  });

  it("keeps the most recent codes only", () => {
    const cache = new CompiledCodeCache(2);
    const first = cache.compiled("one", "local a = 1;", "one.nut");
    cache.compiled("two", "local a = 2;", "two.nut");
    cache.compiled("three", "local a = 3;", "three.nut");
    // "one" was let go: compiled again from the source given now.
    expect(cache.compiled("one", "local a = 11;", "one.nut")).not.toBe(first);
  });
});
