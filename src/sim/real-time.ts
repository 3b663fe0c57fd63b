// Real-time mode (docs/architecture.md, principle 1): the same scheduler, paced so virtual time
// never runs ahead of the wall clock — what hardware-in-the-loop needs. It waits on the wall
// clock until the next event is due, then runs it; it never changes the order of events, so a
// paced run and a fast-forwarded run of the same inputs give the same trace.

import type { Scheduler } from "./scheduler.ts";
import { MICROS_PER_MILLI } from "./scheduler.ts";
import { systemWallClock } from "./wall-clock.ts";
import type { WallClock } from "./wall-clock.ts";

export interface RealTimePacerOptions {
  /** The wall clock to pace against; the host's by default. */
  wallClock?: WallClock;
  /** Virtual seconds per wall second; 1 by default. */
  speed?: number;
}

export class RealTimePacer {
  private readonly wall: WallClock;
  private readonly speed: number;
  // The pair of times that maps wall time onto virtual time for the current run.
  private wallAnchor = 0;
  private virtualAnchor = 0;
  private end = 0;
  private cancelTimer: (() => void) | null = null;
  private finish: (() => void) | null = null;
  private fail: ((error: unknown) => void) | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    options: RealTimePacerOptions = {},
  ) {
    this.wall = options.wallClock ?? systemWallClock;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) {
      throw new RangeError(`the real-time speed must be a positive number, got ${this.speed}`);
    }
  }

  /** True while a run is under way. */
  get running(): boolean {
    return this.finish !== null;
  }

  /** The virtual time (µs) that the wall clock says it is now; the scheduler's time when not running. */
  get virtualNow(): number {
    if (!this.running) return this.scheduler.now;
    const elapsedMs = this.wall.now() - this.wallAnchor;
    // The small epsilon keeps float error from landing a timer one µs short of its event.
    const virtual =
      this.virtualAnchor + Math.floor(elapsedMs * MICROS_PER_MILLI * this.speed + 1e-6);
    return Math.min(Math.max(virtual, this.scheduler.now), this.end);
  }

  /**
   * Runs the scheduler until virtual time `time`, no faster than the wall clock. Resolves when
   * the clock reaches `time` or `stop()` is called; rejects if an event throws.
   */
  runUntil(time: number): Promise<void> {
    if (this.running) return Promise.reject(new Error("the real-time pacer is already running"));
    if (time < this.scheduler.now) {
      return Promise.reject(
        new RangeError(
          `cannot run the clock back to ${time} µs: it is already at ${this.scheduler.now} µs`,
        ),
      );
    }
    this.wallAnchor = this.wall.now();
    this.virtualAnchor = this.scheduler.now;
    this.end = time;
    return new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
      this.tick();
    });
  }

  /** Runs the scheduler for `duration` virtual µs, no faster than the wall clock. */
  runFor(duration: number): Promise<void> {
    return this.runUntil(this.scheduler.now + duration);
  }

  /** Ends the current run where it stands; its promise resolves. */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.settle();
  }

  /**
   * Applies an input from outside the simulation (a serial byte from real hardware, a pin driven
   * by a user) at the virtual time matching the wall clock now: first the clock catches up to
   * that time, then `fn` runs, then the pacer re-arms in case `fn` scheduled something earlier
   * than what it was waiting for. Outside inputs must come through here while pacing.
   */
  inject(fn: () => void): void {
    if (!this.running) {
      fn();
      return;
    }
    this.cancelTimer?.();
    this.cancelTimer = null;
    try {
      this.scheduler.runUntil(this.virtualNow);
      fn();
    } catch (error) {
      this.settle(error);
      throw error;
    }
    this.tick();
  }

  private tick(): void {
    this.cancelTimer = null;
    if (!this.running) return;
    try {
      this.scheduler.runUntil(this.virtualNow);
    } catch (error) {
      this.settle(error);
      return;
    }
    if (!this.running) return; // an event called stop()
    if (this.scheduler.now >= this.end) {
      this.settle();
      return;
    }
    const next = Math.min(this.scheduler.nextTime ?? this.end, this.end);
    const dueWall = this.wallAnchor + (next - this.virtualAnchor) / MICROS_PER_MILLI / this.speed;
    this.cancelTimer = this.wall.setTimer(Math.max(0, dueWall - this.wall.now()), () =>
      this.tick(),
    );
  }

  private settle(error?: unknown): void {
    const finish = this.finish;
    const fail = this.fail;
    this.finish = null;
    this.fail = null;
    if (error === undefined) finish?.();
    else fail?.(error);
  }
}
