// Running firmware costs no virtual time, so an `imp.wakeup(0, f)` chain that never ends keeps
// the clock at one instant forever: "run for 10 s" or "wait 10 s for a log line" would never
// return. The guard counts events at one virtual instant and calls the clock stalled past a
// limit no honest firmware reaches (a thousand devices booting together run a few thousand).

import { formatVirtualTime } from "./duration.ts";

/**
 * How many events may run at one virtual instant before the clock counts as stalled: two or
 * three seconds of wall time at the emulator's speed (an imp.wakeup(0) callback is two scheduler
 * events; `npm run bench device_timers` gives the rate).
 */
export const STALL_EVENT_LIMIT = 100_000;

/** The virtual clock stood still: events kept coming at one instant. */
export class ClockStalledError extends Error {
  override name = "ClockStalledError";

  constructor(
    /** The virtual time (µs) the clock stood at. */
    readonly at: number,
    readonly events: number,
  ) {
    super(
      `the virtual clock is stuck at ${formatVirtualTime(at)}: ${events} events ran there without time passing ` +
        `(an endless imp.wakeup(0, ...) chain? firmware running costs no virtual time, so give it a delay)`,
    );
  }
}

export class StallGuard {
  private at = -1;
  private count = 0;

  constructor(private readonly limit = STALL_EVENT_LIMIT) {}

  /** Call once per event with the clock's time: true once more than `limit` events have run at one instant. */
  stalled(now: number): boolean {
    if (now !== this.at) {
      this.at = now;
      this.count = 0;
    }
    return ++this.count > this.limit;
  }

  /** As stalled(), but throws ClockStalledError. */
  check(now: number): void {
    if (this.stalled(now)) throw new ClockStalledError(now, this.count - 1);
  }
}
