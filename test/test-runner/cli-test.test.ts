// `vimp test` as a user runs it: `node bin/vimp.js test …` in a project folder.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const VIMP = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "vimp-test-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function vimp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [VIMP, "test", ...args], {
    cwd,
    timeout: 60_000,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function copy(fixture: string): string {
  const dir = path.join(work, `${fixture}-${Math.random().toString(36).slice(2)}`);
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

describe("vimp test", () => {
  it("--init writes a .impt.test and an example test that passes; exit status 0", () => {
    const dir = path.join(work, "init");
    mkdirSync(dir);
    const init = vimp(dir, "--init");
    expect(init.status).toBe(0);
    expect(init.stdout).toBe(
      "wrote .impt.test and tests/example.test.nut; run the tests with: npx vimp test\n",
    );
    expect(JSON.parse(readFileSync(path.join(dir, ".impt.test"), "utf8"))).toEqual({
      timeout: 30,
      stopOnFail: false,
      allowDisconnect: false,
      builderCache: false,
      testFiles: ["*.test.nut", "tests/**/*.test.nut"],
    });
    const run = vimp(dir, "--reporter", "junit", "--output", "junit.xml", "--json", "results.json");
    expect(run.stdout).toContain(
      "[test] ExampleTestCase::testLater()\n[test] Success: a second later\n",
    );
    expect(run.stdout).toContain(
      "Tests: 3, Assertions: 3, Failures: 0\n--------------------------------------\n\nTesting succeeded\n",
    );
    expect(run.status).toBe(0);
    const junit = readFileSync(path.join(dir, "junit.xml"), "utf8");
    expect(junit).toContain(
      '<testcase classname="tests/example.test.nut:ExampleTestCase" name="testLater" time="1.000"/>',
    );
    const json = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8"));
    expect(json).toMatchObject({
      passed: true,
      tests: 3,
      files: [{ file: "tests/example.test.nut", side: "device", status: "passed" }],
    });
  });

  it("exits 1 when a test fails, and --tests and file arguments choose what runs", () => {
    const dir = copy("stop-on-failure");
    const all = vimp(dir, "--reporter", "junit", "--output", "j.xml");
    expect(all.status).toBe(1);
    expect(all.stdout).toMatch(/Error: Testing failed|Testing failed\n$/);
    expect(readFileSync(path.join(dir, "j.xml"), "utf8")).toContain(
      '<failure message="Failed to assert that condition is true">',
    );
    const one = vimp(dir, "tests/2.device.test.nut");
    expect(one.status).toBe(0);
    expect(one.stdout).toContain("[info] Found 1 test file:\n\ttests/2.device.test.nut\n");
    const method = vimp(dir, "--tests", "1.device:FailFirst::testNext");
    expect(method.stdout).not.toContain("testFails");
    expect(method.status).toBe(0);
  });

  it("--jobs 2 runs sessions in worker threads and prints the same lines in the same order", () => {
    const dir = copy("run");
    const wall = (s: string) => s.replace(/, [\d.]+ s of wall time/g, "");
    const one = vimp(dir, "--jobs", "1");
    const two = vimp(dir, "--jobs", "2");
    expect(two.status).toBe(0);
    expect(wall(two.stdout)).toBe(wall(one.stdout));
    expect(two.stdout).toContain('[test] "TestFile2Case1Test1"');
  });

  it("--watch runs again the file a change touches, and stops on Ctrl-C", async () => {
    const dir = copy("run");
    const child = spawn(process.execPath, [VIMP, "test", "--watch", "--jobs", "1"], { cwd: dir });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(what()).toBe(true);
    };
    await until(() => stdout.includes("Testing succeeded"));
    writeFileSync(
      path.join(dir, "tests", "testfile2.test.nut"),
      'class ThirdTestCase extends ImpTestCase {\n  function testMethod() { info("changed"); }\n}\n',
    );
    await until(
      () =>
        stdout.includes('[test] "changed"') &&
        stdout.lastIndexOf("Testing succeeded") > stdout.indexOf('"changed"'),
    );
    expect(stdout).toContain("[info] tests/testfile2.test.nut changed: running 1 file\n");
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("a device that runs out of memory mid-session fails it, saying which wake reason it boots with", () => {
    const r = vimp(copy("misc"), "tests/memory.test.nut");
    expect(r.stdout).toMatch(
      /\[error\] Device is out of memory \(.*\); it boots again with wake reason WAKEREASON_SW_RESET\n/,
    );
    expect(r.status).toBe(1);
  });

  it("exits 1 with impt's message when no test file is found, and 2 for a mistake in .impt.test or on the command line", () => {
    const none = vimp(copy("run"), "--tests", "not-exist-file");
    expect(none.status).toBe(1);
    expect(none.stdout).toBe("[error] No test files found\n\nTesting failed\n");
    const bad = vimp(copy("config-bad"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^vimp: .*\.impt\.test: "timeout" must be a number of seconds greater than 0, not "soon"\n$/,
    );
    const model = vimp(copy("run"), "--model", "imp999");
    expect(model.status).toBe(2);
    expect(model.stderr).toContain("unknown model 'imp999' for --model");
  });
});
