// Nesting of every kind (issue 13): blocks, functions, classes, tables, arrays, calls, ifs and
// their mixtures either run or end in the compile error deep parentheses get, with file, line
// and column — never in a host stack overflow, in `vimp sq` or when a device boots it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runSquirrel } from "../../src/sandbox/squirrel-vm.ts";

/** Squirrel source nesting `depth` levels of one kind around `print(1)` or the value 1. */
const KINDS: Record<string, (depth: number) => string> = {
  parentheses: (d) => `print(${"(".repeat(d)}1${")".repeat(d)});`,
  blocks: (d) => `${"{".repeat(d)}print(1);${"}".repeat(d)}`,
  functions: (d) => `${"function f() {".repeat(d)}${"}".repeat(d)}print(1);`,
  lambdas: (d) => `local f = ${"@() ".repeat(d)}1; print(1);`,
  "function expressions": (d) =>
    `local f = ${"function() { return ".repeat(d)}1${"; }".repeat(d)}; print(1);`,
  classes: (d) => `local c = ${"class { x = ".repeat(d)}1${" }".repeat(d)}; print(1);`,
  tables: (d) => `local t = ${"{ a = ".repeat(d)}1${" }".repeat(d)}; print(1);`,
  arrays: (d) => `local a = ${"[".repeat(d)}1${"]".repeat(d)}; print(1);`,
  calls: (d) => `function f(x) { return x; }\nprint(${"f(".repeat(d)}1${")".repeat(d)});`,
  ifs: (d) => `${"if (1) ".repeat(d)}print(1);`,
  "while loops": (d) => `${"while (0) ".repeat(d)}print(0); print(1);`,
  "try blocks": (d) => `${"try { ".repeat(d)}print(1);${" } catch (e) {}".repeat(d)}`,
  "a mixture": (d) => {
    const open = [
      "function f() { ",
      "{ ",
      "local t = { a = function() { ",
      "local a = [function() { ",
      "if (1) { ",
      "local c = class { function m() { ",
    ];
    const close = ["} ", "} ", "} }; ", "}]; ", "} ", "} }; "];
    const kinds = Array.from({ length: d }, (_, i) => (i * 7) % open.length);
    return `${kinds.map((k) => open[k]).join("")}${kinds
      .reverse()
      .map((k) => close[k])
      .join("")}print(1);`;
  },
};

async function run(source: string) {
  let stdout = "";
  let stderr = "";
  const r = await runSquirrel(source, {
    file: "deep.nut",
    stdout: (b) => (stdout += b),
    stderr: (b) => (stderr += b),
    timeoutMs: 10_000,
  });
  return { outcome: r.outcome, stdout, stderr };
}

describe("deep nesting", () => {
  it.each(Object.keys(KINDS))(
    "of %s: 40 levels run; 2,000 levels are a compile error, as parentheses give",
    async (kind) => {
      const shallow = await run(KINDS[kind]!(40));
      expect(shallow).toMatchObject({ outcome: "finished", stdout: "1" });
      const deep = await run(KINDS[kind]!(2_000));
      expect(deep.outcome).toBe("compile-error");
      expect(deep.stderr).toMatch(
        /^deep\.nut line = \(\d+\) column = \(\d+\) : error (expression|statement) too deeply nested\n$/,
      );
    },
  );

  it("200 nested function definitions are a compile error, not an overflow of the host's stack", async () => {
    const r = await run(KINDS.functions!(200));
    expect(r.outcome).toBe("compile-error");
    expect(r.stderr).toMatch(/too deeply nested/);
  });

  it("every depth up to the limit, of functions and of the mixture, runs or is that compile error", async () => {
    for (const kind of ["functions", "a mixture"]) {
      for (let depth = 60; depth <= 260; depth += 20) {
        const r = await run(KINDS[kind]!(depth));
        if (r.outcome !== "finished")
          expect([kind, depth, r.outcome, r.stderr]).toEqual([
            kind,
            depth,
            "compile-error",
            expect.stringMatching(/too deeply nested/),
          ]);
      }
    }
  }, 60_000);

  it("booted on a device (vimp run), 200 nested functions are refused as firmware that does not compile", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-deep-"));
    const file = path.join(dir, "deep.device.nut");
    writeFileSync(file, KINDS.functions!(200).replace("print(1)", 'server.log("1")'));
    const vimp = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
    const r = spawnSync(process.execPath, [vimp, "run", "--for", "10s", file], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^vimp: .*deep\.device\.nut:1:\d+: (expression|statement) too deeply nested \(the firmware does not compile\)\n$/,
    );
  });
});
