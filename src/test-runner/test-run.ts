// A whole `vimp test` run, as `impt test run` does it: every test file one session on a fresh
// virtual imp, in discovery order; a file whose selected case or method is not in its code is
// skipped ("Skip … testing"); with stopOnFail the run ends after the first failed session.
// Code that cannot be built (Builder, #require) or compiled fails its session before it starts,
// and the run goes on with the next file.

import path from "node:path";
import { BuilderError } from "../builder/builder-error.ts";
import { bundledImpUnitDir, bundledLibraryDir } from "./bundled-files.ts";
import { LibraryError, LibraryStore } from "./library-store.ts";
import { sessionCode, type SessionCode } from "./session-code.ts";
import { sessionName } from "./session-name.ts";
import type { TestConfig } from "./test-config.ts";
import {
  findTestFiles,
  selectionMissing,
  type TestFile,
  type TestSelection,
} from "./test-discovery.ts";
import { SessionPool } from "./session-pool.ts";
import {
  runSession,
  type SessionEvent,
  type SessionRequest,
  type SessionResult,
} from "./test-session.ts";

export class TestRunError extends Error {}

export type RunEvent =
  | { readonly kind: "note"; readonly message: string }
  | { readonly kind: "found"; readonly files: readonly TestFile[] }
  | {
      readonly kind: "session-start";
      readonly file: TestFile;
      readonly index: number;
      readonly total: number;
      readonly session: string;
    }
  | { readonly kind: "session-event"; readonly file: TestFile; readonly event: SessionEvent }
  | { readonly kind: "skip"; readonly file: TestFile }
  | {
      readonly kind: "session-end";
      readonly file: TestFile;
      readonly session: string;
      readonly result: SessionResult;
    };

export interface TestRunOptions {
  readonly config: TestConfig;
  readonly selection: TestSelection;
  /** Files named on the command line (instead of the testFiles patterns). */
  readonly given?: readonly string[];
  /** Run only these (already found) files: --watch re-runs. */
  readonly only?: readonly TestFile[];
  readonly model: string;
  /** Overrides of .impt.test. */
  readonly timeout?: number;
  readonly stopOnFail?: boolean;
  /** A user-supplied impUnit (its index.nut is included); default the one virtual-imp ships. */
  readonly impunitDir?: string;
  /** --lib directories, searched before `libraries/` beside .impt.test. */
  readonly libDirs?: readonly string[];
  /** Where `github:` includes are read from (default `.builder-cache` in the test home). */
  readonly remoteCache?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How many sessions run at once, each in a worker thread (default 1: in this thread). */
  readonly jobs?: number;
  readonly onEvent?: (event: RunEvent) => void;
}

export interface FileOutcome {
  readonly file: TestFile;
  readonly session: string;
  readonly skipped: boolean;
  readonly result: SessionResult | null;
  /** Every source file the session's code came from (for --watch). */
  readonly sources: readonly string[];
}

export interface RunOutcome {
  readonly passed: boolean;
  readonly files: readonly FileOutcome[];
  readonly tests: number;
  readonly assertions: number;
  readonly failures: number;
}

export function testFilesOf(options: TestRunOptions): TestFile[] {
  const { config } = options;
  return findTestFiles(config.home, config.testFiles, options.selection, options.given ?? []);
}

export async function runTests(options: TestRunOptions): Promise<RunOutcome> {
  const { config, selection } = options;
  const emit = options.onEvent ?? (() => {});
  for (const note of config.notes) emit({ kind: "note", message: note });
  const files = options.only ?? testFilesOf(options);
  if (files.length === 0) throw new TestRunError("No test files found");
  emit({ kind: "found", files });

  const timeout = options.timeout ?? config.timeout;
  const stopOnFail = options.stopOnFail ?? config.stopOnFail;
  const libraries = new LibraryStore([
    ...(options.libDirs ?? []).map((d) => path.resolve(d)),
    path.join(config.home, "libraries"),
    bundledLibraryDir(),
  ]);
  const impunitDir =
    options.impunitDir === undefined ? bundledImpUnitDir() : path.resolve(options.impunitDir);
  const outcomes: FileOutcome[] = [];
  // Sessions in worker threads when asked; stop-on-fail runs one at a time, as impt does.
  const pool =
    !stopOnFail && (options.jobs ?? 1) > 1
      ? SessionPool.create(Math.min(options.jobs!, files.length))
      : null;

  const runFile = async (index: number, emit: (event: RunEvent) => void): Promise<FileOutcome> => {
    const file = files[index]!;
    const session = sessionName(file.name, index);
    const started = performance.now();
    let code: SessionCode;
    try {
      code = sessionCode({
        testFile: file.file,
        side: file.side,
        partner: file.partner,
        deviceFile: config.deviceFile,
        agentFile: config.agentFile,
        impunitDir,
        sessionId: session,
        timeout,
        stopOnFail,
        testClass: selection.testClass,
        testMethod: selection.testMethod,
        testHome: config.home,
        builder: {
          variables: config.builderVariables,
          remoteCache: options.remoteCache ?? path.join(config.home, ".builder-cache"),
          env: options.env,
        },
        libraries,
      });
    } catch (error) {
      if (!(error instanceof BuilderError || error instanceof LibraryError)) throw error;
      emit({ kind: "session-start", file, index, total: files.length, session });
      const message =
        error instanceof BuilderError ? `Builder error: ${error.message}` : `${error.message}`;
      emit({ kind: "session-event", file, event: { kind: "error", message } });
      const result = beforeStart(message, started);
      emit({ kind: "session-end", file, session, result });
      return { file, session, skipped: false, result, sources: [file.file] };
    }
    const testSide = file.side === "device" ? code.device : code.agent;
    if (missingSafely(testSide.code, selection)) {
      emit({ kind: "skip", file });
      return { file, session, skipped: true, result: null, sources: sourcesOf(code) };
    }
    emit({ kind: "session-start", file, index, total: files.length, session });
    const request: SessionRequest = {
      id: session,
      side: file.side,
      code,
      model: options.model,
      timeout,
      allowDisconnect: config.allowDisconnect,
      testHome: config.home,
    };
    const onEvent = (event: SessionEvent) => emit({ kind: "session-event", file, event });
    const result =
      pool === null ? await runSession({ ...request, onEvent }) : await pool.run(request, onEvent);
    emit({ kind: "session-end", file, session, result });
    return { file, session, skipped: false, result, sources: sourcesOf(code) };
  };

  try {
    if (pool === null) {
      for (let index = 0; index < files.length; index++) {
        const outcome = await runFile(index, emit);
        outcomes.push(outcome);
        if (stopOnFail && outcome.result !== null && !outcome.result.passed) break;
      }
    } else {
      // Up to `jobs` sessions at once; each one's lines are held back and printed in file order.
      const running: Promise<{ outcome: FileOutcome; events: RunEvent[] }>[] = [];
      const start = (index: number) => {
        const events: RunEvent[] = [];
        running[index] = runFile(index, (e) => events.push(e)).then((outcome) => ({
          outcome,
          events,
        }));
      };
      const jobs = Math.min(options.jobs!, files.length);
      for (let index = 0; index < jobs; index++) start(index);
      for (let index = 0; index < files.length; index++) {
        const { outcome, events } = await running[index]!;
        if (index + jobs < files.length) start(index + jobs);
        for (const event of events) emit(event);
        outcomes.push(outcome);
      }
    }
  } finally {
    await pool?.close();
  }

  const ran = outcomes.filter((o) => o.result !== null).map((o) => o.result!);
  return {
    passed: ran.every((r) => r.passed),
    files: outcomes,
    tests: ran.reduce((n, r) => n + r.tests, 0),
    assertions: ran.reduce((n, r) => n + r.assertions, 0),
    failures: ran.reduce((n, r) => n + r.failures.length, 0),
  };
}

function beforeStart(message: string, started: number): SessionResult {
  return {
    passed: false,
    tests: 0,
    assertions: 0,
    failures: [],
    error: message,
    cases: [],
    virtualSeconds: 0,
    wallMs: performance.now() - started,
  };
}

function missingSafely(code: string, selection: TestSelection): boolean {
  try {
    return selectionMissing(code, selection);
  } catch {
    // Not a valid regular expression: then the name as written.
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return selectionMissing(code, {
      ...selection,
      testClass: escape(selection.testClass),
      testMethod: escape(selection.testMethod),
    });
  }
}

function sourcesOf(code: SessionCode): string[] {
  const files = new Set<string>();
  for (const side of [code.device, code.agent]) {
    for (let line = 1; line <= side.map.lineCount; line++) {
      const origin = side.map.originOf(line);
      if (origin !== null && path.isAbsolute(origin.file)) files.add(origin.file);
    }
  }
  return [...files];
}
