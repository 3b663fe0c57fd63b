// The imp's boot process, as /resources/imp-boot-procedure tells it: what impOS does between power (or a wake, or a
// VM teardown) and Squirrel running.
//
// - The four states at power-up are read from secure storage (bootState()): Unactivated waits
//   for BlinkUp with the LED flashing orange; Pending Activation and Activated connect.
// - A cold boot (power on, imp.reset(), out of memory, BlinkUp, a new impOS) connects and runs
//   the message sequence — activation if pending, state report, code hash; the answer brings
//   new code, RTC sync and imp.configparams — then starts Squirrel. An imp that holds code
//   starts it anyway 10 s after it began connecting, if the cloud has not answered by then.
// - A warm boot (deep-sleep wake by timer, pin or snooze) starts Squirrel at once, offline.
// - A VM restart (uncaught error, server.restart(), new Squirrel) tears the VM down and "jumps
//   to step 2": state report and code hash again, then Squirrel with the new wake reason.
// - Whenever a connection opens later (a warm-booted imp connecting, a reconnect), the sequence
//   runs again; new code then interrupts the running Squirrel (politely, device.ts).
//
// The boot process drives the device through the narrow `BootDevice` interface; the VM, pins
// and polite deployment are the device's.

import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import type { Emit } from "../sim/trace.ts";
import type {
  CloudSession,
  CodeCheckAnswer,
  DeviceStateReport,
  ReloadReason,
} from "./cloud-link.ts";
import type { Connection } from "./connection.ts";
import type { SecureStorage } from "./secure-storage.ts";
import type { StatusIndicator } from "./status-indicator.ts";
import type { Rtc } from "./rtc.ts";
import { WAKE_REASONS } from "./shared/wake-reasons.ts";

/** Seed 004's four states of a production imp at power-up. */
export type BootState =
  "unactivated" | "pending-activation" | "activated-no-squirrel" | "activated-with-squirrel";

export function bootState(storage: SecureStorage): BootState {
  if (!storage.activated) return storage.hasEnrolment ? "pending-activation" : "unactivated";
  return storage.code === null ? "activated-no-squirrel" : "activated-with-squirrel";
}

/** Seed 004: after a cold boot an imp with code runs it once this long has passed since it began connecting. */
export const CACHED_CODE_DELAY_MS = 10_000;

/** How long the LED is solid green after a good BlinkUp before connecting begins (/troubleshooting/blinkup ✓). */
export const BLINKUP_GREEN_MS = 3_000;

/**
 * How long an impOS update takes, LED solid green throughout (the Connected Factory quick start: "relatively short but
 * highly dependent on local Internet conditions"). chosen: 20 s.
 */
export const IMPOS_UPDATE_MS = 20_000;

/**
 * Restarts after uncaught errors back off: the first waits 1 s, each further one in a row twice
 * as long, up to 60 s; a run that lasts 60 s ends the streak. chosen: the seed says only that
 * the imp runs the error-triggering code again; without a pause a crash at the top level would
 * restart forever at one instant of virtual time.
 */
export const ERROR_RESTART_BACKOFF = {
  firstMs: 1_000,
  maxMs: 60_000,
  streakEndsAfterMs: 60_000,
} as const;

/** What the boot process needs of its device. */
export interface BootDevice {
  readonly scheduler: Scheduler;
  readonly emit: Emit;
  readonly model: string;
  readonly storage: SecureStorage;
  readonly rtc: Rtc;
  readonly connection: Connection;
  readonly indicator: StatusIndicator;
  /** True from startSquirrel() until the VM is torn down. */
  readonly squirrelRunning: boolean;
  /** Builds a VM and runs the stored code with this wake reason. */
  startSquirrel(wakeReason: number): void;
  /** Tears the VM down, if there is one. */
  stopSquirrel(): void;
  /** What a boot resets: uptime, pins and buses tri-stated, imp.configparams forgotten. */
  resetForBoot(): void;
  setConfigParams(params: Readonly<Record<string, unknown>>): void;
  stateReport(): DeviceStateReport;
  /** Starts (or joins) a connection attempt; the LED's CONNECTING window begins with the first of a boot. */
  connect(timeoutMicros: number, done: (reason: number) => void): void;
  /** The cloud wants the running Squirrel restarted: polite deployment is the device's. */
  reloadSquirrel(reason: ReloadReason, force: boolean): void;
}

export class BootProcess {
  /** Bumped by every boot, sleep and power loss: answers for an older one are ignored. */
  private generation = 0;
  /** The wake reason of the Squirrel waiting for step 5, or null when none waits. */
  private pendingStart: number | null = null;
  private cachedCodeTimer: TimerHandle | null = null;
  private delayed: TimerHandle | null = null;
  private errorStreak = 0;
  /**
   * The open session the cloud has authorised. A blessed DUT calls imp.clearconfiguration()
   * (/resources/imp-boot-procedure: it is then Unactivated at its next power-up) but stays connected: the restart
   * signal two seconds later still fetches the application firmware over that session (/api/server/bless).
   */
  private authorised: CloudSession | null = null;

  constructor(private readonly device: BootDevice) {}

  get state(): BootState {
    return bootState(this.device.storage);
  }

  /** True while Squirrel waits for the cloud (or the 10 s) before it starts. */
  get waitingToStart(): boolean {
    return this.pendingStart !== null;
  }

  /** A cold boot with this wake reason (/resources/imp-boot-procedure, "Communicating With The impCloud After A Cold Boot"). */
  coldBoot(wakeReason: number): void {
    this.prepareBoot("cold");
    this.device.indicator.coldBoot();
    this.bringUp(wakeReason);
  }

  /** BlinkUp received: 3 s of green, then a cold boot that connects with the new settings. */
  blinkUp(): void {
    this.prepareBoot("cold");
    const { indicator, scheduler } = this.device;
    indicator.coldBoot();
    indicator.showFor("blinkupOk", BLINKUP_GREEN_MS);
    const generation = this.generation;
    this.delayed = scheduler.after(
      BLINKUP_GREEN_MS * MICROS_PER_MILLI,
      () => {
        this.delayed = null;
        if (generation === this.generation) this.bringUp(WAKE_REASONS.WAKEREASON_BLINKUP);
      },
      "BlinkUp green ends",
    );
  }

  /** A warm boot: Squirrel at once, offline (/resources/imp-boot-procedure, "After A Warm Boot"). */
  warmBoot(wakeReason: number): void {
    this.prepareBoot("warm");
    this.device.indicator.warmBoot();
    this.device.indicator.setStatus("off");
    this.device.startSquirrel(wakeReason);
  }

  /**
   * Tears Squirrel down and jumps to step 2 (/resources/imp-boot-procedure): the state report and code hash again,
   * then Squirrel with `wakeReason`. `why` goes in the trace.
   */
  restartSquirrel(wakeReason: number, why: string, delayMs = 0): void {
    const { device } = this;
    device.stopSquirrel();
    device.emit(device.scheduler.now, "restart", { reason: why, wakeReason });
    this.cancelTimers();
    if (delayMs <= 0) {
      this.bringUp(wakeReason);
      return;
    }
    const generation = this.generation;
    this.pendingStart = wakeReason;
    this.delayed = device.scheduler.after(
      delayMs * MICROS_PER_MILLI,
      () => {
        this.delayed = null;
        if (generation === this.generation) this.bringUp(wakeReason);
      },
      "Squirrel restarts",
    );
  }

  /** An uncaught error ended a run that lasted `ranForMicros`: restart with SQUIRREL_ERROR, backing off. */
  errorRestart(why: string, ranForMicros: number): void {
    if (ranForMicros >= ERROR_RESTART_BACKOFF.streakEndsAfterMs * MICROS_PER_MILLI)
      this.errorStreak = 0;
    this.errorStreak++;
    const delay = Math.min(
      ERROR_RESTART_BACKOFF.firstMs * 2 ** (this.errorStreak - 1),
      ERROR_RESTART_BACKOFF.maxMs,
    );
    this.restartSquirrel(WAKE_REASONS.WAKEREASON_SQUIRREL_ERROR, why, delay);
  }

  /** A connection opened: the message sequence (/resources/imp-boot-procedure steps 1–5). */
  onOnline(session: CloudSession): void {
    const generation = this.generation;
    const { device } = this;
    const { storage } = device;
    const checkCode = () => {
      session.reportState(device.stateReport());
      session.checkCode(storage.code?.hash ?? null, (answer) => {
        if (generation === this.generation && device.connection.session === session)
          this.apply(answer);
      });
    };
    if (storage.activated || session === this.authorised) {
      this.authorised = session;
      checkCode();
      return;
    }
    if (!storage.hasEnrolment) {
      // WiFi without a plan id and token reaches the network but not the cloud (/resources/imp-boot-procedure, "Before Activation").
      device.connection.disconnect();
      device.indicator.setStatus("unactivated");
      return;
    }
    session.activate(storage.planId!, storage.enrolmentToken!, (activated) => {
      if (generation !== this.generation || device.connection.session !== session) return;
      device.emit(device.scheduler.now, "enroll", { ok: activated });
      if (activated) {
        storage.activated = true;
        this.authorised = session;
      }
      // "In either case, the conversation between the imp and the server continues."
      checkCode();
    });
  }

  /** The cloud dropped the connection. impOS reconnects while Squirrel waits for it; a running Squirrel reconnects by its policy. */
  onLost(): void {
    if (this.pendingStart !== null || !this.device.squirrelRunning) {
      if (this.state !== "unactivated") this.device.connect(Infinity, () => {});
    }
  }

  /** The cloud says new code (or a new impOS) waits. */
  onReload(reason: ReloadReason, force: boolean): void {
    const { device } = this;
    if (device.squirrelRunning && this.pendingStart === null) {
      device.reloadSquirrel(reason, force);
      return;
    }
    // No Squirrel runs: fetch what waits (steps 2–4 again) and start it.
    this.pendingStart ??= WAKE_REASONS.WAKEREASON_NEW_SQUIRREL;
    const session = device.connection.session;
    if (session !== null) this.onOnline(session);
  }

  /** Deep sleep or power loss: whatever the boot was waiting for is forgotten. */
  stop(): void {
    this.generation++;
    this.cancelTimers();
    this.pendingStart = null;
  }

  /** Power lost: the error streak goes too. */
  powerLoss(): void {
    this.stop();
    this.errorStreak = 0;
  }

  private prepareBoot(kind: "cold" | "warm"): void {
    const { device } = this;
    this.stop();
    device.stopSquirrel();
    // impOS itself restarts on a cold boot, and a sleeping imp has no connection.
    device.connection.disconnect();
    device.emit(device.scheduler.now, "boot", { boot: kind, model: device.model });
    device.resetForBoot();
  }

  /** Brings Squirrel up after a cold boot or a VM restart: connect (unless online), run the sequence, start. */
  private bringUp(wakeReason: number): void {
    const { device } = this;
    const state = this.state;
    const online = device.connection.session;
    if (state === "unactivated" && (online === null || online !== this.authorised)) {
      // Waits for BlinkUp; no Squirrel runs before activation (chosen: /resources/imp-boot-procedure lets only an activated imp run its code).
      this.pendingStart = null;
      device.indicator.setStatus("unactivated");
      return;
    }
    this.pendingStart = wakeReason;
    const session = device.connection.session;
    if (session !== null) {
      this.onOnline(session);
      return;
    }
    device.connect(Infinity, () => {});
    if (state === "activated-with-squirrel") {
      const generation = this.generation;
      this.cachedCodeTimer = device.scheduler.after(
        CACHED_CODE_DELAY_MS * MICROS_PER_MILLI,
        () => {
          this.cachedCodeTimer = null;
          if (
            generation !== this.generation ||
            this.pendingStart === null ||
            device.storage.code === null
          )
            return;
          this.startPending();
        },
        "cached code starts (no answer in 10 s)",
      );
    }
  }

  /** Step 5 and what the answer implies. */
  private apply(answer: CodeCheckAnswer): void {
    const { device } = this;
    const { storage } = device;
    device.rtc.set(answer.time, device.scheduler.now);
    device.setConfigParams(answer.configParams);
    if (answer.eraseCredentials === true) {
      // A rejected imp goes back to Unactivated and does not proceed to step 5 (/resources/imp-boot-procedure step 4, note).
      storage.eraseCredentials();
      this.cancelTimers();
      this.pendingStart = null;
      device.stopSquirrel();
      device.connection.disconnect();
      device.indicator.setStatus("unactivated");
      return;
    }
    const update = answer.impOSUpdate ?? null;
    if (update !== null && update !== storage.impOSVersion) {
      if (device.squirrelRunning && this.pendingStart === null)
        device.reloadSquirrel("new-firmware", false);
      else this.installImpOS(update);
      return;
    }
    if (answer.code !== null) storage.code = answer.code;
    if (this.pendingStart !== null) {
      if (storage.code !== null) this.startPending();
      else this.pendingStart = null; // activated, no Squirrel yet: the next deployment's reload brings it
      return;
    }
    if (answer.code === null) return;
    // New code for an imp already running Squirrel ("will be interrupted", /resources/imp-boot-procedure) or running none.
    if (device.squirrelRunning) device.reloadSquirrel("new-squirrel", false);
    else device.startSquirrel(WAKE_REASONS.WAKEREASON_NEW_SQUIRREL);
  }

  private startPending(): void {
    const wakeReason = this.pendingStart!;
    this.pendingStart = null;
    this.cachedCodeTimer?.cancel();
    this.cachedCodeTimer = null;
    this.device.startSquirrel(wakeReason);
  }

  /** Seed 004, polite impOS deployment: the update (LED solid green), then a cold boot with NEW_FIRMWARE. */
  private installImpOS(version: string): void {
    const { device } = this;
    this.cancelTimers();
    this.pendingStart = null;
    device.stopSquirrel();
    device.indicator.show("updatingImpOS");
    const generation = this.generation;
    this.delayed = device.scheduler.after(
      IMPOS_UPDATE_MS * MICROS_PER_MILLI,
      () => {
        this.delayed = null;
        if (generation !== this.generation) return;
        device.storage.impOSVersion = version;
        device.indicator.clearOverride();
        this.coldBoot(WAKE_REASONS.WAKEREASON_NEW_FIRMWARE);
      },
      "impOS update installed",
    );
  }

  private cancelTimers(): void {
    this.cachedCodeTimer?.cancel();
    this.cachedCodeTimer = null;
    this.delayed?.cancel();
    this.delayed = null;
  }
}
