// `vimp test`: impUnit test files run as `impt test run` runs them, on virtual imps, offline.
// It reads the project's .impt.test (the nearest one at or above the current directory; impt's
// defaults without one), runs every test file in a session of its own and exits 0 when all
// passed, 1 otherwise. `--init` writes a .impt.test and an example test; `--watch` runs the
// files a change touches again.

import { existsSync, mkdirSync, readdirSync, watch, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { DEFAULT_MODEL, MODELS } from "../device/models/index.ts";
import { jsonReport } from "../test-runner/json-report.ts";
import { junitReport } from "../test-runner/junit-report.ts";
import {
  CONFIG_FILE_NAME,
  DEFAULT_TEST_FILES,
  DEFAULT_TIMEOUT_S,
  defaultTestConfig,
  findTestConfig,
  readTestConfig,
  TestConfigError,
  type TestConfig,
} from "../test-runner/test-config.ts";
import { parseSelection, type TestFile } from "../test-runner/test-discovery.ts";
import {
  runTests,
  testFilesOf,
  TestRunError,
  type RunOutcome,
  type TestRunOptions,
} from "../test-runner/test-run.ts";
import { UsageError, type Command } from "./command.ts";
import { optionValue, parseArgs, type OptionSpec } from "./option-parser.ts";
import { ConsoleReport } from "./test-report.ts";

const OPTIONS: Record<string, OptionSpec> = {
  tests: { value: "[FILE][:CASE][::METHOD]" },
  t: { value: "[FILE][:CASE][::METHOD]" },
  model: { value: "MODEL" },
  timeout: { value: "SECONDS" },
  "stop-on-fail": { flag: true },
  reporter: { value: "junit" },
  output: { value: "FILE" },
  json: { value: "FILE" },
  watch: { flag: true },
  init: { flag: true },
  impunit: { value: "DIR" },
  lib: { value: "DIR", repeatable: true },
  config: { value: "FILE" },
  "remote-cache": { value: "DIR" },
  jobs: { value: "N" },
};

export const testCommand: Command = {
  name: "test",
  help: `usage: vimp test [options] [test files…]

Runs impUnit tests the way \`impt test run\` does, on virtual imps instead of real ones: it
reads .impt.test (the nearest one at or above the current directory; without one, impt's
defaults), finds the test files (testFiles patterns, default ${DEFAULT_TEST_FILES.join(" and ")}),
and runs each in a session of its own: *.agent.test.nut on the agent, the others on the
device, with the device and agent files of .impt.test and the partner file (x.device.nut for
x.agent.test.nut, x.agent.nut for x.device.test.nut). Test files are preprocessed with
Builder (@include, @set, @if, @macro, @{…}); #require "Name.lib.nut:x.y.z" is loaded from
--lib directories, then libraries/ beside .impt.test, then the libraries vimp ships (Promise
4.0.0, JSONEncoder 2.0.0); github: includes are read from .builder-cache/github/<user>/<repo>/
<ref>/<path> (there is no network).

  -t, --tests [FILE][:CASE][::METHOD]   run some: FILE is a regular expression searched in
                          the path, CASE a test class, METHOD a test method
  --model imp001|imp003   the imp the device tests run on (default ${DEFAULT_MODEL})
  --timeout SECONDS       per-test timeout (default .impt.test's, else ${DEFAULT_TIMEOUT_S})
  --stop-on-fail          stop at the first failure (default .impt.test's stopOnFail)
  --reporter junit --output FILE   also write JUnit XML to FILE
  --json FILE             also write the results as JSON to FILE
  --impunit DIR           use this impUnit (DIR/index.nut) instead of vimp's own
  --lib DIR               a directory of libraries for #require (repeatable; first wins)
  --config FILE           the .impt.test to use
  --remote-cache DIR      where github: includes are read from (default .builder-cache)
  --jobs N                how many sessions run at once, each in a worker thread
                          (default: the number of cores, at most 4; 1 with --stop-on-fail)
  --watch                 after the run, run again the files a change touches
  --init                  write a .impt.test and tests/example.test.nut here, and stop

Exit status: 0 when every test passed, 1 when one failed (or no test file was found), 2 for a
mistake on the command line or in .impt.test.`,

  async run(args) {
    const parsed = parseArgs(args, OPTIONS, "test");
    const one = (name: string) => optionValue(parsed, name);
    if (parsed.flags.has("init")) return init(process.cwd());

    const model = one("model") ?? DEFAULT_MODEL;
    if (!Object.hasOwn(MODELS, model))
      throw new UsageError(
        `unknown model '${model}' for --model: the emulated models are ${Object.keys(MODELS).join(" and ")}`,
      );
    const timeoutText = one("timeout");
    const timeout = timeoutText === undefined ? undefined : Number(timeoutText);
    if (timeout !== undefined && !(timeout > 0 && Number.isFinite(timeout)))
      throw new UsageError(
        `--timeout takes a number of seconds greater than 0, not '${timeoutText}'`,
      );
    const reporter = one("reporter");
    if (reporter !== undefined && reporter !== "junit")
      throw new UsageError(`--reporter knows only 'junit', not '${reporter}'`);
    const output = one("output");
    if (reporter !== undefined && output === undefined)
      throw new UsageError("--reporter junit needs --output FILE");
    if (output !== undefined && reporter === undefined)
      throw new UsageError("--output FILE goes with --reporter junit");
    if (parsed.values.has("tests") && parsed.values.has("t"))
      throw new UsageError("option --tests is given twice");
    for (const file of parsed.positionals) {
      if (!existsSync(file)) throw new UsageError(`no test file '${file}'`, { helpHint: false });
    }

    const jobsText = one("jobs");
    const jobs = jobsText === undefined ? Math.min(4, availableParallelism()) : Number(jobsText);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new UsageError(`--jobs takes a whole number of at least 1, not '${jobsText}'`);
    const config = loadConfig(one("config"));
    const options: TestRunOptions = {
      config,
      selection: parseSelection(one("tests") ?? one("t")),
      given: parsed.positionals,
      model,
      timeout,
      stopOnFail: parsed.flags.has("stop-on-fail") ? true : undefined,
      impunitDir: one("impunit"),
      libDirs: parsed.values.get("lib") ?? [],
      remoteCache: one("remote-cache"),
      jobs,
    };
    if (
      options.impunitDir !== undefined &&
      !existsSync(path.join(options.impunitDir, "index.nut"))
    ) {
      throw new UsageError(`--impunit ${options.impunitDir}: there is no index.nut in it`, {
        helpHint: false,
      });
    }
    for (const dir of options.libDirs ?? [])
      if (!existsSync(dir))
        throw new UsageError(`--lib ${dir}: no such directory`, { helpHint: false });

    const report = new ConsoleReport(config, {
      write: (text) => process.stdout.write(text),
      colour: process.stdout.isTTY === true,
      progress: process.stderr.isTTY === true ? (text) => process.stderr.write(text) : null,
    });
    const runOnce = async (only?: readonly TestFile[]): Promise<RunOutcome | null> => {
      try {
        const outcome = await runTests({ ...options, only, onEvent: report.onEvent });
        report.summary(outcome);
        if (output !== undefined) writeFileSync(output, junitReport(outcome));
        const json = one("json");
        if (json !== undefined) writeFileSync(json, jsonReport(outcome));
        return outcome;
      } catch (error) {
        if (!(error instanceof TestRunError)) throw error;
        report.finish();
        process.stdout.write(`[error] ${error.message}\n\nTesting failed\n`);
        return null;
      } finally {
        report.finish();
      }
    };

    const first = await runOnce();
    if (!parsed.flags.has("watch")) return first?.passed === true ? 0 : 1;
    return watchAndRun(config, options, first, runOnce);
  },
};

function loadConfig(given: string | undefined): TestConfig {
  const file = given ?? findTestConfig(process.cwd());
  if (given !== undefined && !existsSync(given))
    throw new UsageError(`--config ${given}: no such file`, { helpHint: false });
  if (file === null) return defaultTestConfig(process.cwd());
  try {
    return readTestConfig(file);
  } catch (error) {
    if (error instanceof TestConfigError) throw new UsageError(error.message, { helpHint: false });
    throw error;
  }
}

/** Runs again, after each change, the files whose sessions read the changed file (a new test file: itself). */
async function watchAndRun(
  config: TestConfig,
  options: TestRunOptions,
  first: RunOutcome | null,
  runOnce: (only?: readonly TestFile[]) => Promise<RunOutcome | null>,
): Promise<number> {
  let last = first;
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  process.stderr.write("vimp: watching for changes (Ctrl-C to stop)\n");
  const rerun = async () => {
    if (running) return;
    running = true;
    const files = [...changed];
    changed = new Set();
    const all = testFilesOf(options);
    const known = new Set((last?.files ?? []).map((f) => f.file.file));
    const touched = all.filter(
      (f) =>
        files.includes(f.file) ||
        !known.has(f.file) ||
        (last?.files.find((o) => o.file.file === f.file)?.sources.some((s) => files.includes(s)) ??
          true),
    );
    if (touched.length > 0) {
      process.stdout.write(
        `\n[info] ${files.map((f) => path.relative(config.home, f)).join(", ")} changed: running ${touched.length} file${touched.length === 1 ? "" : "s"}\n`,
      );
      const outcome = await runOnce(touched);
      if (outcome !== null && last !== null) {
        const byFile = new Map(outcome.files.map((o) => [o.file.file, o]));
        last = {
          ...last,
          files: last.files
            .map((o) => byFile.get(o.file.file) ?? o)
            .concat(outcome.files.filter((o) => !known.has(o.file.file))),
        };
      } else last = outcome ?? last;
    }
    running = false;
    if (changed.size > 0) void rerun();
  };
  const watcher = watch(config.home, { recursive: true }, (_event, name) => {
    if (name === null || /(^|[/\\])(node_modules|\.git|\.build)([/\\]|$)/.test(name)) return;
    changed.add(path.join(config.home, name));
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => void rerun(), 150);
  });
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  watcher.close();
  if (timer !== null) clearTimeout(timer);
  return last?.passed === true ? 0 : 1;
}

/** `vimp test --init`: a .impt.test with impt's defaults, and an example test, never over existing files. */
function init(dir: string): number {
  const configFile = path.join(dir, CONFIG_FILE_NAME);
  const written: string[] = [];
  if (!existsSync(configFile)) {
    const find = (suffix: string) =>
      readdirSync(dir).find((f) => f.endsWith(suffix) && !f.endsWith(`.test${suffix}`)) ?? null;
    const config: Record<string, unknown> = {
      deviceFile: find(".device.nut"),
      agentFile: find(".agent.nut"),
      timeout: DEFAULT_TIMEOUT_S,
      stopOnFail: false,
      allowDisconnect: false,
      builderCache: false,
      testFiles: DEFAULT_TEST_FILES,
    };
    for (const key of ["deviceFile", "agentFile"]) if (config[key] === null) delete config[key];
    writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");
    written.push(CONFIG_FILE_NAME);
  } else process.stdout.write(`${CONFIG_FILE_NAME} exists; left as it is\n`);
  const example = path.join(dir, "tests", "example.test.nut");
  if (!existsSync(example)) {
    mkdirSync(path.dirname(example), { recursive: true });
    writeFileSync(example, EXAMPLE_TEST);
    written.push(path.join("tests", "example.test.nut"));
  } else process.stdout.write("tests/example.test.nut exists; left as it is\n");
  if (written.length > 0)
    process.stdout.write(`wrote ${written.join(" and ")}; run the tests with: npx vimp test\n`);
  return 0;
}

const EXAMPLE_TEST = `// An impUnit test case: every method whose name starts with "test" is a test. This file
// runs on the device (a file named *.agent.test.nut runs on the agent).
class ExampleTestCase extends ImpTestCase {
  _started = null;

  // Runs before the tests of this case.
  function setUp() {
    _started = hardware.millis();
  }

  function testArithmetic() {
    assertEqual(4, 2 + 2);
    assertClose(3.14, math.PI, 0.01);
  }

  function testTablesCompareDeeply() {
    assertDeepEqual({ pins = [1, 2], name = "imp" }, { name = "imp", pins = [1, 2] });
  }

  // A test that returns a Promise passes when it resolves and fails when it rejects
  // (or when the timeout of .impt.test passes first).
  function testLater() {
    return Promise(function(resolve, reject) {
      imp.wakeup(1, function() {
        resolve("a second later");
      });
    });
  }

  function tearDown() {
    info("the tests took " + (hardware.millis() - _started) + " ms of device time");
  }
}
`;
