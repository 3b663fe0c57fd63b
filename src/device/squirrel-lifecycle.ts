// The Squirrel VM's life on one device: built when the boot process starts Squirrel, fed one
// slice at a time (the top-level code, then each event), and torn down where the imp tears it
// down. How a slice ends decides what happens next (/resources/imp-boot-procedure, /resources/imp-boot-procedure, /api/imp/deepsleepfor):
//   out of memory             → cold boot, WAKEREASON_SW_RESET
//   uncaught error, runaway   → VM restart after the back-off (boot.ts), WAKEREASON_SQUIRREL_ERROR
//   imp.deepsleepfor/…        → deep sleep, then a warm boot
//   snooze (SUSPEND_ON_ERROR) → deep sleep for SNOOZE_SECONDS, WAKEREASON_SNOOZE
//   imp.reset()               → cold boot, WAKEREASON_SW_RESET
//   server.restart()          → VM restart, SW_RESTART (NEW_SQUIRREL when an update was deferred)
// Device (device.ts) owns the parts and the public API; this file owns the VM.

import type { Engine } from "../sandbox/engine.ts";
import { hostInterruptRequested } from "../sandbox/host-interrupt.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Emit } from "../sim/trace.ts";
import { CompiledCodeCache, type CompiledCode } from "../squirrel/compiled-code-cache.ts";
import type { BootProcess } from "./boot.ts";
import type { Buses } from "./buses.ts";
import { firmwareTooLarge, type ReloadReason } from "./cloud-link.ts";
import type { EventLoop } from "./event-loop.ts";
import {
  createDeviceVm,
  HOST_CALL_NAMES,
  type DeviceVm,
  type SliceOutcome,
} from "./host/device-vm.ts";
import { ImpApiHost, type ImpApiDevice } from "./host/imp-api-host.ts";
import { SquirrelRun } from "./host/squirrel-run.ts";
import type { ImpModel } from "./models/model.ts";
import type { Nvram } from "./nvram.ts";
import type { Pins } from "./pins.ts";
import type { SecureStorage } from "./secure-storage.ts";
import { ENVIRONMENTS } from "./shared/environments.ts";
import type { DeviceBootInfo, DeviceHostCalls } from "./shared/host-calls.ts";
import { WAKE_REASONS, wakeReasonName } from "./shared/wake-reasons.ts";
import type { StatusIndicator } from "./status-indicator.ts";

/**
 * How long the imp snoozes when SUSPEND_ON_ERROR gives up connecting: "retries 1 min every
 * 9 min" (/api/server/setsendtimeoutpolicy), so 9 min of deep sleep between tries.
 */
export const SNOOZE_SECONDS = 9 * 60;

/** What the VM's life needs of its device. */
export interface SquirrelDevice {
  readonly id: string;
  readonly model: ImpModel;
  readonly storage: SecureStorage;
  readonly nvram: Nvram;
  readonly pins: Pins;
  readonly buses: Buses;
  readonly scheduler: Scheduler;
  readonly emit: Emit;
  readonly indicator: StatusIndicator;
  readonly loop: EventLoop;
  readonly boot: BootProcess;
  readonly api: ImpApiDevice;
  readonly options: {
    readonly engine: Engine;
    readonly track: (work: Promise<unknown>) => void;
    readonly sliceTimeoutMs: number;
    readonly memoryLimit?: number;
    readonly randomSeed: number;
    readonly bundle?: { readonly code: string; readonly filename: string };
  };
  readonly powered: boolean;
  /** A line from impOS or the firmware's error path, sent when the device is online. */
  report(kind: "log" | "error", message: string): void;
  enterDeepSleep(seconds: number, timerReason: number): void;
}

// Compiled firmware by code hash and file, and when to start a VM with it already loaded.
const compiled = new CompiledCodeCache();

function compiledFirmware(source: string, hash: string, file: string): string {
  return compiled.compiled(`${hash}\0${file}`, source, file);
}

/** The firmware to create a VM with already loaded (CompiledCodeCache.startPreload): only what fits. */
function firmwareToPreload(code: {
  source: string;
  hash: string;
  file: string;
}): CompiledCode | undefined {
  if (firmwareTooLarge(code.source.length) !== null) return undefined;
  return compiled.startPreload(`${code.hash}\0${code.file}`, code.source, code.file);
}

export class SquirrelLifecycle {
  /** The run of Squirrel now (null when none runs). */
  run: SquirrelRun | null = null;
  /** The reload a server.onshutdown handler deferred; server.restart() applies it. */
  deferredUpdate: ReloadReason | null = null;
  /** What hardware.wakereason() gives the current (or last) run; null before the first. */
  lastWakeReason: number | null = null;
  private vm: DeviceVm | null = null;
  /** The VM inside a slice right now, if any. */
  private slicing: DeviceVm | null = null;
  /** A host failure (a bug) thrown inside a nested run; rethrown after the slice. */
  private hostFailure: unknown = null;
  private runCount = 0;

  constructor(private readonly device: SquirrelDevice) {}

  /** imp.getmemoryfree() now (the model's budget when no VM runs). */
  memoryFree(): number {
    return this.vm?.memoryFree() ?? this.device.model.squirrelMemory;
  }

  /** Whether a slice runs now (the cloud's messages wait for it to end). */
  get inSlice(): boolean {
    return this.slicing !== null;
  }

  /** Stops the slice running now (a host call halting Squirrel). */
  halt(): void {
    this.slicing?.interrupt();
  }

  start(wakeReason: number): void {
    this.stop();
    const code = this.device.storage.code;
    if (code === null)
      throw new Error(`device ${this.device.id}: asked to start Squirrel with no code stored`);
    const run = new SquirrelRun(wakeReason, this.device.scheduler.now);
    this.run = run;
    const creation = createDeviceVm({
      engine: this.device.options.engine,
      hostCalls: this.hostCallsFor(run),
      squirrelMemory: this.device.model.squirrelMemory,
      memoryLimit: this.device.options.memoryLimit,
      sliceTimeoutMs: this.device.options.sliceTimeoutMs,
      now: () => this.device.scheduler.now,
      bundle: this.device.options.bundle,
      firmware: firmwareToPreload(code),
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
    this.device.options.track(creation);
  }

  /** The host calls of one run: each refuses once the run is over, so a doomed VM can do no harm. */
  private hostCallsFor(run: SquirrelRun): DeviceHostCalls {
    const impl = new ImpApiHost(this.device.api, run);
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
    this.device.emit(this.device.scheduler.now, "wake", {
      reason,
      name: wakeReasonName(reason) ?? String(reason),
    });
    this.device.indicator.newVm();
    this.device.indicator.setSquirrelRunning(true);
    const info: DeviceBootInfo = {
      wakeReason: reason,
      nv: this.device.model.hasNv ? this.device.nvram.boot(reason) : null,
      pins: this.device.model.pins.map((p) => p.name),
      buses: this.device.model.buses.map((b) => ({ name: b.name, kind: b.kind })),
      environment: ENVIRONMENTS[this.device.model.environment],
      lightLevel: this.device.model.lightLevel,
      apiMembers: {
        hardware: [...this.device.model.otherHardware],
        imp: [...this.device.model.apiMembers.imp],
        impNet: [...this.device.model.apiMembers.impNet],
      },
      randomSeed: (this.device.options.randomSeed + this.runCount * 0x9e3779b1) | 0,
    };
    const code = this.device.storage.code!;
    this.device.loop.runNow({
      label: "top-level code",
      run: () =>
        this.runSlice(run, vm, (v) => {
          const booted = v.boot(info);
          if (booted.kind !== "ok") return booted;
          let js: string;
          try {
            const tooLarge = firmwareTooLarge(code.source.length);
            if (tooLarge !== null)
              return { kind: "out-of-memory", message: `out of memory: ${tooLarge}` };
            js = compiledFirmware(code.source, code.hash, code.file);
          } catch (error) {
            // The cloud compiles before it deploys, so only a cloud that did not can get here.
            return {
              kind: "squirrel-error",
              reported: false,
              message: error instanceof Error ? error.message : String(error),
            };
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
    const now = this.device.scheduler.now;
    const ranFor = now - run.startedAt;
    if (outcome.kind === "out-of-memory") {
      // A de facto cold start (/resources/imp-boot-procedure, "Squirrel Errors", note).
      this.device.emit(now, "error", {
        source: "status",
        message: `Device out of memory: ${outcome.message}; restarting`,
      });
      this.device.boot.coldBoot(WAKE_REASONS.WAKEREASON_SW_RESET);
      return;
    }
    if (outcome.kind === "internal-error") {
      this.device.emit(now, "error", {
        source: "status",
        message: `internal error of the virtual imp: ${outcome.message}`,
      });
      this.device.boot.errorRestart("internal error", ranFor);
      return;
    }
    const exit = run.exit;
    if (exit !== null) {
      switch (exit.kind) {
        case "deep-sleep":
          this.device.enterDeepSleep(exit.seconds, WAKE_REASONS.WAKEREASON_TIMER);
          return;
        case "snooze":
          this.device.emit(now, "error", {
            source: "status",
            message: "Device could not connect; snoozing before it tries again",
          });
          this.device.enterDeepSleep(SNOOZE_SECONDS, WAKE_REASONS.WAKEREASON_SNOOZE);
          return;
        case "reset":
          this.device.boot.coldBoot(WAKE_REASONS.WAKEREASON_SW_RESET);
          return;
        case "restart": {
          const update = this.deferredUpdate;
          const reason =
            update === "new-squirrel"
              ? WAKE_REASONS.WAKEREASON_NEW_SQUIRREL
              : update === "new-firmware"
                ? WAKE_REASONS.WAKEREASON_NEW_FIRMWARE
                : WAKE_REASONS.WAKEREASON_SW_RESTART;
          this.device.boot.restartSquirrel(reason, "server.restart()");
          return;
        }
      }
    }
    if (outcome.kind === "deadline" && hostInterruptRequested()) {
      // Stopped by the host (Ctrl-C), not by the firmware: no restart, the run is ending.
      this.device.emit(now, "error", {
        source: "status",
        message: "Squirrel stopped: the host was interrupted (Ctrl-C) during an event",
      });
      return;
    }
    if (outcome.kind === "deadline") {
      this.device.emit(now, "error", {
        source: "status",
        message: `Squirrel stopped: an event ran for more than ${outcome.timeoutMs} ms of host time without returning (a runaway loop?); restarting`,
      });
      this.device.boot.errorRestart("runaway event", ranFor);
      return;
    }
    if (outcome.kind === "squirrel-error") {
      if (!outcome.reported) this.device.report("error", outcome.message);
      this.device.boot.errorRestart("uncaught Squirrel error", ranFor);
    }
  }

  /** Tears the VM down (if any); a VM inside a slice is stopped and disposed when the slice returns. */
  stop(keepPin: string | null = null): void {
    const run = this.run;
    if (run === null) return;
    run.end();
    this.run = null;
    this.deferredUpdate = null;
    this.device.loop.clear();
    const vm = this.vm;
    this.vm = null;
    if (vm !== null) {
      if (this.slicing === vm) vm.interrupt();
      else vm.dispose();
    }
    this.device.buses.reset();
    // chosen: a VM teardown tri-states the pins, as a boot does, since the new VM configures its own.
    for (const pin of this.device.pins) if (pin.name !== keepPin) pin.disable();
    this.device.indicator.setSquirrelRunning(false);
  }

  // ---------------------------------------------------------------- events into the VM

  post(run: SquirrelRun, label: string, id: number, argsJson = "[]"): void {
    if (run.ended) return;
    this.device.loop.post({
      label,
      run: () => {
        const vm = this.vm;
        if (vm !== null) this.runSlice(run, vm, (v) => v.dispatch(id, argsJson));
      },
    });
  }

  setIdle(run: SquirrelRun, id: number): void {
    if (run.ended) return;
    if (id === 0) {
      this.device.loop.setIdle(null);
      return;
    }
    this.device.loop.setIdle({
      label: "imp.onidle",
      run: () => {
        const vm = this.vm;
        if (vm !== null) this.runSlice(run, vm, (v) => v.dispatch(id));
      },
    });
  }

  uartData(bus: string, callbackId: number): void {
    const run = this.run;
    if (run === null || run.uartPending.has(bus)) return;
    run.uartPending.add(bus);
    this.device.loop.post({
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
  block(until: number, done?: () => boolean): void {
    const vm = this.slicing;
    const started = performance.now();
    try {
      for (;;) {
        if (done?.() === true) break;
        if (!this.device.powered || this.vm !== vm || this.run === null || this.run.ended) break;
        const next = this.device.scheduler.nextTime;
        if (next === null || next > until) {
          if (Number.isFinite(until) && this.device.scheduler.now < until)
            this.device.scheduler.runUntil(until);
          break;
        }
        this.device.scheduler.step();
      }
    } catch (error) {
      // A failure of the emulator itself inside another event: surfaced after this slice.
      this.hostFailure ??= error;
      vm?.interrupt();
    } finally {
      vm?.extendDeadline(performance.now() - started);
    }
  }
}
