// One virtual imp: a model's pins and buses, the status LED, NVRAM, the RTC, secure storage, a
// connection to a cloud, the boot process (boot.ts), BlinkUp both ways (blinkup.ts) and — while
// Squirrel runs — one Squirrel VM whose life (start, slices, how a slice ends, teardown) is
// squirrel-lifecycle.ts. Device composes them and is the public API. Everything it does is an
// event on the simulation's one scheduler and every observable goes to the one trace.
//
// The VM is torn down and rebuilt where the imp does so (/resources/imp-boot-procedure, /resources/imp-boot-procedure, /api/imp/deepsleepfor):
//   uncaught error            → VM restart, WAKEREASON_SQUIRREL_ERROR (after onunhandledexception)
//   runaway event (deadline)  → the same (chosen: the imp has no documented watchdog for Squirrel;
//                               a stopped VM is handled like an uncaught error)
//   server.restart()          → VM restart, SW_RESTART (NEW_SQUIRREL when an update was deferred)
//   new code deployed         → server.onshutdown(SHUTDOWN_NEWSQUIRREL) if set, else VM restart, NEW_SQUIRREL
//   imp.reset(), out of memory→ cold boot, SW_RESET (nv lost)
//   deep sleep                → VM gone, pins tri-stated but the wake pin, warm boot TIMER or PIN (nv kept)
//   power off                 → everything lost but secure storage; power on is a cold boot, POWER_ON
//
// Creating a VM is asynchronous (the engine instantiates WebAssembly); the simulation waits for
// it between events (world/simulation.ts), so the firmware still starts at the virtual time the
// boot process asked for.

import type { Engine } from "../sandbox/engine.ts";
import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { Emit, LineLevel, Trace } from "../sim/trace.ts";
import { BlinkUp, type BlinkUpSettings } from "./blinkup.ts";
import { BootProcess, type BootDevice, type BootState } from "./boot.ts";
import { Buses } from "./buses.ts";
import {
  DEFAULT_IMPOS_VERSION,
  type CloudLink,
  type DeviceStateReport,
  type ReloadReason,
} from "./cloud-link.ts";
import { Connection } from "./connection.ts";
import { EventLoop } from "./event-loop.ts";
import type { ImpApiDevice } from "./host/imp-api-host.ts";
import type { SquirrelRun } from "./host/squirrel-run.ts";
import type { DeviceIdentity } from "./identity.ts";
import { StatusLed, type LedReading } from "./led.ts";
import type { ImpModel } from "./models/model.ts";
import { Nvram } from "./nvram.ts";
import type { I2cPeripheral, SpiPeripheral, UartPeripheral } from "./peripherals.ts";
import { type DigitalLevel, type Pin, Pins } from "./pins.ts";
import { Rtc } from "./rtc.ts";
import { SecureStorage, type WifiCredentials } from "./secure-storage.ts";
import { CONNECT_REASONS } from "./shared/connect-reasons.ts";
import { SHUTDOWN_REASONS } from "./shared/shutdown-reasons.ts";
import { WAKE_REASONS } from "./shared/wake-reasons.ts";
import { SquirrelLifecycle } from "./squirrel-lifecycle.ts";
import { StatusIndicator } from "./status-indicator.ts";

/** Where a device is in its life. */
export type DevicePhase =
  /** No power. */
  | "off"
  /** impOS runs without Squirrel: connecting, waiting for BlinkUp, code, or an update. */
  | "booting"
  /** Squirrel runs (or its VM is being built). */
  | "running"
  /** Deep sleep. */
  | "sleeping";

export interface DeviceOptions {
  readonly model: ImpModel;
  readonly identity: DeviceIdentity;
  readonly scheduler: Scheduler;
  readonly trace: Trace;
  readonly engine: Engine;
  readonly cloud: CloudLink;
  /** The simulation waits for these between events (VM creation). */
  readonly track: (work: Promise<unknown>) => void;
  /** Wall-clock budget of one event in ms (a runaway loop ends there). */
  readonly sliceTimeoutMs: number;
  /** The engine memory of each VM (the hard limit); default the engine's minimum. */
  readonly memoryLimit?: number;
  /** Seeds math.rand for each run, so runs are reproducible. */
  readonly randomSeed: number;
  /** What secure storage holds when the device is made. Default: a development device with WiFi, activated, no code. */
  readonly storage?: {
    readonly wifi?: WifiCredentials | null;
    readonly planId?: string | null;
    readonly enrolmentToken?: string | null;
    readonly activated?: boolean;
    readonly impOSVersion?: string;
  };
  /** The device runtime script (default dist/device-runtime.js); tests may hand in their own. */
  readonly bundle?: { readonly code: string; readonly filename: string };
}

/** chosen: the WiFi network a new device knows, for `vimp run`. */
export const DEFAULT_WIFI: WifiCredentials = { ssid: "virtual-imp", password: "" };

export class Device {
  readonly model: ImpModel;
  readonly identity: DeviceIdentity;
  readonly pins: Pins;
  readonly buses: Buses;
  readonly led: StatusLed;
  readonly nvram: Nvram;
  readonly rtc = new Rtc();
  readonly storage: SecureStorage;

  private readonly scheduler: Scheduler;
  private readonly emit: Emit;
  private readonly indicator: StatusIndicator;
  private readonly connection: Connection;
  private readonly boot: BootProcess;
  private readonly loop: EventLoop;
  private readonly api: ImpApiDevice;
  private readonly squirrel: SquirrelLifecycle;
  private readonly blinkup: BlinkUp;

  private powered = false;
  private asleep = false;
  private wakeTimer: TimerHandle | null = null;
  private bootTime = 0;
  private configParams: Readonly<Record<string, unknown>> = {};
  private wifiReachable = true;
  /** server.error lines waiting for a connection. */
  private readonly offlineLines: { kind: "log" | "error"; message: string }[] = [];

  constructor(options: DeviceOptions) {
    const { model, identity, scheduler, trace } = options;
    this.model = model;
    this.identity = identity;
    this.scheduler = scheduler;
    this.emit = trace.emitter(identity.deviceId);
    const now = () => scheduler.now;
    this.pins = new Pins(model, { now, emit: this.emit });
    this.buses = new Buses(model, {
      now,
      onUartData: (bus, id) => this.squirrel.uartData(bus, id),
    });
    this.led = new StatusLed({ emit: this.emit });
    this.indicator = new StatusIndicator(this.led, scheduler);
    this.nvram = new Nvram();
    const stored = options.storage ?? {};
    this.storage = new SecureStorage(stored.impOSVersion ?? DEFAULT_IMPOS_VERSION);
    this.storage.wifi = stored.wifi === undefined ? DEFAULT_WIFI : stored.wifi;
    this.storage.planId = stored.planId ?? null;
    this.storage.enrolmentToken = stored.enrolmentToken ?? null;
    this.storage.activated = stored.activated ?? true;
    this.loop = new EventLoop(scheduler, `device ${identity.deviceId}`);

    this.connection = new Connection({
      scheduler,
      link: options.cloud,
      emit: this.emit,
      hello: () => this.stateReport(),
      hasCredentials: () => this.storage.wifi !== null,
      wifiReachable: () => this.wifiReachable,
      onStatus: (status) => this.indicator.setStatus(status),
      onOnline: (session) => {
        this.sendOfflineLines();
        this.boot.onOnline(session);
      },
      onLost: () => this.connectionLost(),
      onReload: (reason, force) => this.boot.onReload(reason, force),
      onAgentMessage: (name, dataJson) => this.agentMessage(name, dataJson),
    });

    const self = this;
    const bootDevice: BootDevice = {
      scheduler,
      emit: this.emit,
      model: model.type,
      storage: this.storage,
      rtc: this.rtc,
      connection: this.connection,
      indicator: this.indicator,
      get squirrelRunning() {
        return self.squirrel.run !== null;
      },
      startSquirrel: (wakeReason) => this.squirrel.start(wakeReason),
      stopSquirrel: () => this.squirrel.stop(),
      resetForBoot: () => this.resetForBoot(),
      setConfigParams: (params) => {
        this.configParams = params;
      },
      stateReport: () => this.stateReport(),
      connect: (timeout, done) => this.connect(timeout, done),
      reloadSquirrel: (reason, force) => this.reloadSquirrel(reason, force),
    };
    this.boot = new BootProcess(bootDevice);

    this.api = {
      scheduler,
      emit: this.emit,
      model,
      identity,
      pins: this.pins,
      buses: this.buses,
      rtc: this.rtc,
      nvram: this.nvram,
      storage: this.storage,
      connection: this.connection,
      indicator: this.indicator,
      bootedAt: () => this.bootTime,
      configParams: () => this.configParams,
      memoryFree: () => this.squirrel.memoryFree(),
      block: (until, done) => this.squirrel.block(until, done),
      post: (run, label, id, argsJson) => this.squirrel.post(run, label, id, argsJson),
      setIdle: (run, id) => this.squirrel.setIdle(run, id),
      pinChanged: (run, pin, id, level) => this.pinChanged(run, pin, id, level),
      connect: (timeout, done) => this.connect(timeout, done),
      queueOffline: (kind, message) => this.offlineLines.push({ kind, message }),
      blessed: (pass, blessed) => {
        this.indicator.show(blessed ? "blessed" : "notBlessed");
        this.emit(scheduler.now, "bless", { pass, ok: blessed });
      },
      halt: () => this.squirrel.halt(),
      flashBlinkUp: (run, pin, payload, fast, done) =>
        this.blinkup.flash(run, pin, payload, fast, done),
    };

    this.squirrel = new SquirrelLifecycle({
      id: identity.deviceId,
      model,
      storage: this.storage,
      nvram: this.nvram,
      pins: this.pins,
      buses: this.buses,
      scheduler,
      emit: this.emit,
      indicator: this.indicator,
      loop: this.loop,
      boot: this.boot,
      api: this.api,
      options,
      get powered() {
        return self.powered;
      },
      report: (kind, message) => this.report(kind, message),
      enterDeepSleep: (seconds, timerReason) => this.enterDeepSleep(seconds, timerReason),
    });
    this.blinkup = new BlinkUp({
      scheduler,
      emit: this.emit,
      storage: this.storage,
      pins: this.pins,
      loop: this.loop,
      canReceive: () => this.powered && !this.asleep && this.indicator.blinkUpEnabled,
      received: () => this.boot.blinkUp(),
    });
  }

  // ---------------------------------------------------------------- public API

  /** hardware.getdeviceid(). */
  get id(): string {
    return this.identity.deviceId;
  }

  get macAddress(): string {
    return this.identity.macAddress;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  get phase(): DevicePhase {
    if (!this.powered) return "off";
    if (this.asleep) return "sleeping";
    return this.squirrel.run !== null ? "running" : "booting";
  }

  /** Seed 004's boot state, read from secure storage. */
  get bootState(): BootState {
    return this.boot.state;
  }

  /** What hardware.wakereason() gives the current (or last) run; null before the first. */
  get wakeReason(): number | null {
    return this.squirrel.lastWakeReason;
  }

  /** The NVRAM image (the serialised `nv` table kept across deep sleep), or null. */
  get nv(): string | null {
    return this.nvram.peek();
  }

  get isConnected(): boolean {
    return this.connection.isConnected;
  }

  /** imp.configparams as the cloud last set it. */
  get configparams(): Readonly<Record<string, unknown>> {
    return this.configParams;
  }

  /** imp.getmemoryfree() now (the model's budget when no VM runs). */
  memoryFree(): number {
    return this.squirrel.memoryFree();
  }

  /** Applies power: a cold boot with WAKEREASON_POWER_ON (/resources/imp-boot-procedure). */
  powerOn(): void {
    if (this.powered) return;
    this.powered = true;
    this.emit(this.scheduler.now, "power", { on: true });
    this.rtc.powerOn(this.scheduler.now);
    this.boot.coldBoot(WAKE_REASONS.WAKEREASON_POWER_ON);
  }

  /** Removes power: the VM, the connection, nv and the RTC are lost; secure storage stays. */
  powerOff(): void {
    if (!this.powered) return;
    this.powered = false;
    this.emit(this.scheduler.now, "power", { on: false });
    this.boot.powerLoss();
    this.squirrel.stop();
    this.connection.powerLoss();
    this.indicator.goDark();
    this.asleep = false;
    this.wakeTimer?.cancel();
    this.wakeTimer = null;
    this.pins.reset();
    this.buses.reset();
    this.nvram.powerLoss();
    this.offlineLines.length = 0;
    this.configParams = {};
    this.squirrel.deferredUpdate = null;
  }

  /** The pin firmware calls `hardware.<name>`. */
  pin(name: string): Pin {
    return this.pins.get(name);
  }

  /** The level a logic analyser would see on a pin. */
  pinLevel(name: string): LineLevel {
    return this.pins.get(name).line;
  }

  /** Drives a pin from outside (0, 1, or null to let go); a wake pin rising wakes a sleeping imp. */
  drivePin(name: string, level: DigitalLevel | null): void {
    this.pins.get(name).drive(level);
  }

  /** Puts an analog level (0–1 of the supply) on a pin, or null to let go. */
  driveAnalog(name: string, fraction: number | null): void {
    this.pins.get(name).driveAnalog(fraction);
  }

  /** Attaches an I²C peripheral model at its 7-bit address. */
  attachI2C(bus: string, address: number, peripheral: I2cPeripheral): void {
    this.buses.attachI2C(bus, address, peripheral);
  }

  attachSpi(bus: string, peripheral: SpiPeripheral): void {
    this.buses.attachSpi(bus, peripheral);
  }

  attachUart(bus: string, peripheral: UartPeripheral): void {
    this.buses.attachUart(bus, peripheral);
  }

  /** What the status LED showed at virtual time `t` (µs). */
  ledAt(t: number): LedReading {
    return this.led.at(t);
  }

  /** Takes the WiFi network away (false) or gives it back. */
  setWifiReachable(reachable: boolean): void {
    this.wifiReachable = reachable;
  }

  /**
   * Optical BlinkUp from a phone: accepted only while BlinkUp sensing is on (/api/imp/enableblinkup). New
   * settings make a cold boot with WAKEREASON_BLINKUP after 3 s of green (/resources/imp-boot-procedure, /troubleshooting/blinkup);
   * a plan id and enrolment token make the imp Pending Activation. Returns whether it took.
   */
  blinkUp(settings: BlinkUpSettings): boolean {
    return this.blinkup.receive(settings, false);
  }

  /**
   * Light on the BlinkUp sensor (a phone's screen, or a factory fixture's LED in front of it),
   * at virtual time `t`. A complete stream is accepted like any BlinkUp: only while sensing is
   * on (/api/imp/enableblinkup); a factory stream carries a factory enrolment token (/manufacturing/factoryfirmware).
   */
  senseLight(lit: boolean, t: number = this.scheduler.now): void {
    if (!this.powered || this.asleep) return;
    this.blinkup.senseLight(lit, t);
  }

  // ---------------------------------------------------------------- events into the VM

  private pinChanged(run: SquirrelRun, pin: string, callbackId: number, level: number): void {
    if (this.asleep) {
      // The wake pin rising wakes the imp; its callback is not called for it (/api/imp/deepsleepfor).
      if (level === 1 && this.pins.get(pin).mode === "DIGITAL_IN_WAKEUP")
        this.wake(WAKE_REASONS.WAKEREASON_PIN);
      return;
    }
    if (callbackId !== 0) this.squirrel.post(run, `${pin} changed`, callbackId);
  }

  // ---------------------------------------------------------------- sleep and wake

  private enterDeepSleep(seconds: number, timerReason: number): void {
    const wakePin = [...this.pins].find((p) => p.mode === "DIGITAL_IN_WAKEUP") ?? null;
    this.squirrel.stop(wakePin?.name ?? null);
    this.boot.stop();
    this.connection.disconnect();
    this.indicator.goDark();
    this.asleep = true;
    const wakeAt = this.scheduler.now + Math.round(seconds * MICROS_PER_SECOND);
    this.emit(this.scheduler.now, "sleep", { wakeAt });
    this.wakeTimer = this.scheduler.at(
      wakeAt,
      () => {
        this.wakeTimer = null;
        this.wake(timerReason);
      },
      `device ${this.id} wakes`,
    );
    // chosen: the imp will not sleep while its wake pin is high (/api/imp/deepsleepfor), so it wakes at once.
    if (wakePin !== null && wakePin.level === 1) {
      this.scheduler.after(
        0,
        () => {
          if (this.asleep) this.wake(WAKE_REASONS.WAKEREASON_PIN);
        },
        `device ${this.id} wake pin already high`,
      );
    }
  }

  private wake(reason: number): void {
    if (!this.asleep) return;
    this.asleep = false;
    this.wakeTimer?.cancel();
    this.wakeTimer = null;
    this.boot.warmBoot(reason);
  }

  // ---------------------------------------------------------------- the cloud

  private connect(timeout: number, done: (reason: number) => void): void {
    this.indicator.connectAttempt();
    this.connection.connect(timeout, done);
  }

  private stateReport(): DeviceStateReport {
    return {
      deviceId: this.identity.deviceId,
      macAddress: this.identity.macAddress,
      model: this.model.type,
      impOSVersion: this.storage.impOSVersion,
      wakeReason: this.squirrel.run?.wakeReason ?? null,
    };
  }

  /** New code or a new impOS while Squirrel runs: polite deployment (/api/server/onshutdown). */
  private reloadSquirrel(reason: ReloadReason, force: boolean): void {
    const run = this.squirrel.run;
    if (run === null) return;
    if (this.squirrel.inSlice) {
      // Between events only: the cloud's message waits for the running one (blocked in imp.sleep, say).
      this.loop.post({ label: "reload", run: () => this.reloadSquirrel(reason, force) });
      return;
    }
    const shutdownReason =
      reason === "new-squirrel"
        ? SHUTDOWN_REASONS.SHUTDOWN_NEWSQUIRREL
        : SHUTDOWN_REASONS.SHUTDOWN_NEWFIRMWARE;
    const deferred = !force && run.shutdownHandler !== 0;
    this.emit(this.scheduler.now, "shutdown", { reason: shutdownReason, deferred });
    if (deferred) {
      this.squirrel.deferredUpdate = reason;
      this.squirrel.post(
        run,
        "server.onshutdown",
        run.shutdownHandler,
        JSON.stringify([shutdownReason]),
      );
      return;
    }
    if (reason === "new-squirrel")
      this.boot.restartSquirrel(WAKE_REASONS.WAKEREASON_NEW_SQUIRREL, "new Squirrel");
    else this.boot.restartSquirrel(WAKE_REASONS.WAKEREASON_NEW_FIRMWARE, "new impOS");
  }

  private agentMessage(name: string, dataJson: string): void {
    this.emit(this.scheduler.now, "message", { direction: "to-device", name });
    const run = this.squirrel.run;
    if (run === null) return; // no Squirrel runs: nothing listens
    const id = run.agentHandlers.get(name);
    // A message with no handler is not fatal: the device logs it as an error (/api/imp/onunhandledexception).
    if (id === undefined) this.report("error", "no handler for device.send()");
    else this.squirrel.post(run, `agent message ${name}`, id, `[${dataJson}]`);
  }

  private connectionLost(): void {
    this.indicator.setStatus("off");
    const run = this.squirrel.run;
    if (run !== null && !run.suspendOnError && run.unexpectedDisconnectHandler !== 0) {
      // RETURN_ON_ERROR: impOS retries quietly for a minute; the handler hears only of a failure (/api/server/setsendtimeoutpolicy).
      this.connect(60 * MICROS_PER_SECOND, (reason) => {
        if (
          reason !== CONNECT_REASONS.SERVER_CONNECTED &&
          !run.ended &&
          run.unexpectedDisconnectHandler !== 0
        ) {
          this.squirrel.post(
            run,
            "server.onunexpecteddisconnect",
            run.unexpectedDisconnectHandler,
            JSON.stringify([reason]),
          );
        }
      });
      return;
    }
    this.boot.onLost();
  }

  /** A line from impOS or the firmware's error path: sent now if online, else when next online. */
  private report(kind: "log" | "error", message: string): void {
    const session = this.connection.session;
    if (session === null) {
      this.offlineLines.push({ kind, message });
      return;
    }
    session.log(kind, message);
    this.emit(this.scheduler.now, kind, { source: "device", message });
  }

  private sendOfflineLines(): void {
    const lines = this.offlineLines.splice(0);
    for (const line of lines) this.report(line.kind, line.message);
  }

  // ---------------------------------------------------------------- boots

  private resetForBoot(): void {
    this.bootTime = this.scheduler.now;
    this.configParams = {};
    this.squirrel.deferredUpdate = null;
    this.pins.reset();
    this.buses.reset();
  }
}
