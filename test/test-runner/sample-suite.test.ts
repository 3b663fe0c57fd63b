// firmware-samples/temp-logger: a small library with an impUnit suite (device tests, an async
// test, an agent test with a partner file, a #require of a library in libraries/), run with
// `vimp test` in its folder as a user runs it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const VIMP = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
const SAMPLE = fileURLToPath(new URL("../../firmware-samples/temp-logger/", import.meta.url));

it("the temp-logger sample's suite passes on the device; and its agent test with its partner file", () => {
  const r = spawnSync(process.execPath, [VIMP, "test"], {
    cwd: SAMPLE,
    timeout: 60_000,
    encoding: "utf8",
  });
  expect(r.stdout).toContain(
    "[info] Found 2 test files:\n\ttests/Readings.agent.test.nut (tests/Readings.device.nut)\n\ttests/TempLogger.test.nut\n",
  );
  expect(r.stdout).toContain("[test] TempLoggerTestCase::testSampleEvery()\n[test] Success: 21\n");
  expect(r.stdout).toContain(
    "[test] TempLoggerTestCase::testSensorFailureRejects()\n[test] Success: sensor failed: no sensor\n",
  );
  expect(r.stdout).toContain("[test] Tests: 5, Assertions: 7, Failures: 0\n");
  expect(r.stdout).toContain(
    "[test] ReadingsTestCase::testStoresWhatTheDeviceSends()\n[test] Success: got 2 readings\n",
  );
  expect(r.stdout).toMatch(/Testing succeeded\n$/);
  expect(r.status).toBe(0);
});
