// Bridged runs pace the virtual clock to the wall clock (docs/architecture.md, principle 1): real
// pins change in real time. Inputs from real ports arrive whenever they do; each is applied at
// the virtual time its arrival maps to (never earlier than the clock already is), between
// events, and wakes the run at once instead of at the next timer. Unlike a fast-forwarded run, a
// bridged run never ends by going quiet: the outside world can always do something.

import type { Simulation } from "../world/simulation.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import { StallGuard } from "../sim/stall-guard.ts";

export type BridgedRunEnd = "time-limit" | "stalled" | "interrupted" | "stopped";

/** chosen: the longest a bridged run sleeps before looking at the wall clock again. */
const MAX_SLEEP_MS = 50;

export class WallClockRun {
  private readonly queue: { at: number; fn: () => void }[] = [];
  private wake: (() => void) | null = null;
  private wallStart = 0;
  private virtualStart = 0;
  private running = false;
  private stopped = false;

  constructor(private readonly sim: Simulation) {}

  /** Virtual µs the wall clock says it is now (the clock's own time when not running). */
  get virtualNow(): number {
    if (!this.running) return this.sim.now;
    return Math.max(
      this.sim.now,
      this.virtualStart + Math.floor((performance.now() - this.wallStart) * MICROS_PER_MILLI),
    );
  }

  /** Applies `fn` (an input from a real port) at the virtual time of now on the wall clock. */
  input(fn: () => void): void {
    if (!this.running) {
      fn();
      return;
    }
    this.queue.push({ at: this.virtualNow, fn });
    this.wake?.();
  }

  /** Ends the run at the next turn (a port lost, when the bridge says so). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Runs for `limit` virtual µs (Infinity: until stopped or aborted), no faster than the wall clock. */
  async run(limit: number, signal?: AbortSignal, beforeWait?: () => void): Promise<BridgedRunEnd> {
    const guard = new StallGuard();
    const end = this.sim.now + limit;
    this.wallStart = performance.now();
    this.virtualStart = this.sim.now;
    this.running = true;
    const abort = () => this.wake?.();
    signal?.addEventListener("abort", abort);
    try {
      for (;;) {
        if (signal?.aborted === true) return "interrupted";
        if (this.stopped) return "stopped";
        // Inputs first, each at its own time, then everything due by the wall clock.
        while (this.queue.length > 0) {
          const input = this.queue.shift()!;
          await this.sim.runTo(Math.min(Math.max(input.at, this.sim.now), end));
          input.fn();
        }
        const target = Math.min(this.virtualNow, end);
        await this.sim.runTo(target);
        if (guard.stalled(this.sim.now)) return "stalled";
        if (this.sim.now >= end) return "time-limit";
        const next = this.sim.scheduler.nextTime;
        const dueMs =
          next === null ? MAX_SLEEP_MS : (Math.min(next, end) - this.virtualNow) / MICROS_PER_MILLI;
        if (this.queue.length > 0) continue;
        beforeWait?.();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.max(0, Math.min(dueMs, MAX_SLEEP_MS)));
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.wake = done;
        });
        this.wake = null;
      }
    } finally {
      this.running = false;
      signal?.removeEventListener("abort", abort);
    }
  }
}
