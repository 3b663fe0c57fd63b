// The impCloud's agents: one per device that has agent code deployed to its group
// (developer.electricimp.com /gettingstarted/developer/agents: "each device has its own agent").
// An agent starts when its group's deployment is made, restarts on a new deployment independently
// of its device, and keeps running while its device sleeps or is offline. Its server.save data is
// kept here, across its restarts and (through exportStore/importStore) across runs.
//
// Messages: a device's agent.send reaches its agent after the network latency, in order; a
// device.send to a device that is offline is dropped (chosen: no source says whether the cloud
// queues it; dropping is what the spec digest suggests) and traced as "dropped".
//
// Requests from one agent to another agent of this cloud (a DUT agent posting to its fixture's
// agent URL) are routed inside the cloud rather than over a socket, so they work without
// `vimp run`'s HTTP server and stay deterministic.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import {
  Agent,
  type AgentCode,
  type AgentHttpAnswer,
  type AgentOptions,
} from "../agent/host/agent.ts";
import type {
  HttpResponse,
  IncomingRequest,
  OutgoingRequest,
} from "../agent/shared/agent-host-calls.ts";

/** The public agent URL base of the real impCloud; a local server replaces it (setUrlBase). */
export const DEFAULT_AGENT_URL_BASE = "https://agent.electricimp.com";

/** The cloud as its agents need it. */
export interface AgentCloudSide {
  /** Hands a device.send to the device's open session; false when the device is offline. */
  sendToDevice(deviceId: string, name: string, wire: string): boolean;
  isOnline(deviceId: string): boolean;
  /** imp.configparams for the device's agent. */
  agentConfigParams(deviceId: string): Readonly<Record<string, unknown>>;
  /** The cloud's clock: Unix seconds now. */
  time(): number;
}

export interface CloudAgentsOptions {
  /** The engine agent VMs are made with (the simulation's). */
  readonly engine: AgentOptions["engine"];
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly track: (work: Promise<unknown>) => void;
  readonly sliceTimeoutMs: number;
  readonly memoryLimit?: number;
  readonly httpHoldMs?: number;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A device's agent id: 12 URL-safe characters derived from the device id, as stable as it is. */
export function agentIdOf(deviceId: string): string {
  const digest = sha256(Uint8Array.from(`agent:${deviceId}`, (c) => c.charCodeAt(0) & 0xff));
  let id = "";
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[digest[i]! & 63];
  return id;
}

/** Splits a request URL into its agent id and the path after it, or null when it names no agent. */
export function parseAgentPath(
  pathAndQuery: string,
): { agentId: string; path: string; query: string } | null {
  const m = /^\/([A-Za-z0-9_-]+)(\/[^?]*)?(?:\?(.*))?$/.exec(pathAndQuery);
  if (m === null) return null;
  return { agentId: m[1]!, path: m[2] ?? "/", query: m[3] ?? "" };
}

export class CloudAgents {
  private readonly agents = new Map<string, Agent>();
  private readonly byAgentId = new Map<string, Agent>();
  private readonly stores = new Map<string, string>();
  /** Devices whose agent was given code again while it was retiring. */
  private readonly reprieved = new Set<string>();
  /** Devices whose agent is finishing its work: their device's messages no longer reach it. */
  private readonly retiring = new Set<string>();
  private urlBase = DEFAULT_AGENT_URL_BASE;
  private cloud: AgentCloudSide | null = null;

  private storeDir: string | null = null;

  constructor(private readonly options: CloudAgentsOptions) {}

  /**
   * Connects the registry to its cloud (done once, by the cloud). With `stateDir` (`--state
   * DIR`), server.save data is kept there, one file per device, and read back from it.
   */
  attach(cloud: AgentCloudSide, stateDir: string | null = null): void {
    this.cloud = cloud;
    this.storeDir = stateDir;
    const dir = this.storeDirectory();
    if (dir === null) return;
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      return; // nothing stored yet
    }
    for (const f of files) {
      const m = /^([0-9a-f]+)\.json$/.exec(f);
      if (m !== null)
        this.stores.set(m[1]!, JSON.parse(readFileSync(join(dir, f), "utf8")) as string);
    }
  }

  private storeDirectory(): string | null {
    return this.storeDir === null ? null : join(this.storeDir, "agent-data");
  }

  private persist(deviceId: string, data: string | null): void {
    const dir = this.storeDirectory();
    if (dir === null) return;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${deviceId}.json`);
    if (data === null) rmSync(file, { force: true });
    else writeFileSync(file, JSON.stringify(data));
  }

  /** Where agent URLs point: the real impCloud's form by default, a local server's when one runs. */
  setUrlBase(base: string): void {
    this.urlBase = base.replace(/\/+$/, "");
  }

  get agentUrlBase(): string {
    return this.urlBase;
  }

  urlOf(deviceId: string): string {
    return `${this.urlBase}/${agentIdOf(deviceId)}`;
  }

  /** The agent of a device, if it has one. */
  agent(deviceId: string): Agent | undefined {
    return this.agents.get(deviceId);
  }

  agentById(agentId: string): Agent | undefined {
    return this.byAgentId.get(agentId);
  }

  get all(): readonly Agent[] {
    return [...this.agents.values()];
  }

  /**
   * A deployment reached the device's group: the agent (re)starts with the new code, or stops when
   * the deployment has none. Agent code that does not compile throws the compiler's error.
   */
  deploy(deviceId: string, code: AgentCode | null): void {
    let agent = this.agents.get(deviceId);
    if (code === null || code.source.trim() === "") {
      agent?.stop("no agent code");
      return;
    }
    const reason = agent?.running === true ? "new_bytecode_version" : "reload";
    if (agent !== undefined && this.retiring.delete(deviceId)) this.reprieved.add(deviceId);
    if (agent === undefined) agent = this.create(deviceId);
    agent.start(code, reason);
  }

  /**
   * The device no longer has an agent (unassigned, or blessed into an unactivated production
   * device). With `graceMicros` the agent first finishes what it is doing: it stops that much
   * virtual time later, unless it was given code again meanwhile.
   */
  remove(deviceId: string, graceMicros = 0): void {
    const agent = this.agents.get(deviceId);
    if (agent === undefined) return;
    const stop = () => {
      if (this.agents.get(deviceId) !== agent || this.reprieved.delete(deviceId)) return;
      this.retiring.delete(deviceId);
      agent.stop("removed");
      this.agents.delete(deviceId);
      this.byAgentId.delete(agent.id);
    };
    this.reprieved.delete(deviceId);
    if (graceMicros <= 0) {
      stop();
      return;
    }
    this.retiring.add(deviceId);
    this.options.scheduler.after(graceMicros, stop, `agent of ${deviceId} retires`);
  }

  /** A device's agent.send reached the cloud. */
  deliver(deviceId: string, name: string, wire: string): void {
    const agent = this.retiring.has(deviceId) ? undefined : this.agents.get(deviceId);
    if (agent !== undefined) agent.deliver(name, wire);
    else
      this.options.trace.record(this.options.scheduler.now, deviceId, "message-delivery", {
        direction: "to-agent",
        name,
        outcome: "dropped",
      });
  }

  deviceConnected(deviceId: string): void {
    this.agents.get(deviceId)?.deviceConnected();
  }

  deviceDisconnected(deviceId: string): void {
    this.agents.get(deviceId)?.deviceDisconnected();
  }

  /** An HTTP request for `agentId` (from the local server or an agent of this cloud); null for an unknown agent. */
  request(agentId: string, request: IncomingRequest): Promise<AgentHttpAnswer> | null {
    const agent = this.byAgentId.get(agentId);
    return agent === undefined ? null : agent.request(request);
  }

  /** server.save data of every device, for --state. */
  exportStore(): Record<string, string> {
    return Object.fromEntries(this.stores);
  }

  importStore(data: Readonly<Record<string, string>>): void {
    for (const [deviceId, text] of Object.entries(data)) this.stores.set(deviceId, text);
  }

  stopAll(): void {
    for (const agent of this.agents.values()) agent.stop("simulation ended");
  }

  private create(deviceId: string): Agent {
    const o = this.options;
    const agentId = agentIdOf(deviceId);
    const agent = new Agent({
      engine: o.engine,
      scheduler: o.scheduler,
      trace: o.trace,
      deviceId,
      agentId,
      agentUrl: () => this.urlOf(deviceId),
      configParams: () => ({
        deviceid: deviceId,
        ...(this.cloud?.agentConfigParams(deviceId) ?? {}),
      }),
      device: {
        sendToDevice: (name, wire) => this.cloud?.sendToDevice(deviceId, name, wire) ?? false,
        isConnected: () => this.cloud?.isOnline(deviceId) ?? false,
        ipAddress: () => (this.cloud?.isOnline(deviceId) === true ? "127.0.0.1" : ""),
      },
      store: {
        load: () => this.stores.get(deviceId) ?? null,
        save: (data) => {
          if (data === null) this.stores.delete(deviceId);
          else this.stores.set(deviceId, data);
          this.persist(deviceId, data);
        },
      },
      track: o.track,
      clock: () => this.cloud?.time() ?? o.scheduler.now / 1e6,
      sliceTimeoutMs: o.sliceTimeoutMs,
      memoryLimit: o.memoryLimit,
      randomSeed: Number.parseInt(deviceId.slice(-8), 16) | 0,
      httpHoldMs: o.httpHoldMs,
      routeInternal: (request, done) => this.routeInternal(request, done),
    });
    this.agents.set(deviceId, agent);
    this.byAgentId.set(agentId, agent);
    return agent;
  }

  /** A request to an agent URL of this cloud, answered inside it; null for any other URL. */
  private routeInternal(request: OutgoingRequest, done: (response: HttpResponse) => void): boolean {
    if (!request.url.startsWith(`${this.urlBase}/`)) return false;
    const url = new URL(request.url);
    const parsed = parseAgentPath(url.pathname + url.search);
    if (parsed === null) return false;
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(parsed.query)) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const agent = this.byAgentId.get(parsed.agentId);
    const { scheduler } = this.options;
    if (agent === undefined) {
      scheduler.after(0, () =>
        done({ statuscode: 404, headers: {}, body: `no agent ${parsed.agentId}` }),
      );
      return true;
    }
    agent.handleRequest(
      { method: request.method, path: parsed.path, query, headers, body: request.body },
      (a) => done({ statuscode: a.status, headers: { ...a.headers }, body: a.body }),
    );
    return true;
  }
}
