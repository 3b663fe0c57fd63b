// The wall clock that real-time mode paces the virtual clock against. It is an interface so
// tests can hand in a manual clock (as rp2040js has a mock clock next to its real one) and
// check pacing without waiting.

export interface WallClock {
  /** Milliseconds on a monotonic clock (the origin does not matter). */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; the returned function cancels that. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** The host's clock: `performance.now()` and `setTimeout`. */
export const systemWallClock: WallClock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

interface ManualTimer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A wall clock that only moves when told to; timers fire from `advance()`. */
export class ManualWallClock implements WallClock {
  private time: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: ManualTimer = { due: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** How many timers are set. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves the clock forward by `ms`, firing each due timer at its own time, in order; timers
   * those set are fired too if they fall due within the step.
   */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.timers) {
        if (
          timer.due <= end &&
          (next === undefined ||
            timer.due < next.due ||
            (timer.due === next.due && timer.seq < next.seq))
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.fn();
    }
    this.time = end;
  }
}
