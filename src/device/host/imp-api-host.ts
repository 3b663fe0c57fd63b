// The host side of the imp API (host-calls.ts): each call the guest makes, done against this
// device's pins, buses, clock, LED, connection and storage. One instance serves one Squirrel
// run (squirrel-run.ts), so a call from a VM that is already gone can do no harm.
//
// Sends (server.log, server.error, agent.send, server.connect) follow the send-timeout policy
// (/api/server/setsendtimeoutpolicy). Online, a line goes to the cloud and into the trace at once. Offline under
// RETURN_ON_ERROR the call returns SEND_ERROR_NOT_CONNECTED and the line is lost, as on the
// imp. Offline under SUSPEND_ON_ERROR Squirrel halts — virtual time runs on — while impOS
// connects for up to a minute; if that fails the imp snoozes (deep sleep, then a warm start
// with WAKEREASON_SNOOZE).
// chosen: server.error lines never halt Squirrel; offline they wait and go out with the next
// connection. The guest reports an uncaught error through the same call, and impOS sends its
// own error reports when it can rather than halting the VM it is tearing down.

import type { Scheduler } from "../../sim/scheduler.ts";
import { MICROS_PER_SECOND } from "../../sim/scheduler.ts";
import type { Emit } from "../../sim/trace.ts";
import type { Buses } from "../buses.ts";
import type { BlinkUpPayload } from "../blinkup-stream.ts";
import type { Connection } from "../connection.ts";
import { digest } from "./digests.ts";
import { BLINKUP_FLAGS } from "../shared/blinkup-flags.ts";
import { CLEAR_CONFIGURATION_FLAGS } from "../shared/clear-configuration-flags.ts";
import type { DeviceHostCalls, DeviceIdentityInfo } from "../shared/host-calls.ts";
import type { DeviceIdentity } from "../identity.ts";
import type { ImpModel } from "../models/model.ts";
import type { Nvram } from "../nvram.ts";
import { nvImageSize } from "../nv-size.ts";
import { pinModeName } from "../shared/pin-modes.ts";
import type { PinConfiguration, Pins } from "../pins.ts";
import type { Rtc } from "../rtc.ts";
import type { SecureStorage } from "../secure-storage.ts";
import { SEND_ERRORS, SEND_OK } from "../shared/send-errors.ts";
import type { SquirrelRun } from "./squirrel-run.ts";
import type { StatusIndicator } from "../status-indicator.ts";
import { networkInfo } from "../wifi-network.ts";

/** How long impOS tries to connect for a send under SUSPEND_ON_ERROR before it snoozes (/api/server/setsendtimeoutpolicy). */
export const SUSPEND_CONNECT_WINDOW_SECONDS = 60;

/** What the imp API's host side needs of its device. */
export interface ImpApiDevice {
  readonly scheduler: Scheduler;
  readonly emit: Emit;
  readonly model: ImpModel;
  readonly identity: DeviceIdentity;
  readonly pins: Pins;
  readonly buses: Buses;
  readonly rtc: Rtc;
  readonly nvram: Nvram;
  readonly storage: SecureStorage;
  readonly connection: Connection;
  readonly indicator: StatusIndicator;
  /** Virtual time (µs) this boot began: hardware.micros() counts from it. */
  bootedAt(): number;
  configParams(): Readonly<Record<string, unknown>>;
  /** imp.getmemoryfree(). */
  memoryFree(): number;
  /** Blocks the running VM while virtual time runs to `until` (µs) or `done()` holds. */
  block(until: number, done?: () => boolean): void;
  /** Queues callback `id` of `run` with a JSON array of arguments. */
  post(run: SquirrelRun, label: string, id: number, argsJson?: string): void;
  /** Sets (0: clears) the run's imp.onidle callback. */
  setIdle(run: SquirrelRun, id: number): void;
  /** A pin state change while a pin is a digital input (also while the imp sleeps). */
  pinChanged(run: SquirrelRun, pin: string, callbackId: number, level: number): void;
  /** Starts a connection attempt and tells the LED (the first of a boot starts its CONNECTING window). */
  connect(timeoutMicros: number, done: (reason: number) => void): void;
  /** Lines waiting for a connection (server.error while offline). */
  queueOffline(kind: "log" | "error", message: string): void;
  /** `server.bless` answered, for the LED and the trace (factory API). */
  blessed(pass: boolean, blessed: boolean): void;
  /** Stops the running VM at once (it will not run on after this call returns). */
  halt(): void;
  /**
   * Flashes a factory BlinkUp on `pin` with Squirrel suspended until it ends (/manufacturing/factoryfirmware);
   * `done` runs when Squirrel resumes.
   */
  flashBlinkUp(
    run: SquirrelRun,
    pin: string,
    payload: BlinkUpPayload,
    fast: boolean,
    done: () => void,
  ): void;
}

/** /manufacturing/factoryfirmware / /manufacturing/factoryfirmware: what a fixture logs when the cloud will not give it a factory token. */
export const NOT_A_FACTORY_IMP = "Factory BlinkUp request failed. This is not a factory imp.";

function num(v: unknown, what: string): number {
  if (typeof v !== "number" || Number.isNaN(v))
    throw new TypeError(`${what} must be a number, got ${String(v)}`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string") throw new TypeError(`${what} must be a string, got ${String(v)}`);
  return v;
}

export class ImpApiHost implements DeviceHostCalls {
  constructor(
    private readonly device: ImpApiDevice,
    private readonly run: SquirrelRun,
  ) {}

  // ---- output

  log(text: string): number {
    return this.send("log", str(text, "server.log()'s text"));
  }

  logError(text: string): number {
    const message = str(text, "server.error()'s text");
    const { connection, scheduler, emit } = this.device;
    const session = connection.session;
    if (session !== null) {
      session.log("error", message);
      emit(scheduler.now, "error", { source: "device", message });
      return SEND_OK;
    }
    this.device.queueOffline("error", message);
    return this.run.suspendOnError ? SEND_OK : SEND_ERRORS.SEND_ERROR_NOT_CONNECTED;
  }

  // ---- time

  uptimeMicros(): number {
    return this.device.scheduler.now - this.device.bootedAt();
  }

  rtcSeconds(): number {
    return this.device.rtc.seconds(this.device.scheduler.now);
  }

  sleep(seconds: number): void {
    const micros = Math.max(0, Math.round(num(seconds, "imp.sleep()'s time") * MICROS_PER_SECOND));
    this.device.block(this.device.scheduler.now + micros);
  }

  // ---- event sources

  wakeup(seconds: number, id: number): void {
    // Centisecond resolution (/api/imp/onidle): the interval is rounded up to the next 10 ms, so a
    // short interval is never 0 (which would run the timer at this very instant, stalling the
    // clock). Whole microseconds first: Squirrel's 0.3 is a 32-bit float a hair above 0.3.
    const whole = Math.max(
      0,
      Math.round(num(seconds, "imp.wakeup()'s interval") * MICROS_PER_SECOND),
    );
    const centi = MICROS_PER_SECOND / 100;
    const micros = Math.ceil(whole / centi) * centi;
    const { run } = this;
    this.cancelWakeup(id);
    const timer = this.device.scheduler.after(
      micros,
      () => {
        run.timers.delete(id);
        this.device.post(run, `timer ${id}`, id);
      },
      `imp.wakeup timer ${id}`,
    );
    run.timers.set(id, timer);
  }

  cancelWakeup(id: number): void {
    const timer = this.run.timers.get(id);
    timer?.cancel();
    this.run.timers.delete(id);
  }

  onIdle(id: number): void {
    this.device.setIdle(this.run, id);
  }

  // ---- pins

  pinConfigure(pin: string, mode: number, argsJson: string, callbackId: number): void {
    const args = JSON.parse(str(argsJson, "the pin arguments")) as unknown[];
    const name = pinModeName(mode);
    const config: PinConfiguration = {};
    const first = typeof args[0] === "number" ? args[0] : undefined;
    const second = typeof args[1] === "number" ? args[1] : undefined;
    switch (name) {
      case "DIGITAL_OUT":
      case "DIGITAL_OUT_OD":
        config.initial = first;
        break;
      case "PWM_OUT":
        config.period = first;
        config.duty = second;
        break;
      case "PULSE_COUNTER":
        config.window = first;
        break;
      case "DIGITAL_IN":
      case "DIGITAL_IN_PULLUP":
      case "DIGITAL_IN_PULLDOWN":
      case "DIGITAL_IN_WAKEUP":
        // The wake pin always reports its edges: the device watches it while asleep.
        if (callbackId !== 0 || name === "DIGITAL_IN_WAKEUP") {
          const run = this.run;
          config.onChange = (level) => this.device.pinChanged(run, pin, callbackId, level);
        }
        break;
    }
    this.device.pins.get(pin).configure(name ?? mode, config);
    if (name === "PULSE_COUNTER") this.run.pulseWindows.set(pin, first!);
    else this.run.pulseWindows.delete(pin);
  }

  pinWrite(pin: string, value: number): void {
    this.device.pins.get(pin).write(value);
  }

  pinRead(pin: string): number {
    const p = this.device.pins.get(pin);
    const window = p.mode === "PULSE_COUNTER" ? this.run.pulseWindows.get(pin) : undefined;
    // A pulse counter blocks for its counting window (/api/imp/onidle), then counts that window.
    if (window !== undefined)
      this.device.block(this.device.scheduler.now + Math.round(window * MICROS_PER_SECOND));
    return p.read();
  }

  pinDisable(pin: string): void {
    this.device.pins.get(pin).disable();
    this.run.pulseWindows.delete(pin);
  }

  // ---- buses

  busConfigure(bus: string, argsJson: string, callbackId: number): void {
    this.device.buses.configure(
      bus,
      JSON.parse(str(argsJson, "the bus arguments")) as unknown[],
      callbackId,
    );
  }

  busDisable(bus: string): void {
    this.device.buses.disable(bus);
  }

  i2cWrite(bus: string, address: number, data: string): number {
    return this.device.buses.i2cWrite(
      bus,
      num(address, "the I²C address"),
      str(data, "the I²C data"),
    );
  }

  i2cRead(bus: string, address: number, register: string, count: number): string | null {
    return this.device.buses.i2cRead(
      bus,
      num(address, "the I²C address"),
      str(register, "the I²C register"),
      num(count, "the byte count"),
    );
  }

  i2cReadError(bus: string): number {
    return this.device.buses.i2cReadError(bus);
  }

  spiWriteRead(bus: string, data: string): string {
    return this.device.buses.spiWriteRead(bus, str(data, "the SPI data"));
  }

  uartWrite(bus: string, data: string): void {
    this.device.buses.uartWrite(bus, str(data, "the UART data"));
  }

  uartRead(bus: string): number {
    return this.device.buses.uartRead(bus);
  }

  // ---- the imp itself

  identityJson(): string {
    const { identity, model, storage } = this.device;
    const info: DeviceIdentityInfo = {
      deviceId: identity.deviceId,
      macAddress: identity.macAddress,
      type: model.info.type,
      softwareVersion: storage.impOSVersion,
    };
    return JSON.stringify(info);
  }

  memoryFree(): number {
    return this.device.memoryFree();
  }

  configParamsJson(): string {
    return JSON.stringify(this.device.configParams());
  }

  networkJson(): string {
    const { identity, storage, connection } = this.device;
    return JSON.stringify(
      networkInfo(
        identity.macAddress,
        storage.wifi?.ssid,
        connection.isConnected,
        connection.lastError,
      ),
    );
  }

  digest(algorithm: string, data: string, key: string | null): string {
    return digest(
      str(algorithm, "the hash algorithm"),
      str(data, "the data to hash"),
      key === null ? null : str(key, "the hash key"),
    );
  }

  enableBlinkUp(on: boolean): void {
    this.device.indicator.enableBlinkUp(on === true);
  }

  setPowerSave(on: boolean): void {
    // Kept for a future power model; WiFi power-save changes nothing the emulator shows.
    this.run.powerSave = on === true;
  }

  clearConfiguration(flags: number): void {
    const bits = CLEAR_CONFIGURATION_FLAGS;
    this.device.storage.clearConfiguration(
      num(flags, "imp.clearconfiguration()'s flags"),
      {
        wifi: bits.CONFIG_WIFI,
        staticNetwork: bits.CONFIG_STATIC_NETWORK,
        proxy: bits.CONFIG_PROXY,
      },
      bits.CONFIG_ALL,
    );
  }

  // ---- leaving the VM

  deepSleep(seconds: number, _flush: boolean, nvJson: string | null): void {
    const { model, nvram } = this.device;
    if (!model.hasDeepSleep) throw new Error(`the ${model.type} cannot deep sleep`);
    // impOS saves nv just before sleeping (/api/nv); an image that does not fit is the sleep
    // call's error. Every send is instant here, so the flush of server.sleepfor has nothing to wait for.
    if (nvJson === null) nvram.clear();
    else nvram.save(nvJson, nvImageSize(nvJson));
    this.run.exit ??= { kind: "deep-sleep", seconds: Math.max(0, num(seconds, "the sleep time")) };
  }

  reset(): void {
    this.run.exit ??= { kind: "reset" };
  }

  restart(_nvJson: string | null): void {
    // nv does not survive a VM restart (nvram.ts, NV_KEPT_BY_WAKE_REASON), so the image is not kept.
    this.run.exit ??= { kind: "restart" };
  }

  // ---- the cloud

  connect(id: number, timeoutSeconds: number): void {
    const timeout =
      Math.max(0, num(timeoutSeconds, "server.connect()'s timeout")) * MICROS_PER_SECOND;
    if (this.run.suspendOnError) {
      // Synchronous under SUSPEND_ON_ERROR, its arguments ignored (/api/server/setsendtimeoutpolicy).
      this.connectOrSnooze();
      return;
    }
    const run = this.run;
    this.device.connect(timeout, (reason) => {
      if (id !== 0) this.device.post(run, "server.connect callback", id, JSON.stringify([reason]));
    });
  }

  disconnect(): void {
    this.device.connection.disconnect();
    this.device.indicator.setStatus("off");
  }

  isConnected(): boolean {
    return this.device.connection.isConnected;
  }

  setSendTimeoutPolicy(errorPolicy: number, waitPolicy: number, timeoutSeconds: number): void {
    this.run.policy = {
      errorPolicy: num(errorPolicy, "the error policy"),
      waitPolicy: num(waitPolicy, "the wait policy"),
      timeoutSeconds: num(timeoutSeconds, "the timeout"),
    };
  }

  onUnexpectedDisconnect(id: number): void {
    this.run.unexpectedDisconnectHandler = id;
  }

  onShutdown(id: number): void {
    this.run.shutdownHandler = id;
  }

  flush(_timeoutSeconds: number): boolean {
    // Every send reaches the cloud at once, so there is nothing to wait for when online.
    return this.device.connection.isConnected;
  }

  agentSend(name: string, dataJson: string): number {
    const message = str(name, "agent.send()'s name");
    const data = str(dataJson, "agent.send()'s data");
    if (!this.ensureConnected()) return SEND_ERRORS.SEND_ERROR_NOT_CONNECTED;
    this.device.connection.session!.agentSend(message, data);
    this.device.emit(this.device.scheduler.now, "message", {
      direction: "to-agent",
      name: message,
    });
    return SEND_OK;
  }

  agentOn(name: string, id: number): void {
    if (id === 0) this.run.agentHandlers.delete(name);
    else this.run.agentHandlers.set(str(name, "agent.on()'s name"), id);
  }

  bless(pass: boolean, id: number): void {
    const run = this.run;
    const answer = (blessed: boolean) => {
      this.device.blessed(pass, blessed);
      if (id !== 0) this.device.post(run, "server.bless callback", id, JSON.stringify([blessed]));
    };
    const session = this.device.connection.session;
    const { model, storage } = this.device;
    // server.bless(false) shows red at once, "the failure is logged at the server" (/api/server/bless,
    // /api/server/bless). imp001 card blessing fails at once, but not an imp001 DUT configured by a
    // BlinkUp fixture (/api/server/bless, module-specific notes). An offline imp fails at once (chosen).
    if (!pass || (!model.factorySupported && !storage.factoryConfigured) || session === null) {
      if (!pass && session !== null) session.bless(false, () => {});
      this.device.scheduler.after(0, () => answer(false), "server.bless fails");
      return;
    }
    session.bless(true, (blessed) => {
      if (!run.ended) answer(blessed);
    });
  }

  /**
   * server.factoryblinkup(ssid, password, pin, flags) (/manufacturing/factoryfirmware): returns at once; the factory
   * enrolment token is fetched asynchronously, then the LED on `pin` flashes the stream while
   * Squirrel is suspended. A device the cloud does not know as a fixture — or an imp001, whose
   * fixtures are not supported (/manufacturing/factoryfirmware) — logs NOT_A_FACTORY_IMP (chosen over throwing:
   * spec no published value; the factoryblinkup page says it logs).
   */
  factoryBlinkUp(ssid: string, password: string, pin: string, flags: number): void {
    const { run, device } = this;
    const { scheduler, emit } = device;
    str(ssid, "server.factoryblinkup()'s ssid");
    str(password, "server.factoryblinkup()'s password");
    device.pins.get(pin);
    const fast = (num(flags, "server.factoryblinkup()'s flags") & BLINKUP_FLAGS.BLINKUP_FAST) !== 0;
    emit(scheduler.now, "factory-blinkup", { phase: "requested", pin });
    const fail = () => {
      emit(scheduler.now, "factory-blinkup", { phase: "failed", pin, message: NOT_A_FACTORY_IMP });
      this.logError(NOT_A_FACTORY_IMP);
    };
    const session = device.connection.session;
    if (
      !device.model.factorySupported ||
      session === null ||
      session.requestFactoryToken === undefined
    ) {
      scheduler.after(
        0,
        () => {
          if (!run.ended) fail();
        },
        "server.factoryblinkup fails",
      );
      return;
    }
    session.requestFactoryToken((grant) => {
      if (run.ended) return;
      if (grant === null) {
        fail();
        return;
      }
      device.flashBlinkUp(
        run,
        pin,
        { ssid, password, planId: grant.planId, enrolmentToken: grant.enrolmentToken },
        fast,
        () => {},
      );
    });
  }

  // ---- sends under the policy

  private send(kind: "log", message: string): number {
    if (!this.ensureConnected()) return SEND_ERRORS.SEND_ERROR_NOT_CONNECTED;
    this.device.connection.session!.log(kind, message);
    this.device.emit(this.device.scheduler.now, "log", { source: "device", message });
    return SEND_OK;
  }

  /** Online after this? Under SUSPEND_ON_ERROR it connects (halting Squirrel) or snoozes. */
  private ensureConnected(): boolean {
    if (this.device.connection.isConnected) return true;
    if (!this.run.suspendOnError) return false;
    return this.connectOrSnooze();
  }

  private connectOrSnooze(): boolean {
    if (this.run.exit !== null) return this.device.connection.isConnected;
    let answered = false;
    this.device.connect(SUSPEND_CONNECT_WINDOW_SECONDS * MICROS_PER_SECOND, () => {
      answered = true;
    });
    const { scheduler, connection } = this.device;
    this.device.block(
      scheduler.now + SUSPEND_CONNECT_WINDOW_SECONDS * MICROS_PER_SECOND + 1,
      () => answered || connection.isConnected,
    );
    if (connection.isConnected) return true;
    // Squirrel halts here for good: the imp snoozes once this event is stopped.
    this.run.exit = { kind: "snooze" };
    this.device.halt();
    return false;
  }
}
