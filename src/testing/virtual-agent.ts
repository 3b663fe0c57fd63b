// The handle a test holds on a virtual imp's agent (`imp.agent`): HTTP requests to its URL, its
// [Agent] log, the messages it exchanges with its device, and what server.save holds. Virtual
// time, as everywhere in the testing API: a request runs the clock until the agent answers.

import type { Agent, AgentHttpAnswer } from "../agent/host/agent.ts";
import { CLOUD_REQUEST_TIMEOUT_SECONDS } from "../agent/host/agent.ts";
import type { Simulation } from "../world/simulation.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import { formatVirtualTime, parseDuration, type Duration } from "../sim/duration.ts";
import { StallGuard } from "../sim/stall-guard.ts";
import { storedValue, type StoredValue } from "./stored-value.ts";
import { WaitTimeoutError } from "./wait-timeout-error.ts";
import type { LogLine, LogPattern } from "./virtual-imp.ts";

/** An HTTP request to the agent, as `imp.agent.request()` takes it. */
export interface AgentRequest {
  /** Default "GET". */
  readonly method?: string;
  /** What follows the agent id in its URL, with an optional query: "/api/temp?unit=c" (default "/"). */
  readonly path?: string;
  /** Header names are lower-cased, as the agent sees them. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body: a string (sent as UTF-8) or bytes. */
  readonly body?: string | Uint8Array;
}

/** The agent's answer (or the cloud's, when the agent could not answer: 404, 413, 500, 503, 504). */
export interface AgentResponse {
  readonly status: number;
  /** Names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body's bytes. */
  readonly bytes: Uint8Array;
}

/** A message between the device and its agent, as a wait found it. */
export interface AgentMessageEvent {
  readonly t: number;
  readonly direction: "to-agent" | "to-device";
  readonly name: string;
}

export class VirtualAgent {
  private readonly guard = new StallGuard();

  constructor(
    private readonly simulation: Simulation,
    private readonly deviceId: string,
  ) {}

  private get host(): Agent {
    const agent = this.simulation.agent(this.deviceId);
    if (agent === undefined)
      throw new Error(`device ${this.deviceId} has no agent: its deployment has no agent code`);
    return agent;
  }

  /** The agent id: the last part of its URL. */
  get id(): string {
    return this.host.id;
  }

  /** http.agenturl(). */
  get url(): string {
    return this.host.url;
  }

  /** False while the agent restarts after a failure. */
  get running(): boolean {
    return this.host.running;
  }

  /** The [Agent] lines so far: server.log() and print() in the agent. */
  get logs(): string[] {
    return this.lines("log").map((e) => e.data.message);
  }

  /** The agent's error lines so far: server.error(), uncaught errors, "no handler" reports. */
  get errors(): string[] {
    return this.lines("error").map((e) => e.data.message);
  }

  /** What server.save holds now, as plain JavaScript; null when nothing is saved. */
  get stored(): StoredValue {
    return storedValue(this.host.storedText);
  }

  /**
   * Makes an HTTP request to the agent's URL and runs the clock until it is answered — by the
   * agent, or by the cloud after its timeout (60 s of virtual time, status 504).
   */
  async request(request: AgentRequest = {}): Promise<AgentResponse> {
    const [path, query] = splitPath(request.path ?? "/");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
    const body =
      request.body === undefined
        ? ""
        : typeof request.body === "string"
          ? Buffer.from(request.body, "utf8").toString("latin1")
          : Buffer.from(request.body).toString("latin1");
    let answer: AgentHttpAnswer | null = null;
    void this.host
      .request({ method: (request.method ?? "GET").toUpperCase(), path, query, headers, body })
      .then((a) => {
        answer = a;
      });
    const limit = (CLOUD_REQUEST_TIMEOUT_SECONDS + 1) * MICROS_PER_SECOND;
    await this.runUntil(() => answer !== null, limit);
    // The promise settles a microtask after the event that answered.
    for (let i = 0; i < 5 && answer === null; i++) await Promise.resolve();
    if (answer === null) throw new Error("internal error: the agent's request was never answered");
    const a = answer as AgentHttpAnswer;
    const bytes = Uint8Array.from(a.body, (c) => c.charCodeAt(0) & 0xff);
    return {
      status: a.status,
      headers: a.headers,
      body: Buffer.from(bytes).toString("utf8"),
      bytes,
    };
  }

  /** Waits for a new [Agent] log line matching `pattern`. */
  waitForLog(pattern: LogPattern, timeout: Duration = "60s"): Promise<LogLine> {
    return this.waitForLine("log", pattern, timeout);
  }

  /** Waits for a new agent error line matching `pattern`. */
  waitForError(pattern: LogPattern, timeout: Duration = "60s"): Promise<LogLine> {
    return this.waitForLine("error", pattern, timeout);
  }

  /**
   * Waits for a new message named `name` between the device and the agent: sent by the device
   * (agent.send, "to-agent", the default) or by the agent (device.send, "to-device").
   */
  async waitForMessage(
    name: string,
    options: { direction?: "to-agent" | "to-device"; timeout?: Duration } = {},
  ): Promise<AgentMessageEvent> {
    const direction = options.direction ?? "to-agent";
    const timeout = options.timeout ?? "60s";
    const seen: { event: AgentMessageEvent | null } = { event: null };
    const stop = this.simulation.trace.addListener((e) => {
      if (
        seen.event === null &&
        e.device === this.deviceId &&
        e.kind === "message" &&
        e.data.name === name &&
        e.data.direction === direction
      ) {
        seen.event = { t: e.t, direction, name };
      }
    });
    try {
      if (await this.runUntil(() => seen.event !== null, parseDuration(timeout)))
        return seen.event!;
    } finally {
      stop();
    }
    const last = this.simulation.trace.query({ kind: "message", device: this.deviceId }).at(-1);
    const lastSeen =
      last === undefined
        ? "no message was seen"
        : `the last message was ${last.data.direction} "${last.data.name}" at ${formatVirtualTime(last.t)}`;
    throw new WaitTimeoutError(
      `agent.waitForMessage(${JSON.stringify(name)}, ${direction})`,
      parseDuration(timeout),
      this.simulation.now,
      lastSeen,
    );
  }

  private lines(kind: "log" | "error"): TraceEvent<"log" | "error">[] {
    return this.simulation.trace
      .query({ kind, device: this.deviceId })
      .filter((e) => e.data.source === "agent");
  }

  private async waitForLine(
    kind: "log" | "error",
    pattern: LogPattern,
    timeout: Duration,
  ): Promise<LogLine> {
    const re =
      typeof pattern === "string"
        ? null
        : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    const seen: { line: LogLine | null } = { line: null };
    const stop = this.simulation.trace.addListener((e) => {
      if (seen.line !== null || e.device !== this.deviceId || e.kind !== kind) return;
      const data = e.data as { source: string; message: string };
      if (data.source !== "agent") return;
      if (re === null) {
        if (data.message.includes(pattern as string))
          seen.line = { t: e.t, message: data.message, match: null };
      } else {
        const match = re.exec(data.message);
        if (match !== null) seen.line = { t: e.t, message: data.message, match };
      }
    });
    try {
      if (await this.runUntil(() => seen.line !== null, parseDuration(timeout))) return seen.line!;
    } finally {
      stop();
    }
    const last = this.lines(kind).at(-1);
    const lastSeen =
      last === undefined
        ? `no agent ${kind} line was seen`
        : `the last agent ${kind} line was ${JSON.stringify(last.data.message)} at ${formatVirtualTime(last.t)}`;
    const call = `agent.${kind === "log" ? "waitForLog" : "waitForError"}(${pattern instanceof RegExp ? String(pattern) : JSON.stringify(pattern)})`;
    throw new WaitTimeoutError(call, parseDuration(timeout), this.simulation.now, lastSeen);
  }

  private runUntil(done: () => boolean, micros: number): Promise<boolean> {
    return this.simulation.runUntil(() => {
      if (done()) return true;
      this.guard.check(this.simulation.now);
      return false;
    }, micros);
  }
}

function splitPath(path: string): [string, Record<string, string>] {
  const q = path.indexOf("?");
  if (q < 0) return [path, {}];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(path.slice(q + 1)))
    query[k] = Buffer.from(v, "utf8").toString("latin1");
  return [path.slice(0, q), query];
}
