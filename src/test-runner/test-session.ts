// One test session: a fresh virtual imp and its agent running the
// session's code, read through impUnit's log messages as impt reads them (imp-central-impt,
// TestSession and TestLogsParser): the session starts at SESSION_START, each TEST_START / TEST_OK /
// TEST_FAIL / INFO is an event, SESSION_RESULT ends it. Watchdogs run on the virtual clock:
// SESSION_START must come within 60 s of power-on, and after it something from impUnit within
// the timeout plus 5 s. server.error lines are printed, not counted as failures; a device
// that crashes or runs out of memory after the start ends the session as failed, naming the
// wake reason it restarts with.

import { spawnSync } from "node:child_process";
import path from "node:path";
import type { SourceMap } from "../builder/source-map.ts";
import type { Device } from "../device/device.ts";
import { wakeReasonName } from "../device/shared/wake-reasons.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import { Simulation } from "../world/simulation.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { CompileError } from "../squirrel/compile-error.ts";
import type { SessionCode, Side, SideCode } from "./session-code.ts";

/** How long impt waits for SESSION_START (TestSession, "Session startup timeout"). */
export const SESSION_START_TIMEOUT_S = 60;
/** What impt adds to the per-test timeout before it gives up on a silent session. */
export const TIMEOUT_GRACE_S = 5;

/** What happens in a session, in order, for a reporter to show. */
export type SessionEvent =
  | { readonly kind: "test-start"; readonly test: string }
  | { readonly kind: "test-ok"; readonly test: string; readonly message: unknown }
  | { readonly kind: "test-fail"; readonly test: string; readonly message: string }
  | { readonly kind: "info"; readonly message: unknown }
  | { readonly kind: "log"; readonly side: Side; readonly message: string }
  | { readonly kind: "runtime-error"; readonly side: Side; readonly message: string }
  | { readonly kind: "command"; readonly command: string; readonly output: readonly string[] }
  | { readonly kind: "warning"; readonly message: string }
  | { readonly kind: "error"; readonly message: string }
  | {
      readonly kind: "result";
      readonly tests: number;
      readonly assertions: number;
      readonly failures: number;
    };

/** What a session needs, apart from where its events go: it can be sent to a worker thread. */
export interface SessionRequest {
  readonly id: string;
  readonly side: Side;
  readonly code: SessionCode;
  readonly model: string;
  readonly timeout: number;
  readonly allowDisconnect: boolean;
  /** Where EXTERNAL_COMMAND commands run; source files inside it are named relative to it. */
  readonly testHome: string;
}

export interface SessionOptions extends SessionRequest {
  readonly onEvent: (event: SessionEvent) => void;
}

export interface TestFailure {
  readonly test: string;
  readonly message: string;
}

export interface SessionResult {
  readonly passed: boolean;
  readonly tests: number;
  readonly assertions: number;
  readonly failures: readonly TestFailure[];
  /** What ended the session without a result, if something did (a timeout, a crash, a build error). */
  readonly error: string | null;
  /** Every test that started, with its outcome (for JUnit and JSON reports). */
  readonly cases: readonly {
    readonly test: string;
    readonly outcome: "passed" | "failed" | "unfinished";
    readonly message?: string;
    readonly seconds: number;
  }[];
  readonly virtualSeconds: number;
  readonly wallMs: number;
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const wallStart = performance.now();
  const session = new SessionState(options);
  const sim = new Simulation({ seed: options.id, trace: { retain: false } });
  let device: Device;
  try {
    // The device runs bytes: source text (UTF-8) goes in as a byte string, as `vimp run` reads files.
    const source = Buffer.from(options.code.device.code, "utf8").toString("latin1");
    const agent = {
      source: Buffer.from(options.code.agent.code, "utf8").toString("latin1"),
      file: options.code.agent.name,
    };
    device = sim.addDevice({
      model: options.model,
      firmware: { source, file: options.code.device.name },
      agent,
    });
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    const side = error.file === options.code.agent.name ? options.code.agent : options.code.device;
    const where = session.position(side, `${error.file}:${error.line}`);
    session.error(`Compilation Error: ${error.reason} (${where}:${error.col})`);
    return session.result(0, wallStart);
  }
  const stop = sim.trace.addListener((event) => {
    if (event.device === device.id) session.see(event);
  });
  try {
    device.powerOn();
    const start = sim.now;
    for (;;) {
      const deadline = () =>
        session.lastMessageAt === null
          ? start + SESSION_START_TIMEOUT_S * MICROS_PER_SECOND
          : session.lastMessageAt + (options.timeout + TIMEOUT_GRACE_S) * MICROS_PER_SECOND;
      const due = deadline();
      await sim.runUntil(
        () => session.done || sim.now >= deadline() || deadline() !== due,
        Math.max(0, due - sim.now),
      );
      session.now = sim.now;
      if (session.done) break;
      if (sim.now >= deadline()) {
        session.error(
          session.lastMessageAt === null ? "Session startup timeout" : "Testing timeout",
        );
        break;
      }
    }
    return session.result((sim.now - start) / MICROS_PER_SECOND, wallStart);
  } finally {
    stop();
    await sim.dispose();
  }
}

class SessionState {
  done = false;
  now = 0;
  lastMessageAt: number | null = null;
  private started = false;
  private tests = 0;
  private assertions = 0;
  private readonly failures: TestFailure[] = [];
  private readonly cases: {
    test: string;
    outcome: "passed" | "failed" | "unfinished";
    message?: string;
    seconds: number;
    at: number;
  }[] = [];
  private current: string | null = null;
  private endError: string | null = null;
  private gotResult = false;
  private agentStarted = false;

  constructor(private readonly options: SessionOptions) {}

  error(message: string): void {
    this.endError = message;
    this.done = true;
    this.options.onEvent({ kind: "error", message });
  }

  /** A `device_code:12` position as the file and line the engineer wrote. */
  position(code: SideCode, text: string): string {
    return this.map(code.map, code.name, text);
  }

  see(event: TraceEvent): void {
    if (this.done) return;
    this.now = event.t;
    switch (event.kind) {
      case "log": {
        const { source, message } = event.data as { source: string; message: string };
        if (source === "device" || source === "agent")
          this.sideLog(source, Buffer.from(message, "latin1").toString("utf8"), event.t);
        break;
      }
      case "error": {
        const { source, message } = event.data as { source: string; message: string };
        if (source === "device" || source === "agent") {
          const code = this.options.code[source];
          const text = this.map(
            code.map,
            code.name,
            Buffer.from(message, "latin1").toString("utf8"),
          );
          this.options.onEvent({
            kind: "runtime-error",
            side: source,
            message: `${source === "device" ? "Device" : "Agent"} Runtime Error: ${text}`,
          });
        } else if (source === "status" && /out of memory/i.test(message)) {
          // An out-of-memory reset is a software reset (developer.electricimp.com/api/hardware/wakereason).
          this.trouble(
            `Device is out of memory (${message}); it boots again with wake reason WAKEREASON_SW_RESET`,
          );
        } else if (source === "status") {
          this.options.onEvent({ kind: "warning", message: `Device status: ${message}` });
        }
        break;
      }
      case "restart": {
        const { reason, wakeReason } = event.data as { reason: string; wakeReason: number };
        this.trouble(
          `Device restarted: ${reason}; it boots again with wake reason ${wakeReasonName(wakeReason) ?? wakeReason}`,
        );
        break;
      }
      case "agent": {
        // The agent's first start is the session's; a later one follows an error (or server.restart()).
        const { event: what, reason } = event.data as { event: string; reason: string };
        if (what === "start" && this.agentStarted) this.trouble(`Agent restarted: ${reason}`);
        if (what === "start") this.agentStarted = true;
        break;
      }
      case "disconnect":
        if (this.options.allowDisconnect)
          this.options.onEvent({ kind: "warning", message: "Disconnected. Allowed by config." });
        else this.trouble("Device disconnected");
        break;
      default:
        break;
    }
  }

  /** Before SESSION_START only a warning (impt: the session has not begun); after, the end of it. */
  private trouble(message: string): void {
    if (this.started) this.error(message);
    else this.options.onEvent({ kind: "warning", message });
  }

  /** A log line: impUnit's messages come from the test side (impt reads only that side's log type). */
  private sideLog(side: Side, message: string, t: number): void {
    if (side !== this.options.side || !message.includes("__IMPUNIT__")) {
      this.options.onEvent({ kind: "log", side, message });
      return;
    }
    let parsed: { __IMPUNIT__?: unknown; type?: string; session?: unknown; message?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      this.options.onEvent({ kind: "log", side, message });
      return;
    }
    if (parsed.session !== this.options.id) return;
    this.lastMessageAt = t;
    const body = parsed.message;
    switch (parsed.type) {
      case "SESSION_START":
        this.started = true;
        break;
      case "TEST_START":
        this.finishCase("unfinished");
        this.current = String(body);
        this.cases.push({ test: this.current, outcome: "unfinished", seconds: 0, at: t });
        this.options.onEvent({ kind: "test-start", test: this.current });
        break;
      case "TEST_OK":
        this.finishCase("passed");
        this.options.onEvent({ kind: "test-ok", test: this.current ?? "", message: body });
        this.current = null;
        break;
      case "TEST_FAIL": {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        const test = this.current ?? "";
        this.finishCase("failed", text);
        this.failures.push({ test, message: text });
        this.options.onEvent({ kind: "test-fail", test, message: text });
        this.current = null;
        break;
      }
      case "INFO":
        this.options.onEvent({
          kind: "info",
          message: (body as { message?: unknown } | null)?.message ?? null,
        });
        break;
      case "EXTERNAL_COMMAND":
        this.externalCommand(String((body as { command?: unknown } | null)?.command ?? ""));
        break;
      case "SESSION_RESULT": {
        const r = body as { tests: number; assertions: number; failures: number };
        this.tests = r.tests;
        this.assertions = r.assertions;
        this.gotResult = true;
        this.options.onEvent({
          kind: "result",
          tests: r.tests,
          assertions: r.assertions,
          failures: r.failures,
        });
        this.done = true;
        break;
      }
      default:
        break;
    }
  }

  /** impt runs a test's runCommand() on the host: a shell, in the test home, limited to the timeout. */
  private externalCommand(command: string): void {
    const run = spawnSync(command, {
      shell: true,
      cwd: this.options.testHome,
      timeout: this.options.timeout * 1000,
      encoding: "utf8",
    });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.split("\n").filter((l) => l !== "");
    this.options.onEvent({ kind: "command", command, output });
    if (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT")
      this.error("External command timed out");
    else if (run.status !== 0)
      this.error(`External command failed with exit code ${run.status ?? run.signal}`);
  }

  private finishCase(outcome: "passed" | "failed" | "unfinished", message?: string): void {
    const last = this.cases[this.cases.length - 1];
    if (last === undefined || last.outcome !== "unfinished" || this.current === null) return;
    last.outcome = outcome;
    last.seconds = (this.now - last.at) / MICROS_PER_SECOND;
    if (message !== undefined) last.message = message;
  }

  private map(map: SourceMap, name: string, text: string): string {
    return map.rewrite(text, name, (file) => displayName(this.options.testHome, file));
  }

  result(virtualSeconds: number, wallStart: number): SessionResult {
    const failures = [...this.failures];
    if (this.endError !== null && this.current !== null) {
      failures.push({ test: this.current, message: this.endError });
      this.finishCase("failed", this.endError);
    }
    return {
      passed: this.endError === null && this.gotResult && this.failures.length === 0,
      // Without SESSION_RESULT, the tests that started (setUp and tearDown are not tests).
      tests: this.gotResult
        ? this.tests
        : this.cases.filter((c) => !/::(setUp|tearDown)\(\)$/.test(c.test)).length,
      assertions: this.assertions,
      failures,
      error: this.endError,
      cases: this.cases.map(({ test, outcome, message, seconds }) => ({
        test,
        outcome,
        message,
        seconds,
      })),
      virtualSeconds,
      wallMs: performance.now() - wallStart,
    };
  }
}

/** A source file as messages name it: relative to the test home when it is inside it. */
export function displayName(home: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(home, file);
  return relative === "" || relative.startsWith("..") ? file : relative;
}
