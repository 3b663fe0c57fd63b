// What the BlinkUp status LED shows, and when BlinkUp sensing is on (/troubleshooting/blinkup). The LED itself
// (led.ts) is a passive timeline; this decides what goes on it, on the one clock:
//
// - While the imp shows status, the LED follows the network status the boot process reports:
//   flashing orange when unactivated, the connecting patterns, flashing green online.
// - Status shows always while no Squirrel runs. While Squirrel runs it follows the
//   imp.enableblinkup() rules of /api/imp/enableblinkup: the first 60 s after a cold start (BOOTING) and
//   the first 60 s after the first connection attempt (CONNECTING) show it unless firmware
//   turned BlinkUp off, and afterwards (IDLE) the LED is dark unless firmware turned it on.
//   A call takes effect at the next of those state changes; in IDLE at once (/api/imp/enableblinkup: a
//   warm start "goes straight to active offline, so the call applies almost at once").
// - Some states override status: 3 s of green after BlinkUp (the boot process schedules its
//   end through showFor), green through an impOS update, green or red after blessing.
// - Asleep or unpowered, the LED is dark.

import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import type { LedState, StatusLed } from "./led.ts";

/** How long BOOTING and CONNECTING last (/api/imp/enableblinkup). */
export const BLINKUP_WINDOW_MS = 60_000;

export type BlinkUpWindow = "booting" | "connecting" | "idle";

/** Whether status shows (and BlinkUp senses) while Squirrel runs: /api/imp/enableblinkup's table, by window and by the last imp.enableblinkup() call in effect. */
export const BLINKUP_ENABLED: Readonly<
  Record<BlinkUpWindow, Readonly<Record<"never" | "off" | "on", boolean>>>
> = {
  booting: { never: true, off: true, on: true },
  connecting: { never: true, off: false, on: true },
  idle: { never: false, off: false, on: true },
};

export class StatusIndicator {
  private status: LedState = "off";
  private override: LedState | null = null;
  private overrideEnd: TimerHandle | null = null;
  private squirrelRunning = false;
  private bootingUntil = -1;
  private connectingUntil = -1;
  private connectAttempted = false;
  private windowChange: TimerHandle | null = null;
  private requested: boolean | null = null;
  private effective: boolean | null = null;
  private dark = true;
  private lastWindow: BlinkUpWindow = "idle";

  constructor(
    private readonly led: StatusLed,
    private readonly scheduler: Scheduler,
  ) {}

  /** The LED state shown now. */
  get shown(): LedState {
    return this.led.state;
  }

  /** The network status last reported (what the LED shows when status shows). */
  get networkStatus(): LedState {
    return this.status;
  }

  /** Whether BlinkUp sensing is on: it goes with the status display (/api/imp/enableblinkup). */
  get blinkUpEnabled(): boolean {
    return !this.dark && this.statusEnabled();
  }

  /** The /api/imp/enableblinkup window the imp is in now. */
  get window(): BlinkUpWindow {
    const now = this.scheduler.now;
    if (now < this.bootingUntil) return "booting";
    if (now < this.connectingUntil) return "connecting";
    return "idle";
  }

  /** A cold start: BOOTING begins, no call in effect. */
  coldBoot(): void {
    this.reset();
    this.bootingUntil = this.scheduler.now + BLINKUP_WINDOW_MS * MICROS_PER_MILLI;
    this.lastWindow = this.window;
    this.armWindowChange();
    this.refresh();
  }

  /** A warm start: straight to IDLE. */
  warmBoot(): void {
    this.reset();
    this.refresh();
  }

  /** A new Squirrel VM: imp.enableblinkup() calls of the old one no longer count. */
  newVm(): void {
    this.requested = null;
    this.effective = null;
    this.refresh();
  }

  /** The first connection attempt of this boot begins CONNECTING. */
  connectAttempt(): void {
    if (this.connectAttempted) return;
    this.connectAttempted = true;
    this.connectingUntil = this.scheduler.now + BLINKUP_WINDOW_MS * MICROS_PER_MILLI;
    this.windowChanged();
    this.armWindowChange();
  }

  setStatus(status: LedState): void {
    this.status = status;
    this.refresh();
  }

  setSquirrelRunning(running: boolean): void {
    this.squirrelRunning = running;
    this.refresh();
  }

  /** `imp.enableblinkup(on)`. */
  enableBlinkUp(on: boolean): void {
    this.requested = on;
    if (this.window === "idle") this.effective = on;
    this.refresh();
  }

  /** Shows `state` over status for `ms`, then status again (the BlinkUp green, /resources/imp-boot-procedure / /troubleshooting/blinkup). */
  showFor(state: LedState, ms: number): void {
    this.show(state);
    this.overrideEnd = this.scheduler.after(
      ms * MICROS_PER_MILLI,
      () => {
        this.overrideEnd = null;
        this.override = null;
        this.refresh();
      },
      `LED ${state} ends`,
    );
  }

  /** Shows `state` over status until cleared (impOS update, blessing). */
  show(state: LedState): void {
    this.overrideEnd?.cancel();
    this.overrideEnd = null;
    this.override = state;
    this.dark = false;
    this.refresh();
  }

  clearOverride(): void {
    this.overrideEnd?.cancel();
    this.overrideEnd = null;
    this.override = null;
    this.refresh();
  }

  /** Deep sleep or power off: dark, every window and override forgotten. */
  goDark(): void {
    this.reset();
    this.override = null;
    this.overrideEnd?.cancel();
    this.overrideEnd = null;
    this.dark = true;
    this.refresh();
  }

  private reset(): void {
    this.windowChange?.cancel();
    this.windowChange = null;
    this.bootingUntil = -1;
    this.connectingUntil = -1;
    this.connectAttempted = false;
    this.requested = null;
    this.effective = null;
    this.squirrelRunning = false;
    this.dark = false;
    this.lastWindow = this.window;
  }

  private statusEnabled(): boolean {
    if (!this.squirrelRunning) return true;
    const call = this.effective === null ? "never" : this.effective ? "on" : "off";
    return BLINKUP_ENABLED[this.window][call];
  }

  // A call made earlier takes effect when the window changes (/api/imp/enableblinkup).
  private windowChanged(): void {
    const window = this.window;
    if (window !== this.lastWindow) {
      this.lastWindow = window;
      if (this.requested !== null) this.effective = this.requested;
    }
    this.refresh();
  }

  private armWindowChange(): void {
    this.windowChange?.cancel();
    const now = this.scheduler.now;
    const next = [this.bootingUntil, this.connectingUntil]
      .filter((t) => t > now)
      .sort((a, b) => a - b)[0];
    this.windowChange =
      next === undefined
        ? null
        : this.scheduler.at(
            next,
            () => {
              this.windowChange = null;
              this.windowChanged();
              this.armWindowChange();
            },
            "BlinkUp window changes",
          );
  }

  private refresh(): void {
    const state: LedState = this.dark
      ? "off"
      : (this.override ?? (this.statusEnabled() ? this.status : "off"));
    this.led.set(state, this.scheduler.now);
  }
}
