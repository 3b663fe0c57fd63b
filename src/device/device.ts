// One virtual imp: a model's pins and buses, the status LED, NVRAM, the RTC, secure storage, a
// connection to a cloud, the boot process (boot.ts) and — while Squirrel runs — one Squirrel VM
// (device-vm.ts) fed one event at a time (event-loop.ts). Everything it does is an event on the
// simulation's one scheduler and every observable goes to the one trace.
//
// The VM is torn down and rebuilt where the imp does so (seed 004, spec §1.2–1.4):
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
// it between events (simulation.ts), so the firmware still starts at the virtual time the boot
// process asked for.

import type { Engine } from "../sandbox/engine.ts";
import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_SECOND } from "../sim/scheduler.ts";
import type { Emit, LineLevel, Trace } from "../sim/trace.ts";
import { compile } from "../squirrel/index.ts";
import { BootProcess, type BootDevice, type BootState } from "./boot.ts";
import { BlinkUpReceiver, bitPeriodMicros, encodeBlinkUp, type BlinkUpPayload } from "./blinkup-stream.ts";
import { Buses } from "./buses.ts";
import { DEFAULT_IMPOS_VERSION, type CloudLink, type DeviceStateReport, type ReloadReason } from "./cloud-link.ts";
import { CONNECT_REASONS } from "./shared/connect-reasons.ts";
import { Connection } from "./connection.ts";
import { createDeviceVm, HOST_CALL_NAMES, type DeviceVm, type SliceOutcome } from "./host/device-vm.ts";
import { EventLoop } from "./event-loop.ts";
import { ENVIRONMENTS } from "./shared/environments.ts";
import type { DeviceBootInfo, DeviceHostCalls } from "./shared/host-calls.ts";
import type { DeviceIdentity } from "./identity.ts";
import { ImpApiHost, type ImpApiDevice } from "./host/imp-api-host.ts";
import { StatusLed, type LedReading } from "./led.ts";
import type { ImpModel } from "./models/model.ts";
import { Nvram } from "./nvram.ts";
import type { I2cPeripheral, SpiPeripheral, UartPeripheral } from "./peripherals.ts";
import { type DigitalLevel, type Pin, Pins } from "./pins.ts";
import { Rtc } from "./rtc.ts";
import { SecureStorage, type WifiCredentials } from "./secure-storage.ts";
import { SHUTDOWN_REASONS } from "./shared/shutdown-reasons.ts";
import { SquirrelRun } from "./host/squirrel-run.ts";
import { StatusIndicator } from "./status-indicator.ts";
import { WAKE_REASONS, wakeReasonName } from "./shared/wake-reasons.ts";

/**
 * How long the imp snoozes when SUSPEND_ON_ERROR gives up connecting: "retries 1 min every
 * 9 min" (spec §1.6), so 9 min of deep sleep between tries.
 */
export const SNOOZE_SECONDS = 9 * 60;

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

/** What `device.blinkUp()` delivers: WiFi credentials and, for activation, a plan id and enrolment token. */
export interface BlinkUpSettings {
  readonly ssid: string;
  readonly password?: string;
  readonly planId?: string;
  readonly enrolmentToken?: string;
}

/** chosen: the WiFi network a new device knows, for `vimp run`. */
export const DEFAULT_WIFI: WifiCredentials = { ssid: "virtual-imp", password: "" };

// Compiled firmware by code hash and file: a thousand devices running one deployment compile it
// once. Bounded, oldest out first, so a long run through many deployments does not grow it.
const compiled = new Map<string, string>();
const COMPILED_KEPT = 32;

function compiledFirmware(source: string, hash: string, file: string): string {
  const key = `${hash}\0${file}`;
  let js = compiled.get(key);
  if (js === undefined) {
    js = compile(source, file).js;
    if (compiled.size >= COMPILED_KEPT) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, js);
  }
  return js;
}

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

  private powered = false;
  private asleep = false;
  private wakeTimer: TimerHandle | null = null;
  private bootTime = 0;
  private configParams: Readonly<Record<string, unknown>> = {};
  private wifiReachable = true;
  /** server.error lines waiting for a connection. */
  private readonly offlineLines: { kind: "log" | "error"; message: string }[] = [];
  /** The reload a server.onshutdown handler deferred; server.restart() applies it. */
  private deferredUpdate: ReloadReason | null = null;
  private run: SquirrelRun | null = null;
  private vm: DeviceVm | null = null;
  /** The VM inside a slice right now, if any. */
  private slicing: DeviceVm | null = null;
  /** A host failure (a bug) thrown inside a nested run; rethrown after the slice. */
  private hostFailure: unknown = null;
  private runCount = 0;
  private lastWakeReason: number | null = null;
  /** The BlinkUp sensor's decoders, one per bit rate the imp recognises (blinkup-stream.ts). */
  private readonly receivers = [new BlinkUpReceiver(bitPeriodMicros(false)), new BlinkUpReceiver(bitPeriodMicros(true))];

  constructor(private readonly options: DeviceOptions) {
    const { model, identity, scheduler, trace } = options;
    this.model = model;
    this.identity = identity;
    this.scheduler = scheduler;
    this.emit = trace.emitter(identity.deviceId);
    const now = () => scheduler.now;
    this.pins = new Pins(model, { now, emit: this.emit });
    this.buses = new Buses(model, { now, onUartData: (bus, id) => this.uartData(bus, id) });
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
        return self.run !== null;
      },
      startSquirrel: (wakeReason) => this.startSquirrel(wakeReason),
      stopSquirrel: () => this.stopSquirrel(),
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
      memoryFree: () => this.vm?.memoryFree() ?? model.squirrelMemory,
      block: (until, done) => this.block(until, done),
      post: (run, label, id, argsJson) => this.post(run, label, id, argsJson),
      setIdle: (run, id) => this.setIdle(run, id),
      pinChanged: (run, pin, id, level) => this.pinChanged(run, pin, id, level),
      connect: (timeout, done) => this.connect(timeout, done),
      queueOffline: (kind, message) => this.offlineLines.push({ kind, message }),
      blessed: (pass, blessed) => {
        this.indicator.show(blessed ? "blessed" : "notBlessed");
        this.emit(scheduler.now, "bless", { pass, ok: blessed });
      },
      halt: () => this.slicing?.interrupt(),
      flashBlinkUp: (run, pin, payload, fast, done) => this.flashBlinkUp(run, pin, payload, fast, done),
    };
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
    return this.run !== null ? "running" : "booting";
  }

  /** Seed 004's boot state, read from secure storage. */
  get bootState(): BootState {
    return this.boot.state;
  }

  /** What hardware.wakereason() gives the current (or last) run; null before the first. */
  get wakeReason(): number | null {
    return this.lastWakeReason;
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
    return this.vm?.memoryFree() ?? this.model.squirrelMemory;
  }

  /** Applies power: a cold boot with WAKEREASON_POWER_ON (seed 004). */
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
    this.stopSquirrel();
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
    this.deferredUpdate = null;
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
   * Optical BlinkUp from a phone: accepted only while BlinkUp sensing is on (spec §5.3). New
   * settings make a cold boot with WAKEREASON_BLINKUP after 3 s of green (seed 004, spec §5.1);
   * a plan id and enrolment token make the imp Pending Activation. Returns whether it took.
   */
  blinkUp(settings: BlinkUpSettings): boolean {
    const ok = this.powered && !this.asleep && this.indicator.blinkUpEnabled;
    this.emit(this.scheduler.now, "blinkup", { ok, factory: false });
    if (!ok) return false;
    this.storage.wifi = { ssid: settings.ssid, password: settings.password ?? "" };
    if (settings.planId !== undefined && settings.enrolmentToken !== undefined) {
      this.storage.planId = settings.planId;
      this.storage.enrolmentToken = settings.enrolmentToken;
      this.storage.activated = false;
    }
    this.boot.blinkUp();
    return true;
  }

  /**
   * Light on the BlinkUp sensor (a phone's screen, or a factory fixture's LED in front of it),
   * at virtual time `t`. A complete stream is accepted like any BlinkUp: only while sensing is
   * on (spec §5.3); a factory stream carries a factory enrolment token (seed 001).
   */
  senseLight(lit: boolean, t: number = this.scheduler.now): void {
    if (!this.powered || this.asleep) return;
    for (const receiver of this.receivers) {
      const payload = receiver.feed(lit ? 1 : 0, t);
      if (payload !== null) this.acceptBlinkUp(payload, true);
    }
  }

  private acceptBlinkUp(payload: BlinkUpPayload, factory: boolean): boolean {
    const ok = this.powered && !this.asleep && this.indicator.blinkUpEnabled;
    this.emit(this.scheduler.now, "blinkup", { ok, factory });
    if (!ok) return false;
    this.storage.wifi = { ssid: payload.ssid, password: payload.password };
    this.storage.planId = payload.planId;
    this.storage.enrolmentToken = payload.enrolmentToken;
    this.storage.activated = false;
    this.storage.factoryConfigured = factory;
    this.boot.blinkUp();
    return true;
  }

  /**
   * A fixture's side of factory BlinkUp (seed 001): impOS drives the LED pin with the stream,
   * one scheduler event per change of the light, with Squirrel suspended until the last bit.
   * chosen: the pin is left disabled (tri-stated) afterwards, as impOS found it for firmware
   * that never configured it.
   */
  private flashBlinkUp(run: SquirrelRun, pinName: string, payload: BlinkUpPayload, fast: boolean, done: () => void): void {
    const pin = this.pins.get(pinName);
    const period = bitPeriodMicros(fast);
    const bits = encodeBlinkUp(payload);
    this.loop.suspend();
    this.emit(this.scheduler.now, "factory-blinkup", { phase: "flashing", pin: pinName });
    pin.configure("DIGITAL_OUT", { initial: 0 });
    const start = this.scheduler.now;
    let i = 0;
    const next = () => {
      if (run.ended || !pin.mode) return this.finishFlash(run, pin, done);
      const level = bits[i]!;
      pin.write(level);
      let j = i + 1;
      while (j < bits.length && bits[j] === level) j++;
      i = j;
      if (i >= bits.length) {
        this.scheduler.after(period, () => this.finishFlash(run, pin, done), "factory BlinkUp ends");
        return;
      }
      this.scheduler.at(start + i * period, next, "factory BlinkUp bit");
    };
    next();
  }

  private finishFlash(run: SquirrelRun, pin: Pin, done: () => void): void {
    if (run.ended) return;
    pin.disable();
    this.emit(this.scheduler.now, "factory-blinkup", { phase: "done", pin: pin.name });
    this.loop.resume();
    done();
  }

  // ---------------------------------------------------------------- the Squirrel VM

  private startSquirrel(wakeReason: number): void {
    this.stopSquirrel();
    const code = this.storage.code;
    if (code === null) throw new Error(`device ${this.id}: asked to start Squirrel with no code stored`);
    const run = new SquirrelRun(wakeReason, this.scheduler.now);
    this.run = run;
    const creation = createDeviceVm({
      engine: this.options.engine,
      hostCalls: this.hostCallsFor(run),
      squirrelMemory: this.model.squirrelMemory,
      memoryLimit: this.options.memoryLimit,
      sliceTimeoutMs: this.options.sliceTimeoutMs,
      now: () => this.scheduler.now,
      bundle: this.options.bundle,
    }).then(
      (vm) => {
        if (run.ended) {
          vm.dispose();
          return;
        }
        this.vm = vm;
        this.launch(run, vm);
      },
      (error: unknown) => {
        if (this.run === run) this.run = null;
        run.end();
        throw error;
      },
    );
    this.options.track(creation);
  }

  /** The host calls of one run: each refuses once the run is over, so a doomed VM can do no harm. */
  private hostCallsFor(run: SquirrelRun): DeviceHostCalls {
    const impl = new ImpApiHost(this.api, run);
    const calls: Record<string, unknown> = {};
    for (const name of HOST_CALL_NAMES) {
      const fn = impl[name] as (...args: unknown[]) => unknown;
      calls[name] = (...args: unknown[]) => {
        if (run.ended) throw new Error("the Squirrel VM is shutting down");
        return fn.apply(impl, args);
      };
    }
    return calls as unknown as DeviceHostCalls;
  }

  private launch(run: SquirrelRun, vm: DeviceVm): void {
    const reason = run.wakeReason;
    this.lastWakeReason = reason;
    this.runCount++;
    this.emit(this.scheduler.now, "wake", { reason, name: wakeReasonName(reason) ?? String(reason) });
    this.indicator.newVm();
    this.indicator.setSquirrelRunning(true);
    const info: DeviceBootInfo = {
      wakeReason: reason,
      nv: this.model.hasNv ? this.nvram.boot(reason) : null,
      pins: this.model.pins.map((p) => p.name),
      buses: this.model.buses.map((b) => ({ name: b.name, kind: b.kind })),
      environment: ENVIRONMENTS[this.model.environment],
      lightLevel: this.model.lightLevel,
      randomSeed: (this.options.randomSeed + this.runCount * 0x9e3779b1) | 0,
    };
    const code = this.storage.code!;
    this.loop.runNow({
      label: "top-level code",
      run: () =>
        this.runSlice(run, vm, (v) => {
          const booted = v.boot(info);
          if (booted.kind !== "ok") return booted;
          let js: string;
          try {
            js = compiledFirmware(code.source, code.hash, code.file);
          } catch (error) {
            // The cloud compiles before it deploys, so only a cloud that did not can get here.
            return { kind: "squirrel-error", reported: false, message: error instanceof Error ? error.message : String(error) };
          }
          const loaded = v.loadFirmware(js, code.file);
          return loaded.kind === "ok" ? v.runFirmware() : loaded;
        }),
    });
  }

  /** Runs one slice in the VM, then acts on how it ended. Called inside an event-loop task. */
  private runSlice(run: SquirrelRun, vm: DeviceVm, slice: (vm: DeviceVm) => SliceOutcome): void {
    if (run.ended || this.vm !== vm) return;
    this.slicing = vm;
    let outcome: SliceOutcome;
    try {
      outcome = slice(vm);
    } finally {
      this.slicing = null;
    }
    this.afterSlice(run, vm, outcome);
  }

  private afterSlice(run: SquirrelRun, vm: DeviceVm, outcome: SliceOutcome): void {
    if (this.hostFailure !== null) {
      const failure = this.hostFailure;
      this.hostFailure = null;
      throw failure;
    }
    if (run.ended || this.vm !== vm) {
      // Torn down while it ran (power lost, a cold boot): it is disposed now it has stopped.
      vm.dispose();
      return;
    }
    const now = this.scheduler.now;
    const ranFor = now - run.startedAt;
    if (outcome.kind === "out-of-memory") {
      // A de facto cold start (seed 004, "Squirrel Errors", note).
      this.emit(now, "error", { source: "status", message: `Device out of memory: ${outcome.message}; restarting` });
      this.boot.coldBoot(WAKE_REASONS.WAKEREASON_SW_RESET);
      return;
    }
    if (outcome.kind === "internal-error") {
      this.emit(now, "error", { source: "status", message: `internal error of the virtual imp: ${outcome.message}` });
      this.boot.errorRestart("internal error", ranFor);
      return;
    }
    const exit = run.exit;
    if (exit !== null) {
      switch (exit.kind) {
        case "deep-sleep":
          this.enterDeepSleep(exit.seconds, WAKE_REASONS.WAKEREASON_TIMER);
          return;
        case "snooze":
          this.emit(now, "error", { source: "status", message: "Device could not connect; snoozing before it tries again" });
          this.enterDeepSleep(SNOOZE_SECONDS, WAKE_REASONS.WAKEREASON_SNOOZE);
          return;
        case "reset":
          this.boot.coldBoot(WAKE_REASONS.WAKEREASON_SW_RESET);
          return;
        case "restart": {
          const update = this.deferredUpdate;
          const reason =
            update === "new-squirrel" ? WAKE_REASONS.WAKEREASON_NEW_SQUIRREL
            : update === "new-firmware" ? WAKE_REASONS.WAKEREASON_NEW_FIRMWARE
            : WAKE_REASONS.WAKEREASON_SW_RESTART;
          this.boot.restartSquirrel(reason, "server.restart()");
          return;
        }
      }
    }
    if (outcome.kind === "deadline") {
      this.emit(now, "error", {
        source: "status",
        message: `Squirrel stopped: an event ran for more than ${outcome.timeoutMs} ms of host time without returning (a runaway loop?); restarting`,
      });
      this.boot.errorRestart("runaway event", ranFor);
      return;
    }
    if (outcome.kind === "squirrel-error") {
      if (!outcome.reported) this.report("error", outcome.message);
      this.boot.errorRestart("uncaught Squirrel error", ranFor);
    }
  }

  /** Tears the VM down (if any); a VM inside a slice is stopped and disposed when the slice returns. */
  private stopSquirrel(keepPin: string | null = null): void {
    const run = this.run;
    if (run === null) return;
    run.end();
    this.run = null;
    this.deferredUpdate = null;
    this.loop.clear();
    const vm = this.vm;
    this.vm = null;
    if (vm !== null) {
      if (this.slicing === vm) vm.interrupt();
      else vm.dispose();
    }
    this.buses.reset();
    // chosen: a VM teardown tri-states the pins, as a boot does, since the new VM configures its own.
    for (const pin of this.pins) if (pin.name !== keepPin) pin.disable();
    this.indicator.setSquirrelRunning(false);
  }

  // ---------------------------------------------------------------- events into the VM

  private post(run: SquirrelRun, label: string, id: number, argsJson = "[]"): void {
    if (run.ended) return;
    this.loop.post({
      label,
      run: () => {
        const vm = this.vm;
        if (vm !== null) this.runSlice(run, vm, (v) => v.dispatch(id, argsJson));
      },
    });
  }

  private setIdle(run: SquirrelRun, id: number): void {
    if (run.ended) return;
    if (id === 0) {
      this.loop.setIdle(null);
      return;
    }
    this.loop.setIdle({
      label: "imp.onidle",
      run: () => {
        const vm = this.vm;
        if (vm !== null) this.runSlice(run, vm, (v) => v.dispatch(id));
      },
    });
  }

  private pinChanged(run: SquirrelRun, pin: string, callbackId: number, level: number): void {
    if (this.asleep) {
      // The wake pin rising wakes the imp; its callback is not called for it (spec §1.4).
      if (level === 1 && this.pins.get(pin).mode === "DIGITAL_IN_WAKEUP") this.wake(WAKE_REASONS.WAKEREASON_PIN);
      return;
    }
    if (callbackId !== 0) this.post(run, `${pin} changed`, callbackId);
  }

  private uartData(bus: string, callbackId: number): void {
    const run = this.run;
    if (run === null || run.uartPending.has(bus)) return;
    run.uartPending.add(bus);
    this.loop.post({
      label: `${bus} data`,
      run: () => {
        run.uartPending.delete(bus);
        const vm = this.vm;
        if (vm !== null) this.runSlice(run, vm, (v) => v.dispatch(callbackId));
      },
    });
  }

  /**
   * Blocks the running VM while virtual time runs to `until` (imp.sleep, a pulse-counter read, a
   * send waiting for the connection): other devices and this device's impOS go on; this device's
   * own events wait in its loop. The wall time spent is not the slice's to pay for.
   */
  private block(until: number, done?: () => boolean): void {
    const vm = this.slicing;
    const started = performance.now();
    try {
      for (;;) {
        if (done?.() === true) break;
        if (!this.powered || this.vm !== vm || this.run === null || this.run.ended) break;
        const next = this.scheduler.nextTime;
        if (next === null || next > until) {
          if (Number.isFinite(until) && this.scheduler.now < until) this.scheduler.runUntil(until);
          break;
        }
        this.scheduler.step();
      }
    } catch (error) {
      // A failure of the emulator itself inside another event: surfaced after this slice.
      this.hostFailure ??= error;
      vm?.interrupt();
    } finally {
      vm?.extendDeadline(performance.now() - started);
    }
  }

  // ---------------------------------------------------------------- sleep and wake

  private enterDeepSleep(seconds: number, timerReason: number): void {
    const wakePin = [...this.pins].find((p) => p.mode === "DIGITAL_IN_WAKEUP") ?? null;
    this.stopSquirrel(wakePin?.name ?? null);
    this.boot.stop();
    this.connection.disconnect();
    this.indicator.goDark();
    this.asleep = true;
    const wakeAt = this.scheduler.now + Math.round(seconds * MICROS_PER_SECOND);
    this.emit(this.scheduler.now, "sleep", { wakeAt });
    this.wakeTimer = this.scheduler.at(wakeAt, () => {
      this.wakeTimer = null;
      this.wake(timerReason);
    }, `device ${this.id} wakes`);
    // chosen: the imp will not sleep while its wake pin is high (spec §1.4), so it wakes at once.
    if (wakePin !== null && wakePin.level === 1) {
      this.scheduler.after(0, () => {
        if (this.asleep) this.wake(WAKE_REASONS.WAKEREASON_PIN);
      }, `device ${this.id} wake pin already high`);
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
      wakeReason: this.run?.wakeReason ?? null,
    };
  }

  /** New code or a new impOS while Squirrel runs: polite deployment (spec §1.5). */
  private reloadSquirrel(reason: ReloadReason, force: boolean): void {
    const run = this.run;
    if (run === null) return;
    if (this.slicing !== null) {
      // Between events only: the cloud's message waits for the running one (blocked in imp.sleep, say).
      this.loop.post({ label: "reload", run: () => this.reloadSquirrel(reason, force) });
      return;
    }
    const shutdownReason = reason === "new-squirrel" ? SHUTDOWN_REASONS.SHUTDOWN_NEWSQUIRREL : SHUTDOWN_REASONS.SHUTDOWN_NEWFIRMWARE;
    const deferred = !force && run.shutdownHandler !== 0;
    this.emit(this.scheduler.now, "shutdown", { reason: shutdownReason, deferred });
    if (deferred) {
      this.deferredUpdate = reason;
      this.post(run, "server.onshutdown", run.shutdownHandler, JSON.stringify([shutdownReason]));
      return;
    }
    if (reason === "new-squirrel") this.boot.restartSquirrel(WAKE_REASONS.WAKEREASON_NEW_SQUIRREL, "new Squirrel");
    else this.boot.restartSquirrel(WAKE_REASONS.WAKEREASON_NEW_FIRMWARE, "new impOS");
  }

  private agentMessage(name: string, dataJson: string): void {
    this.emit(this.scheduler.now, "message", { direction: "to-device", name });
    const run = this.run;
    if (run === null) return; // no Squirrel runs: nothing listens
    const id = run.agentHandlers.get(name);
    // A message with no handler is not fatal: the device logs it as an error (spec §1.3).
    if (id === undefined) this.report("error", "no handler for device.send()");
    else this.post(run, `agent message ${name}`, id, `[${dataJson}]`);
  }

  private connectionLost(): void {
    this.indicator.setStatus("off");
    const run = this.run;
    if (run !== null && !run.suspendOnError && run.unexpectedDisconnectHandler !== 0) {
      // RETURN_ON_ERROR: impOS retries quietly for a minute; the handler hears only of a failure (spec §1.6).
      this.connect(60 * MICROS_PER_SECOND, (reason) => {
        if (reason !== CONNECT_REASONS.SERVER_CONNECTED && !run.ended && run.unexpectedDisconnectHandler !== 0) {
          this.post(run, "server.onunexpecteddisconnect", run.unexpectedDisconnectHandler, JSON.stringify([reason]));
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
    this.deferredUpdate = null;
    this.pins.reset();
    this.buses.reset();
  }
}
