// One agent: the impCloud half of an imp application, running beside its device
// (developer.electricimp.com /gettingstarted/developer/agents). It owns one Squirrel VM at a time
// (agent-vm.ts) and serves its host calls: timers on the virtual clock, the [Agent] log, messages
// to and from its device, HTTP in (requests to its URL) and out (real HTTP), and persistent storage.
//
// Lifecycle: start() runs the code from the top ("Agent restarted: reload."); an uncaught error,
// a runaway event or running out of memory logs the error and restarts the agent after
// RESTART_BACKOFF (doubling while it keeps failing at once), server.restart() restarts it at once.
// The agent runs on whatever its device does: asleep, offline or powered off.
//
// Time: every event runs at its virtual time. imp.sleep and sendsync block the agent: sleep makes
// its later events wait until the sleep ends; sendsync blocks the host process in wall time while
// virtual time stands still. Outgoing sendasync requests are made in wall time; the simulation
// waits for each answer (up to `httpHoldMs` of wall time) before it runs the clock on, so the
// answer arrives at the virtual time the request was made and a run is deterministic for a
// deterministic peer; a peer that does not answer within the hold lets the clock run on to the
// request's virtual timeout (curl's 28).

import type { Engine } from "../../sandbox/engine.ts";
import type { Scheduler, TimerHandle } from "../../sim/scheduler.ts";
import { MICROS_PER_SECOND } from "../../sim/scheduler.ts";
import type { Trace } from "../../sim/trace.ts";
import { CompiledCodeCache, type CompiledCode } from "../../squirrel/compiled-code-cache.ts";
import type {
  AgentHostCalls,
  HttpResponse,
  IncomingRequest,
  OutgoingRequest,
} from "../shared/agent-host-calls.ts";
import "./agent-trace.ts";
import {
  AGENT_HOST_CALL_NAMES,
  createAgentVm,
  type AgentSliceOutcome,
  type AgentVm,
} from "./agent-vm.ts";
import { CURL_ERRORS, sendRequest, sendRequestSync } from "./outgoing-http.ts";
import { RATE_LIMITED_STATUS, RequestCredits } from "./request-credits.ts";
import { digest } from "../../device/host/digests.ts";

/** How the cloud answers a request the agent could not answer itself (chosen: the imp's are not published). */
export const CLOUD_ANSWERS = {
  /** The body is over MAX_REQUEST_BODY_BYTES. */
  tooLarge: { status: 413, body: "Request body too large: an agent accepts at most 512 KB" },
  /** The agent has no http.onrequest handler. */
  noHandler: { status: 404, body: "The agent has no HTTP request handler (http.onrequest)" },
  /** No agent runs (it failed to start, or is restarting). */
  notRunning: { status: 503, body: "The agent is not running" },
  /** The agent restarted with the request still unanswered. */
  restarted: { status: 500, body: "The agent restarted before it answered" },
  /** The agent did not answer within CLOUD_REQUEST_TIMEOUT_SECONDS. */
  timeout: { status: 504, body: "The agent did not answer in time" },
} as const;

/** Request bodies over this are refused by the cloud (developer.electricimp.com /api/http/onrequest). */
export const MAX_REQUEST_BODY_BYTES = 512 * 1024;

/** chosen: how long the cloud waits for the agent to answer a request, in virtual seconds. */
export const CLOUD_REQUEST_TIMEOUT_SECONDS = 60;

/** chosen: the first restart delay after the agent failed; it doubles while failures follow at once, up to 60 s. */
export const RESTART_BACKOFF_SECONDS = 1;
const RESTART_BACKOFF_MAX_SECONDS = 60;

/** chosen: how long the simulation holds its clock for an outgoing request's answer, in wall ms. */
export const DEFAULT_HTTP_HOLD_MS = 30_000;

/** The code an agent runs. */
export interface AgentCode {
  readonly source: string;
  /** The file name in error positions (default "agent_code"). */
  readonly file?: string;
}

/** The agent's view of its device, through the cloud. */
export interface AgentDeviceLink {
  /** Hands a device.send to the cloud; false when the device is offline and the message was dropped. */
  sendToDevice(name: string, wire: string): boolean;
  isConnected(): boolean;
  /** The device's address as the cloud sees it ("" before it first connected). */
  ipAddress(): string;
}

/** Where server.save data lives (it outlives the agent's restarts). */
export interface AgentStore {
  load(): string | null;
  save(data: string | null): void;
}

export interface AgentOptions {
  readonly engine: Engine;
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly deviceId: string;
  readonly agentId: string;
  readonly agentUrl: () => string;
  readonly configParams: () => Readonly<Record<string, unknown>>;
  readonly device: AgentDeviceLink;
  readonly store: AgentStore;
  /** Work the simulation must wait for before it moves the clock (VM creation, HTTP answers). */
  readonly track: (work: Promise<unknown>) => void;
  /** The cloud's clock: Unix seconds now (NTP-synchronised on the real impCloud). */
  readonly clock: () => number;
  readonly sliceTimeoutMs: number;
  readonly memoryLimit?: number;
  readonly randomSeed: number;
  readonly httpHoldMs?: number;
  /**
   * Answers a request inside the cloud (to another agent's URL), or null to send it for real.
   * The answer comes in scheduler events, so the clock is not held for it.
   */
  readonly routeInternal?: (
    request: OutgoingRequest,
    done: (response: HttpResponse) => void,
  ) => boolean;
  readonly bundle?: { readonly code: string; readonly filename: string };
}

/** An answer to an incoming request. */
export interface AgentHttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A byte string. */
  readonly body: string;
}

interface PendingRequest {
  readonly resolve: (answer: AgentHttpAnswer) => void;
  readonly timeout: TimerHandle;
  readonly method: string;
  readonly path: string;
}

/** One incarnation of the agent: its VM and everything registered by its code. */
class AgentRun {
  vm: AgentVm | null = null;
  ended = false;
  started: number;
  busyUntil = 0;
  readonly timers = new Map<number, TimerHandle>();
  readonly handlers = new Map<string, number>();
  readonly outgoing = new Map<number, { abort: AbortController; timeout: TimerHandle | null }>();
  connectHandler = 0;
  disconnectHandler = 0;
  /** imp.configparams as the cloud gave them when this run started. */
  configParams: Readonly<Record<string, unknown>> = {};
  requestHandler = 0;
  /** Events posted before the VM was ready. */
  readonly early: (() => void)[] = [];
  constructor(now: number) {
    this.started = now;
  }
}

export class Agent {
  private run: AgentRun | null = null;
  private code: AgentCode | null = null;
  private readonly pending = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private nextHandle = 1;
  private failures = 0;
  private lastFailure = -Infinity;
  private restartTimer: TimerHandle | null = null;
  private readonly credits: RequestCredits;
  private runCount = 0;

  constructor(private readonly options: AgentOptions) {
    this.credits = new RequestCredits(options.scheduler.now);
  }

  get id(): string {
    return this.options.agentId;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  get url(): string {
    return this.options.agentUrl();
  }

  /** True while an agent VM runs (false while it restarts after a failure, or before start). */
  get running(): boolean {
    return this.run !== null && this.run.vm !== null && !this.run.ended;
  }

  /** What server.save holds (its stored text), or null. */
  get storedText(): string | null {
    return this.options.store.load();
  }

  /** Compiles `code` (throws CompileError) and (re)starts the agent with it. */
  start(code: AgentCode, reason = "reload"): void {
    compiledAgent(code);
    this.code = code;
    this.failures = 0;
    this.launch(reason);
  }

  /** Stops the agent for good (its device left the cloud, or the simulation ends). */
  stop(reason = "stopped"): void {
    this.restartTimer?.cancel();
    this.restartTimer = null;
    if (this.run !== null) {
      this.endRun(this.run);
      this.options.trace.record(this.options.scheduler.now, this.options.deviceId, "agent", {
        event: "stop",
        reason,
      });
    }
    this.run = null;
    this.code = null;
  }

  /** A message from the device (agent.send), in the wire form. */
  deliver(name: string, wire: string): void {
    const run = this.run;
    const emit = (outcome: "delivered" | "no-handler" | "dropped") =>
      this.options.trace.record(
        this.options.scheduler.now,
        this.options.deviceId,
        "message-delivery",
        { direction: "to-agent", name, outcome },
      );
    if (run === null || run.ended) {
      emit("dropped");
      return;
    }
    this.post(run, `device message ${name}`, () => {
      const id = run.handlers.get(name);
      if (id === undefined) {
        emit("no-handler");
        // Not fatal (developer.electricimp.com /troubleshooting/nohandler); the text mirrors the device's.
        this.logLine("error", "agent", "no handler for agent.send()");
        return null;
      }
      emit("delivered");
      return [id, JSON.stringify([JSON.parse(wire)])];
    });
  }

  /** The device connected (or reconnected). */
  deviceConnected(): void {
    const run = this.run;
    if (run === null || run.ended) return;
    this.post(run, "device.onconnect", () =>
      run.connectHandler === 0 ? null : [run.connectHandler, "[]"],
    );
  }

  /** The device's connection ended. */
  deviceDisconnected(): void {
    const run = this.run;
    if (run === null || run.ended) return;
    this.post(run, "device.ondisconnect", () =>
      run.disconnectHandler === 0 ? null : [run.disconnectHandler, "[{}]"],
    );
  }

  /**
   * An HTTP request to the agent's URL. Resolves with the agent's answer, or the cloud's when the
   * agent cannot answer (CLOUD_ANSWERS). The answer comes in a scheduler event: run the clock.
   */
  request(request: IncomingRequest): Promise<AgentHttpAnswer> {
    return new Promise((resolve) => this.handleRequest(request, resolve));
  }

  /** As request(), with a callback: `done` is called in the scheduler event that answers. */
  handleRequest(request: IncomingRequest, done: (answer: AgentHttpAnswer) => void): void {
    const { scheduler, trace, deviceId } = this.options;
    const url = request.path;
    trace.record(scheduler.now, deviceId, "http", {
      direction: "in",
      method: request.method,
      url,
      status: null,
    });
    const answered = (a: AgentHttpAnswer): AgentHttpAnswer => {
      trace.record(scheduler.now, deviceId, "http", {
        direction: "in",
        method: request.method,
        url,
        status: a.status,
      });
      return a;
    };
    const cloud = (a: { status: number; body: string }): AgentHttpAnswer => ({
      status: a.status,
      headers: { "content-type": "text/plain" },
      body: a.body,
    });
    if (request.body.length > MAX_REQUEST_BODY_BYTES) {
      done(answered(cloud(CLOUD_ANSWERS.tooLarge)));
      return;
    }
    const run = this.run;
    if (run === null || run.ended) {
      done(answered(cloud(CLOUD_ANSWERS.notRunning)));
      return;
    }
    {
      const resolve = done;
      const id = this.nextRequestId++;
      const finish = (a: AgentHttpAnswer) => {
        const p = this.pending.get(id);
        if (p === undefined) return;
        this.pending.delete(id);
        p.timeout.cancel();
        resolve(answered(a));
      };
      const timeout = scheduler.after(
        CLOUD_REQUEST_TIMEOUT_SECONDS * MICROS_PER_SECOND,
        () => finish(cloud(CLOUD_ANSWERS.timeout)),
        `agent ${this.id} request timeout`,
      );
      this.pending.set(id, {
        resolve: finish,
        timeout,
        method: request.method,
        path: request.path,
      });
      this.post(run, `http request ${request.method} ${request.path}`, () => {
        if (run.requestHandler === 0) {
          finish(cloud(CLOUD_ANSWERS.noHandler));
          return null;
        }
        return [run.requestHandler, JSON.stringify([request, id])];
      });
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private launch(reason: string): void {
    const code = this.code;
    if (code === null) return;
    if (this.run !== null) this.endRun(this.run);
    const run = new AgentRun(this.options.scheduler.now);
    // chosen: an agent's imp.configparams are what the cloud gave it when it started, so a DUT's
    // agent keeps factory_fixture_url after its device is blessed, until it next restarts.
    run.configParams = this.options.configParams();
    this.run = run;
    this.runCount++;
    const creation = createAgentVm({
      engine: this.options.engine,
      hostCalls: this.hostCallsFor(run),
      memoryLimit: this.options.memoryLimit,
      sliceTimeoutMs: this.options.sliceTimeoutMs,
      bundle: this.options.bundle,
      code: codeToPreload(code),
    }).then((vm) => {
      if (run.ended) {
        vm.dispose();
        return;
      }
      run.vm = vm;
      this.options.trace.record(this.options.scheduler.now, this.options.deviceId, "agent", {
        event: "start",
        reason,
      });
      this.logLine("log", "status", `Agent restarted: ${reason}.`);
      const booted = vm.boot({
        randomSeed: (this.options.randomSeed + this.runCount * 0x9e3779b1) | 0,
      });
      if (!this.settled(run, booted)) return;
      const outcome = vm.run(compiledAgent(code), code.file ?? "agent_code");
      if (!this.settled(run, outcome)) return;
      for (const event of run.early.splice(0)) event();
    });
    this.options.track(creation);
  }

  private endRun(run: AgentRun): void {
    if (run.ended) return;
    run.ended = true;
    for (const t of run.timers.values()) t.cancel();
    run.timers.clear();
    for (const o of run.outgoing.values()) {
      o.timeout?.cancel();
      o.abort.abort();
    }
    run.outgoing.clear();
    run.vm?.dispose();
    run.vm = null;
    for (const [, p] of [...this.pending])
      p.resolve({
        status: CLOUD_ANSWERS.restarted.status,
        headers: { "content-type": "text/plain" },
        body: CLOUD_ANSWERS.restarted.body,
      });
  }

  /** True when the run goes on after this outcome; otherwise the failure is logged and a restart planned. */
  private settled(run: AgentRun, outcome: AgentSliceOutcome): boolean {
    if (run.ended) return false;
    switch (outcome.kind) {
      case "ok":
        return true;
      case "squirrel-error":
        if (outcome.message !== undefined) this.logLine("error", "agent", outcome.message);
        break;
      case "deadline":
        this.logLine(
          "error",
          "agent",
          `the agent ran for more than ${outcome.timeoutMs} ms in one event (a runaway loop?) and was stopped`,
        );
        break;
      case "out-of-memory":
        this.logLine("error", "agent", outcome.message);
        break;
      case "internal-error":
        this.logLine("error", "status", `internal error: ${outcome.message}`);
        break;
    }
    this.failed(run);
    return false;
  }

  private failed(run: AgentRun): void {
    const now = this.options.scheduler.now;
    this.endRun(run);
    // Failing again soon after the last restart doubles the wait, so a crash at the top level
    // does not spin the clock.
    const soon = now - this.lastFailure < 2 * RESTART_BACKOFF_MAX_SECONDS * MICROS_PER_SECOND;
    this.failures = soon ? this.failures + 1 : 1;
    this.lastFailure = now;
    const delay = Math.min(
      RESTART_BACKOFF_SECONDS * 2 ** (this.failures - 1),
      RESTART_BACKOFF_MAX_SECONDS,
    );
    this.restartTimer = this.options.scheduler.after(
      delay * MICROS_PER_SECOND,
      () => {
        this.restartTimer = null;
        this.launch("error");
      },
      `agent ${this.id} restart`,
    );
  }

  // ---------------------------------------------------------------- events into the VM

  /**
   * Runs `prepare` when the event's turn comes, then the callback it names ([id, argsJson]), or
   * nothing when it returns null. Events wait while the agent is blocked in imp.sleep.
   */
  private post(run: AgentRun, label: string, prepare: () => [number, string] | null): void {
    const fire = () => {
      if (run.ended) return;
      if (run.vm === null) {
        run.early.push(fire);
        return;
      }
      if (run.busyUntil > this.options.scheduler.now) {
        this.options.scheduler.at(run.busyUntil, fire, label);
        return;
      }
      const target = prepare();
      if (target === null) return;
      this.settled(run, run.vm.dispatch(target[0], target[1]));
    };
    this.options.scheduler.after(0, fire, `agent ${this.id}: ${label}`);
  }

  private logLine(kind: "log" | "error", source: "agent" | "status", message: string): void {
    this.options.trace.record(this.options.scheduler.now, this.options.deviceId, kind, {
      source,
      message,
    });
  }

  private hostCallsFor(run: AgentRun): AgentHostCalls {
    const impl = this.hostCallImplementation(run);
    const calls: Record<string, unknown> = {};
    for (const name of AGENT_HOST_CALL_NAMES) {
      const fn = impl[name] as (...args: unknown[]) => unknown;
      calls[name] = (...args: unknown[]) => {
        if (run.ended) throw new Error("the agent is restarting");
        return fn.apply(impl, args);
      };
    }
    return calls as unknown as AgentHostCalls;
  }

  private hostCallImplementation(run: AgentRun): AgentHostCalls {
    const o = this.options;
    const now = () => Math.max(o.scheduler.now, run.busyUntil);
    return {
      log: (text) => this.logLine("log", "agent", text),
      logError: (text) => this.logLine("error", "agent", text),
      rtcSeconds: () => o.clock() + (now() - o.scheduler.now) / MICROS_PER_SECOND,
      uptimeMicros: () => now() - run.started,
      sleep: (seconds) => {
        run.busyUntil = now() + Math.max(0, Math.round(seconds * MICROS_PER_SECOND));
      },
      wakeup: (seconds, id) => {
        const micros = Math.max(0, Math.round(seconds * 100)) * (MICROS_PER_SECOND / 100);
        run.timers.get(id)?.cancel();
        const timer = o.scheduler.at(
          now() + micros,
          () => {
            run.timers.delete(id);
            this.post(run, `timer ${id}`, () => [id, "[]"]);
          },
          `agent ${this.id} imp.wakeup ${id}`,
        );
        run.timers.set(id, timer);
      },
      cancelWakeup: (id) => {
        run.timers.get(id)?.cancel();
        run.timers.delete(id);
      },
      identityJson: () =>
        JSON.stringify({ agentId: o.agentId, agentUrl: o.agentUrl(), deviceId: o.deviceId }),
      configParamsJson: () => JSON.stringify(run.configParams),
      memoryFree: () => run.vm?.memoryFree() ?? 0,
      restart: () => {
        o.scheduler.after(
          0,
          () => {
            if (this.run === run) this.launch("server.restart");
          },
          `agent ${this.id} server.restart`,
        );
      },
      save: (data) => o.store.save(data),
      load: () => o.store.load(),
      deviceSend: (name, wire) => {
        // The device records the message when it arrives (a "message" event); one that cannot
        // arrive is recorded here.
        if (!o.device.sendToDevice(name, wire)) {
          o.trace.record(o.scheduler.now, o.deviceId, "message-delivery", {
            direction: "to-device",
            name,
            outcome: "dropped",
          });
        }
      },
      deviceOn: (name, id) => {
        if (id === 0) run.handlers.delete(name);
        else run.handlers.set(name, id);
      },
      deviceIsConnected: () => o.device.isConnected(),
      deviceInfoJson: () =>
        JSON.stringify({
          id: o.deviceId,
          isconnected: o.device.isConnected(),
          ipaddress: o.device.ipAddress(),
        }),
      onDeviceConnect: (id) => {
        run.connectHandler = id;
      },
      onDeviceDisconnect: (id) => {
        run.disconnectHandler = id;
      },
      onRequest: (id) => {
        run.requestHandler = id;
      },
      respond: (requestId, status, headersJson, body) => {
        const p = this.pending.get(requestId);
        // A request the cloud already answered (timed out) is gone: the late answer goes nowhere.
        if (p === undefined) return;
        p.resolve({ status, headers: JSON.parse(headersJson) as Record<string, string>, body });
      },
      httpSend: (requestJson, doneId, timeoutSeconds) =>
        this.sendAsync(run, JSON.parse(requestJson) as OutgoingRequest, doneId, timeoutSeconds),
      httpSendSync: (requestJson) => {
        const request = JSON.parse(requestJson) as OutgoingRequest;
        // sendsync blocks the whole host, so an agent of this cloud could never answer it.
        const internal =
          o.routeInternal !== undefined &&
          request.url.startsWith(o.agentUrl().replace(/\/[^/]*$/, "/"));
        const response = !this.creditFor(request)
          ? this.rateLimited()
          : internal
            ? {
                statuscode: CURL_ERRORS.couldNotConnect,
                headers: {},
                body: "sendsync cannot reach an agent of the same simulation (it would wait for itself): use sendasync",
              }
            : sendRequestSync(request);
        o.trace.record(o.scheduler.now, o.deviceId, "http", {
          direction: "out",
          method: request.method,
          url: request.url,
          status: response.statuscode,
        });
        return JSON.stringify(response);
      },
      httpCancel: (handle) => {
        const out = run.outgoing.get(handle);
        if (out === undefined) return;
        run.outgoing.delete(handle);
        out.timeout?.cancel();
        out.abort.abort();
      },
      hash: (algorithm, data, key) => digest(algorithm, data, key),
    };
  }

  private creditFor(request: OutgoingRequest): boolean {
    if (this.credits.take(this.options.scheduler.now)) return true;
    this.logLine(
      "error",
      "status",
      `outgoing request rate limit reached: ${request.method} ${request.url} was not sent`,
    );
    return false;
  }

  private rateLimited(): HttpResponse {
    return {
      statuscode: RATE_LIMITED_STATUS,
      headers: {},
      body: "rate limit exceeded: at most 40 requests in a burst, 2 a second after",
    };
  }

  private sendAsync(
    run: AgentRun,
    request: OutgoingRequest,
    doneId: number,
    timeoutSeconds: number,
  ): number {
    const o = this.options;
    const handle = this.nextHandle++;
    o.trace.record(o.scheduler.now, o.deviceId, "http", {
      direction: "out",
      method: request.method,
      url: request.url,
      status: null,
    });
    const finish = (response: HttpResponse) => {
      if (run.ended || !run.outgoing.has(handle)) return;
      const out = run.outgoing.get(handle)!;
      run.outgoing.delete(handle);
      out.timeout?.cancel();
      o.trace.record(o.scheduler.now, o.deviceId, "http", {
        direction: "out",
        method: request.method,
        url: request.url,
        status: response.statuscode,
      });
      this.post(run, `http response ${handle}`, () => [doneId, JSON.stringify([response])]);
    };
    const abort = new AbortController();
    const timeout =
      timeoutSeconds > 0
        ? o.scheduler.after(
            Math.round(timeoutSeconds * MICROS_PER_SECOND),
            () => {
              abort.abort();
              finish({
                statuscode: CURL_ERRORS.timedOut,
                headers: {},
                body: `no answer in ${timeoutSeconds} s`,
              });
            },
            `agent ${this.id} request timeout`,
          )
        : null;
    run.outgoing.set(handle, { abort, timeout });
    if (!this.creditFor(request)) {
      o.scheduler.after(0, () => finish(this.rateLimited()));
      return handle;
    }
    const internal = o.routeInternal?.(request, (response) => {
      if (!abort.signal.aborted) finish(response);
    });
    if (internal === true) return handle;
    const flight = sendRequest(request, abort.signal).then((response) => {
      // Cancelled or timed out meanwhile: nothing to deliver.
      if (!abort.signal.aborted)
        o.scheduler.after(0, () => finish(response), `agent ${this.id} http answer`);
    });
    // The clock waits for the answer, up to the hold (and never past the request's own timeout).
    const holdMs = Math.min(
      o.httpHoldMs ?? DEFAULT_HTTP_HOLD_MS,
      timeoutSeconds > 0 ? timeoutSeconds * 1000 : Infinity,
    );
    let release: NodeJS.Timeout | undefined;
    const held = Promise.race([
      flight,
      new Promise<void>((resolve) => (release = setTimeout(resolve, holdMs))),
    ]).finally(() => clearTimeout(release));
    o.track(held);
    return handle;
  }
}

// Compiled agent code by file and source, and when to start a VM with it already loaded.
const compiled = new CompiledCodeCache();

function compiledAgent(code: AgentCode): string {
  const file = code.file ?? "agent_code";
  return compiled.compiled(`${file}\0${code.source}`, code.source, file);
}

/** The code to create an agent VM with already loaded (CompiledCodeCache.startPreload). */
function codeToPreload(code: AgentCode): CompiledCode | undefined {
  const file = code.file ?? "agent_code";
  return compiled.startPreload(`${file}\0${code.source}`, code.source, file);
}
