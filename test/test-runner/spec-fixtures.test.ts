// The outcomes impt's own spec fixtures expect (imp-central-impt spec/test), reproduced with
// fixtures of our own in fixtures/: what a user reads in `vimp test`'s output, and whether the
// run passed.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleReport } from "../../src/cli/test-report.ts";
import { readTestConfig, TestConfigError } from "../../src/test-runner/test-config.ts";
import { parseSelection } from "../../src/test-runner/test-discovery.ts";
import { runTests, TestRunError, type RunOutcome } from "../../src/test-runner/test-run.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "vimp-test-fixtures-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  outcome: RunOutcome;
  output: string;
}

async function run(
  fixture: string,
  options: { tests?: string; timeout?: number; stopOnFail?: boolean } = {},
): Promise<Run> {
  const config = readTestConfig(path.join(FIXTURES, fixture, ".impt.test"));
  let output = "";
  const report = new ConsoleReport(config, {
    write: (t) => (output += t),
    colour: false,
    progress: null,
  });
  const outcome = await runTests({
    config,
    selection: parseSelection(options.tests),
    model: "imp001",
    timeout: options.timeout,
    stopOnFail: options.stopOnFail,
    env: {},
    remoteCache: path.join(work, "no-cache"),
    onEvent: report.onEvent,
  });
  report.summary(outcome);
  return { outcome, output };
}

describe("vimp test reproduces impt's spec fixtures", () => {
  it("asserts: each assertion passes, or fails with impUnit's text", async () => {
    const { outcome, output } = await run("asserts");
    const device = outcome.files.find((f) => f.file.name === "tests/asserts.test.nut")!.result!;
    const agent = outcome.files.find(
      (f) => f.file.name === "tests/asserts.agent.test.nut",
    )!.result!;
    expect(agent.failures).toEqual([
      { test: "AgentAssertsTestCase::testCloseFails()", message: "Expected value: 9±0.5, got: 10" },
      {
        test: "AgentAssertsTestCase::testTrueFails()",
        message: "Failed to assert that condition is true",
      },
    ]);
    expect(output).toContain("[test] AgentAssertsTestCase::testTrue()\n[test] Success\n");
    const failures = Object.fromEntries(
      device.failures.map((f) => [f.test.replace(/^AssertsTestCase::|\(\)$/g, ""), f.message]),
    );
    expect(failures).toEqual({
      testTrueFails: "Failed to assert that condition is true",
      testEqualFails: "Expected value: true, got: false",
      testGreaterFails: "Failed to assert that 2 > 2",
      testLessFails: "Failed to assert that 2 < 2",
      testCloseFails: "Expected value: 9±0.5, got: 10",
      testDeepEqualMissing: "Comparison failed on 'b.c': expected 3, got none",
      testDeepEqualExtra: "Comparison failed on 'b.d': expected none, got 4",
      testDeepEqualChanged: "Comparison failed on 'b.c': expected 3, got 100",
      testDeepEqualTypes: "Values are not the same type, typeof lhs = integer, typeof rhs = string",
      testBetweenFails: "Expected value the range of 11..12, got 10",
      testThrowFails: "Function was expected to throw an error",
      testOwnMessage: "wanted 1, had 2",
    });
    expect(output).toContain(
      "[test] AssertsTestCase::testThrowGivesTheError()\n[test] Success: bad 7\n",
    );
    expect(output).toContain("[test] AssertsTestCase::testTrue()\n[test] Success\n");
    expect(output).toContain("[test] Tests: 17, Assertions: 17, Failures: 12\n");
    expect(output).toMatch(
      /\n\d+\) AssertsTestCase::testBetweenFails\(\)\nat tests\/asserts\.test\.nut\nError: Expected value the range of 11\.\.12, got 10\n/,
    );
    expect(output.trimEnd().endsWith("Testing failed")).toBe(true);
    expect(outcome.passed).toBe(false);
  });

  it("run: every file, case and method, or those --tests selects; a selection found nowhere is skipped", async () => {
    const infos = (r: Run) =>
      [...r.output.matchAll(/"(TestFile\dCase\dTest\d)"/g)].map((m) => m[1]).sort();
    const all = await run("run");
    expect(infos(all)).toEqual([
      "TestFile1Case1Test1",
      "TestFile1Case1Test2",
      "TestFile1Case2Test1",
      "TestFile2Case1Test1",
    ]);
    expect(all.outcome.passed).toBe(true);
    expect(infos(await run("run", { tests: "testfile.test.nut" }))).toEqual([
      "TestFile1Case1Test1",
      "TestFile1Case1Test2",
      "TestFile1Case2Test1",
    ]);
    expect(infos(await run("run", { tests: "testfile.test.nut:FirstTestCase" }))).toEqual([
      "TestFile1Case1Test1",
      "TestFile1Case1Test2",
    ]);
    expect(
      infos(await run("run", { tests: "testfile.test.nut:FirstTestCase::testMethod" })),
    ).toEqual(["TestFile1Case1Test1"]);
    await expect(run("run", { tests: "not-exist-file" })).rejects.toThrow(
      new TestRunError("No test files found"),
    );
    const noCase = await run("run", { tests: "testfile.test.nut:TestFile1CaseNotExist" });
    expect(noCase.output).toContain('[info] Skip "tests/testfile.test.nut" testing');
    expect(noCase.output).not.toContain("[test]");
    expect(noCase.outcome.passed).toBe(true);
    const noMethod = await run("run", {
      tests: "testfile.test.nut:FirstTestCase::not-exist-method",
    });
    expect(infos(noMethod)).toEqual([]);
    expect(noMethod.outcome.passed).toBe(true);
  });

  it("agent_only: an agent test without a device file is an agent-only session", async () => {
    const { outcome, output } = await run("agent-only");
    expect(output).toContain("[info] Using agent source file: agent.nut\n");
    expect(output).toContain("[info] Test session is agent-only\n");
    expect(output).toContain("[agent] agent\n");
    expect(output).toContain("[test] Tests: 0, Assertions: 0, Failures: 0\n");
    expect(outcome.passed).toBe(true);
  });

  it("agent_with_partner_code: the partner file runs on the device; --tests picks one method", async () => {
    const agentSide = await run("partner", { tests: "tmp.agent.*.nut:MyTestCase::testMe_1" });
    expect(agentSide.output).toContain(
      "[info] Found 1 test file:\n\ttests/tmp.agent.test.nut (tests/tmp.device.nut)\n",
    );
    expect(agentSide.output).toContain('Using agent test file "tests/tmp.agent.test.nut"');
    expect(agentSide.output).toContain("[test] MyTestCase::testMe_1()\n");
    expect(agentSide.output).not.toContain("MyTestCase::testMe()");
    expect(agentSide.outcome.passed).toBe(true);
    const deviceSide = await run("partner", { tests: "pair" });
    expect(deviceSide.output).toContain("\ttests/pair.device.test.nut (tests/pair.agent.nut)\n");
    expect(deviceSide.outcome.passed).toBe(true);
  });

  it("build_api_error: a device file that does not compile fails each session, naming its file and line, and the run goes on", async () => {
    const { outcome, output } = await run("build-error");
    expect(output).toContain('Using device test file "tests/1-device.test.nut"');
    expect(output).toContain('Using device test file "tests/2-device.test.nut"');
    expect(output).toMatch(/\[error\] Compilation Error: .* \(device\.nut:2:\d+\)\n/);
    const builderError = `[error] Builder error: SourceInclusionError: Local file "missing.nut" not found (${path.join(FIXTURES, "build-error", "tests", "3-builder.test.nut")}:2)\n`;
    expect(output).toContain(builderError);
    expect(outcome.files.map((f) => f.result?.passed)).toEqual([false, false, false]);
  });

  it("builder: __LINE__, __FILE__, @set in an included file, __PATH__ includes and builderConfig variables", async () => {
    const { outcome, output } = await run("builder");
    expect(output).toContain("[test] BuilderTestCase::testBuilder()\n[test] Success\n");
    expect(output).toContain("[test] Tests: 1, Assertions: 6, Failures: 0\n");
    expect(outcome.passed).toBe(true);
  });

  it("error_before_start: firmware that crashes before impUnit starts ends in a session startup timeout", async () => {
    const { outcome, output } = await run("error-before-start");
    expect(output).toContain("[test] Device Runtime Error: division by zero\n");
    expect(output).toContain("[test] Device Runtime Error:   in main device.nut:2\n");
    expect(output).toContain("[error] Session startup timeout\n");
    expect(outcome.passed).toBe(false);
  });

  it("server_error: server.error lines are printed and fail nothing; errors thrown in tests fail them", async () => {
    const { outcome, output } = await run("server-error");
    const byFile = Object.fromEntries(
      outcome.files.map((f) => [path.basename(f.file.name), f.result!]),
    );
    expect(byFile["server-error.device.test.nut"]!.passed).toBe(true);
    expect(byFile["server-error.agent.test.nut"]!.passed).toBe(true);
    expect(output).toContain(
      "[test] Agent Runtime Error: an agent error line that fails nothing\n",
    );
    expect(output).toContain("[test] Device Runtime Error: an error line that fails nothing\n");
    expect(byFile["server-index-access-failure.device.test.nut"]!.failures[0]!.message).toBe(
      "the index 'fieldDoesNotExists' does not exist",
    );
    expect(byFile["server-throw-exception.device.test.nut"]!.failures[0]!.message).toBe(
      "Check unhandled exception",
    );
    expect(outcome.passed).toBe(false);
  });

  it("stop_on_failure: with it the run ends at the first failure (tearDown skipped); without it the next file runs", async () => {
    const stop = await run("stop-on-failure", { stopOnFail: true });
    expect(stop.output).not.toContain('Using device test file "tests/2.device.test.nut"');
    expect(stop.output).not.toContain("FailFirst::testNext()");
    expect(stop.output).not.toContain("tearDown ran");
    expect(stop.outcome.passed).toBe(false);
    const go = await run("stop-on-failure");
    expect(go.output).toContain('Using device test file "tests/2.device.test.nut"');
    expect(go.output).toContain('"tearDown ran"');
    expect(go.outcome.passed).toBe(false);
  });

  it("timeout: applies to each test; an async test slower than it times out", async () => {
    const short = await run("timeout");
    expect(short.output).toContain("[test] Failure: Test timed out after 3s\n");
    expect(short.outcome.failures).toBe(3);
    const long = await run("timeout", { timeout: 10 });
    expect(long.output).toContain("[test] Success: after 5s\n");
    expect(long.outcome.passed).toBe(true);
  });

  it("a device that crashes mid-session is reported with its wake reason, the stack in the files written, and the run goes on", async () => {
    const { outcome, output } = await run("crash");
    expect(output).toContain("[test] Device Runtime Error: the index 'missing' does not exist\n");
    expect(output).toContain("[test] Device Runtime Error:   in explode device.nut:3\n");
    expect(output).toContain(
      "[error] Device restarted: uncaught Squirrel error; it boots again with wake reason WAKEREASON_SQUIRREL_ERROR\n",
    );
    expect(output).toContain(
      "1) CrashTestCase::testCrashLater()\nat tests/1-crash.test.nut\nError: Device restarted",
    );
    expect(outcome.files[1]!.result!.passed).toBe(true);
    expect(output).toContain("[test] Agent Runtime Error: the index 'notThere' does not exist\n");
    expect(output).toContain(
      "[test] Agent Runtime Error:   in unknown tests/3-agent-crash.agent.test.nut:4\n",
    );
    expect(output).toContain("[error] Agent restarted: error\n");
    expect(outcome.files[2]!.result!.passed).toBe(false);
    expect(outcome.passed).toBe(false);
  });

  it("#require loads a library from libraries/ beside .impt.test; a missing version fails the session before it starts", async () => {
    const ok = await run("require");
    expect(ok.outcome.passed).toBe(true);
    const missing = await run("require-missing");
    const dir = path.join(FIXTURES, "require-missing", "libraries");
    expect(missing.output).toContain(
      `[error] library "Counter.lib.nut" version 2.0.0 is not available: looked in ${dir}, `,
    );
    expect(missing.output).toContain(`${path.join(dir, "Counter.lib.nut")} is version 1.2.0`);
    expect(missing.output).not.toContain("[test]");
    expect(missing.outcome.passed).toBe(false);
  });

  // Out of memory, the third file of this fixture, is checked through the CLI (cli-test.test.ts).
  it("runCommand() runs on the host; a sync test slower than the timeout fails", async () => {
    const { outcome, output } = await run("misc", { tests: "command|slow" });
    expect(output).toContain(
      "[test] Running external command: echo from-the-host\n> from-the-host\n[test] Success\n",
    );
    expect(output).toContain("[error] External command failed with exit code 3\n");
    expect(output).toContain("[test] Failure: Test took 1.5s, longer than timeout of 1s\n");
    expect(outcome.files.map((f) => f.result!.passed)).toEqual([false, false]);
  });

  it("--impunit: a user-supplied impUnit is used instead of vimp's own", async () => {
    const pinned = path.join(work, "impunit-pinned");
    cpSync(fileURLToPath(new URL("../../src/test-runner/impunit/", import.meta.url)), pinned, {
      recursive: true,
    });
    const file = path.join(pinned, "ImpTestCase.nut");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        '"Failed to assert that condition is true"',
        '"pinned impUnit: not true"',
      ),
    );
    const config = readTestConfig(path.join(FIXTURES, "stop-on-failure", ".impt.test"));
    const outcome = await runTests({
      config,
      selection: parseSelection("1.device"),
      model: "imp001",
      env: {},
      impunitDir: pinned,
    });
    expect(outcome.files[0]!.result!.failures[0]!.message).toBe("pinned impUnit: not true");
  });

  it("a malformed .impt.test is an error naming the key", () => {
    expect(() => readTestConfig(path.join(FIXTURES, "config-bad", ".impt.test"))).toThrow(
      new TestConfigError(
        `${path.join(FIXTURES, "config-bad", ".impt.test")}: "timeout" must be a number of seconds greater than 0, not "soon"`,
      ),
    );
  });
});
