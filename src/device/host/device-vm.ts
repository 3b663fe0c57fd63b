// One Squirrel VM of one device: a QuickJS VM (sandbox/) with the device runtime loaded, the
// host calls of host-calls.ts installed, and the firmware in it. It runs one slice at a time —
// boot, the top-level code, one event — each under a wall-clock deadline, and says how each
// ended. It knows nothing of boots or wake reasons: the device decides what an outcome means.
//
// Memory (issue 3: "memory available to Squirrel ... so imp.getmemoryfree() and out of memory
// behave like a small device"). QuickJS in this build cannot run in less than 16 MiB of
// WebAssembly memory, far more than an imp's 85–128 KB, and its own malloc limit counts
// allocations rather than bytes (quickjs-engine.ts). So:
//   - the engine's memory (32 MiB by default) is the hard limit inside a slice: a memory bomb
//     ends the slice with "out of memory" however fast it allocates;
//   - the model's budget is held by measuring the heap: `imp.getmemoryfree()` is the budget less
//     what the heap has grown since the firmware's code was loaded (code does not count: the imp
//     keeps code apart from its Squirrel RAM, /hardware/imp/pinmux), and after a slice that leaves the heap
//     grown past the budget the device runs out of memory as the imp would. Measuring walks the
//     heap, so it is done after the top-level code, then every 10th slice, or at the first slice
//     ten virtual minutes after the last measurement — deterministic, since both count virtual
//     things. A leak is caught a few events late, never early.
//   - only live data counts: a measurement over the budget, and imp.getmemoryfree(), first run
//     QuickJS's cycle collector (the engine's collectGarbage), which otherwise runs only when
//     its own threshold is passed. Without it, objects that refer to each other (a test
//     framework's promises and their handlers) counted until then, and a long session on an
//     imp001 ran out of memory where a real one does not.
//   - per object, the JavaScript representation costs about what Squirrel's does (measured
//     against the reference interpreter built for 32 bits, counting its allocations): tables
//     72–136 bytes against 123–363, a short string 22 against 47, a closure 96 against 99, an
//     instance 64 against 67; a float 64 against 0 (Squirrel keeps floats inside the slot).
//     So growth counts byte for byte, with no scale factor.

import type { Engine, Vm } from "../../sandbox/engine.ts";
import {
  codeLoadScript,
  createRuntimeVm,
  describeFailure,
  hostCallTable,
} from "../../sandbox/runtime-vm.ts";
import { QUICKJS_MIN_MEMORY_LIMIT } from "../../sandbox/quickjs-engine.ts";
import { MICROS_PER_SECOND } from "../../sim/scheduler.ts";
import { deviceRuntimeBundle } from "./device-runtime-bundle.ts";
import type { DeviceBootInfo, DeviceHostCalls } from "../shared/host-calls.ts";

/** Every host call by name; the check below fails to compile if host-calls.ts gains one not listed. */
export const HOST_CALL_NAMES = [
  "log",
  "logError",
  "uptimeMicros",
  "rtcSeconds",
  "sleep",
  "wakeup",
  "cancelWakeup",
  "onIdle",
  "pinConfigure",
  "pinWrite",
  "pinRead",
  "pinDisable",
  "busConfigure",
  "busDisable",
  "i2cWrite",
  "i2cRead",
  "i2cReadError",
  "spiWriteRead",
  "uartWrite",
  "uartRead",
  "identityJson",
  "memoryFree",
  "configParamsJson",
  "enableBlinkUp",
  "setPowerSave",
  "clearConfiguration",
  "networkJson",
  "digest",
  "deepSleep",
  "reset",
  "restart",
  "connect",
  "disconnect",
  "isConnected",
  "setSendTimeoutPolicy",
  "onUnexpectedDisconnect",
  "onShutdown",
  "flush",
  "agentSend",
  "agentOn",
  "bless",
  "factoryBlinkUp",
] as const satisfies readonly (keyof DeviceHostCalls)[];
type Unlisted = Exclude<keyof DeviceHostCalls, (typeof HOST_CALL_NAMES)[number]>;
const everyHostCallListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyHostCallListed;

/**
 * The engine memory of a device VM: twice QuickJS's 16 MiB minimum. The WebAssembly memory
 * starts at 16 MiB and grows only when the heap needs it, so this costs nothing until used, and
 * memory grown far past its start marks an out-of-memory failure unmistakably.
 */
export const DEVICE_VM_MEMORY_LIMIT = 2 * QUICKJS_MIN_MEMORY_LIMIT;

/**
 * After this many slices without a measurement the heap is measured again. Measuring costs
 * about 0.5 ms, some 25 dispatches; every 10th slice keeps an imp.wakeup(0) chain fast.
 */
export const MEMORY_CHECK_SLICES = 10;
/** After this much virtual time without a measurement the next slice measures the heap (a device with rare events). */
export const MEMORY_CHECK_MICROS = 600 * MICROS_PER_SECOND;

/** How one slice of work in the VM ended. */
export type SliceOutcome =
  | { kind: "ok" }
  /**
   * An uncaught Squirrel error. `reported` is true when the guest has already logged it and
   * given it to imp.onunhandledexception; otherwise `message` says what happened.
   */
  | { kind: "squirrel-error"; reported: true }
  | { kind: "squirrel-error"; reported: false; message: string }
  /** The slice ran past its wall-clock deadline: a runaway loop. */
  | { kind: "deadline"; timeoutMs: number }
  /** The engine's memory filled, or the heap outgrew the model's budget. */
  | { kind: "out-of-memory"; message: string }
  /** The device runtime itself failed: a bug of the emulator, not of the firmware. */
  | { kind: "internal-error"; message: string };

export interface DeviceVmOptions {
  readonly engine: Engine;
  readonly hostCalls: DeviceHostCalls;
  /** The model's memory available to Squirrel, in bytes (models/*.ts squirrelMemory). */
  readonly squirrelMemory: number;
  /** The engine's memory: the hard limit (default DEVICE_VM_MEMORY_LIMIT, 32 MiB). */
  readonly memoryLimit?: number;
  /** Wall-clock budget of one slice in ms; 0 for none. */
  readonly sliceTimeoutMs: number;
  /** Virtual time now (µs), for when to measure the heap. */
  readonly now: () => number;
  /** The script that defines `__imp` (default: dist/device-runtime.js). */
  readonly bundle?: { readonly code: string; readonly filename: string };
  /**
   * Compiled firmware (compile(source, file).js) to load with the runtime, so VMs booting the
   * same firmware again start from the engine's snapshot of it loaded: loadFirmware with the
   * same text then has nothing left to do. Firmware that fails to load that way is loaded by
   * loadFirmware, which reports the failure as it would have.
   */
  readonly firmware?: { readonly js: string; readonly file: string };
}

/** Where loaded firmware waits to be run (DeviceVm.loadFirmware, runFirmware). */
const FIRMWARE_GLOBAL = "__vimpFirmware";

/** Creates a VM and loads the device runtime into it; rejects when either fails. */
export async function createDeviceVm(options: DeviceVmOptions): Promise<DeviceVm> {
  const { vm, preloaded } = await createRuntimeVm({
    engine: options.engine,
    memoryLimit: options.memoryLimit ?? DEVICE_VM_MEMORY_LIMIT,
    hostCalls: hostCallTable(HOST_CALL_NAMES, options.hostCalls),
    bundle: options.bundle ?? deviceRuntimeBundle(),
    runtimeName: "device runtime",
    entry: "__imp",
    code: options.firmware && { ...options.firmware, global: FIRMWARE_GLOBAL },
  });
  return new DeviceVm(vm, options, preloaded);
}

export class DeviceVm {
  /** Heap size once the firmware's code is loaded: growth past it counts against the budget. */
  private baseline: number | null = null;
  private slicesSinceCheck = 0;
  /** imp.getmemoryfree() has collected garbage in the running slice. */
  private collectedThisSlice = false;
  private lastCheck = 0;

  private readonly memoryLimit: number;

  constructor(
    private readonly vm: Vm,
    private readonly options: DeviceVmOptions,
    /** The compiled firmware the VM was created with already loaded (createDeviceVm), if any. */
    private readonly preloadedFirmware: string | null = null,
  ) {
    this.memoryLimit = options.memoryLimit ?? DEVICE_VM_MEMORY_LIMIT;
  }

  /** False once the VM is disposed or spent. */
  get alive(): boolean {
    return this.vm.alive;
  }

  /** `__imp.boot(info)`: the imp API objects, constants and `nv`. */
  boot(info: DeviceBootInfo): SliceOutcome {
    return this.slice(`__imp.boot(${JSON.stringify(JSON.stringify(info))})`, "boot.js", false);
  }

  /**
   * Loads compiled firmware (compile(source, file).js) without running it, so the heap can be
   * measured with the code in place. The script keeps the program on line 1, so guest stack
   * lines are the firmware's lines.
   */
  loadFirmware(js: string, file: string): SliceOutcome {
    const outcome: SliceOutcome =
      js === this.preloadedFirmware
        ? { kind: "ok" }
        : this.slice(codeLoadScript(FIRMWARE_GLOBAL, js), file, false);
    if (outcome.kind === "ok") {
      try {
        this.baseline = this.vm.memoryUsed?.() ?? null;
      } catch (error) {
        return {
          kind: "internal-error",
          message: error instanceof Error ? error.message : String(error),
        };
      }
      this.lastCheck = this.options.now();
    }
    return outcome;
  }

  /** Runs the loaded firmware's top-level code. */
  runFirmware(): SliceOutcome {
    const outcome = this.slice(`__imp.runFirmware(globalThis.${FIRMWARE_GLOBAL})`, "run.js", true);
    return outcome.kind === "ok" ? this.checkBudget(true) : outcome;
  }

  /** Runs the callback registered under `id` with a JSON array of arguments. */
  dispatch(id: number, argsJson = "[]"): SliceOutcome {
    const outcome = this.slice(
      `__imp.dispatch(${id}, ${JSON.stringify(argsJson)})`,
      "dispatch.js",
      true,
    );
    return outcome.kind === "ok" ? this.checkBudget(false) : outcome;
  }

  /** Bytes of the model's budget still free (imp.getmemoryfree()): live data only, garbage collected first. */
  memoryFree(): number {
    // Collecting costs a few ms on a large heap: once per slice, so a loop that fills memory
    // while asking imp.getmemoryfree() stays fast (later answers in the slice count new garbage).
    const collect = !this.collectedThisSlice;
    this.collectedThisSlice = true;
    return Math.max(0, this.options.squirrelMemory - this.grown(collect));
  }

  /**
   * Bytes the heap has grown since the firmware was loaded. With `collect`, unreachable cycles
   * are freed first, so only live data counts (a few ms for a large heap).
   */
  grown(collect = false): number {
    if (this.baseline === null) return 0;
    let used: number;
    try {
      if (collect) this.vm.collectGarbage?.();
      used = this.vm.memoryUsed?.() ?? this.baseline;
    } catch {
      return Infinity; // the engine could not measure a heap it no longer trusts: treat it as full
    }
    return Math.max(0, used - this.baseline);
  }

  /** Ends the running slice at the guest's next interrupt check. */
  interrupt(): void {
    this.vm.interrupt?.();
  }

  /** Gives the running slice `ms` more wall time (time spent blocked in a host call). */
  extendDeadline(ms: number): void {
    this.vm.extendDeadline?.(ms);
  }

  dispose(): void {
    this.vm.dispose();
  }

  private slice(code: string, filename: string, returnsStatus: boolean): SliceOutcome {
    this.collectedThisSlice = false;
    const result = this.vm.evaluate(code, { filename, timeoutMs: this.options.sliceTimeoutMs });
    if (result.ok) {
      if (!returnsStatus) return { kind: "ok" };
      if (result.value === 0) return { kind: "ok" };
      // QuickJS throws a bare null when it cannot even allocate its "out of memory" error; the
      // guest then reports an ordinary error. Memory grown to the limit tells the truth.
      if (result.value === 1 && this.memoryFull())
        return { kind: "out-of-memory", message: "out of memory (the VM's memory is full)" };
      if (result.value === 1) return { kind: "squirrel-error", reported: true };
      return {
        kind: "internal-error",
        message: `the device runtime returned ${String(result.value)} instead of 0 or 1`,
      };
    }
    const failure = result.failure;
    switch (failure.kind) {
      case "deadline":
        return { kind: "deadline", timeoutMs: failure.timeoutMs };
      case "out-of-memory":
        return {
          kind: "out-of-memory",
          message: `out of memory (the VM's ${failure.memoryLimit} bytes are full)`,
        };
      case "stack-overflow":
        return { kind: "squirrel-error", reported: false, message: "stack overflow" };
      case "exception":
        return {
          kind: "internal-error",
          message: `the device runtime failed: ${describeFailure(failure)}`,
        };
      case "crashed":
        return { kind: "internal-error", message: failure.message };
    }
  }

  /**
   * True once the engine's memory has grown more than halfway from its start to its limit. Not
   * "to the limit": the allocation that fails is often large (an array doubling), so growth stops
   * short of it. Firmware held to a budget of kilobytes never comes near.
   */
  private memoryFull(): boolean {
    const reserved = this.vm.memoryReserved?.();
    const start = QUICKJS_MIN_MEMORY_LIMIT;
    return (
      reserved !== undefined &&
      this.memoryLimit > start &&
      reserved > start + (this.memoryLimit - start) / 2
    );
  }

  private checkBudget(always: boolean): SliceOutcome {
    this.slicesSinceCheck++;
    const now = this.options.now();
    if (
      !always &&
      this.slicesSinceCheck < MEMORY_CHECK_SLICES &&
      now - this.lastCheck < MEMORY_CHECK_MICROS
    )
      return { kind: "ok" };
    this.slicesSinceCheck = 0;
    this.lastCheck = now;
    // Garbage in cycles stays until QuickJS's collector runs: collect before calling it out of memory.
    let grown = this.grown();
    if (grown > this.options.squirrelMemory) grown = this.grown(true);
    if (grown <= this.options.squirrelMemory) return { kind: "ok" };
    return {
      kind: "out-of-memory",
      message: `out of memory (the firmware's data grew to ${grown} bytes; the model has ${this.options.squirrelMemory} for Squirrel)`,
    };
  }
}
