import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Builds dist/ once per run, so tests never use a stale runtime bundle or CLI.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    // Every QuickJS VM frees its runtime when disposed, so a handle the host leaked aborts the test.
    env: { VIMP_CHECK_LEAKS: "1" },
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "quickjs", include: ["test/**/*.test.ts"] } },
      {
        // The opt-in V8 engine (`--engine v8`): the conformance corpus and every end-to-end
        // device, agent, cloud and factory test (test/engine-under-test.ts). A test of what V8
        // VMs do not offer (imp.sleep's deadline extension) skips itself there.
        extends: true,
        test: {
          name: "v8",
          include: ["test/conformance.test.ts", "test/e2e/**/*.test.ts"],
          env: { VIMP_TEST_ENGINE: "v8" },
        },
      },
    ],
  },
});
