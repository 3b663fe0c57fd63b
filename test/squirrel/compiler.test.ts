// The translator's own promises, beyond the conformance corpus: source text never becomes
// code, errors point at Squirrel lines, and the fast paths it emits agree with Squirrel
// semantics when the types it guessed do not hold.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/squirrel/index.ts";
import { runSquirrel } from "../../src/sandbox/squirrel-vm.ts";

async function run(source: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const r = await runSquirrel(source, {
    file: "t.nut",
    stdout: (b) => (stdout += b),
    stderr: (b) => (stderr += b),
    timeoutMs: 20_000,
  });
  return { status: r.status, stdout, stderr };
}

describe("compiler: nothing from the source is spliced into JavaScript", () => {
  it("keeps string literals that look like code as data", async () => {
    const evil = '"); globalThis.pwned = 1; ("';
    const r = await run(
      `local s = ${JSON.stringify(evil)};\nprint(s.len() + "\\n");\nprint(("pwned" in getroottable()) + "\\n");\n`,
    );
    expect(r.stdout).toBe(`${evil.length}\nfalse\n`);
  });

  it("keeps slot names that are not identifiers as data", async () => {
    const r = await run(
      'local t = {};\nt["a b\\"]; x"] <- 1;\nt["__proto__"] <- 2;\nt["constructor"] <- 3;\nprint(t["a b\\"]; x"] + " " + t["__proto__"] + " " + t["constructor"] + " " + t.len() + "\\n");\n',
    );
    expect(r.stdout).toBe("1 2 3 3\n");
  });

  it("gives Squirrel no way to reach the engine's globals", async () => {
    const r = await run(
      'foreach (name in ["globalThis", "eval", "Function", "__host", "__vimp", "$r"]) {\n  try { print(name + "=" + getroottable()[name] + "\\n"); } catch (e) { print(name + ": " + e + "\\n"); }\n}\n',
    );
    expect(r.stdout).toBe(
      ["globalThis", "eval", "Function", "__host", "__vimp", "$r"]
        .map((n) => `${n}: the index '${n}' does not exist\n`)
        .join(""),
    );
  });

  it("emits a function expression and nothing else", () => {
    const { js } = compile("print(1);", "x.nut");
    expect(js.startsWith("(function($r){")).toBe(true);
    expect(js.endsWith("})")).toBe(true);
  });
});

describe("compiler: line numbers", () => {
  it("puts every statement on its Squirrel line, so call stacks name the right lines", async () => {
    const r = await run(
      "function inner(t) {\n  local x = 1;\n\n  return t.missing;\n}\nfunction outer() {\n  return inner({});\n}\n\n\nouter();\n",
    );
    expect(r.stderr).toContain("AN ERROR HAS OCCURRED [the index 'missing' does not exist]");
    expect(r.stderr).toContain("*FUNCTION [inner()] t.nut line [4]");
    expect(r.stderr).toContain("*FUNCTION [outer()] t.nut line [7]");
    expect(r.stderr).toContain("*FUNCTION [main()] t.nut line [11]");
  });
});

describe("compiler: inferred integer locals stay exact", () => {
  it("wraps at 32 bits in every inline operation", async () => {
    const r = await run(
      "local a = 0x7fffffff;\nlocal b = a + 1;\nlocal c = a * a;\nlocal d = 123456789 * 987654321;\nlocal e = -2147483647 - 2;\nlocal f = 1 << 31;\nlocal g = -1 >>> 1;\n" +
        'print(b + " " + c + " " + d + " " + e + " " + f + " " + g + "\\n");\n',
    );
    expect(r.stdout).toBe("-2147483648 1 -67153019 2147483647 -2147483648 2147483647\n");
  });

  it("stops treating a local as an integer once it is given a float", async () => {
    const r = await run(
      'local x = 1;\nfor (local i = 0; i < 3; i++) x = x / 2;\nprint(x + "\\n");\nlocal y = 1;\ny = y / 2.0;\nprint(y + "\\n");\nlocal z = 7;\nz += 0.5;\nprint(z + " " + typeof z + "\\n");\n',
    );
    expect(r.stdout).toBe("0\n0.5\n7.5 float\n");
  });

  it("sees assignments made by closures to a captured local", async () => {
    const r = await run(
      'local n = 1;\nlocal set = function() { n = "text"; };\nset();\nprint(n + 1 + "\\n");\n',
    );
    expect(r.stdout).toBe("text1\n");
  });

  it("keeps the value of a temp used across a nested call", async () => {
    const r = await run(
      'function f(a, b) { return a * 10 + b; }\nlocal t = { v = 3 };\nprint(f(f(t.v, 1), f(2, t.v)) + " " + (t.v + f(t.v, t.v) * t.v) + "\\n");\n',
    );
    expect(r.stdout).toBe("333 102\n");
  });
});

describe("compiler: inline fast paths fall back to Squirrel semantics", () => {
  it("writes instance fields, refuses methods and unknown slots", async () => {
    const r = await run(
      'class A { x = 1; function m() { return x; } }\nlocal a = A();\na.x = 5;\nprint(a.m() + "\\n");\n' +
        'try { a.m = 1; } catch (e) { print(e + "\\n"); }\ntry { a.y = 1; } catch (e) { print(e + "\\n"); }\n',
    );
    expect(r.stdout).toBe("5\nthe index 'm' does not exist\nthe index 'y' does not exist\n");
  });

  it("len() and append() on tables use their own slots, not the array intrinsics", async () => {
    const r = await run(
      'local t = { len = function() { return 42; }, append = function(v) { return "t" + v; } };\nlocal a = [];\nprint(t.len() + " " + t.append(1) + " " + a.append(1).len() + " " + "abc".len() + "\\n");\n',
    );
    expect(r.stdout).toBe("42 t1 1 3\n");
  });

  it("compares floats and instances through the runtime", async () => {
    const r = await run(
      'class V { v = 0; constructor(x) { v = x; } function _cmp(o) { return v <=> o.v; } }\nprint((1 < 1.5) + " " + (2.5 <=> 2) + " " + (V(1) < V(2)) + " " + (1 == 1.0) + "\\n");\n',
    );
    expect(r.stdout).toBe("true 1 true true\n");
  });
});
