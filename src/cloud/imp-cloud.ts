// The emulated impCloud, the side that faces devices: through the device↔cloud interface
// (device/cloud-link.ts), the conversation of /resources/imp-boot-procedure — activation, the boot message sequence,
// imp.configparams — extended by the factory calls of /manufacturing/factoryfirmware (factory tokens, blessing), one
// session per device. The account's side (products, device groups, deployments, webhooks,
// logs) is CloudAccount, which this class extends. `vimp run`, bootDevice and the factory line
// all use this one cloud: a development device is a device in a `development` device group.
//
// What happens to a DUT, in the cloud's words (/api/server/bless, /manufacturing/factoryfirmware and the Connected Factory quick start):
//   fixture calls server.factoryblinkup  → a factory token for that fixture and its group
//   DUT activates with that token        → enrolled into the fixture group's DUT target
//                                          (refused if blessed: the Connected Factory quick start)
//   DUT checks its code                  → the DUT group's deployment, factory configparams
//   DUT calls server.bless(true)         → blessed, moved to the fixture group's production
//                                          target, blessing webhook; with load-code-after-
//                                          blessing, the restart signal 2 s after the callback
//   restart                              → the production group's deployment
//   end user BlinkUp (plan id + token)   → activated, agent, blinkup webhook, code if not yet
//
// Every answer comes back after the network latency, on the one scheduler.

import type {
  CloudInbox,
  CloudLink,
  CloudSession,
  CodeCheckAnswer,
  DeviceHello,
  DeviceStateReport,
  FactoryTokenGrant,
  ReloadReason,
} from "../device/cloud-link.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import { decideBlessing } from "./bless.ts";
import { CloudAccount, type CloudAccountOptions } from "./cloud-account.ts";
import type { CloudDevice } from "./cloud-device.ts";
import { isDutGroupType, isFixtureGroupType, type DeviceGroup } from "./device-group.ts";
import { ImpSession } from "./imp-session.ts";
import { AGENT_CODE_FILE } from "./deployment.ts";
import { openSession } from "./session-transport.ts";
import type { CloudAgents } from "./cloud-agents.ts";
import type { CollectionName, CloudState } from "./cloud-state.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * chosen: how long a DUT's factory agent keeps running after its device is blessed (the device
 * then has no agent until an end user activates it), so it can report the result — 10 s.
 */
export const FACTORY_AGENT_GRACE_MS = 10_000;

/** One way across the network, in ms. chosen. */
export const DEFAULT_LATENCY_MS = 50;
/** Seed 000: "two seconds after the callback is triggered, the server sends the DUT a restart signal". */
export const BLESS_RESTART_MS = 2_000;

/** A message a device sent its agent (kept for tests; the device's agent, if any, gets it too). */
export interface AgentMessage {
  readonly t: number;
  readonly deviceId: string;
  readonly name: string;
  /** The payload in the guest's tagged JSON form. */
  readonly dataJson: string;
}

export interface ImpCloudOptions extends CloudAccountOptions {
  /** One-way network latency in ms (default 50). */
  readonly latencyMs?: number;
  /** The agents of the cloud's devices (none: agent code is stored and never run). */
  readonly agents?: CloudAgents;
}

/** The impCloud: the account (CloudAccount) and its conversation with devices. */
export class ImpCloud extends CloudAccount implements CloudLink {
  private readonly latency: number;
  private readonly sessions = new Map<string, ImpSession>();
  private reachable = true;
  /** Every agent.send that reached the cloud, oldest first. */
  readonly agentMessages: AgentMessage[] = [];
  /** Called for each agent.send as it reaches the cloud. */
  onAgentMessage: ((message: AgentMessage) => void) | null = null;

  /** The agents of this cloud's devices, if it runs agents. */
  readonly agents: CloudAgents | null;
  /** The deployment whose agent code each device's agent runs. */
  private readonly agentDeployments = new Map<string, string>();

  constructor(options: ImpCloudOptions) {
    super(options);
    this.latency = Math.round((options.latencyMs ?? DEFAULT_LATENCY_MS) * MICROS_PER_MILLI);
    this.agents = options.agents ?? null;
    this.agents?.attach(
      {
        sendToDevice: (deviceId, name, wire) => this.sendToDevice(deviceId, name, wire),
        isOnline: (deviceId) => this.isOnline(deviceId),
        agentConfigParams: (deviceId) => this.agentConfigParams(deviceId),
        time: () => this.time(),
      },
      options.stateDir ?? null,
    );
    for (const id of this.state.devices.keys()) this.syncAgent(id);
  }

  // ------------------------------------------------------------ agents

  /**
   * Every change of a device or a group passes here: an agent runs for each device the cloud
   * gives one (CloudDevice.agent) whose group's current deployment has agent code; a new
   * deployment restarts it; a device that loses its agent (blessed, so unactivated) stops it.
   */
  protected override put<C extends CollectionName>(
    collection: C,
    id: string,
    value: CloudState[C] extends Map<string, infer V> ? V : never,
  ): void {
    super.put(collection, id, value);
    if (this.agents === null || this.agents === undefined) return;
    if (collection === "devices") this.syncAgent(id);
    else if (collection === "groups")
      for (const device of this.state.devices.values())
        if (device.groupId === id) this.syncAgent(device.id);
  }

  private syncAgent(deviceId: string): void {
    const agents = this.agents;
    if (agents === null || agents === undefined) return;
    const device = this.state.devices.get(deviceId);
    const group = device?.agent === true ? this.findGroup(device.groupId ?? "") : undefined;
    const deployment = group === undefined ? null : this.currentDeployment(group);
    const wanted = deployment !== null && deployment.agentCode.trim() !== "" ? deployment : null;
    const running = this.agentDeployments.get(deviceId);
    if (wanted === null) {
      if (running !== undefined) {
        this.agentDeployments.delete(deviceId);
        // A blessed DUT's factory agent finishes its work (passing the result to the fixture).
        agents.remove(
          deviceId,
          device?.blessed === true ? FACTORY_AGENT_GRACE_MS * MICROS_PER_MILLI : 0,
        );
      }
      return;
    }
    if (running === wanted.id) return;
    this.agentDeployments.set(deviceId, wanted.id);
    agents.deploy(deviceId, { source: wanted.agentCode, file: AGENT_CODE_FILE });
  }

  /** imp.configparams of a device's agent (spec §6.3): its device's, plus the fixture's agent URL on a DUT's. */
  agentConfigParams(deviceId: string): Record<string, unknown> {
    const device = this.state.devices.get(deviceId);
    const group = this.findGroup(device?.groupId ?? "");
    if (device === undefined || group === undefined) return {};
    const params = this.configParams(device, group);
    if (
      isDutGroupType(group.type) &&
      !device.blessed &&
      device.fixtureId !== null &&
      this.agents !== null
    ) {
      return { ...params, factory_fixture_url: this.agents.urlOf(device.fixtureId) };
    }
    return params;
  }

  // ------------------------------------------------------------ devices online

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

  isOnline(deviceId: string): boolean {
    return this.sessions.has(deviceId);
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  setReachable(reachable: boolean): void {
    this.reachable = reachable;
    if (!reachable) for (const session of [...this.sessions.values()]) session.drop();
  }

  // ------------------------------------------------------------ the device link

  connect(
    hello: DeviceHello,
    inbox: CloudInbox,
    done: (session: CloudSession | null) => void,
  ): void {
    openSession(
      this,
      () => this.reachable,
      this.sessions,
      hello.deviceId,
      () => new ImpSession(this, hello, inbox),
      (session) => {
        if (session !== null) this.agents?.deviceConnected(hello.deviceId);
        done(session);
      },
    );
  }

  // ------------------------------------------------------------ for the sessions

  later(fn: () => void, delay = this.latency): void {
    this.scheduler.after(delay, fn, "impCloud network");
  }

  closed(session: ImpSession): void {
    if (this.sessions.get(session.deviceId) !== session) return;
    this.sessions.delete(session.deviceId);
    this.agents?.deviceDisconnected(session.deviceId);
  }

  /** Seed 004 step 1, with the factory's and the end user's tokens. */
  activate(
    hello: DeviceHello,
    planId: string,
    enrolmentToken: string,
  ): { ok: boolean; reason: string } {
    const token = this.state.tokens.get(enrolmentToken);
    const known = this.state.devices.get(hello.deviceId);
    // chosen: a development device accepts any plan id and token, as if BlinkUp'd by the
    // account's own Electric Imp app; the device stays where it is.
    if (
      known !== undefined &&
      !known.blessed &&
      this.findGroup(known.groupId ?? "")?.type === "development"
    )
      return { ok: true, reason: "development" };
    if (token === undefined || token.planId !== planId)
      return this.refuse(hello, known, "unknown plan id or enrolment token");
    if (token.kind === "factory") {
      if (known?.blessed === true)
        return this.refuse(
          hello,
          known,
          "blessed devices cannot undergo factory BlinkUp (seeds 001, 003)",
        );
      const fixtureGroup = this.findGroup(token.fixtureGroupId ?? "");
      const dutGroup = this.findGroup(fixtureGroup?.dutTarget ?? "");
      if (fixtureGroup === undefined || dutGroup === undefined)
        return this.refuse(hello, known, "the fixture's device group has no DUT target");
      const device: CloudDevice = {
        ...(known ?? this.newDevice(hello)),
        activation: "factory",
        fixtureId: token.fixtureId,
        fixtureGroupId: fixtureGroup.id,
        agent: true, // factory agents are instantiated with factory firmware (/manufacturing/factoryfirmware, "Factory Agents")
      };
      this.setGroup(device, dutGroup, `factory BlinkUp by fixture ${token.fixtureId}`);
      this.trace.record(this.scheduler.now, hello.deviceId, "enroll", {
        ok: true,
        group: dutGroup.name,
        reason: "factory",
      });
      return { ok: true, reason: "factory" };
    }
    // An end user's BlinkUp of a production device (/resources/imp-boot-procedure, Pending Activation → activated).
    if (known === undefined || !known.blessed)
      return this.refuse(hello, known, "not a production device (not blessed)");
    const activated: CloudDevice = { ...known, activation: "activated", agent: true };
    this.put("devices", activated.id, activated);
    this.appendLog(
      activated.id,
      activated.groupId,
      "status",
      "activated by end-user BlinkUp; agent instantiated",
    );
    this.trace.record(this.scheduler.now, hello.deviceId, "enroll", {
      ok: true,
      group: this.findGroup(known.groupId ?? "")?.name ?? null,
      reason: "production",
    });
    const group = this.findGroup(known.groupId ?? "");
    if (group !== undefined)
      this.fireWebhooks(
        group,
        "blinkup",
        { device_id: known.id, plan_id: planId, token: enrolmentToken },
        known.id,
      );
    return { ok: true, reason: "production" };
  }

  /** Steps 3–4: code, RTC sync, configparams, perhaps an impOS update or an erase. */
  answer(hello: DeviceHello, hash: string | null, rejected: boolean): CodeCheckAnswer {
    const time = this.time();
    if (rejected) return { code: null, time, configParams: {}, eraseCredentials: true };
    const device = this.state.devices.get(hello.deviceId);
    const group = this.findGroup(device?.groupId ?? "");
    const impOSUpdate = hello.impOSVersion !== this.impOSRelease ? this.impOSRelease : null;
    let deployment = group === undefined ? null : this.currentDeployment(group);
    // A production device gets its application code at blessing or at activation (the impt Production Guide, load-code-after-blessing).
    if (
      device?.blessed === true &&
      group !== undefined &&
      !group.loadCodeAfterBlessing &&
      device.activation !== "activated"
    )
      deployment = null;
    const code =
      deployment !== null && deployment.sha !== hash
        ? { source: deployment.deviceCode, hash: deployment.sha, file: deployment.file }
        : null;
    return {
      code,
      time,
      configParams:
        device === undefined || group === undefined ? {} : this.configParams(device, group),
      impOSUpdate,
    };
  }

  /** imp.configparams (/api/imp/configparams): the deprecated keys too, since FactoryTools 2.2.0 reads them (electricimp/FactoryTools). */
  configParams(device: CloudDevice, group: DeviceGroup): Record<string, unknown> {
    if (isFixtureGroupType(group.type)) {
      return {
        factoryfirmware: true,
        is_factory_fixture: true,
        factory_imp: device.mac,
        factory_imp_device_id: device.id,
      };
    }
    if (isDutGroupType(group.type) && !device.blessed) {
      const fixture = this.state.devices.get(device.fixtureId ?? "");
      return {
        factoryfirmware: true,
        factory_imp: fixture?.mac ?? "",
        factory_imp_device_id: device.fixtureId ?? "",
      };
    }
    return {};
  }

  /** A fixture asks for a factory enrolment token (/manufacturing/factoryfirmware): only a device in a fixture group gets one. */
  factoryToken(deviceId: string): FactoryTokenGrant | null {
    const device = this.state.devices.get(deviceId);
    const group = this.findGroup(device?.groupId ?? "");
    if (device === undefined || group === undefined || !isFixtureGroupType(group.type)) return null;
    const token = this.issueToken("factory", device.id, group.id);
    return { planId: token.planId, enrolmentToken: token.token };
  }

  /** server.bless (/api/server/bless): decided, recorded (journalled before the answer), webhook, restart signal. */
  bless(deviceId: string, pass: boolean): boolean {
    const device = this.state.devices.get(deviceId);
    const decision = decideBlessing(device, pass, (id) =>
      id === null ? undefined : this.state.groups.get(id),
    );
    const groupName = (id: string | null | undefined) =>
      id == null ? null : (this.state.groups.get(id)?.name ?? null);
    if (!decision.ok) {
      // "the failure is logged at the server" (/api/server/bless).
      this.appendLog(
        deviceId,
        device?.groupId ?? null,
        "status",
        `blessing failed: ${decision.reason}`,
      );
      this.trace.record(this.scheduler.now, deviceId, "bless", {
        pass,
        ok: false,
        group: groupName(device?.groupId),
        reason: decision.reason,
      });
      return false;
    }
    const production = decision.productionGroup;
    const blessed: CloudDevice = {
      ...device!,
      blessed: true,
      blessedAt: this.time(),
      activation: "unactivated",
      agent: false,
    };
    this.appendLog(
      deviceId,
      device!.groupId,
      "status",
      `blessed: now a production device in "${production.name}"`,
    );
    this.setGroup(blessed, production, "blessed");
    this.trace.record(this.scheduler.now, deviceId, "bless", {
      pass,
      ok: true,
      group: production.name,
    });
    this.fireWebhooks(
      production,
      "blessing",
      { device_id: deviceId, imp_id: impId(device!.mac) },
      deviceId,
    );
    if (production.loadCodeAfterBlessing) {
      // Sent two seconds after the callback runs on the DUT (/api/server/bless); the answer that runs it takes one latency to arrive.
      this.later(
        () => {
          const session = this.sessions.get(deviceId);
          if (session === undefined) return;
          this.trace.record(this.scheduler.now, deviceId, "restart-signal", {
            reason: "blessed: load the application firmware",
          });
          session.reload("new-squirrel", true);
        },
        BLESS_RESTART_MS * MICROS_PER_MILLI + this.latency,
      );
    }
    return true;
  }

  reportState(report: DeviceStateReport): void {
    const device = this.state.devices.get(report.deviceId);
    if (device !== undefined && device.impOSVersion !== report.impOSVersion)
      this.put("devices", device.id, { ...device, impOSVersion: report.impOSVersion });
  }

  /** agent.send from a device reaches the cloud, and its agent. */
  agentSend(deviceId: string, name: string, dataJson: string): void {
    const message: AgentMessage = { t: this.scheduler.now, deviceId, name, dataJson };
    this.agentMessages.push(message);
    this.onAgentMessage?.(message);
    this.agents?.deliver(deviceId, name, dataJson);
  }

  /** A line from the device lands in its current group's log (/manufacturing/factoryfirmware). */
  deviceLog(deviceId: string, kind: "log" | "error", message: string): void {
    this.appendLog(deviceId, this.state.devices.get(deviceId)?.groupId ?? null, kind, message);
  }

  private refuse(
    hello: DeviceHello,
    known: CloudDevice | undefined,
    reason: string,
  ): { ok: false; reason: string } {
    this.appendLog(
      hello.deviceId,
      known?.groupId ?? null,
      "status",
      `activation refused: ${reason}`,
    );
    this.trace.record(this.scheduler.now, hello.deviceId, "enroll", {
      ok: false,
      group: null,
      reason,
    });
    return { ok: false, reason };
  }

  protected restartDevice(deviceId: string, reason: ReloadReason, force: boolean): boolean {
    const session = this.sessions.get(deviceId);
    if (session === undefined) return false;
    session.reload(reason, force);
    return true;
  }
}

/** /manufacturing/webhooks: the blessing webhook's imp_id is "derived from, not equal to, MAC". chosen: 16 hex digits of SHA-256 of the MAC. */
export function impId(mac: string): string {
  return bytesToHex(sha256(utf8ToBytes(`imp id\0${mac}`))).slice(0, 16);
}
