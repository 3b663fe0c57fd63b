// The emulated impCloud: products, device groups of every type (development ones included)
// with their targets, deployments, devices, factory enrolment tokens, production plan ids and
// tokens, blessing, per-group logs, the unblessing key and webhooks — and, through the
// device↔cloud interface (device/cloud-link.ts), the conversation with devices of seed 004,
// extended by the factory calls of seed 001. `vimp run`, bootDevice and the factory line all
// use this one cloud: a development device is a device in a `development` device group.
//
// What happens to a DUT, in the cloud's words (seeds 000, 001, 003):
//   fixture calls server.factoryblinkup  → a factory token for that fixture and its group
//   DUT activates with that token        → enrolled into the fixture group's DUT target
//                                          (refused if blessed: seed 003)
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
import { DEFAULT_IMPOS_VERSION } from "../device/device.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI, MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { compile } from "../squirrel/index.ts";
import { decideBlessing } from "./bless.ts";
import type { CloudDevice } from "./cloud-device.ts";
import { CloudStateFile, emptyState, type CloudState, type CollectionName } from "./cloud-state.ts";
import { deploymentSha, type Deployment } from "./deployment.ts";
import {
  DEVICE_GROUP_TYPES,
  EI_GROUP_TYPE,
  isDutGroupType,
  isFixtureGroupType,
  isProductionGroupType,
  targetTypes,
  type DeviceGroup,
  type DeviceGroupType,
} from "./device-group.ts";
import type { LogEntry } from "./device-log.ts";
import { tokenText, type EnrollmentToken } from "./enrollment-token.ts";
import type { Product } from "./product.ts";
import { WebhookDelivery, WEBHOOK_RETRY, type WebhookPayload } from "./webhook-delivery.ts";
import { WEBHOOK_EVENTS, WEBHOOK_MIMES, type Webhook, type WebhookEvent, type WebhookMime } from "./webhook.ts";
import { openSession, SessionTransport } from "./session-transport.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** One way across the network, in ms. chosen. */
export const DEFAULT_LATENCY_MS = 50;
/** chosen: virtual time 0 is 2025-01-01T00:00:00Z unless said otherwise. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1) / 1000;
/** Seed 000: "two seconds after the callback is triggered, the server sends the DUT a restart signal". */
export const BLESS_RESTART_MS = 2_000;
/** The file name device code runs under (spec §1.3). */
export const DEVICE_CODE_FILE = "device_code";

/** An impt-style mistake (unknown group, a manual assignment to a production group, a wrong key). */
/** The product the simulation's development device groups belong to, made when first needed. */
export const DEVELOPMENT_PRODUCT = "development";

/** A message a device sent its agent; no agent code runs yet, so it stops in the cloud. */
export interface AgentMessage {
  readonly t: number;
  readonly deviceId: string;
  readonly name: string;
  /** The payload in the guest's tagged JSON form. */
  readonly dataJson: string;
}

export class CloudError extends Error {
  override name = "CloudError";
}

export interface ImpCloudOptions {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly latencyMs?: number;
  /** Unix seconds at virtual time 0. */
  readonly startTime?: number;
  /** Seeds tokens and keys, so runs are reproducible (default "virtual-imp"). */
  readonly seed?: string;
  /** Keep state in this directory (`--state DIR`); default in memory. */
  readonly stateDir?: string | null;
  /** The impOS release the cloud wants devices on (default: what a new virtual imp runs). */
  readonly impOSRelease?: string;
  /** Webhook retry policy (tests shorten it). */
  readonly webhookRetry?: { attempts: number; firstBackoffMs: number; wallTimeoutMs: number };
}

export interface DeployOptions {
  readonly deviceCode: string;
  readonly agentCode?: string;
  readonly description?: string;
  readonly file?: string;
}

export interface CreateGroupOptions {
  readonly product: string;
  readonly name: string;
  readonly type: DeviceGroupType;
  readonly description?: string;
  readonly dutTarget?: string;
  readonly productionTarget?: string;
  readonly loadCodeAfterBlessing?: boolean;
}

export class ImpCloud implements CloudLink {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly webhooks: WebhookDelivery;
  readonly state: CloudState;
  /** The impOS release devices are moved to at connection (seed 003, "Important Note on impOS Updates"). */
  impOSRelease: string;
  private readonly latency: number;
  private readonly startTime: number;
  private readonly seed: string;
  private readonly file: CloudStateFile | null;
  private readonly sessions = new Map<string, ImpSession>();
  private reachable = true;
  /** Every agent.send that reached the cloud, oldest first. */
  readonly agentMessages: AgentMessage[] = [];
  /** Called for each agent.send as it reaches the cloud. */
  onAgentMessage: ((message: AgentMessage) => void) | null = null;

  constructor(options: ImpCloudOptions) {
    this.scheduler = options.scheduler;
    this.trace = options.trace;
    this.latency = Math.round((options.latencyMs ?? DEFAULT_LATENCY_MS) * MICROS_PER_MILLI);
    this.startTime = options.startTime ?? DEFAULT_START_TIME;
    this.seed = options.seed ?? "virtual-imp";
    this.impOSRelease = options.impOSRelease ?? DEFAULT_IMPOS_VERSION;
    this.webhooks = new WebhookDelivery(this.scheduler, this.trace, options.webhookRetry ?? WEBHOOK_RETRY);
    this.file = options.stateDir != null ? new CloudStateFile(options.stateDir) : null;
    const loaded = this.file?.load() ?? null;
    if (loaded !== null) {
      this.state = loaded;
    } else {
      const hex = (what: string) => bytesToHex(sha256(utf8ToBytes(`${this.seed}\0${what}`)));
      // Seed 002 "Unblessing": the account's unblessing key; seed 004: the production plan id.
      this.state = emptyState({ unblessingKey: hex("unblessing key").slice(0, 40), planId: hex("plan id").slice(0, 24), counter: 0 });
      this.file?.account(this.state.account);
    }
  }

  /** The cloud's clock: Unix seconds now. */
  time(): number {
    return this.startTime + this.scheduler.now / MICROS_PER_SECOND;
  }

  get unblessingKey(): string {
    return this.state.account.unblessingKey;
  }

  get planId(): string {
    return this.state.account.planId;
  }

  // ------------------------------------------------------------ impt-style operations

  createProduct(name: string, description = ""): Product {
    if (this.findProduct(name) !== undefined) throw new CloudError(`a product named "${name}" already exists`);
    const product: Product = { id: this.nextId("product"), name, description };
    this.put("products", product.id, product);
    return product;
  }

  product(ref: string): Product {
    const product = this.findProduct(ref);
    if (product === undefined) throw new CloudError(`no product "${ref}"`);
    return product;
  }

  findProduct(ref: string): Product | undefined {
    return this.state.products.get(ref) ?? [...this.state.products.values()].find((p) => p.name === ref);
  }

  /** `impt dg create` (seed 002): a fixture group needs a production target (and a DUT target) of the right zone. */
  createDeviceGroup(options: CreateGroupOptions): DeviceGroup {
    const product = this.product(options.product);
    if (!DEVICE_GROUP_TYPES.includes(options.type)) throw new CloudError(`"${String(options.type)}" is not a device group type (${DEVICE_GROUP_TYPES.join(", ")})`);
    if (this.findGroup(options.name) !== undefined) throw new CloudError(`a device group named "${options.name}" already exists`);
    let dutTarget: string | null = null;
    let productionTarget: string | null = null;
    if (isFixtureGroupType(options.type)) {
      const want = targetTypes(options.type);
      if (options.productionTarget === undefined) throw new CloudError(`fixture group "${options.name}" needs a production target (seed 002)`);
      const production = this.deviceGroup(options.productionTarget);
      if (production.type !== want.production) throw new CloudError(`the production target of "${options.name}" must be a ${want.production} group, not ${production.type}`);
      productionTarget = production.id;
      if (options.dutTarget !== undefined) {
        const dut = this.deviceGroup(options.dutTarget);
        if (dut.type !== want.dut) throw new CloudError(`the DUT target of "${options.name}" must be a ${want.dut} group, not ${dut.type}`);
        dutTarget = dut.id;
      }
    } else if (options.dutTarget !== undefined || options.productionTarget !== undefined) {
      throw new CloudError(`only fixture groups have targets ("${options.name}" is ${options.type})`);
    }
    const group: DeviceGroup = {
      id: this.nextId("dg"),
      name: options.name,
      productId: product.id,
      type: options.type,
      description: options.description ?? "",
      dutTarget,
      productionTarget,
      loadCodeAfterBlessing: options.loadCodeAfterBlessing ?? true, // seed 002: "always has the value true" when created
      currentDeployment: null,
    };
    this.put("groups", group.id, group);
    return group;
  }

  /** `impt dg update`: load-code-after-blessing (production groups) and targets (fixture groups). */
  updateDeviceGroup(ref: string, changes: { loadCodeAfterBlessing?: boolean }): DeviceGroup {
    const group = this.deviceGroup(ref);
    if (changes.loadCodeAfterBlessing !== undefined && !isProductionGroupType(group.type)) {
      throw new CloudError(`load-code-after-blessing is a production group setting; "${group.name}" is ${group.type}`);
    }
    const updated = { ...group, ...changes };
    this.put("groups", group.id, updated);
    return updated;
  }

  deviceGroup(ref: string): DeviceGroup {
    const group = this.findGroup(ref);
    if (group === undefined) throw new CloudError(`no device group "${ref}"`);
    return group;
  }

  findGroup(ref: string): DeviceGroup | undefined {
    return this.state.groups.get(ref) ?? [...this.state.groups.values()].find((g) => g.name === ref);
  }

  /**
   * The development device group named `name`, made (in the `development` product, with no
   * deployment) if the account has none; a group of that name of another type is an error.
   */
  developmentGroup(name: string): DeviceGroup {
    const group = this.findGroup(name);
    if (group !== undefined) {
      if (group.type !== "development") throw new CloudError(`"${name}" is a ${group.type} device group, not a development one`);
      return group;
    }
    const product = this.findProduct(DEVELOPMENT_PRODUCT) ?? this.createProduct(DEVELOPMENT_PRODUCT);
    return this.createDeviceGroup({ product: product.id, name, type: "development" });
  }

  get groups(): DeviceGroup[] {
    return [...this.state.groups.values()];
  }

  /**
   * Deploys code to a group (seed 003 "Polite Firmware Deployment"): compiled first, so code
   * that does not compile is refused with the compiler's message. Online devices of the group
   * get a reload — through server.onshutdown unless `force`; offline ones get the code when
   * they next connect.
   */
  deploy(ref: string, code: DeployOptions, options: { force?: boolean; promoted?: boolean } = {}): Deployment {
    const group = this.deviceGroup(ref);
    const file = code.file ?? DEVICE_CODE_FILE;
    compile(code.deviceCode, file);
    const deployment: Deployment = {
      id: this.nextId("deployment"),
      groupId: group.id,
      sha: deploymentSha(code.deviceCode),
      deviceCode: code.deviceCode,
      agentCode: code.agentCode ?? "",
      file,
      description: code.description ?? "",
      promoted: options.promoted ?? false,
      createdAt: this.time(),
    };
    this.put("deployments", deployment.id, deployment);
    this.put("groups", group.id, { ...group, currentDeployment: deployment.id });
    this.trace.record(this.scheduler.now, null, "deployment", { id: deployment.id, sha: deployment.sha, group: group.name });
    this.fireWebhooks(group, "deployment", { deployment_id: deployment.id, devicegroup_id: group.id, sha: deployment.sha }, null);
    this.restartGroup(group.id, { force: options.force === true });
    return deployment;
  }

  /** Promotes a deployment (seed 001 "Running Factory Firmware"). */
  promote(deploymentId: string, promoted = true): Deployment {
    const deployment = this.deployment(deploymentId);
    const updated = { ...deployment, promoted };
    this.put("deployments", deployment.id, updated);
    return updated;
  }

  /**
   * `impt build copy --build X --dg G` (seed 002): a Production Zone group takes only promoted
   * deployments (seed 001: "To use your fixture firmware in production, you will need to promote it").
   */
  copyBuild(deploymentId: string, ref: string, options: { force?: boolean } = {}): Deployment {
    const source = this.deployment(deploymentId);
    const group = this.deviceGroup(ref);
    if (!group.type.startsWith("pre-") && group.type !== "development" && !source.promoted) {
      throw new CloudError(`deployment ${source.id} is not promoted: promote it before deploying it to the ${group.type} group "${group.name}"`);
    }
    return this.deploy(group.id, { deviceCode: source.deviceCode, agentCode: source.agentCode, description: source.description, file: source.file }, { force: options.force, promoted: source.promoted });
  }

  deployment(id: string): Deployment {
    const deployment = this.state.deployments.get(id);
    if (deployment === undefined) throw new CloudError(`no deployment "${id}"`);
    return deployment;
  }

  currentDeployment(group: DeviceGroup): Deployment | null {
    return group.currentDeployment === null ? null : (this.state.deployments.get(group.currentDeployment) ?? null);
  }

  /**
   * A device joins the account (a fixture or development device, BlinkUp'd with the Electric
   * Imp app), in the development group `developmentGroup` if one is named (made if need be).
   */
  registerDevice(hello: { deviceId: string; macAddress: string; model: string }, developmentGroup?: string): CloudDevice {
    const known = this.state.devices.get(hello.deviceId);
    if (known !== undefined) return known;
    const groupId = developmentGroup === undefined ? null : this.developmentGroup(developmentGroup).id;
    const device: CloudDevice = { ...this.newDevice({ ...hello, impOSVersion: null }), groupId, activation: "development", agent: true };
    this.put("devices", device.id, device);
    return device;
  }

  device(ref: string): CloudDevice {
    const device = this.findDevice(ref);
    if (device === undefined) throw new CloudError(`no device "${ref}"`);
    return device;
  }

  /** The device with this id or MAC address, if the account has it. */
  findDevice(ref: string): CloudDevice | undefined {
    return this.state.devices.get(ref) ?? [...this.state.devices.values()].find((d) => d.mac === ref);
  }

  /** `impt device list [--dg G]`. */
  devices(filter: { group?: string } = {}): CloudDevice[] {
    const all = [...this.state.devices.values()];
    if (filter.group === undefined) return all;
    const group = this.deviceGroup(filter.group);
    return all.filter((d) => d.groupId === group.id);
  }

  /**
   * `impt device assign` (seed 002): development devices and fixtures to any non-factory-managed
   * group; production devices only between production groups of one product ("It is not
   * possible to assign a newly assembled device to a Production Device Group manually"; DUT
   * groups are filled by factory BlinkUp alone). An online device restarts at once into the new
   * group's code (spec §1.5: reassignment bypasses server.onshutdown).
   */
  assign(deviceRef: string, groupRef: string): CloudDevice {
    const device = this.device(deviceRef);
    const group = this.deviceGroup(groupRef);
    if (device.blessed) {
      const from = this.findGroup(device.groupId ?? "");
      if (!isProductionGroupType(group.type)) throw new CloudError(`device ${device.id} is blessed: it can only move to another production group (unbless it first)`);
      if (from !== undefined && from.productId !== group.productId) throw new CloudError(`device ${device.id} can only move between production groups of one product`);
    } else if (isProductionGroupType(group.type) || isDutGroupType(group.type)) {
      throw new CloudError(`a device cannot be assigned to the ${group.type} group "${group.name}" manually: DUTs join DUT groups by factory BlinkUp and production groups by blessing (seed 002)`);
    }
    const moved = this.setGroup(device, group, "assigned");
    this.restartDevice(device.id, "new-squirrel", true);
    return moved;
  }

  /** `impt device unassign [--unbond KEY]` (seed 002 "Unblessing"). */
  unassign(deviceRef: string, options: { unbond?: string } = {}): CloudDevice {
    let device = this.device(deviceRef);
    if (device.blessed) {
      if (options.unbond === undefined) throw new CloudError(`device ${device.id} is a production device: unassigning it needs --unbond with the account's unblessing key`);
      if (options.unbond !== this.unblessingKey) throw new CloudError("wrong unblessing key");
      device = { ...device, blessed: false, blessedAt: null, activation: "development" };
      this.appendLog(device.id, device.groupId, "status", "unblessed with the account's unblessing key");
    }
    return this.setGroup(device, null, "unassigned");
  }

  /** `impt dg restart` (seed 002 "New Versions"): online devices of the group restart. */
  restartGroup(ref: string, options: { force?: boolean } = {}): number {
    const group = this.deviceGroup(ref);
    let count = 0;
    for (const device of this.state.devices.values()) {
      if (device.groupId === group.id && this.restartDevice(device.id, "new-squirrel", options.force === true)) count++;
    }
    return count;
  }

  /** `impt webhook create --dg G --url U --event E --mime M` (seed 002). */
  createWebhook(options: { group: string; url: string; event: WebhookEvent; mime?: WebhookMime }): Webhook {
    const group = this.deviceGroup(options.group);
    if (!WEBHOOK_EVENTS.includes(options.event)) throw new CloudError(`"${String(options.event)}" is not a webhook event (${WEBHOOK_EVENTS.join(", ")})`);
    const mime = options.mime ?? "json";
    if (!WEBHOOK_MIMES.includes(mime)) throw new CloudError(`"${String(mime)}" is not a webhook mime (${WEBHOOK_MIMES.join(", ")})`);
    if (options.event !== "deployment" && !isProductionGroupType(group.type)) {
      throw new CloudError(`${options.event} webhooks are set on production groups (seed 003); "${group.name}" is ${group.type}`);
    }
    const webhook: Webhook = { id: this.nextId("webhook"), groupId: group.id, event: options.event, url: options.url, mime };
    this.put("webhooks", webhook.id, webhook);
    return webhook;
  }

  /** A production plan id and enrolment token, as the BlinkUp SDK fetches them for an end user's BlinkUp (seed 004). */
  issueProductionToken(): { planId: string; enrolmentToken: string } {
    const token = this.issueToken("production", null, null);
    return { planId: token.planId, enrolmentToken: token.token };
  }

  /** The log of one group or one device (`impt log get`), oldest first. */
  logs(filter: { group?: string; device?: string } = {}): LogEntry[] {
    const group = filter.group === undefined ? undefined : this.deviceGroup(filter.group).id;
    return this.state.logs.filter((e) => (group === undefined || e.groupId === group) && (filter.device === undefined || e.deviceId === filter.device));
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

  /** Writes a compact snapshot (with --state); the journal already holds every change. */
  save(): void {
    this.file?.compact(this.state);
  }

  // ------------------------------------------------------------ the device link

  connect(hello: DeviceHello, inbox: CloudInbox, done: (session: CloudSession | null) => void): void {
    openSession(this, () => this.reachable, this.sessions, hello.deviceId, () => new ImpSession(this, hello, inbox), done);
  }

  // ------------------------------------------------------------ for the sessions

  later(fn: () => void, delay = this.latency): void {
    this.scheduler.after(delay, fn, "impCloud network");
  }

  closed(session: ImpSession): void {
    if (this.sessions.get(session.deviceId) === session) this.sessions.delete(session.deviceId);
  }

  /** Seed 004 step 1, with the factory's and the end user's tokens. */
  activate(hello: DeviceHello, planId: string, enrolmentToken: string): { ok: boolean; reason: string } {
    const token = this.state.tokens.get(enrolmentToken);
    const known = this.state.devices.get(hello.deviceId);
    // chosen: a development device accepts any plan id and token, as if BlinkUp'd by the
    // account's own Electric Imp app; the device stays where it is.
    if (known !== undefined && !known.blessed && this.findGroup(known.groupId ?? "")?.type === "development") return { ok: true, reason: "development" };
    if (token === undefined || token.planId !== planId) return this.refuse(hello, known, "unknown plan id or enrolment token");
    if (token.kind === "factory") {
      if (known?.blessed === true) return this.refuse(hello, known, "blessed devices cannot undergo factory BlinkUp (seeds 001, 003)");
      const fixtureGroup = this.findGroup(token.fixtureGroupId ?? "");
      const dutGroup = this.findGroup(fixtureGroup?.dutTarget ?? "");
      if (fixtureGroup === undefined || dutGroup === undefined) return this.refuse(hello, known, "the fixture's device group has no DUT target");
      const device: CloudDevice = {
        ...(known ?? this.newDevice(hello)),
        activation: "factory",
        fixtureId: token.fixtureId,
        fixtureGroupId: fixtureGroup.id,
        agent: true, // factory agents are instantiated with factory firmware (seed 001, "Factory Agents")
      };
      this.setGroup(device, dutGroup, `factory BlinkUp by fixture ${token.fixtureId}`);
      this.trace.record(this.scheduler.now, hello.deviceId, "enroll", { ok: true, group: dutGroup.name, reason: "factory" });
      return { ok: true, reason: "factory" };
    }
    // An end user's BlinkUp of a production device (seed 004, Pending Activation → activated).
    if (known === undefined || !known.blessed) return this.refuse(hello, known, "not a production device (not blessed)");
    const activated: CloudDevice = { ...known, activation: "activated", agent: true };
    this.put("devices", activated.id, activated);
    this.appendLog(activated.id, activated.groupId, "status", "activated by end-user BlinkUp; agent instantiated");
    this.trace.record(this.scheduler.now, hello.deviceId, "enroll", { ok: true, group: this.findGroup(known.groupId ?? "")?.name ?? null, reason: "production" });
    const group = this.findGroup(known.groupId ?? "");
    if (group !== undefined) this.fireWebhooks(group, "blinkup", { device_id: known.id, plan_id: planId, token: enrolmentToken }, known.id);
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
    // A production device gets its application code at blessing or at activation (seed 002, load-code-after-blessing).
    if (device?.blessed === true && group !== undefined && !group.loadCodeAfterBlessing && device.activation !== "activated") deployment = null;
    const code = deployment !== null && deployment.sha !== hash ? { source: deployment.deviceCode, hash: deployment.sha, file: deployment.file } : null;
    return { code, time, configParams: device === undefined || group === undefined ? {} : this.configParams(device, group), impOSUpdate };
  }

  /** imp.configparams (spec §6.3): the deprecated keys too, since FactoryTools 2.2.0 reads them (§6.4). */
  configParams(device: CloudDevice, group: DeviceGroup): Record<string, unknown> {
    if (isFixtureGroupType(group.type)) {
      return { factoryfirmware: true, is_factory_fixture: true, factory_imp: device.mac, factory_imp_device_id: device.id };
    }
    if (isDutGroupType(group.type) && !device.blessed) {
      const fixture = this.state.devices.get(device.fixtureId ?? "");
      return { factoryfirmware: true, factory_imp: fixture?.mac ?? "", factory_imp_device_id: device.fixtureId ?? "" };
    }
    return {};
  }

  /** A fixture asks for a factory enrolment token (seed 001): only a device in a fixture group gets one. */
  factoryToken(deviceId: string): FactoryTokenGrant | null {
    const device = this.state.devices.get(deviceId);
    const group = this.findGroup(device?.groupId ?? "");
    if (device === undefined || group === undefined || !isFixtureGroupType(group.type)) return null;
    const token = this.issueToken("factory", device.id, group.id);
    return { planId: token.planId, enrolmentToken: token.token };
  }

  /** server.bless (seed 000): decided, recorded (journalled before the answer), webhook, restart signal. */
  bless(deviceId: string, pass: boolean): boolean {
    const device = this.state.devices.get(deviceId);
    const decision = decideBlessing(device, pass, (id) => (id === null ? undefined : this.state.groups.get(id)));
    const groupName = (id: string | null | undefined) => (id == null ? null : (this.state.groups.get(id)?.name ?? null));
    if (!decision.ok) {
      // "the failure is logged at the server" (seed 000).
      this.appendLog(deviceId, device?.groupId ?? null, "status", `blessing failed: ${decision.reason}`);
      this.trace.record(this.scheduler.now, deviceId, "bless", { pass, ok: false, group: groupName(device?.groupId), reason: decision.reason });
      return false;
    }
    const production = decision.productionGroup;
    const blessed: CloudDevice = { ...device!, blessed: true, blessedAt: this.time(), activation: "unactivated", agent: false };
    this.appendLog(deviceId, device!.groupId, "status", `blessed: now a production device in "${production.name}"`);
    this.setGroup(blessed, production, "blessed");
    this.trace.record(this.scheduler.now, deviceId, "bless", { pass, ok: true, group: production.name });
    this.fireWebhooks(production, "blessing", { device_id: deviceId, imp_id: impId(device!.mac) }, deviceId);
    if (production.loadCodeAfterBlessing) {
      // Sent two seconds after the callback runs on the DUT (seed 000); the answer that runs it takes one latency to arrive.
      this.later(() => {
        const session = this.sessions.get(deviceId);
        if (session === undefined) return;
        this.trace.record(this.scheduler.now, deviceId, "restart-signal", { reason: "blessed: load the application firmware" });
        session.reload("new-squirrel", true);
      }, BLESS_RESTART_MS * MICROS_PER_MILLI + this.latency);
    }
    return true;
  }

  reportState(report: DeviceStateReport): void {
    const device = this.state.devices.get(report.deviceId);
    if (device !== undefined && device.impOSVersion !== report.impOSVersion) this.put("devices", device.id, { ...device, impOSVersion: report.impOSVersion });
  }

  /** agent.send from a device reaches the cloud (no agent runs it yet). */
  agentSend(deviceId: string, name: string, dataJson: string): void {
    const message: AgentMessage = { t: this.scheduler.now, deviceId, name, dataJson };
    this.agentMessages.push(message);
    this.onAgentMessage?.(message);
  }

  /** A line from the device lands in its current group's log (seed 001). */
  deviceLog(deviceId: string, kind: "log" | "error", message: string): void {
    this.appendLog(deviceId, this.state.devices.get(deviceId)?.groupId ?? null, kind, message);
  }

  // ------------------------------------------------------------ inside

  private refuse(hello: DeviceHello, known: CloudDevice | undefined, reason: string): { ok: false; reason: string } {
    this.appendLog(hello.deviceId, known?.groupId ?? null, "status", `activation refused: ${reason}`);
    this.trace.record(this.scheduler.now, hello.deviceId, "enroll", { ok: false, group: null, reason });
    return { ok: false, reason };
  }

  private newDevice(hello: Pick<DeviceHello, "deviceId" | "macAddress" | "model"> & { impOSVersion: string | null }): CloudDevice {
    return {
      id: hello.deviceId,
      mac: hello.macAddress,
      model: hello.model,
      groupId: null,
      blessed: false,
      blessedAt: null,
      activation: "unactivated",
      fixtureId: null,
      fixtureGroupId: null,
      agent: false,
      impOSVersion: hello.impOSVersion,
    };
  }

  private setGroup(device: CloudDevice, group: DeviceGroup | null, reason: string): CloudDevice {
    const moved = { ...device, groupId: group?.id ?? null };
    this.put("devices", moved.id, moved);
    this.trace.record(this.scheduler.now, device.id, "assign", { group: group?.name ?? null, type: group === null ? null : EI_GROUP_TYPE[group.type], reason });
    return moved;
  }

  private restartDevice(deviceId: string, reason: ReloadReason, force: boolean): boolean {
    const session = this.sessions.get(deviceId);
    if (session === undefined) return false;
    session.reload(reason, force);
    return true;
  }

  private issueToken(kind: "factory" | "production", fixtureId: string | null, fixtureGroupId: string | null): EnrollmentToken {
    const n = this.bump();
    const token: EnrollmentToken = { token: tokenText(this.seed, kind, n), kind, planId: this.planId, fixtureId, fixtureGroupId, issuedAt: this.time() };
    this.put("tokens", token.token, token);
    return token;
  }

  private fireWebhooks(group: DeviceGroup, event: WebhookEvent, payload: WebhookPayload, deviceId: string | null): void {
    for (const webhook of this.state.webhooks.values()) {
      if (webhook.groupId === group.id && webhook.event === event) this.webhooks.deliver(webhook, payload, deviceId);
    }
  }

  private appendLog(deviceId: string, groupId: string | null, kind: LogEntry["kind"], message: string): void {
    const entry: LogEntry = { t: this.scheduler.now, time: this.time(), deviceId, groupId, kind, message };
    this.state.logs.push(entry);
    this.file?.log(entry);
  }

  private put<C extends CollectionName>(collection: C, id: string, value: CloudState[C] extends Map<string, infer V> ? V : never): void {
    (this.state[collection] as Map<string, unknown>).set(id, value);
    this.file?.put(collection, id, value);
  }

  private bump(): number {
    const counter = this.state.account.counter + 1;
    this.state.account = { ...this.state.account, counter };
    this.file?.account(this.state.account);
    return counter;
  }

  private nextId(prefix: string): string {
    return `${prefix}-${this.bump()}`;
  }
}

/** spec §6.6: the blessing webhook's imp_id is "derived from, not equal to, MAC". chosen: 16 hex digits of SHA-256 of the MAC. */
export function impId(mac: string): string {
  return bytesToHex(sha256(utf8ToBytes(`imp id\0${mac}`))).slice(0, 16);
}

/** One device's open session with the impCloud. */
class ImpSession extends SessionTransport<ImpCloud> implements CloudSession {
  /** Activation was refused: the code-check answer tells the imp to erase its credentials (seed 004 step 4, note). */
  private rejected = false;

  activate(planId: string, enrolmentToken: string, done: (activated: boolean) => void): void {
    this.roundTrip(() => {
      const { ok } = this.cloud.activate(this.hello, planId, enrolmentToken);
      this.rejected = !ok;
      return ok;
    }, done);
  }

  reportState(report: DeviceStateReport): void {
    this.cloud.later(() => {
      if (!this.open) return;
      this.impOSVersion = report.impOSVersion;
      this.cloud.reportState(report);
    });
  }

  checkCode(hash: string | null, done: (answer: CodeCheckAnswer) => void): void {
    this.roundTrip(() => this.cloud.answer({ ...this.hello, impOSVersion: this.impOSVersion }, hash, this.rejected), done);
  }

  log(kind: "log" | "error", message: string): void {
    this.cloud.later(() => this.cloud.deviceLog(this.deviceId, kind, message));
  }

  agentSend(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.cloud.agentSend(this.deviceId, name, dataJson);
    });
  }

  bless(pass: boolean, done: (blessed: boolean) => void): void {
    this.roundTrip(() => this.cloud.bless(this.deviceId, pass), done);
  }

  requestFactoryToken(done: (grant: FactoryTokenGrant | null) => void): void {
    this.roundTrip(() => this.cloud.factoryToken(this.deviceId), done);
  }

  // ---- the cloud's side

  /** A message from the device's agent. */
  agentMessage(name: string, dataJson: string): void {
    this.cloud.later(() => {
      if (this.open) this.inbox.agentMessage(name, dataJson);
    });
  }
}
