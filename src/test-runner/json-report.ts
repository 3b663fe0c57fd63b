// A run as JSON (`vimp test --json FILE`), for scripts: each file with its side, partner,
// session, outcome, counts, failures and per-test results, then the totals.

import type { RunOutcome } from "./test-run.ts";

export function jsonReport(outcome: RunOutcome): string {
  return (
    JSON.stringify(
      {
        passed: outcome.passed,
        tests: outcome.tests,
        assertions: outcome.assertions,
        failures: outcome.failures,
        files: outcome.files.map((f) => ({
          file: f.file.name,
          side: f.file.side,
          partner: f.file.partner,
          session: f.session,
          status: f.skipped ? "skipped" : f.result!.passed ? "passed" : "failed",
          error: f.result?.error ?? null,
          tests: f.result?.tests ?? 0,
          assertions: f.result?.assertions ?? 0,
          failures: f.result?.failures ?? [],
          cases: f.result?.cases ?? [],
          virtualSeconds: f.result?.virtualSeconds ?? 0,
          wallMs: f.result === null ? 0 : Math.round(f.result.wallMs),
        })),
      },
      null,
      2,
    ) + "\n"
  );
}
