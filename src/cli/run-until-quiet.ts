// How `vimp run` runs a simulation: until it goes quiet, its virtual time limit passes, its clock
// stalls, or the user stops it — fast-forwarded, or paced against the wall clock (--realtime).
//
// chosen: "quiet" means nothing is scheduled on the virtual clock at all — no timer, no cloud
// message, no wake from deep sleep, no --set input still to come — so nothing can happen again
// without input from outside. A device in deep sleep always has its wake scheduled, so a
// sleeping device is not quiet; firmware idle with only pin callbacks, or stopped for good, is.
//
// Paced runs do not use sim/real-time.ts's RealTimePacer: it steps the scheduler itself, and so
// neither waits for a Squirrel VM being built (asynchronous) nor wakes for the events a VM
// schedules once built; here every step goes through the simulation's settle() first, and the
// next event is looked at afresh after each one.

import type { Simulation } from "../world/simulation.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import { systemWallClock, type WallClock } from "../sim/wall-clock.ts";
import { StallGuard } from "../sim/stall-guard.ts";

/**
 * Work that arrives from outside in wall time (an HTTP request to an agent): a paced run wakes
 * when work is posted, brings the virtual clock up to the wall clock, and runs it there.
 */
export class WallInbox {
  private readonly waiting: (() => void)[] = [];
  private wake: (() => void) | null = null;

  post(work: () => void): void {
    this.waiting.push(work);
    this.wake?.();
  }

  /** The work posted so far, in order. */
  take(): (() => void)[] {
    return this.waiting.splice(0);
  }

  get empty(): boolean {
    return this.waiting.length === 0;
  }

  /** Calls `fn` at the next post; replaces the previous one. */
  onPost(fn: (() => void) | null): void {
    this.wake = fn;
  }
}

/** Why a run ended. */
export type RunEnd = "quiet" | "time-limit" | "stalled" | "interrupted";

export interface RunUntilQuietOptions {
  /** Virtual µs to run for at most (Infinity: no limit). */
  readonly limit: number;
  /** Pace virtual time to the wall clock. */
  readonly realtime: boolean;
  /** Aborting ends the run between events (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Asked between events too: true ends the run (Ctrl-C heard while the event loop was busy). */
  readonly interrupted?: () => boolean;
  readonly wallClock?: WallClock;
  /** Paced runs call this before waiting on the wall clock, when every event due so far has run. */
  readonly beforeWait?: () => void;
  /**
   * Work from outside (paced runs only). While it is given the run never ends "quiet": more work
   * may come at any moment (an agent serving HTTP).
   */
  readonly inbox?: WallInbox;
}

/** A fast-forwarded run hands the host's event loop a turn this often (wall ms), so Ctrl-C is heard. */
const YIELD_EVERY_MS = 50;

/** The longest single wall-clock wait of a paced run (setTimeout's limit is ~24.8 days). */
const MAX_WAIT_MS = 3_600_000;

export async function runUntilQuiet(
  sim: Simulation,
  options: RunUntilQuietOptions,
): Promise<RunEnd> {
  const end = sim.now + options.limit;
  const guard = new StallGuard();
  return options.realtime
    ? runPaced(sim, end, guard, options)
    : runFast(sim, end, guard, options.signal, options.interrupted);
}

async function runFast(
  sim: Simulation,
  end: number,
  guard: StallGuard,
  signal: AbortSignal | undefined,
  interrupted = () => false,
): Promise<RunEnd> {
  // Set from inside the predicate, which runs between events.
  const run: { ended: RunEnd | null } = { ended: null };
  for (;;) {
    const turnEnds = performance.now() + YIELD_EVERY_MS;
    await sim.runUntil(
      () => {
        if (interrupted()) run.ended = "interrupted";
        else if (sim.scheduler.nextTime === null) run.ended = "quiet";
        else if (guard.stalled(sim.now)) run.ended = "stalled";
        return run.ended !== null || performance.now() > turnEnds;
      },
      Math.max(0, end - sim.now),
    );
    if (run.ended !== null) return run.ended;
    if (sim.now >= end) return "time-limit";
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted === true) return "interrupted";
  }
}

async function runPaced(
  sim: Simulation,
  end: number,
  guard: StallGuard,
  options: RunUntilQuietOptions,
): Promise<RunEnd> {
  const wall = options.wallClock ?? systemWallClock;
  const wallStart = wall.now();
  const virtualStart = sim.now;
  const dueWall = (t: number) => wallStart + (t - virtualStart) / MICROS_PER_MILLI;
  const inbox = options.inbox;
  for (;;) {
    await sim.settle();
    if (options.signal?.aborted === true || options.interrupted?.() === true) return "interrupted";
    if (inbox !== undefined && !inbox.empty) {
      // Bring the clock up to the wall clock first, so the work happens at the virtual time it arrived.
      const arrived = Math.min(
        end,
        virtualStart + Math.floor((wall.now() - wallStart) * MICROS_PER_MILLI),
      );
      if (arrived > sim.now) await sim.runTo(arrived);
      for (const work of inbox.take()) work();
      continue;
    }
    const next = sim.scheduler.nextTime;
    if (next === null && inbox === undefined) return "quiet";
    if (guard.stalled(sim.now)) return "stalled";
    const target = Math.min(next ?? Infinity, end);
    if (target === Infinity) {
      options.beforeWait?.();
      await sleep(wall, MAX_WAIT_MS, options.signal, inbox);
      continue;
    }
    const wait = dueWall(target) - wall.now();
    if (wait > 0) {
      options.beforeWait?.();
      await sleep(wall, Math.min(wait, MAX_WAIT_MS), options.signal, inbox);
      continue; // look again: the wait may have been cut short
    }
    if (next === null || next > end) {
      await sim.runTo(end);
      return "time-limit";
    }
    sim.scheduler.step();
  }
}

function sleep(
  wall: WallClock,
  ms: number,
  signal: AbortSignal | undefined,
  inbox?: WallInbox,
): Promise<void> {
  return new Promise((resolve) => {
    const cancel = wall.setTimer(ms, done);
    signal?.addEventListener("abort", done, { once: true });
    inbox?.onPost(done);
    function done() {
      cancel();
      signal?.removeEventListener("abort", done);
      inbox?.onPost(null);
      resolve();
    }
  });
}
