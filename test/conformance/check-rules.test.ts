// The in-process conformance judge must agree with check.sh itself, word for word. Each case
// below is judged twice: by check.sh (with a fake interpreter that replays the case's output)
// and by checkProgram; both must pass it or fail it with the same reason.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkProgram, firstDiff } from "./check-rules.ts";

interface Case {
  name: string;
  passes: boolean;
  files: { out?: string; err?: string; code?: string };
  run: { stdout?: string; stderr?: string; status?: number; hangs?: boolean };
}

const RT_ERR =
  "\nAN ERROR HAS OCCURRED [the index 'x' does not exist]\n\nCALLSTACK\n*FUNCTION [main()] p.nut line [2]\n\n";
const CE_ERR = "c.nut line = (2) column = (18) : error expected ')'\n";

const cases: Case[] = [
  { name: "n01_pass", passes: true, files: { out: "a\nb\n" }, run: { stdout: "a\nb\n" } },
  { name: "n02_line_differs", passes: false, files: { out: "a\nb\n" }, run: { stdout: "a\nc\n" } },
  { name: "n03_short", passes: false, files: { out: "a\nb\n" }, run: { stdout: "a\n" } },
  { name: "n04_extra", passes: false, files: { out: "a\n" }, run: { stdout: "a\nzz\n" } },
  { name: "n05_final_newline", passes: false, files: { out: "a\n" }, run: { stdout: "a" } },
  {
    name: "n06_long_line",
    passes: false,
    files: { out: `${"x".repeat(80)}\n` },
    run: { stdout: `${"x".repeat(79)}y\n` },
  },
  {
    name: "n07_status",
    passes: false,
    files: { out: "x\n" },
    run: { stdout: "x\n", stderr: "boom\nmore", status: 1 },
  },
  { name: "n08_no_out_file", passes: false, files: {}, run: { stdout: "x\n" } },
  {
    name: "n09_bytes",
    passes: true,
    files: { out: "caf\u00e9 \u00ff\n" },
    run: { stdout: "caf\u00e9 \u00ff\n" },
  },
  { name: "n10_stderr_ignored", passes: true, files: { out: "" }, run: { stderr: "noise\n" } },
  {
    name: "r01_status_0_like_sq",
    passes: true,
    files: { out: "before\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "before\n", stderr: RT_ERR },
  },
  {
    name: "r02_status_1",
    passes: true,
    files: { out: "before\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "before\n", stderr: RT_ERR, status: 1 },
  },
  {
    name: "r03_message_missing",
    passes: false,
    files: { out: "before\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "before\n", stderr: "AN ERROR HAS OCCURRED [other]\n", status: 1 },
  },
  {
    name: "r04_prefix_differs",
    passes: false,
    files: { out: "before\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "bfore\n", stderr: RT_ERR, status: 1 },
  },
  {
    name: "r05_not_reached",
    passes: false,
    files: { out: "before\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "before\nNot Reached\n", stderr: RT_ERR, status: 1 },
  },
  {
    name: "r06_not_reached_expected",
    passes: true,
    files: { out: "not reached is fine\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "not reached is fine\nnot reached\n", stderr: RT_ERR, status: 1 },
  },
  {
    name: "r07_no_code_status_0",
    passes: false,
    files: { out: "before\n", err: RT_ERR },
    run: { stdout: "before\n", stderr: RT_ERR },
  },
  {
    name: "r08_message_in_stdout",
    passes: true,
    files: { out: "", err: RT_ERR, code: "0\n" },
    run: { stdout: "[the index 'x' does not exist]\n", status: 1 },
  },
  {
    name: "r09_message_across_streams",
    passes: true,
    files: { out: "", err: RT_ERR, code: "0\n" },
    run: { stdout: "the index 'x' ", stderr: "does not exist\n", status: 1 },
  },
  {
    name: "r10_more_output_after_prefix",
    passes: true,
    files: { out: "a\n", err: RT_ERR, code: "0\n" },
    run: { stdout: "a\nb\n", stderr: RT_ERR, status: 1 },
  },
  {
    name: "c01_pass",
    passes: true,
    files: { out: "Error [expected ')']\n", err: CE_ERR, code: "254\n" },
    run: { stdout: "Error [expected ')']\n", stderr: CE_ERR, status: 254 },
  },
  {
    name: "c02_status_0",
    passes: false,
    files: { out: "Error [expected ')']\n", err: CE_ERR, code: "254\n" },
    run: { stderr: CE_ERR },
  },
  {
    name: "c03_ran",
    passes: false,
    files: { out: "Error [expected ')']\n", err: CE_ERR, code: "254\n" },
    run: { stdout: "NOT REACHED\n", stderr: CE_ERR, status: 1 },
  },
  {
    name: "c04_message_missing",
    passes: false,
    files: { out: "Error [expected ')']\n", err: CE_ERR, code: "254\n" },
    run: { stderr: "c.nut: error something else\n", status: 254 },
  },
  {
    name: "c05_unreadable_err",
    passes: false,
    files: { out: "", err: "garbage\n" },
    run: { status: 1 },
  },
  { name: "t01_hangs", passes: false, files: { out: "x\n" }, run: { hangs: true } },
];

const FAKE_INTERPRETER = `#!/usr/bin/env bash
b=\${1%.nut}
if [ -f "$b.hangs" ]; then sleep 5; fi
if [ -f "$b.stdout" ]; then cat "$b.stdout"; fi
if [ -f "$b.stderr" ]; then cat "$b.stderr" >&2; fi
exit "$(cat "$b.status")"
`;

const work = mkdtempSync(path.join(tmpdir(), "vimp-check-rules-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the real check.sh over the cases; returns program name -> failure reason. */
function judgeWithCheckSh(strictExit: boolean): Map<string, string> {
  const programs = path.join(work, "programs");
  mkdirSync(programs, { recursive: true });
  copyFileSync(fileURLToPath(new URL("./check.sh", import.meta.url)), path.join(work, "check.sh"));
  writeFileSync(path.join(work, "fake.sh"), FAKE_INTERPRETER);
  for (const c of cases) {
    const base = path.join(programs, c.name);
    writeFileSync(`${base}.nut`, "");
    for (const [ext, text] of Object.entries(c.files))
      writeFileSync(`${base}.${ext}`, text, "latin1");
    if (c.run.stdout !== undefined) writeFileSync(`${base}.stdout`, c.run.stdout, "latin1");
    if (c.run.stderr !== undefined) writeFileSync(`${base}.stderr`, c.run.stderr, "latin1");
    if (c.run.hangs) writeFileSync(`${base}.hangs`, "");
    writeFileSync(`${base}.status`, String(c.run.status ?? 0));
  }
  const result = spawnSync(
    "bash",
    [path.join(work, "check.sh"), `bash ${path.join(work, "fake.sh")} {}`],
    {
      env: { ...process.env, TIMEOUT: "1", VERBOSE: "0", STRICT_EXIT: strictExit ? "1" : "0" },
      encoding: "latin1",
    },
  );
  const reasons = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const m = /^FAIL (\S+)\.nut: (.*)$/.exec(line);
    if (m) reasons.set(m[1]!, m[2]!);
  }
  expect(result.stdout).toMatch(
    new RegExp(`^${cases.length - reasons.size} passed, ${reasons.size} failed$`, "m"),
  );
  return reasons;
}

function judgeInProcess(c: Case, strictExit: boolean): string | null {
  return checkProgram(
    `${c.name}.nut`,
    { out: c.files.out, err: c.files.err, code: c.files.code },
    {
      stdout: c.run.stdout ?? "",
      stderr: c.run.stderr ?? "",
      status: c.run.status ?? 0,
      timedOut: c.run.hangs === true,
      timeoutSeconds: 1,
    },
    { strictExit },
  );
}

describe("the in-process conformance judge", () => {
  for (const strictExit of [false, true]) {
    it(`agrees with check.sh on every case${strictExit ? " with STRICT_EXIT=1" : ""}`, () => {
      const byCheckSh = judgeWithCheckSh(strictExit);
      for (const c of cases) {
        const reason = judgeInProcess(c, strictExit);
        expect({ case: c.name, reason }).toEqual({
          case: c.name,
          reason: byCheckSh.get(c.name) ?? null,
        });
      }
    });
  }

  it("passes and fails the cases as intended", () => {
    for (const c of cases)
      expect({ case: c.name, passes: judgeInProcess(c, false) === null }).toEqual({
        case: c.name,
        passes: c.passes,
      });
    expect(
      judgeInProcess(
        cases.find((c) => c.name === "r01_status_0_like_sq")!,
        true,
      ),
    ).toBe("exit status 0 after an uncaught error (STRICT_EXIT=1)");
  });

  it("words output differences like check.sh's first_diff", () => {
    expect(firstDiff("a\nb\n", "a\nc\n")).toBe("line 2: expected 'b', got 'c'");
    expect(firstDiff("a\n", "a")).toBe("difference in final newline or bytes");
  });
});
