// Running a production line (issue 4): the impCloud set up as the line file says, fixtures
// booted into their fixture group, and at each fixture a DUT station — one DUT at a time is
// powered up in front of the fixture's BlinkUp LED (optical-link.ts), the operator presses the
// fixture's button, and the station watches the one trace until the DUT ends: blessed (and, with
// load-code-after-blessing, running its application firmware), failed (LED red), refused
// (enrolment refused), or unindicated (no blessing within the station's time: DUT firmware
// without server.bless, the Connected Factory quick start "Blessing Issues"). Then the DUT is taken away (powered off)
// and the next is placed. Stations work side by side on the one virtual clock.

import type { Engine } from "../sandbox/engine.ts";
import { ImpCloud } from "../cloud/imp-cloud.ts";
import type { WebhookRetry } from "../cloud/webhook-delivery.ts";
import type { Device } from "../device/device.ts";
import { Simulation } from "../world/simulation.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { WAKE_REASONS } from "../device/shared/wake-reasons.ts";
import type { DutRecord, LineReport } from "./dut-report.ts";
import type { LineDuts, LineFixture, LineSpec } from "./line-file.ts";
import { OpticalLink } from "./optical-link.ts";
import { Board, type PreparedBoard } from "../board/board.ts";
import { buttonNamed, type BoardSpec } from "../board/board-file.ts";
import { faultLabel, type Fault } from "../board/faults.ts";
import { modelNamed } from "../device/models/index.ts";
import { assignFaults, bareBoard } from "./line-hardware.ts";
import type { DutOutcome } from "./line-file.ts";

/** chosen: the impOS release DUTs with `oldImpOS` leave assembly with. */
export const OLD_IMPOS_VERSION = "0000000 - release-42.7 - virtual-imp";
/** chosen: how long after placing a DUT the operator presses the fixture's button (the DUT is flashing orange by then). */
export const PRESS_AFTER_MS = 1_000;
/** chosen: how long the button is held. */
export const PRESS_MS = 200;
/** chosen: a failed DUT stays on the station this long (the operator sees red) before it is removed. */
export const REMOVE_AFTER_MS = 1_000;
/** chosen: an end user's home network, for `activate`. */
export const HOME_WIFI = { ssid: "home-network", password: "end-user" } as const;

export interface LineRunOptions {
  /** `--state DIR`: the cloud keeps its state there between runs. */
  readonly stateDir?: string | null;
  /** Called whenever a DUT finishes. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Keep the trace in memory (tests read it; a large line from the CLI does not need it). Default true. */
  readonly retainTrace?: boolean;
  /** Webhook retry policy (tests shorten it). */
  readonly webhookRetry?: WebhookRetry;
  /** Called when the line is done and webhook deliveries are still under way (how many). */
  readonly onWebhookWait?: (underWay: number) => void;
  /** Called with the simulation and cloud once they are built (tests look inside). */
  readonly onReady?: (line: ProductionLine) => void;
  /** The engine the DUTs' and fixtures' VMs run in (default: QuickJS). */
  readonly engine?: Engine;
}

/** A station: one fixture, its optical link, its queue of DUTs. */
interface Station {
  readonly fixture: LineFixture;
  readonly device: Device;
  readonly link: OpticalLink;
  readonly queue: number[];
  busy: boolean;
}

interface DutPlan {
  readonly index: number;
  readonly kind: LineDuts;
  /** The faults this DUT is built with: the line's, and its batch's stuck pins. */
  readonly faults: readonly Fault[];
  readonly expect: DutOutcome;
}

export class ProductionLine {
  readonly sim: Simulation;
  readonly cloud: ImpCloud;
  readonly records: DutRecord[] = [];
  readonly devices = new Map<string, Device>();
  private readonly stations: Station[] = [];
  private readonly plans: DutPlan[] = [];
  private readonly byDevice = new Map<
    string,
    {
      record: DutRecord;
      station: Station;
      device: Device;
      board: Board | null;
      timer: { cancel(): boolean } | null;
      phase: "line" | "activating";
    }
  >();
  /** Boards with their user models loaded, by board file. */
  private readonly prepared = new Map<BoardSpec, PreparedBoard>();
  private readonly fixtureBoards: Board[] = [];
  private finished = 0;

  constructor(
    readonly spec: LineSpec,
    private readonly options: LineRunOptions = {},
  ) {
    let cloud: ImpCloud | null = null;
    this.sim = new Simulation({
      seed: spec.seed,
      engine: options.engine,
      trace: { retain: options.retainTrace ?? true },
      cloud: ({ scheduler, trace, agents }) =>
        (cloud = new ImpCloud({
          scheduler,
          trace,
          agents,
          seed: spec.seed,
          stateDir: options.stateDir ?? null,
          webhookRetry: options.webhookRetry,
        })),
    });
    this.cloud = cloud!;
    this.sim.trace.addListener((event) => this.observe(event));
    const kinds = spec.duts.flatMap((kind) => Array.from({ length: kind.count }, () => kind));
    const boards = kinds.map((kind) => kind.board ?? bareBoard(modelNamed(kind.model)));
    const lineFaults = assignFaults(spec.seed, spec.faults, boards);
    kinds.forEach((kind, index) => {
      const stuck: Fault[] = Object.entries(kind.stuckPins).map(([pin, level]) => ({
        kind: "stuck",
        pin,
        level,
      }));
      const injected = lineFaults[index]!;
      // A DUT with a fault of the line's is expected to end as that fault says (failed, by default).
      const expect = injected.length > 0 ? injected[0]!.expect : kind.expect;
      this.plans.push({ index, kind, faults: [...stuck, ...injected.map((f) => f.fault)], expect });
    });
  }

  /** Sets up the cloud as the line file says: what already exists (from --state) is kept. */
  setUpCloud(): void {
    const { cloud, spec } = this;
    const product = cloud.findProduct(spec.product) ?? cloud.createProduct(spec.product);
    // Targets first: production and DUT groups, then the fixture groups that point at them.
    const order = [...spec.groups].sort(
      (a, b) => Number(a.dutTarget !== undefined) - Number(b.dutTarget !== undefined),
    );
    for (const g of order) {
      let group = cloud.findGroup(g.name);
      group ??= cloud.createDeviceGroup({
        product: product.id,
        name: g.name,
        type: g.type,
        dutTarget: g.dutTarget,
        productionTarget: g.productionTarget,
        loadCodeAfterBlessing: g.loadCodeAfterBlessing,
      });
      if (group.loadCodeAfterBlessing !== g.loadCodeAfterBlessing)
        cloud.updateDeviceGroup(group.id, { loadCodeAfterBlessing: g.loadCodeAfterBlessing });
      if (
        g.deployment !== null &&
        cloud.currentDeployment(group)?.deviceCode !== g.deployment.device
      ) {
        // The line ships promoted firmware (/manufacturing/factoryfirmware, "Running Factory Firmware").
        cloud.deploy(
          group.id,
          {
            deviceCode: g.deployment.device,
            agentCode: g.deployment.agent,
            file: g.deployment.deviceFile,
          },
          { promoted: true },
        );
      }
      for (const w of g.webhooks) {
        const exists = [...cloud.state.webhooks.values()].some(
          (x) =>
            x.groupId === group.id && x.url === w.url && x.event === w.event && x.mime === w.mime,
        );
        if (!exists)
          cloud.createWebhook({ group: group.id, url: w.url, event: w.event, mime: w.mime });
      }
    }
  }

  private readonly bare = new Map<string, BoardSpec>();

  private bareBoard(model: string): BoardSpec {
    let spec = this.bare.get(model);
    if (spec === undefined) {
      spec = bareBoard(modelNamed(model));
      this.bare.set(model, spec);
      this.prepared.set(spec, {
        spec,
        attach: (device, world, faults) => Board.bare(spec!, device, world, faults ?? []),
      });
    }
    return spec;
  }

  /** Runs the whole line; resolves with the report. */
  async run(): Promise<LineReport> {
    const wallStart = performance.now();
    for (const board of [
      ...this.spec.fixtures.map((f) => f.board),
      ...this.spec.duts.map((d) => d.board),
    ]) {
      if (board !== null && !this.prepared.has(board))
        this.prepared.set(board, await Board.prepare(board));
    }
    this.setUpCloud();
    // Deliveries an earlier run (--state) could not make go out again first.
    this.cloud.webhooks.resume(this.cloud.state.deliveries.values());
    this.options.onReady?.(this);
    this.spec.fixtures.forEach((fixture, i) => {
      const device = this.sim.addDevice({
        model: fixture.model,
        seed: `${this.spec.seed}/fixture/${fixture.name}`,
        deviceGroup: null,
      });
      this.cloud.registerDevice({
        deviceId: device.id,
        macAddress: device.macAddress,
        model: device.model.type,
      });
      this.cloud.assign(device.id, fixture.group);
      if (fixture.board !== null)
        this.fixtureBoards[i] = this.prepared.get(fixture.board)!.attach(device, this.sim);
      device.powerOn();
      this.stations.push({
        fixture,
        device,
        link: new OpticalLink(device, fixture.blinkUpLed),
        queue: [],
        busy: false,
      });
    });
    // DUTs go to the stations in turn.
    for (const plan of this.plans)
      this.stations[plan.index % this.stations.length]!.queue.push(plan.index);
    // The fixtures boot and fetch their firmware before the first DUT is placed.
    await this.sim.runFor(5 * MICROS_PER_SECOND);
    for (const station of this.stations) this.next(station);
    const total = this.plans.length;
    const limit = (total + 10) * (this.spec.stationTimeoutSeconds + 60) * MICROS_PER_SECOND;
    await this.sim.runUntil(() => this.finished >= total, limit);
    if (this.cloud.webhooks.busy) this.options.onWebhookWait?.(this.cloud.webhooks.underWay);
    await this.cloud.webhooks.drain();
    this.cloud.save();
    const virtualSeconds = this.sim.now / MICROS_PER_SECOND;
    const byOutcome: Record<string, number> = {};
    for (const r of this.records)
      if (r.outcome !== null) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
    const asExpected = this.records.filter((r) => r.outcome === r.expected).length;
    const report: LineReport = {
      line: this.spec.file,
      product: this.spec.product,
      duts: this.records,
      summary: {
        duts: total,
        asExpected,
        byOutcome,
        virtualSeconds,
        wallSeconds: (performance.now() - wallStart) / 1000,
      },
      webhooks: this.cloud.webhooks.attempts.map((a) => ({
        event: a.event,
        url: a.url,
        attempt: a.attempt,
        status: a.status,
        error: a.error,
      })),
      undeliveredWebhooks: this.cloud.webhooks.undelivered.map((d) => ({
        event: d.event,
        url: d.url,
        deviceId: d.deviceId,
        attempts: d.attempts,
        lastError: d.lastError,
      })),
      ok: asExpected === total,
    };
    return report;
  }

  async dispose(): Promise<void> {
    this.cloud.webhooks.stop();
    for (const board of this.fixtureBoards) board?.dispose();
    await this.sim.dispose();
  }

  // ------------------------------------------------------------ stations

  private next(station: Station): void {
    const index = station.queue.shift();
    if (index === undefined) {
      station.busy = false;
      station.link.remove();
      return;
    }
    station.busy = true;
    const plan = this.plans[index]!;
    const { kind } = plan;
    const dut = this.sim.addDevice({
      model: kind.model,
      seed: `${this.spec.seed}/dut/${index}`,
      // A DUT joins the account by factory BlinkUp, not as a development device.
      deviceGroup: null,
      // A newly assembled device: no network settings, no enrolment, no code (/resources/imp-boot-procedure, Unactivated).
      storage: {
        wifi: null,
        activated: false,
        impOSVersion: kind.oldImpOS ? OLD_IMPOS_VERSION : undefined,
      },
    });
    // A DUT with faults but no board file gets a bare board: its faults are on the module's pins.
    const boardSpec = kind.board ?? (plan.faults.length > 0 ? this.bareBoard(kind.model) : null);
    const board =
      boardSpec === null ? null : this.prepared.get(boardSpec)!.attach(dut, this.sim, plan.faults);
    const now = this.sim.now;
    const record: DutRecord = {
      index,
      deviceId: dut.id,
      mac: dut.macAddress,
      model: kind.model,
      fixture: station.fixture.name,
      expected: plan.expect,
      faults: plan.faults.map(faultLabel),
      outcome: null,
      placedAt: now,
      blinkUpAt: null,
      blinkUps: 0,
      impOSUpdated: false,
      enrolledGroup: null,
      dutFirmwareAt: null,
      blessRequested: null,
      blessedAt: null,
      productionGroup: null,
      appStartedAt: null,
      activatedAt: null,
      finishedAt: null,
      led: "off",
      notes: [],
    };
    this.records[index] = record;
    this.devices.set(dut.id, dut);
    const entry = {
      record,
      station,
      device: dut,
      board,
      timer: null as { cancel(): boolean } | null,
      phase: "line" as "line" | "activating",
    };
    this.byDevice.set(dut.id, entry);
    station.link.place(dut);
    dut.powerOn();
    const { scheduler } = this.sim;
    const button = station.fixture.button;
    if (button !== null) {
      const fixtureBoard = this.fixtureBoards[this.stations.indexOf(station)];
      // A button part of the fixture's board is pressed as wired (active low or high); a bare pin is driven high.
      const onBoard =
        fixtureBoard !== undefined && buttonNamed(fixtureBoard.spec, button) !== undefined;
      const press = () =>
        onBoard ? fixtureBoard.press(button) : station.device.drivePin(button, 1);
      const release = () =>
        onBoard ? fixtureBoard.release(button) : station.device.drivePin(button, null);
      scheduler.after(PRESS_AFTER_MS * 1000, press, "operator presses the fixture button");
      scheduler.after(
        (PRESS_AFTER_MS + PRESS_MS) * 1000,
        release,
        "operator releases the fixture button",
      );
    }
    entry.timer = scheduler.after(
      this.spec.stationTimeoutSeconds * MICROS_PER_SECOND,
      () => {
        entry.timer = null;
        if (record.outcome !== null) return;
        record.notes.push(
          record.dutFirmwareAt === null
            ? record.blinkUpAt === null
              ? "no BlinkUp received"
              : "DUT firmware never ran"
            : "DUT firmware ran but never called server.bless (seed 003: the call is mandatory)",
        );
        this.finish(record.deviceId, "unindicated");
      },
      "station gives up on the DUT",
    );
  }

  /** The DUT has ended; it is taken off the station after a moment, and the next one placed. */
  private finish(deviceId: string, outcome: DutRecord["outcome"] & string, delayMs = 0): void {
    const entry = this.byDevice.get(deviceId);
    if (entry === undefined || entry.record.outcome !== null) return;
    entry.record.outcome = outcome;
    entry.timer?.cancel();
    entry.timer = null;
    this.sim.scheduler.after(delayMs * 1000, () => this.leave(deviceId), "DUT leaves the station");
  }

  private leave(deviceId: string): void {
    const entry = this.byDevice.get(deviceId);
    if (entry === undefined) return;
    const { record, device, station } = entry;
    record.led = device.led.state;
    if (this.spec.activate && record.outcome === "blessed") {
      // Shipped, unboxed, powered up Unactivated, BlinkUp'd by its owner with a plan id and token (/resources/imp-boot-procedure).
      station.link.remove();
      device.powerOff();
      entry.phase = "activating";
      this.next(station);
      this.sim.scheduler.after(
        MICROS_PER_SECOND,
        () => {
          device.powerOn();
          this.sim.scheduler.after(
            MICROS_PER_SECOND,
            () => device.blinkUp({ ...HOME_WIFI, ...this.cloud.issueProductionToken() }),
            "end user BlinkUp",
          );
        },
        "end user powers the device",
      );
      entry.timer = this.sim.scheduler.after(
        60 * MICROS_PER_SECOND,
        () => this.done(deviceId, "not activated within 60 s"),
        "activation times out",
      );
      return;
    }
    this.done(deviceId);
    this.next(station);
  }

  private done(deviceId: string, note?: string): void {
    const entry = this.byDevice.get(deviceId);
    if (entry === undefined) return;
    entry.timer?.cancel();
    if (note !== undefined) entry.record.notes.push(note);
    entry.record.finishedAt = this.sim.now;
    this.byDevice.delete(deviceId);
    if (entry.phase === "line") entry.station.link.remove();
    entry.board?.dispose();
    entry.device.powerOff(); // frees its VM: a 1,000-DUT line keeps only the stations' DUTs running
    this.finished++;
    this.options.onProgress?.(this.finished, this.plans.length);
  }

  // ------------------------------------------------------------ what the trace says

  private observe(event: TraceEvent): void {
    if (event.device === null) return;
    const entry = this.byDevice.get(event.device);
    if (entry === undefined) return;
    const { record } = entry;
    const t = event.t;
    switch (event.kind) {
      case "blinkup":
        if (event.data.factory && event.data.ok) {
          record.blinkUps++;
          record.blinkUpAt ??= t;
        }
        break;
      case "enroll":
        if (event.data.reason === undefined) break; // the device's own line; the cloud's says more
        if (!event.data.ok && entry.phase === "line") {
          record.notes.push(`enrolment refused: ${event.data.reason}`);
          this.finish(record.deviceId, "refused", REMOVE_AFTER_MS);
        } else if (event.data.reason === "factory") record.enrolledGroup = event.data.group ?? null;
        break;
      case "wake":
        if (entry.phase === "activating") {
          if (record.activatedAt === null) {
            record.activatedAt = t;
            entry.timer?.cancel();
            entry.timer = this.sim.scheduler.after(
              REMOVE_AFTER_MS * 1000,
              () => this.done(record.deviceId),
              "activated device is put away",
            );
          }
        } else if (record.blessedAt !== null) {
          if (
            event.data.reason === WAKE_REASONS.WAKEREASON_NEW_SQUIRREL &&
            record.appStartedAt === null
          ) {
            record.appStartedAt = t;
            this.finish(record.deviceId, "blessed", REMOVE_AFTER_MS);
          }
        } else if (record.enrolledGroup !== null) {
          record.dutFirmwareAt ??= t;
          if (event.data.reason === WAKE_REASONS.WAKEREASON_NEW_FIRMWARE)
            record.impOSUpdated = true;
        }
        break;
      case "bless": {
        if (event.data.group !== undefined || event.data.reason !== undefined) {
          if (event.data.ok) record.productionGroup = event.data.group ?? null;
          break; // the cloud's record; the device's callback decides the station
        }
        if (entry.phase !== "line") break;
        record.blessRequested ??= event.data.pass;
        if (!event.data.ok) {
          if (event.data.pass) record.notes.push("blessing refused by the impCloud");
          this.finish(record.deviceId, "failed", REMOVE_AFTER_MS);
          break;
        }
        record.blessedAt = t;
        const group = this.cloud.findGroup(record.productionGroup ?? "");
        if (group !== undefined && !group.loadCodeAfterBlessing) {
          record.notes.push(
            "application firmware loads at activation (load-code-after-blessing off)",
          );
          this.finish(record.deviceId, "blessed", REMOVE_AFTER_MS);
        }
        break;
      }
      default:
        break;
    }
  }
}

/** Loads nothing, runs a parsed line: the whole of `vimp factory`. */
export async function runLine(
  spec: LineSpec,
  options: LineRunOptions = {},
): Promise<{ report: LineReport; line: ProductionLine }> {
  const line = new ProductionLine(spec, options);
  try {
    const report = await line.run();
    return { report, line };
  } finally {
    await line.dispose();
  }
}
