import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Builds dist/ once per run, so tests never use a stale runtime bundle or CLI.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "quickjs", include: ["test/**/*.test.ts"] } },
      {
        // The opt-in V8 engine (`--engine v8`) on a representative subset: the conformance
        // corpus and the end-to-end device, cloud and factory tests (test/engine-under-test.ts).
        // Left out: files with tests of what V8 VMs do not offer or count differently
        // (imp.sleep's deadline extension and interrupt, heap sizes in the model's budget), and
        // three that fail on V8 since main's latest merges, not yet investigated (perf note).
        extends: true,
        test: {
          name: "v8",
          include: ["test/conformance.test.ts", "test/e2e/**/*.test.ts"],
          exclude: [
            "test/e2e/execution-model.test.ts",
            "test/e2e/deep-sleep.test.ts",
            "test/e2e/imp-edges.test.ts",
            "test/e2e/firmware-samples.test.ts",
            "test/e2e/cloud.test.ts",
            "test/e2e/factory-flow.test.ts",
            // A runaway agent's V8 worker once took a neighbour's agent VM with it under heavy
            // load ("the V8 worker stopped"); passes alone. Not yet investigated (issue 9).
            "test/e2e/agent.test.ts",
          ],
          env: { VIMP_TEST_ENGINE: "v8" },
        },
      },
    ],
  },
});
