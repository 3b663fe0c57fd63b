// A whole simulated world: the one scheduler, the one trace, the impCloud and the devices —
// what `vimp run`, the factory line and `virtual-imp/testing` build on. It lives in world/,
// above both the devices and the cloud it composes; sim/ below holds the clock and the trace.
//
// Time moves only through the run methods here (runFor, runTo, runUntil). Between events they
// wait for work the devices started asynchronously — building a Squirrel VM instantiates
// WebAssembly — so firmware starts at the virtual time its boot asked for, and a run is
// deterministic: the same inputs give the same trace. Driving `scheduler` directly works too,
// but then a VM that is still being built starts at whatever time the clock has reached.
//
// A blocking call (imp.sleep, a pulse-counter read, a send that waits for the connection) runs
// the clock from inside the event that made it — other devices go on meanwhile — and an event
// always runs to its end. So a run method can return with the clock past its target, when a
// device was blocked across it; and a runUntil predicate is checked between events only.
// Schedule an input with `scheduler.at()` to have it happen during such a block.

import type { Engine } from "../sandbox/engine.ts";
import { defaultQuickJSEngine } from "../sandbox/quickjs-engine.ts";
import type { Deployment } from "../cloud/deployment.ts";
import { ImpCloud } from "../cloud/imp-cloud.ts";
import { CloudAgents } from "../cloud/cloud-agents.ts";
import type { Agent, AgentCode } from "../agent/host/agent.ts";
import { Device, type DeviceOptions } from "../device/device.ts";
import { deriveIdentity, IdentitySequence } from "../device/identity.ts";
import { modelNamed } from "../device/models/index.ts";
import type { ImpModel } from "../device/models/model.ts";
import { Scheduler } from "../sim/scheduler.ts";
import { Trace, type TraceOptions } from "../sim/trace.ts";

/**
 * chosen: how long one event may run in wall-clock time before it counts as a runaway loop.
 * Generous, so a slow machine never stops honest firmware; tests of runaway loops set less.
 */
export const DEFAULT_SLICE_TIMEOUT_MS = 10_000;

/** Firmware as a deployment holds it: Squirrel source (a byte string) and the name it runs under. */
export interface Firmware {
  readonly source: string;
  readonly file?: string;
  /** The agent code deployed with it (none: the device runs no agent). */
  readonly agent?: AgentCode;
}

/** The development device group devices join when no other is named. */
export const DEFAULT_DEVICE_GROUP = "development";

export interface SimulationOptions {
  /** Seeds device identities and math.rand (default "virtual-imp"). */
  readonly seed?: string;
  /** UTC at virtual time 0, as a Date or Unix seconds (default 2025-01-01T00:00:00Z). */
  readonly startTime?: Date | number;
  readonly engine?: Engine;
  /**
   * The impCloud devices connect to; default one made here. A function is called with the
   * simulation's scheduler and trace, for a cloud set up otherwise (the factory line's) that
   * lives on the same clock.
   */
  readonly cloud?: (world: { scheduler: Scheduler; trace: Trace; agents: CloudAgents }) => ImpCloud;
  /** One-way latency of the impCloud made here, in ms (default 50). */
  readonly latencyMs?: number;
  /** Wall-clock ms one event may run before it is stopped as a runaway (default 10 s). */
  readonly sliceTimeoutMs?: number;
  /** Engine memory per VM in bytes (the hard limit; default the engine's minimum, 16 MiB). */
  readonly vmMemoryLimit?: number;
  readonly trace?: TraceOptions;
  /** The device runtime script (default dist/device-runtime.js). */
  readonly deviceBundle?: { readonly code: string; readonly filename: string };
  /**
   * Wall-clock ms the clock waits for an agent's outgoing HTTP answer before it runs on
   * (default 30 s); the request's own timeout still counts in virtual time.
   */
  readonly httpHoldMs?: number;
  /** Keep the impCloud's state (and agents' server.save data) in this directory between runs. */
  readonly stateDir?: string | null;
}

export interface AddDeviceOptions {
  /** The model, or its name ("imp001", "imp003"). */
  readonly model: ImpModel | string;
  /** Device firmware: deployed to the device's group (a string is the source). */
  readonly firmware?: string | Firmware;
  /** Agent code, deployed with the firmware: the device's agent runs it (a string is the source). */
  readonly agent?: string | AgentCode;
  /** Seeds this device's identity instead of the simulation's sequence. */
  readonly seed?: string;
  /**
   * The development device group to join (default "development", or one per distinct
   * firmware); null: the device joins no group (the caller enrols it, as the factory line does).
   */
  readonly deviceGroup?: string | null;
  /** What secure storage holds at first (default: WiFi set, activated, no code). */
  readonly storage?: DeviceOptions["storage"];
  /** Power the device on at once (default false: call device.powerOn()). */
  readonly powerOn?: boolean;
}

export class Simulation {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly cloud: ImpCloud;
  /** The agents of the cloud's devices. */
  readonly agents: CloudAgents;
  private readonly engine: Engine;
  private readonly identities: IdentitySequence;
  private readonly seed: string;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly failures: unknown[] = [];
  private readonly all: Device[] = [];
  private readonly byId = new Map<string, Device>();
  private readonly groupsByFirmware = new Map<string, string>();

  constructor(private readonly options: SimulationOptions = {}) {
    this.scheduler = new Scheduler();
    this.trace = new Trace(options.trace);
    const start = options.startTime;
    this.engine = options.engine ?? defaultQuickJSEngine();
    this.agents = new CloudAgents({
      engine: this.engine,
      scheduler: this.scheduler,
      trace: this.trace,
      track: (work) => this.track(work),
      sliceTimeoutMs: options.sliceTimeoutMs ?? DEFAULT_SLICE_TIMEOUT_MS,
      httpHoldMs: options.httpHoldMs,
    });
    this.cloud =
      options.cloud?.({ scheduler: this.scheduler, trace: this.trace, agents: this.agents }) ??
      new ImpCloud({
        scheduler: this.scheduler,
        trace: this.trace,
        latencyMs: options.latencyMs,
        startTime: start instanceof Date ? start.getTime() / 1000 : start,
        agents: this.agents,
        stateDir: options.stateDir ?? null,
      });
    this.seed = options.seed ?? "virtual-imp";
    this.identities = new IdentitySequence(this.seed);
  }

  /** Virtual time now, in µs. */
  get now(): number {
    return this.scheduler.now;
  }

  get devices(): readonly Device[] {
    return this.all;
  }

  /** The device with this id; throws for an unknown one. */
  device(id: string): Device {
    const device = this.byId.get(id);
    if (device === undefined) throw new Error(`no device ${id} in this simulation`);
    return device;
  }

  /**
   * Adds a device, enrolled in a development device group of the impCloud. Its firmware, if
   * given, is compiled and deployed to that group first, so firmware that does not compile
   * fails here with the file and line.
   */
  addDevice(options: AddDeviceOptions): Device {
    const model = typeof options.model === "string" ? modelNamed(options.model) : options.model;
    const identity =
      options.seed !== undefined
        ? deriveIdentity(model, options.seed)
        : this.identities.next(model);
    if (this.byId.has(identity.deviceId))
      throw new Error(`a device with id ${identity.deviceId} is already in this simulation`);
    const device = new Device({
      model,
      identity,
      scheduler: this.scheduler,
      trace: this.trace,
      engine: this.engine,
      cloud: this.cloud,
      track: (work) => this.track(work),
      sliceTimeoutMs: this.options.sliceTimeoutMs ?? DEFAULT_SLICE_TIMEOUT_MS,
      memoryLimit: this.options.vmMemoryLimit,
      randomSeed: Number.parseInt(identity.deviceId.slice(-8), 16) | 0,
      storage: options.storage,
      bundle: this.options.deviceBundle,
    });
    this.all.push(device);
    this.byId.set(device.id, device);
    const agent = typeof options.agent === "string" ? { source: options.agent } : options.agent;
    const given =
      typeof options.firmware === "string" ? { source: options.firmware } : options.firmware;
    // An agent without device firmware runs beside a device with none (`vimp run --agent-only`).
    const firmware =
      given === undefined && agent === undefined
        ? undefined
        : { source: "", ...given, ...(agent !== undefined ? { agent } : {}) };
    if (options.deviceGroup !== null) {
      const group =
        options.deviceGroup ??
        (firmware === undefined ? DEFAULT_DEVICE_GROUP : this.groupFor(firmware));
      this.cloud.registerDevice(
        { deviceId: device.id, macAddress: device.macAddress, model: model.type },
        group,
      );
      const current = this.cloud.currentDeployment(this.cloud.developmentGroup(group));
      if (
        firmware !== undefined &&
        (current?.deviceCode !== firmware.source ||
          current.agentCode !== (firmware.agent?.source ?? ""))
      ) {
        this.cloud.deploy(group, {
          deviceCode: firmware.source,
          file: firmware.file,
          agentCode: firmware.agent?.source,
        });
      }
    }
    if (options.powerOn === true) device.powerOn();
    return device;
  }

  /** Deploys new firmware to a device's group (or a named group): its online devices get a reload. */
  deploy(
    target: Device | string,
    firmware: string | Firmware,
    options: { force?: boolean } = {},
  ): Deployment {
    const group =
      typeof target === "string"
        ? (this.cloud.findGroup(target) ?? this.cloud.developmentGroup(target)).id
        : this.cloud.findDevice(target.id)?.groupId;
    if (group == null) throw new Error(`device ${(target as Device).id} is in no device group`);
    const { source, file, agent } =
      typeof firmware === "string"
        ? { source: firmware, file: undefined, agent: undefined }
        : firmware;
    return this.cloud.deploy(
      group,
      { deviceCode: source, file, agentCode: agent?.source },
      options,
    );
  }

  /** Runs the clock forward by `duration` µs. */
  async runFor(duration: number): Promise<void> {
    await this.runTo(this.scheduler.now + duration);
  }

  /** Runs every event up to virtual time `time` (µs), then leaves the clock there. */
  async runTo(time: number): Promise<void> {
    for (;;) {
      await this.settle();
      const next = this.scheduler.nextTime;
      if (next === null || next > time) break;
      this.scheduler.step();
    }
    if (this.scheduler.now < time) this.scheduler.runUntil(time);
  }

  /**
   * Runs events until `predicate()` holds (checked before each event and after it) or `timeout`
   * µs of virtual time have passed. Resolves true if the predicate held.
   */
  async runUntil(predicate: () => boolean, timeout: number): Promise<boolean> {
    const end = this.scheduler.now + timeout;
    for (;;) {
      await this.settle();
      if (predicate()) return true;
      const next = this.scheduler.nextTime;
      if (next === null || next > end) break;
      this.scheduler.step();
    }
    if (this.scheduler.now < end) this.scheduler.runUntil(end);
    return predicate();
  }

  /** Waits for the work devices started (VMs being built); rethrows the first failure. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.failures.length > 0) throw this.failures.shift();
  }

  /** The agent of a device (the device or its id), if it has one. */
  agent(device: Device | string): Agent | undefined {
    return this.agents.agent(typeof device === "string" ? device : device.id);
  }

  /** Powers every device off and stops every agent, freeing their VMs. */
  async dispose(): Promise<void> {
    await this.settle().catch(() => {});
    for (const device of this.all) device.powerOff();
    this.agents.stopAll();
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => {},
      (error: unknown) => {
        this.failures.push(error);
      },
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** One development device group per distinct firmware, so devices running different code can share a simulation. */
  private groupFor(firmware: Firmware): string {
    const key = `${firmware.file ?? ""}\0${firmware.source}\0${firmware.agent?.source ?? ""}`;
    let group = this.groupsByFirmware.get(key);
    if (group === undefined) {
      group =
        this.groupsByFirmware.size === 0
          ? DEFAULT_DEVICE_GROUP
          : `${DEFAULT_DEVICE_GROUP}-${this.groupsByFirmware.size + 1}`;
      this.groupsByFirmware.set(key, group);
    }
    return group;
  }
}
