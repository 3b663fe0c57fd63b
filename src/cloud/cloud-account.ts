// The impCloud as its account holder sees it, impt-style: products, device groups of every type
// with their targets, deployments, devices and their assignment, webhooks, production tokens
// and per-group logs, all kept in the account's records (cloud-state.ts, journalled with
// --state). The device side of the cloud (imp-cloud.ts) builds on these records.

import {
  DEFAULT_IMPOS_VERSION,
  firmwareTooLarge,
  type DeviceHello,
  type ReloadReason,
} from "../device/cloud-link.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { compile } from "../squirrel/index.ts";
import type { CloudDevice } from "./cloud-device.ts";
import { CloudStateFile, emptyState, type CloudState, type CollectionName } from "./cloud-state.ts";
import { AGENT_CODE_FILE, DEVICE_CODE_FILE, deploymentSha, type Deployment } from "./deployment.ts";
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
import {
  WebhookDelivery,
  WEBHOOK_RETRY,
  type WebhookPayload,
  type WebhookRetry,
} from "./webhook-delivery.ts";
import {
  WEBHOOK_EVENTS,
  WEBHOOK_MIMES,
  type Webhook,
  type WebhookEvent,
  type WebhookMime,
} from "./webhook.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** chosen: virtual time 0 is 2025-01-01T00:00:00Z unless said otherwise. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1) / 1000;

/** The product the simulation's development device groups belong to, made when first needed. */
export const DEVELOPMENT_PRODUCT = "development";

/** An impt-style mistake (unknown group, a manual assignment to a production group, a wrong key). */
export class CloudError extends Error {
  override name = "CloudError";
}

export interface CloudAccountOptions {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  /** Unix seconds at virtual time 0. */
  readonly startTime?: number;
  /** Seeds tokens and keys, so runs are reproducible (default "virtual-imp"). */
  readonly seed?: string;
  /** Keep state in this directory (`--state DIR`); default in memory. */
  readonly stateDir?: string | null;
  /** Create the state when stateDir holds none (default true; `vimp cloud` only reads what exists). */
  readonly createState?: boolean;
  /** The impOS release the cloud wants devices on (default: what a new virtual imp runs). */
  readonly impOSRelease?: string;
  /** Webhook retry policy (tests shorten it). */
  readonly webhookRetry?: WebhookRetry;
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

/** The account's side of the impCloud; the device conversation (ImpCloud) extends it. */
export abstract class CloudAccount {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly webhooks: WebhookDelivery;
  readonly state: CloudState;
  /** The impOS release devices are moved to at connection (the Connected Factory quick start, "Important Note on impOS Updates"). */
  impOSRelease: string;
  private readonly startTime: number;
  private readonly seed: string;
  private readonly file: CloudStateFile | null;

  constructor(options: CloudAccountOptions) {
    this.scheduler = options.scheduler;
    this.trace = options.trace;
    this.startTime = options.startTime ?? DEFAULT_START_TIME;
    this.seed = options.seed ?? "virtual-imp";
    this.impOSRelease = options.impOSRelease ?? DEFAULT_IMPOS_VERSION;
    this.file =
      options.stateDir != null
        ? new CloudStateFile(options.stateDir, { create: options.createState ?? true })
        : null;
    const loaded = this.file?.load() ?? null;
    if (loaded !== null) {
      this.state = loaded;
    } else {
      const hex = (what: string) => bytesToHex(sha256(utf8ToBytes(`${this.seed}\0${what}`)));
      // Seed 002 "Unblessing": the account's unblessing key; /resources/imp-boot-procedure: the production plan id.
      this.state = emptyState({
        unblessingKey: hex("unblessing key").slice(0, 40),
        planId: hex("plan id").slice(0, 24),
        counter: 0,
      });
      this.file?.account(this.state.account);
    }
    // Pending deliveries are part of the state, journalled before they are sent.
    this.webhooks = new WebhookDelivery(
      this.scheduler,
      this.trace,
      options.webhookRetry ?? WEBHOOK_RETRY,
      {
        newId: () => this.nextId("delivery"),
        put: (delivery) => this.put("deliveries", delivery.id, delivery),
        delivered: (id) => {
          this.state.deliveries.delete(id);
          this.file?.remove("deliveries", id);
        },
      },
    );
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
    if (this.findProduct(name) !== undefined)
      throw new CloudError(`a product named "${name}" already exists`);
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
    return (
      this.state.products.get(ref) ?? [...this.state.products.values()].find((p) => p.name === ref)
    );
  }

  /** `impt dg create` (the impt Production Guide): a fixture group needs a production target (and a DUT target) of the right zone. */
  createDeviceGroup(options: CreateGroupOptions): DeviceGroup {
    const product = this.product(options.product);
    if (!DEVICE_GROUP_TYPES.includes(options.type))
      throw new CloudError(
        `"${String(options.type)}" is not a device group type (${DEVICE_GROUP_TYPES.join(", ")})`,
      );
    if (this.findGroup(options.name) !== undefined)
      throw new CloudError(`a device group named "${options.name}" already exists`);
    let dutTarget: string | null = null;
    let productionTarget: string | null = null;
    if (isFixtureGroupType(options.type)) {
      const want = targetTypes(options.type);
      if (options.productionTarget === undefined)
        throw new CloudError(
          `fixture group "${options.name}" needs a production target (seed 002)`,
        );
      const production = this.deviceGroup(options.productionTarget);
      if (production.type !== want.production)
        throw new CloudError(
          `the production target of "${options.name}" must be a ${want.production} group, not ${production.type}`,
        );
      productionTarget = production.id;
      if (options.dutTarget !== undefined) {
        const dut = this.deviceGroup(options.dutTarget);
        if (dut.type !== want.dut)
          throw new CloudError(
            `the DUT target of "${options.name}" must be a ${want.dut} group, not ${dut.type}`,
          );
        dutTarget = dut.id;
      }
    } else if (options.dutTarget !== undefined || options.productionTarget !== undefined) {
      throw new CloudError(
        `only fixture groups have targets ("${options.name}" is ${options.type})`,
      );
    }
    const group: DeviceGroup = {
      id: this.nextId("dg"),
      name: options.name,
      productId: product.id,
      type: options.type,
      description: options.description ?? "",
      dutTarget,
      productionTarget,
      loadCodeAfterBlessing: options.loadCodeAfterBlessing ?? true, // the impt Production Guide: "always has the value true" when created
      currentDeployment: null,
    };
    this.put("groups", group.id, group);
    return group;
  }

  /** `impt dg update`: load-code-after-blessing (production groups) and targets (fixture groups). */
  updateDeviceGroup(ref: string, changes: { loadCodeAfterBlessing?: boolean }): DeviceGroup {
    const group = this.deviceGroup(ref);
    if (changes.loadCodeAfterBlessing !== undefined && !isProductionGroupType(group.type)) {
      throw new CloudError(
        `load-code-after-blessing is a production group setting; "${group.name}" is ${group.type}`,
      );
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
    return (
      this.state.groups.get(ref) ?? [...this.state.groups.values()].find((g) => g.name === ref)
    );
  }

  /**
   * The development device group named `name`, made (in the `development` product, with no
   * deployment) if the account has none; a group of that name of another type is an error.
   */
  developmentGroup(name: string): DeviceGroup {
    const group = this.findGroup(name);
    if (group !== undefined) {
      if (group.type !== "development")
        throw new CloudError(`"${name}" is a ${group.type} device group, not a development one`);
      return group;
    }
    const product =
      this.findProduct(DEVELOPMENT_PRODUCT) ?? this.createProduct(DEVELOPMENT_PRODUCT);
    return this.createDeviceGroup({ product: product.id, name, type: "development" });
  }

  get groups(): DeviceGroup[] {
    return [...this.state.groups.values()];
  }

  /**
   * Deploys code to a group (the Connected Factory quick start "Polite Firmware Deployment"): compiled first, so code
   * that does not compile is refused with the compiler's message. Online devices of the group
   * get a reload — through server.onshutdown unless `force`; offline ones get the code when
   * they next connect.
   */
  deploy(
    ref: string,
    code: DeployOptions,
    options: { force?: boolean; promoted?: boolean } = {},
  ): Deployment {
    const group = this.deviceGroup(ref);
    const file = code.file ?? DEVICE_CODE_FILE;
    const tooLarge = firmwareTooLarge(code.deviceCode.length);
    if (tooLarge !== null)
      throw new CloudError(`device code of "${group.name}": ${tooLarge} on an imp`);
    compile(code.deviceCode, file);
    // Agent code too: a deployment whose agent code does not compile is refused before it exists.
    if (code.agentCode !== undefined && code.agentCode.trim() !== "")
      compile(code.agentCode, AGENT_CODE_FILE);
    const previous = this.currentDeployment(group);
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
    this.trace.record(this.scheduler.now, null, "deployment", {
      id: deployment.id,
      sha: deployment.sha,
      group: group.name,
    });
    this.fireWebhooks(
      group,
      "deployment",
      { deployment_id: deployment.id, devicegroup_id: group.id, sha: deployment.sha },
      null,
    );
    // Agent-only changes need no device restart (deployment.ts, deploymentSha); agents restart on their own.
    if (previous?.sha !== deployment.sha || options.force === true)
      this.restartGroup(group.id, { force: options.force === true });
    return deployment;
  }

  /** Promotes a deployment (/manufacturing/factoryfirmware "Running Factory Firmware"). */
  promote(deploymentId: string, promoted = true): Deployment {
    const deployment = this.deployment(deploymentId);
    const updated = { ...deployment, promoted };
    this.put("deployments", deployment.id, updated);
    return updated;
  }

  /**
   * `impt build copy --build X --dg G` (the impt Production Guide): a Production Zone group takes only promoted
   * deployments (/manufacturing/factoryfirmware: "To use your fixture firmware in production, you will need to promote it").
   */
  copyBuild(deploymentId: string, ref: string, options: { force?: boolean } = {}): Deployment {
    const source = this.deployment(deploymentId);
    const group = this.deviceGroup(ref);
    if (!group.type.startsWith("pre-") && group.type !== "development" && !source.promoted) {
      throw new CloudError(
        `deployment ${source.id} is not promoted: promote it before deploying it to the ${group.type} group "${group.name}"`,
      );
    }
    return this.deploy(
      group.id,
      {
        deviceCode: source.deviceCode,
        agentCode: source.agentCode,
        description: source.description,
        file: source.file,
      },
      { force: options.force, promoted: source.promoted },
    );
  }

  deployment(id: string): Deployment {
    const deployment = this.state.deployments.get(id);
    if (deployment === undefined) throw new CloudError(`no deployment "${id}"`);
    return deployment;
  }

  currentDeployment(group: DeviceGroup): Deployment | null {
    return group.currentDeployment === null
      ? null
      : (this.state.deployments.get(group.currentDeployment) ?? null);
  }

  /**
   * A device joins the account (a fixture or development device, BlinkUp'd with the Electric
   * Imp app), in the development group `developmentGroup` if one is named (made if need be).
   */
  registerDevice(
    hello: { deviceId: string; macAddress: string; model: string },
    developmentGroup?: string,
  ): CloudDevice {
    const known = this.state.devices.get(hello.deviceId);
    if (known !== undefined) return known;
    const groupId =
      developmentGroup === undefined ? null : this.developmentGroup(developmentGroup).id;
    const device: CloudDevice = {
      ...this.newDevice({ ...hello, impOSVersion: null }),
      groupId,
      activation: "development",
      agent: true,
    };
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
    return (
      this.state.devices.get(ref) ?? [...this.state.devices.values()].find((d) => d.mac === ref)
    );
  }

  /** `impt device list [--dg G]`. */
  devices(filter: { group?: string } = {}): CloudDevice[] {
    const all = [...this.state.devices.values()];
    if (filter.group === undefined) return all;
    const group = this.deviceGroup(filter.group);
    return all.filter((d) => d.groupId === group.id);
  }

  /**
   * `impt device assign` (the impt Production Guide): development devices and fixtures to any non-factory-managed
   * group; production devices only between production groups of one product ("It is not
   * possible to assign a newly assembled device to a Production Device Group manually"; DUT
   * groups are filled by factory BlinkUp alone). An online device restarts at once into the new
   * group's code (/api/server/onshutdown: reassignment bypasses server.onshutdown).
   */
  assign(deviceRef: string, groupRef: string): CloudDevice {
    const device = this.device(deviceRef);
    const group = this.deviceGroup(groupRef);
    if (device.blessed) {
      const from = this.findGroup(device.groupId ?? "");
      if (!isProductionGroupType(group.type))
        throw new CloudError(
          `device ${device.id} is blessed: it can only move to another production group (unbless it first)`,
        );
      if (from !== undefined && from.productId !== group.productId)
        throw new CloudError(
          `device ${device.id} can only move between production groups of one product`,
        );
    } else if (isProductionGroupType(group.type) || isDutGroupType(group.type)) {
      throw new CloudError(
        `a device cannot be assigned to the ${group.type} group "${group.name}" manually: DUTs join DUT groups by factory BlinkUp and production groups by blessing (seed 002)`,
      );
    }
    const moved = this.setGroup(device, group, "assigned");
    this.restartDevice(device.id, "new-squirrel", true);
    return moved;
  }

  /** `impt device unassign [--unbond KEY]` (the impt Production Guide "Unblessing"). */
  unassign(deviceRef: string, options: { unbond?: string } = {}): CloudDevice {
    let device = this.device(deviceRef);
    if (device.blessed) {
      if (options.unbond === undefined)
        throw new CloudError(
          `device ${device.id} is a production device: unassigning it needs --unbond with the account's unblessing key`,
        );
      if (options.unbond !== this.unblessingKey) throw new CloudError("wrong unblessing key");
      device = { ...device, blessed: false, blessedAt: null, activation: "development" };
      this.appendLog(
        device.id,
        device.groupId,
        "status",
        "unblessed with the account's unblessing key",
      );
    }
    return this.setGroup(device, null, "unassigned");
  }

  /** `impt dg restart` (the impt Production Guide "New Versions"): online devices of the group restart. */
  restartGroup(ref: string, options: { force?: boolean } = {}): number {
    const group = this.deviceGroup(ref);
    let count = 0;
    for (const device of this.state.devices.values()) {
      if (
        device.groupId === group.id &&
        this.restartDevice(device.id, "new-squirrel", options.force === true)
      )
        count++;
    }
    return count;
  }

  /** `impt webhook create --dg G --url U --event E --mime M` (the impt Production Guide). */
  createWebhook(options: {
    group: string;
    url: string;
    event: WebhookEvent;
    mime?: WebhookMime;
  }): Webhook {
    const group = this.deviceGroup(options.group);
    if (!WEBHOOK_EVENTS.includes(options.event))
      throw new CloudError(
        `"${String(options.event)}" is not a webhook event (${WEBHOOK_EVENTS.join(", ")})`,
      );
    const mime = options.mime ?? "json";
    if (!WEBHOOK_MIMES.includes(mime))
      throw new CloudError(`"${String(mime)}" is not a webhook mime (${WEBHOOK_MIMES.join(", ")})`);
    if (options.event !== "deployment" && !isProductionGroupType(group.type)) {
      throw new CloudError(
        `${options.event} webhooks are set on production groups (seed 003); "${group.name}" is ${group.type}`,
      );
    }
    const webhook: Webhook = {
      id: this.nextId("webhook"),
      groupId: group.id,
      event: options.event,
      url: options.url,
      mime,
    };
    this.put("webhooks", webhook.id, webhook);
    return webhook;
  }

  /** A production plan id and enrolment token, as the BlinkUp SDK fetches them for an end user's BlinkUp (/resources/imp-boot-procedure). */
  issueProductionToken(): { planId: string; enrolmentToken: string } {
    const token = this.issueToken("production", null, null);
    return { planId: token.planId, enrolmentToken: token.token };
  }

  /** The log of one group or one device (`impt log get`), oldest first. */
  logs(filter: { group?: string; device?: string } = {}): LogEntry[] {
    const group = filter.group === undefined ? undefined : this.deviceGroup(filter.group).id;
    return this.state.logs.filter(
      (e) =>
        (group === undefined || e.groupId === group) &&
        (filter.device === undefined || e.deviceId === filter.device),
    );
  }

  /** Writes a compact snapshot (with --state); the journal already holds every change. */
  save(): void {
    this.file?.compact(this.state);
  }

  /** Restarts the device's Squirrel if it is online; false if it is not. */
  protected abstract restartDevice(deviceId: string, reason: ReloadReason, force: boolean): boolean;

  // ------------------------------------------------------------ the records

  protected newDevice(
    hello: Pick<DeviceHello, "deviceId" | "macAddress" | "model"> & { impOSVersion: string | null },
  ): CloudDevice {
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

  protected setGroup(device: CloudDevice, group: DeviceGroup | null, reason: string): CloudDevice {
    const moved = { ...device, groupId: group?.id ?? null };
    this.put("devices", moved.id, moved);
    this.trace.record(this.scheduler.now, device.id, "assign", {
      group: group?.name ?? null,
      type: group === null ? null : EI_GROUP_TYPE[group.type],
      reason,
    });
    return moved;
  }

  protected issueToken(
    kind: "factory" | "production",
    fixtureId: string | null,
    fixtureGroupId: string | null,
  ): EnrollmentToken {
    const n = this.bump();
    const token: EnrollmentToken = {
      token: tokenText(this.seed, kind, n),
      kind,
      planId: this.planId,
      fixtureId,
      fixtureGroupId,
      issuedAt: this.time(),
    };
    this.put("tokens", token.token, token);
    return token;
  }

  protected fireWebhooks(
    group: DeviceGroup,
    event: WebhookEvent,
    payload: WebhookPayload,
    deviceId: string | null,
  ): void {
    for (const webhook of this.state.webhooks.values()) {
      if (webhook.groupId === group.id && webhook.event === event)
        this.webhooks.deliver(webhook, payload, deviceId);
    }
  }

  protected appendLog(
    deviceId: string,
    groupId: string | null,
    kind: LogEntry["kind"],
    message: string,
  ): void {
    const entry: LogEntry = {
      t: this.scheduler.now,
      time: this.time(),
      deviceId,
      groupId,
      kind,
      message,
    };
    this.state.logs.push(entry);
    this.file?.log(entry);
  }

  protected put<C extends CollectionName>(
    collection: C,
    id: string,
    value: CloudState[C] extends Map<string, infer V> ? V : never,
  ): void {
    (this.state[collection] as Map<string, unknown>).set(id, value);
    this.file?.put(collection, id, value);
  }

  private bump(): number {
    const counter = this.state.account.counter + 1;
    this.state.account = { ...this.state.account, counter };
    this.file?.account(this.state.account);
    return counter;
  }

  protected nextId(prefix: string): string {
    return `${prefix}-${this.bump()}`;
  }
}
