// Programs a user should never be able to crash the emulator with. Each ends in a clear message
// and an exit status, and the next program runs as if nothing had happened.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runSquirrel, type RunSquirrelOptions } from "../src/sandbox/squirrel-vm.ts";
import { ExitStatus } from "../src/sandbox/exit-status.ts";

async function run(source: string, options: RunSquirrelOptions = {}) {
  let stdout = "";
  let stderr = "";
  const result = await runSquirrel(source, {
    file: "bad.nut",
    stdout: (bytes) => (stdout += bytes),
    stderr: (bytes) => (stderr += bytes),
    ...options,
  });
  // Messages made by vimp itself are UTF-8 text.
  return { ...result, stdout, stderr: Buffer.from(stderr, "latin1").toString("utf8") };
}

async function expectNextProgramRuns(): Promise<void> {
  const next = await run('local n = 1 + 2;\nprint("next " + n + "\\n");\n', { file: "next.nut" });
  expect({ status: next.status, stdout: next.stdout, stderr: next.stderr }).toEqual({
    status: 0,
    stdout: "next 3\n",
    stderr: "",
  });
}

/** A message for a person: names the file, and is not a JavaScript stack trace. */
function expectClearMessage(stderr: string): void {
  expect(stderr).toContain("bad.nut");
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("bad input", () => {
  it("a malformed program is a compile error with file, line and column, and nothing runs", async () => {
    const r = await run('print("NOT REACHED\\n");\nlocal x = (1 + 2;\nprint(x + "\\n");\n');
    expect(r.status).toBe(ExitStatus.compileError);
    expect(r.outcome).toBe("compile-error");
    expect(r.stderr).toMatch(/^bad\.nut line = \(2\) column = \(\d+\) : error expected '\)'\n$/);
    expect(r.stdout).toBe("Error [expected ')']\n");
    await expectNextProgramRuns();
  });

  it("20,000 nested parentheses give the value or a clear error, never a crash", async () => {
    const depth = 20_000;
    const r = await run(`print(${"(".repeat(depth)}1${")".repeat(depth)} + "\\n");\n`);
    if (r.status === 0) expect(r.stdout).toBe("1\n");
    else expectClearMessage(r.stderr);
    await expectNextProgramRuns();
  });

  it("a 10 MB file runs", async () => {
    const comment = `// ${"x".repeat(5_000_000)}\n`;
    const literal = "ab".repeat(2_500_000);
    const r = await run(
      `${comment}local s = "${literal}";\nprint(s.len() + " " + s.slice(0, 4) + "\\n");\n`,
    );
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: "5000000 abab\n" });
    await expectNextProgramRuns();
  }, 120_000);

  it("random bytes end in a compile error (or run), never in an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), async (bytes) => {
        const r = await run(Buffer.from(bytes).toString("latin1"), { timeoutMs: 2000 });
        expect(r.outcome).not.toBe("internal-error");
        if (r.outcome === "compile-error")
          expect(r.stderr).toMatch(/^bad\.nut line = \(\d+\) column = \(\d+\) : error ./);
      }),
      { numRuns: 60, seed: 20251123 },
    );
    await expectNextProgramRuns();
  });

  it("a runaway loop is stopped at the deadline with a clear message", async () => {
    const r = await run('print("started\\n");\nwhile (true) {}\n', { timeoutMs: 300 });
    expect(r.outcome).toBe("deadline");
    expect(r.status).toBe(ExitStatus.deadline);
    expect(r.stdout).toBe("started\n");
    expect(r.stderr).toBe(
      "bad.nut: stopped: the program ran for more than 300 ms without finishing — runaway loop?\n",
    );
    await expectNextProgramRuns();
  });

  it("a runaway loop inside try/catch is stopped all the same", async () => {
    const r = await run("while (true) { try { while (true) {} } catch (e) {} }\n", {
      timeoutMs: 300,
    });
    expect(r.outcome).toBe("deadline");
    await expectNextProgramRuns();
  });

  it("a memory bomb ends in an out-of-memory error", async () => {
    const limit = 32 * 1024 * 1024;
    const r = await run('local a = [];\nwhile (true) a.append(array(1000, "x"));\n', {
      memoryLimit: limit,
    });
    expect(r.outcome).toBe("out-of-memory");
    expect(r.status).toBe(ExitStatus.outOfMemory);
    expect(r.stderr).toBe(
      `bad.nut: stopped: the program ran out of memory (the limit is ${limit} bytes)\n`,
    );
    await expectNextProgramRuns();
  });

  it("infinite recursion is a Squirrel error that try/catch can catch", async () => {
    const r = await run(
      'function down(n) { return down(n + 1) + 1; }\ntry { down(0); } catch (e) { print("caught: " + e + "\\n"); }\nprint("after\\n");\n',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^caught: .+\nafter\n$/);
    await expectNextProgramRuns();
  });

  it("uncaught infinite recursion is reported like any uncaught Squirrel error", async () => {
    const r = await run("function down(n) { return down(n + 1) + 1; }\ndown(0);\n");
    expect(r.status).toBe(ExitStatus.uncaughtError);
    expect(r.stderr).toContain("AN ERROR HAS OCCURRED [");
    await expectNextProgramRuns();
  });
});
