// What `vimp test` prints, in the spirit of `impt test run` (imp-central-impt TestHelper and
// UserInteractor): `[info]`, `[test]`, `[warning]`, `[error]` lines per session, then impt's
// TEST SUMMARY block and "Testing succeeded" / "Testing failed". impt's lines begin with wall
// times; these do not, so that a run's output repeats exactly. On a terminal, a progress line
// on stderr says which file is running.

import path from "node:path";
import type { RunEvent, RunOutcome } from "../test-runner/test-run.ts";
import type { TestConfig } from "../test-runner/test-config.ts";
import type { SessionEvent } from "../test-runner/test-session.ts";

export interface ReportOutput {
  readonly write: (text: string) => void;
  readonly colour: boolean;
  /** Where the progress line goes (a terminal's stderr), or null. */
  readonly progress: ((text: string) => void) | null;
}

const RED = "\x1b[31m";
const YELLOW = "\x1b[33m";
const GREEN = "\x1b[32m";
const RESET = "\x1b[0m";

export class ConsoleReport {
  private progressShown = false;

  constructor(
    private readonly config: TestConfig,
    private readonly out: ReportOutput,
  ) {}

  readonly onEvent = (event: RunEvent): void => {
    switch (event.kind) {
      case "note":
        this.line("warning", event.message);
        break;
      case "found":
        this.line(
          "info",
          `Found ${event.files.length} test file${event.files.length === 1 ? "" : "s"}:\n${event.files.map((f) => `\t${f.name}${f.partner === null ? "" : ` (${this.rel(f.partner)})`}`).join("\n")}`,
        );
        break;
      case "skip":
        this.line("info", `Skip "${event.file.name}" testing`);
        break;
      case "session-start": {
        const { file } = event;
        this.line(
          "info",
          this.config.agentFile === null
            ? "Have no agent source file, using blank"
            : `Using agent source file: ${this.rel(this.config.agentFile)}`,
        );
        this.line(
          "info",
          this.config.deviceFile === null
            ? "Have no device source file, using blank"
            : `Using device source file: ${this.rel(this.config.deviceFile)}`,
        );
        this.line("info", `Using ${file.side} test file "${file.name}"`);
        if (file.side === "agent" && this.config.deviceFile === null)
          this.line("info", "Test session is agent-only");
        this.line(
          "info",
          `Starting test session "${event.session}" (${event.index + 1}/${event.total})`,
        );
        this.showProgress(`[${event.index + 1}/${event.total}] ${file.name}`);
        break;
      }
      case "session-event":
        this.sessionEvent(event.event);
        break;
      case "session-end": {
        const { result } = event;
        const timing = `${result.virtualSeconds.toFixed(1)} s of virtual time, ${(result.wallMs / 1000).toFixed(2)} s of wall time`;
        if (result.passed)
          this.line(
            "info",
            `Session "${event.session}" ${this.paint(GREEN, "succeeded")} (${timing})`,
          );
        else this.line("error", `Session "${event.session}" failed (${timing})`);
        break;
      }
    }
  };

  private sessionEvent(event: SessionEvent): void {
    switch (event.kind) {
      case "test-start":
        this.line("test", event.test);
        break;
      case "test-ok":
        this.line(
          "test",
          event.message === null || event.message === undefined
            ? "Success"
            : `Success: ${typeof event.message === "string" ? event.message : JSON.stringify(event.message)}`,
        );
        break;
      case "test-fail":
        this.line("test", this.paint(RED, `Failure: ${event.message}`));
        break;
      case "info":
        this.line("test", JSON.stringify(event.message));
        break;
      case "log":
        this.line(event.side, event.message);
        break;
      case "runtime-error":
        this.line("test", this.paint(RED, event.message));
        break;
      case "command":
        this.line(
          "test",
          `Running external command: ${event.command}${event.output.map((l) => `\n> ${l}`).join("")}`,
        );
        break;
      case "warning":
        this.line("warning", event.message);
        break;
      case "error":
        this.line("error", event.message);
        break;
      case "result":
        this.line(
          "test",
          `Tests: ${event.tests}, Assertions: ${event.assertions}, Failures: ${event.failures}`,
        );
        break;
    }
  }

  /** impt's summary block and verdict. */
  summary(outcome: RunOutcome): void {
    this.clearProgress();
    const lines = ["", "-------------TEST SUMMARY-------------", ""];
    let n = 0;
    for (const f of outcome.files) {
      if (f.result === null) continue;
      for (const failure of f.result.failures)
        lines.push(`${++n}) ${failure.test}`, `at ${f.file.name}`, `Error: ${failure.message}`, "");
      if (
        f.result.error !== null &&
        !f.result.failures.some((x) => x.message === f.result!.error)
      ) {
        lines.push(
          `${++n}) Session "${f.session}"`,
          `at ${f.file.name}`,
          `Error: ${f.result.error}`,
          "",
        );
      }
    }
    const skipped = outcome.files.filter((f) => f.skipped).length;
    lines.push(
      `Tests: ${outcome.tests}, Assertions: ${outcome.assertions}, Failures: ${outcome.failures}${skipped > 0 ? `, Skipped files: ${skipped}` : ""}`,
    );
    lines.push("--------------------------------------", "");
    lines.push(
      outcome.passed ? this.paint(GREEN, "Testing succeeded") : this.paint(RED, "Testing failed"),
    );
    this.out.write(lines.join("\n") + "\n");
  }

  private rel(file: string): string {
    return path.relative(this.config.home, file) || file;
  }

  private paint(colour: string, text: string): string {
    return this.out.colour ? `${colour}${text}${RESET}` : text;
  }

  private line(kind: string, text: string): void {
    this.clearProgress();
    const label =
      kind === "error"
        ? this.paint(RED, "[error]")
        : kind === "warning"
          ? this.paint(YELLOW, "[warning]")
          : `[${kind}]`;
    this.out.write(`${label} ${text}\n`);
    if (this.lastProgress !== null) this.showProgress(this.lastProgress);
  }

  private lastProgress: string | null = null;

  private showProgress(text: string): void {
    if (this.out.progress === null) return;
    this.lastProgress = text;
    this.out.progress(`\x1b[2K\r${text}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (this.out.progress === null || !this.progressShown) return;
    this.out.progress("\x1b[2K\r");
    this.progressShown = false;
  }

  /** At the end of a run: no progress line left behind. */
  finish(): void {
    this.lastProgress = null;
    this.clearProgress();
  }
}
