// Runs every program of the conformance corpus in-process through runSquirrel and judges it by
// exactly the rules of test/conformance/check.sh (see test/conformance/check-rules.ts).
// The same corpus through the CLI: `npm run conformance`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSquirrel } from "../src/sandbox/squirrel-vm.ts";
import { engineUnderTest as engine } from "./engine-under-test.ts";
import { checkProgram, type ExpectedFiles } from "./conformance/check-rules.ts";

const PROGRAMS = fileURLToPath(new URL("./conformance/programs/", import.meta.url));
/** check.sh's TIMEOUT (seconds per program) and STRICT_EXIT, with the same defaults. */
const TIMEOUT_SECONDS = Number(process.env.TIMEOUT ?? 30);
const STRICT_EXIT = process.env.STRICT_EXIT === "1";

const programs = readdirSync(PROGRAMS)
  .filter((name) => name.endsWith(".nut"))
  .sort();

function readIfPresent(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "latin1") : undefined;
}

const failed: string[] = [];

describe("conformance corpus", () => {
  afterAll(() => {
    const passed = programs.length - failed.length;
    console.log(
      `conformance (${engine?.name ?? "quickjs"}): ${passed} passed, ${failed.length} failed${failed.length ? `\n  ${failed.join("\n  ")}` : ""}`,
    );
  });

  for (const name of programs) {
    it(
      name,
      async () => {
        const base = path.join(PROGRAMS, name.slice(0, -".nut".length));
        const expected: ExpectedFiles = {
          out: readIfPresent(`${base}.out`),
          err: readIfPresent(`${base}.err`),
          code: readIfPresent(`${base}.code`),
        };
        let stdout = "";
        let stderr = "";
        // As check.sh runs it: from inside programs/, so the file is its bare name.
        const result = await runSquirrel(readFileSync(path.join(PROGRAMS, name), "latin1"), {
          file: name,
          stdout: (bytes) => (stdout += bytes),
          stderr: (bytes) => (stderr += bytes),
          timeoutMs: TIMEOUT_SECONDS * 1000,
          engine,
        });
        const reason = checkProgram(
          name,
          expected,
          // A process exit status is one byte.
          {
            stdout,
            stderr,
            status: result.status & 0xff,
            timedOut: result.outcome === "deadline",
            timeoutSeconds: TIMEOUT_SECONDS,
          },
          { strictExit: STRICT_EXIT },
        );
        if (reason !== null) {
          failed.push(`${name}: ${reason}`);
          // For an output difference, let vitest show the whole diff.
          if (expected.out !== undefined && reason.startsWith("stdout")) {
            expect(
              expected.err === undefined ? stdout : stdout.slice(0, expected.out.length),
              reason,
            ).toBe(expected.out);
          }
          expect.fail(`FAIL ${name}: ${reason}\n--- stderr ---\n${stderr.slice(0, 2000)}`);
        }
      },
      TIMEOUT_SECONDS * 1000 + 10_000,
    );
  }
});
