// A development cloud just large enough for `vimp run` and the device tests (issue 3): devices
// are assigned to development device groups, each with a current deployment of firmware; a
// device that connects is answered as seed 004 describes (activation, state report, code hash →
// code + RTC sync + imp.configparams); a new deployment sends a reload to the group's online
// devices. It implements the device↔cloud interface (device/cloud-link.ts) that the full
// impCloud of the factory issue will implement too.
//
// Everything it answers comes back after the network latency, on the one scheduler.
// chosen: 50 ms each way; any plan id and enrolment token activate a device (a development
// account accepts its own BlinkUps); an unassigned device gets no code.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type {
  CloudInbox,
  CloudLink,
  CloudSession,
  CodeCheckAnswer,
  DeviceCode,
  DeviceHello,
  DeviceStateReport,
  ReloadReason,
} from "../device/cloud-link.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI, MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { openSession, SessionTransport } from "./session-transport.ts";
import { compile } from "../squirrel/index.ts";

/** One way across the network, in ms. chosen. */
export const DEFAULT_LATENCY_MS = 50;

/** chosen: what virtual time 0 is in UTC when nothing else is said: 2025-01-01T00:00:00Z. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1) / 1000;

/** The file name the imp gives device code in error messages (spec §1.3: "in unknown device_code:24"). */
export const DEVICE_CODE_FILE = "device_code";

/** Firmware as a deployment holds it: Squirrel source (a byte string) and the name it runs under. */
export interface Firmware {
  readonly source: string;
  readonly file?: string;
}

export interface Deployment {
  readonly id: string;
  /** The hash devices compare in seed 004 steps 3–4: SHA-256 of the source, hex. */
  readonly sha: string;
  readonly code: DeviceCode;
}

export interface DevelopmentDeviceGroup {
  readonly name: string;
  readonly deployment: Deployment | null;
}

/** A message a device sent its agent; no agent code runs in the development cloud yet. */
export interface AgentMessage {
  readonly t: number;
  readonly deviceId: string;
  readonly name: string;
  /** The payload in the guest's tagged JSON form. */
  readonly dataJson: string;
}

export interface DevCloudOptions {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  /** One-way network latency in ms (default 50). */
  readonly latencyMs?: number;
  /** Unix seconds (UTC) at virtual time 0: what the RTC sync tells devices. */
  readonly startTime?: number;
}

interface Group {
  readonly name: string;
  deployment: Deployment | null;
}

export class DevCloud implements CloudLink {
  private readonly scheduler: Scheduler;
  private readonly trace: Trace;
  private readonly latency: number;
  private readonly startTime: number;
  private readonly groups = new Map<string, Group>();
  private readonly assignments = new Map<string, Group>();
  private readonly sessions = new Map<string, OpenSession>();
  private deploymentCount = 0;
  private reachable = true;
  private impOSRelease: string | null = null;
  /** Every agent.send that reached the cloud, oldest first. */
  readonly agentMessages: AgentMessage[] = [];
  /** Called for each agent.send as it reaches the cloud. */
  onAgentMessage: ((message: AgentMessage) => void) | null = null;

  constructor(options: DevCloudOptions) {
    this.scheduler = options.scheduler;
    this.trace = options.trace;
    this.latency = Math.round((options.latencyMs ?? DEFAULT_LATENCY_MS) * MICROS_PER_MILLI);
    this.startTime = options.startTime ?? DEFAULT_START_TIME;
  }

  /** The cloud's clock: Unix seconds now. */
  time(): number {
    return this.startTime + this.scheduler.now / MICROS_PER_SECOND;
  }

  /** Whether devices can reach the cloud. Going unreachable drops every open session. */
  get isReachable(): boolean {
    return this.reachable;
  }

  setReachable(reachable: boolean): void {
    this.reachable = reachable;
    if (reachable) return;
    for (const session of [...this.sessions.values()]) session.drop();
  }

  /** The development device group named `name`, made (with no deployment) if it does not exist. */
  deviceGroup(name: string): DevelopmentDeviceGroup {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { name, deployment: null };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Assigns a device to a group; it gets the group's code when it next checks. */
  assign(deviceId: string, groupName: string): void {
    this.assignments.set(deviceId, this.deviceGroup(groupName) as Group);
  }

  /** The group a device is assigned to, if any. */
  groupOf(deviceId: string): DevelopmentDeviceGroup | undefined {
    return this.assignments.get(deviceId);
  }

  /**
   * Deploys firmware to a group. It is compiled first, so firmware that does not compile is
   * refused with the compiler's error (file and line), as impCentral refuses to build it. The
   * group's online devices get a reload: politely, unless `force` ("Build and Force Restart").
   */
  deploy(groupName: string, firmware: Firmware, options: { force?: boolean } = {}): Deployment {
    const file = firmware.file ?? DEVICE_CODE_FILE;
    compile(firmware.source, file);
    const sha = bytesToHex(sha256(Uint8Array.from(firmware.source, (c) => c.charCodeAt(0) & 0xff)));
    const group = this.deviceGroup(groupName) as Group;
    const deployment: Deployment = { id: `deployment-${++this.deploymentCount}`, sha, code: { source: firmware.source, hash: sha, file } };
    group.deployment = deployment;
    this.trace.record(this.scheduler.now, null, "deployment", { id: deployment.id, sha });
    for (const [deviceId, session] of this.sessions) {
      if (this.assignments.get(deviceId) === group) session.reload("new-squirrel", options.force === true);
    }
    return deployment;
  }

  /** A new impOS release: online devices are asked to install it, the others when they next connect. */
  releaseImpOS(version: string, options: { force?: boolean } = {}): void {
    this.impOSRelease = version;
    for (const session of this.sessions.values()) {
      if (session.impOSVersion !== version) session.reload("new-firmware", options.force === true);
    }
  }

  /** `device.send(name, data)` from a device's agent; `dataJson` in the guest's tagged form. False if the device is offline. */
  sendToDevice(deviceId: string, name: string, dataJson: string): boolean {
    const session = this.sessions.get(deviceId);
    if (session === undefined) return false;
    session.agentMessage(name, dataJson);
    return true;
  }

  /** Whether a device has a session open. */
  isOnline(deviceId: string): boolean {
    return this.sessions.has(deviceId);
  }

  connect(hello: DeviceHello, inbox: CloudInbox, done: (session: CloudSession | null) => void): void {
    openSession(this, () => this.reachable, this.sessions, hello.deviceId, () => new OpenSession(this, hello, inbox), done);
  }

  // ---- for the sessions

  /** Runs `fn` one network latency from now. */
  later(fn: () => void): void {
    this.scheduler.after(this.latency, fn, "dev cloud network");
  }

  answer(hello: DeviceHello, hash: string | null): CodeCheckAnswer {
    const deployment = this.assignments.get(hello.deviceId)?.deployment ?? null;
    const release = this.impOSRelease;
    return {
      code: deployment !== null && deployment.sha !== hash ? deployment.code : null,
      time: this.time(),
      // A development device's table is empty: every key is for factory devices (spec §6.3).
      configParams: {},
      impOSUpdate: release !== null && release !== hello.impOSVersion ? release : null,
    };
  }

  agentSend(deviceId: string, name: string, dataJson: string): void {
    const message: AgentMessage = { t: this.scheduler.now, deviceId, name, dataJson };
    this.agentMessages.push(message);
    this.onAgentMessage?.(message);
  }

  closed(session: OpenSession): void {
    if (this.sessions.get(session.deviceId) === session) this.sessions.delete(session.deviceId);
  }
}

/** One device's open session, as the development cloud keeps it. */
class OpenSession extends SessionTransport<DevCloud> implements CloudSession {
  activate(_planId: string, _enrolmentToken: string, done: (activated: boolean) => void): void {
    this.roundTrip(() => true, done);
  }

  reportState(report: DeviceStateReport): void {
    this.cloud.later(() => {
      if (this.open) this.impOSVersion = report.impOSVersion;
    });
  }

  checkCode(hash: string | null, done: (answer: CodeCheckAnswer) => void): void {
    this.roundTrip(() => this.cloud.answer({ ...this.hello, impOSVersion: this.impOSVersion }, hash), done);
  }

  log(_kind: "log" | "error", _message: string): void {
    // The device has put the line in the trace; impCentral's log pane is that trace.
  }

  agentSend(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.cloud.agentSend(this.deviceId, name, dataJson);
    });
  }

  bless(_pass: boolean, done: (blessed: boolean) => void): void {
    // A development device is not in a DUT device group: blessing fails (the factory issue's cloud decides it).
    this.roundTrip(() => false, done);
  }

  // ---- the cloud's side

  agentMessage(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.inbox.agentMessage(name, dataJson);
    });
  }
}
