// A device VM for the guest-side tests: the device bundle (built here with esbuild, so the tests
// never read a stale dist/) evaluated in a real QuickJS VM whose host calls go to a recording
// fake host. The real host side (src/device/) is tested on its own; this fake only records what
// the guest asks and answers with what a test sets.

import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { afterEach } from "vitest";
import type {
  DeviceBootInfo,
  DeviceHostCalls,
  DeviceIdentityInfo,
} from "../../../src/device/shared/host-calls.ts";
import { digest } from "../../../src/device/host/digests.ts";
import { imp001 } from "../../../src/device/models/imp001.ts";
import { networkInfo } from "../../../src/device/wifi-network.ts";
import type { ImpModel } from "../../../src/device/models/model.ts";
import { ENVIRONMENTS } from "../../../src/device/shared/environments.ts";
import type { HostValue, Vm } from "../../../src/sandbox/engine.ts";
import { createQuickJSEngine } from "../../../src/sandbox/quickjs-engine.ts";
import { hostCallTable } from "../../../src/sandbox/runtime-vm.ts";
import { HOST_CALL_NAMES } from "../../../src/device/host/device-vm.ts";
import { compile } from "../../../src/squirrel/index.ts";

const ENTRY = fileURLToPath(new URL("../../../src/device/guest/index.ts", import.meta.url));

let bundle: string | undefined;

export function deviceBundle(): string {
  bundle ??= buildSync({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    logLevel: "silent",
  }).outputFiles[0]!.text;
  return bundle;
}

/** One recorded host call: its name, then its arguments. */
export type Call = [string, ...HostValue[]];

/** Records every call; answers from fields a test may set. */
/** Recorded calls: the first few are there as far as a test's destructuring is concerned. */
type RecordedCalls = HostValue[][] & {
  readonly 0: HostValue[];
  readonly 1: HostValue[];
  readonly 2: HostValue[];
};

export class FakeHost implements DeviceHostCalls {
  readonly calls: Call[] = [];
  uptime = 0;
  rtc = 1_700_000_000.25;
  memory = 80_000;
  configParams = "{}";
  connected = true;
  ssid = "virtual-imp";
  /** The connect reason of the last failure, for imp.net.info()'s lasterror. */
  lastError = 4;
  identity: DeviceIdentityInfo = {
    deviceId: "0123456789abcdef",
    macAddress: "0c2a69abcdef",
    type: "imp001",
  };
  /** What pinRead answers, per pin. */
  pinLevels: Record<string, number> = {};
  /** The error text pinConfigure throws for (pin, mode), or undefined to accept. */
  pinConfigureError: (pin: string, mode: number) => string | undefined = () => undefined;
  /** Bytes uartRead gives, per bus, one per call. */
  uartInput: Record<string, number[]> = {};
  /** What spiWriteRead answers for the bytes written. */
  spiAnswer: (data: string) => string = (data) => data.split("").reverse().join("");
  i2cAnswer: string | null = "\u0012\u0034";
  agentSendResult = 0;
  /** When set, deepSleep throws it (as the host does for an nv image that does not fit). */
  deepSleepError: string | undefined;

  private record(name: string, ...args: HostValue[]): void {
    this.calls.push([name, ...args]);
  }

  /**
   * The calls made to `name`, arguments only. Typed so that a test can destructure the first
   * calls it expects (`const [[pin, mode]] = host.callsTo("pinConfigure")`); it asserts what it reads.
   */
  callsTo(name: string): RecordedCalls {
    return this.calls
      .filter((c) => c[0] === name)
      .map((c) => c.slice(1) as HostValue[]) as RecordedCalls;
  }

  get logs(): string[] {
    return this.callsTo("log").map((a) => a[0] as string);
  }

  get errors(): string[] {
    return this.callsTo("logError").map((a) => a[0] as string);
  }

  log(text: string): void {
    this.record("log", text);
  }
  logError(text: string): void {
    this.record("logError", text);
  }
  uptimeMicros(): number {
    return this.uptime;
  }
  rtcSeconds(): number {
    return this.rtc;
  }
  sleep(seconds: number): void {
    this.record("sleep", seconds);
    this.uptime += seconds * 1e6;
    this.rtc += seconds;
  }
  wakeup(seconds: number, id: number): void {
    this.record("wakeup", seconds, id);
  }
  cancelWakeup(id: number): void {
    this.record("cancelWakeup", id);
  }
  onIdle(id: number): void {
    this.record("onIdle", id);
  }
  pinConfigure(pin: string, mode: number, argsJson: string, callbackId: number): void {
    this.record("pinConfigure", pin, mode, argsJson, callbackId);
    const error = this.pinConfigureError(pin, mode);
    if (error !== undefined) throw new Error(error);
  }
  pinWrite(pin: string, value: number): void {
    this.record("pinWrite", pin, value);
  }
  pinRead(pin: string): number {
    this.record("pinRead", pin);
    return this.pinLevels[pin] ?? 0;
  }
  pinDisable(pin: string): void {
    this.record("pinDisable", pin);
  }
  busConfigure(bus: string, argsJson: string, callbackId: number): void {
    this.record("busConfigure", bus, argsJson, callbackId);
  }
  busDisable(bus: string): void {
    this.record("busDisable", bus);
  }
  i2cWrite(bus: string, address: number, data: string): number {
    this.record("i2cWrite", bus, address, data);
    return 0;
  }
  i2cRead(bus: string, address: number, register: string, count: number): string | null {
    this.record("i2cRead", bus, address, register, count);
    return this.i2cAnswer;
  }
  i2cReadError(bus: string): number {
    this.record("i2cReadError", bus);
    return -2;
  }
  spiWriteRead(bus: string, data: string): string {
    this.record("spiWriteRead", bus, data);
    return this.spiAnswer(data);
  }
  uartWrite(bus: string, data: string): void {
    this.record("uartWrite", bus, data);
  }
  uartRead(bus: string): number {
    return this.uartInput[bus]?.shift() ?? -1;
  }
  identityJson(): string {
    return JSON.stringify(this.identity);
  }
  memoryFree(): number {
    return this.memory;
  }
  configParamsJson(): string {
    return this.configParams;
  }
  enableBlinkUp(on: boolean): void {
    this.record("enableBlinkUp", on);
  }
  setPowerSave(on: boolean): void {
    this.record("setPowerSave", on);
  }
  clearConfiguration(flags: number): void {
    this.record("clearConfiguration", flags);
  }
  networkJson(): string {
    return JSON.stringify(
      networkInfo(this.identity.macAddress, this.ssid, this.connected, this.lastError),
    );
  }
  digest(algorithm: string, data: string, key: string | null): string {
    return digest(algorithm, data, key);
  }
  deepSleep(seconds: number, flush: boolean, nvJson: string | null): void {
    this.record("deepSleep", seconds, flush, nvJson);
    if (this.deepSleepError !== undefined) throw new Error(this.deepSleepError);
  }
  reset(): void {
    this.record("reset");
  }
  restart(nvJson: string | null): void {
    this.record("restart", nvJson);
  }
  connect(id: number, timeoutSeconds: number): void {
    this.record("connect", id, timeoutSeconds);
  }
  disconnect(): void {
    this.record("disconnect");
    this.connected = false;
  }
  isConnected(): boolean {
    return this.connected;
  }
  setSendTimeoutPolicy(errorPolicy: number, waitPolicy: number, timeoutSeconds: number): void {
    this.record("setSendTimeoutPolicy", errorPolicy, waitPolicy, timeoutSeconds);
  }
  onUnexpectedDisconnect(id: number): void {
    this.record("onUnexpectedDisconnect", id);
  }
  onShutdown(id: number): void {
    this.record("onShutdown", id);
  }
  flush(timeoutSeconds: number): boolean {
    this.record("flush", timeoutSeconds);
    return true;
  }
  agentSend(name: string, dataJson: string): number {
    this.record("agentSend", name, dataJson);
    return this.agentSendResult;
  }
  agentOn(name: string, id: number): void {
    this.record("agentOn", name, id);
  }
  bless(pass: boolean, id: number): void {
    this.record("bless", pass, id);
  }
  factoryBlinkUp(ssid: string, password: string, pin: string, flags: number): void {
    this.record("factoryBlinkUp", ssid, password, pin, flags);
  }
}

/** The boot info of a model: its pin and bus names. */
export function bootInfoOf(model: ImpModel, extra: Partial<DeviceBootInfo> = {}): DeviceBootInfo {
  return {
    wakeReason: 0,
    nv: null,
    pins: model.pins.map((p) => p.name),
    buses: model.buses.map((b) => ({ name: b.name, kind: b.kind })),
    environment: ENVIRONMENTS[model.environment],
    lightLevel: model.lightLevel,
    apiMembers: {
      hardware: [...model.otherHardware],
      imp: [...model.apiMembers.imp],
      impNet: [...model.apiMembers.impNet],
    },
    randomSeed: 1,
    ...extra,
  };
}

const engine = createQuickJSEngine();

export interface GuestDeviceOptions {
  model?: ImpModel;
  boot?: Partial<DeviceBootInfo>;
  host?: FakeHost;
  /** Wall-clock budget of each slice in ms (0: none). */
  timeoutMs?: number;
  memoryLimit?: number;
}

export class GuestDevice {
  private constructor(
    private readonly vm: Vm,
    readonly host: FakeHost,
    private readonly timeoutMs: number,
  ) {}

  static async boot(options: GuestDeviceOptions = {}): Promise<GuestDevice> {
    const host = options.host ?? new FakeHost();
    const model = options.model ?? imp001;
    if (options.model !== undefined && options.host === undefined)
      host.identity = { ...host.identity, type: model.type };
    const vm = await engine.createVm({
      hostCalls: hostCallTable(HOST_CALL_NAMES, host),
      memoryLimit: options.memoryLimit,
    });
    const device = new GuestDevice(vm, host, options.timeoutMs ?? 10_000);
    device.evaluate(deviceBundle(), "vimp-device-runtime.js");
    device.evaluate(
      `__imp.boot(${JSON.stringify(JSON.stringify(bootInfoOf(model, options.boot)))})`,
    );
    return device;
  }

  /** Evaluates a script; throws with the failure when it does not complete. */
  evaluate(code: string, filename = "test.js"): HostValue | undefined {
    const r = this.vm.evaluate(code, { filename, timeoutMs: this.timeoutMs });
    if (!r.ok) throw new Error(`${r.failure.kind}: ${r.failure.message}`);
    return r.value;
  }

  /** Compiles and runs firmware as the host does: 0, or 1 after an uncaught error. */
  run(source: string, file = "device_code"): number {
    const js = compile(source, file).js;
    return this.evaluate(`__imp.runFirmware(${js}\n)`, file) as number;
  }

  /** As run(), but gives the VM's failure (deadline, out of memory) instead of throwing. */
  runRaw(source: string, file = "device_code") {
    const js = compile(source, file).js;
    return this.vm.evaluate(`__imp.runFirmware(${js}\n)`, {
      filename: file,
      timeoutMs: this.timeoutMs,
    });
  }

  /** Delivers an event to the callback `id`, as the host does. */
  dispatch(id: number, args: unknown[] = []): number {
    return this.evaluate(
      `__imp.dispatch(${id}, ${JSON.stringify(JSON.stringify(args))})`,
    ) as number;
  }

  /** Delivers an event whose argument list is already JSON text (agent messages). */
  dispatchJson(id: number, argsJson: string): number {
    return this.evaluate(`__imp.dispatch(${id}, ${JSON.stringify(argsJson)})`) as number;
  }

  dispose(): void {
    this.vm.dispose();
  }
}

/**
 * For a test file: `boot` and `run` make devices that are disposed after each test. `run` boots
 * a device, runs `source` on it, and gives the device, the run's status and the fake host.
 */
export function deviceTests() {
  const open: GuestDevice[] = [];
  afterEach(() => {
    for (const d of open.splice(0)) d.dispose();
  });
  const boot = async (options: GuestDeviceOptions = {}): Promise<GuestDevice> => {
    const device = await GuestDevice.boot(options);
    open.push(device);
    return device;
  };
  const run = async (source: string, options: GuestDeviceOptions = {}) => {
    const device = await boot(options);
    const status = device.run(source);
    return { device, status, host: device.host };
  };
  return { boot, run };
}
