// The one virtual clock (docs/architecture.md, principle 1). Every timed thing — imp.wakeup, deep
// sleep, the 2 s restart after blessing, cloud latency — is an event here, in integer
// microseconds of virtual time. Nothing runs between events, so running the clock jumps
// straight to the next event (like rp2040js's simulation clock): hours pass in milliseconds.
// Order is total and deterministic: by time, then by the order events were scheduled.

/** Microseconds per millisecond and per second, for converting imp API seconds to clock time. */
export const MICROS_PER_MILLI = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

/** How many events `runUntilIdle()` runs before it calls the run a runaway. */
export const DEFAULT_IDLE_EVENT_LIMIT = 1_000_000;

/** A scheduled event; cancel it to keep it from running. */
export interface TimerHandle {
  /** When it runs (or ran), in virtual µs. */
  readonly time: number;
  /** A name for error messages and debugging. */
  readonly label: string | undefined;
  /** True until it has run or been cancelled. */
  readonly pending: boolean;
  /** Keeps it from running; false if it had already run or been cancelled. */
  cancel(): boolean;
}

// One heap entry. It is also the handle, so scheduling allocates one object per event.
class ScheduledEvent implements TimerHandle {
  // Position in the heap, or -1 once it has left the heap (run or cancelled).
  index = -1;

  constructor(
    private readonly scheduler: Scheduler,
    readonly time: number,
    readonly seq: number,
    readonly fn: () => void,
    readonly label: string | undefined,
  ) {}

  get pending(): boolean {
    return this.index >= 0;
  }

  cancel(): boolean {
    return this.scheduler.cancel(this);
  }
}

function earlier(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${what} must be a whole, non-negative number of microseconds, got ${value}`,
    );
  }
}

export class Scheduler {
  // A binary min-heap with indexed entries, so cancel() removes in O(log n) instead of leaving
  // tombstones: 1,000 devices each re-arming timers would otherwise grow it without bound.
  private readonly heap: ScheduledEvent[] = [];
  private seq = 0;
  private time: number;

  constructor(start = 0) {
    checkTime(start, "the start time");
    this.time = start;
  }

  /** The current virtual time in µs. */
  get now(): number {
    return this.time;
  }

  /** How many events are waiting. */
  get pending(): number {
    return this.heap.length;
  }

  /** True when nothing is waiting. */
  get idle(): boolean {
    return this.heap.length === 0;
  }

  /** When the next event runs, or null when nothing is waiting. */
  get nextTime(): number | null {
    return this.heap.length === 0 ? null : this.heap[0]!.time;
  }

  /** Runs `fn` at virtual time `time` (µs, not in the past). */
  at(time: number, fn: () => void, label?: string): TimerHandle {
    checkTime(time, "an event time");
    if (time < this.time) {
      throw new RangeError(
        `cannot schedule ${label ?? "an event"} at ${time} µs: the clock is already at ${this.time} µs`,
      );
    }
    const event = new ScheduledEvent(this, time, this.seq++, fn, label);
    this.push(event);
    return event;
  }

  /** Runs `fn` after `delay` µs; a delay of 0 runs it after everything already due now. */
  after(delay: number, fn: () => void, label?: string): TimerHandle {
    checkTime(delay, "a delay");
    return this.at(this.time + delay, fn, label);
  }

  /** Keeps an event from running; false if it had already run or been cancelled. */
  cancel(handle: TimerHandle): boolean {
    if (
      !(handle instanceof ScheduledEvent) ||
      handle.index < 0 ||
      this.heap[handle.index] !== handle
    )
      return false;
    this.removeAt(handle.index);
    return true;
  }

  /**
   * Runs the earliest event, moving the clock to its time; false when nothing is waiting.
   * An exception from the event propagates; the event is gone and the clock stays at its time.
   */
  step(): boolean {
    const first = this.heap[0];
    if (first === undefined) return false;
    this.removeAt(0);
    this.time = first.time;
    first.fn();
    return true;
  }

  /**
   * Runs every event due at or before `time` (including ones those events schedule), then
   * leaves the clock at `time`. Returns how many events ran.
   */
  runUntil(time: number): number {
    checkTime(time, "the target time");
    if (time < this.time) {
      throw new RangeError(
        `cannot run the clock back to ${time} µs: it is already at ${this.time} µs`,
      );
    }
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0]!.time <= time) {
      this.step();
      ran++;
    }
    // An event may itself have run the clock past `time` (a blocking imp.sleep does that).
    if (this.time < time) this.time = time;
    return ran;
  }

  /** Runs the clock forward by `duration` µs. Returns how many events ran. */
  runFor(duration: number): number {
    checkTime(duration, "a duration");
    return this.runUntil(this.time + duration);
  }

  /**
   * Runs events until none is waiting; the clock stays at the last event's time. Throws when
   * `limit` events have run and more are waiting, since a timer chain that re-arms itself
   * forever (an `imp.wakeup` loop) would otherwise never return.
   */
  runUntilIdle(limit = DEFAULT_IDLE_EVENT_LIMIT): number {
    let ran = 0;
    while (this.heap.length > 0) {
      if (ran >= limit) {
        const next = this.heap[0]!;
        throw new Error(
          `the clock is still busy after ${ran} events (virtual time ${this.time} µs, next: ` +
            `${next.label ?? "an unnamed event"} at ${next.time} µs); something re-arms itself forever. ` +
            `Use runFor() or runUntil() to run for a bounded time instead.`,
        );
      }
      this.step();
      ran++;
    }
    return ran;
  }

  private push(event: ScheduledEvent): void {
    event.index = this.heap.length;
    this.heap.push(event);
    this.siftUp(event.index);
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index]!;
    const last = heap.pop()!;
    removed.index = -1;
    if (last === removed) return;
    heap[index] = last;
    last.index = index;
    // The moved entry may belong above or below its new place.
    if (index > 0 && earlier(last, heap[(index - 1) >> 1]!)) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const event = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!earlier(event, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = event;
    event.index = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const event = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && earlier(heap[right]!, heap[left]!) ? right : left;
      const childEvent = heap[child]!;
      if (!earlier(childEvent, event)) break;
      heap[index] = childEvent;
      childEvent.index = index;
      index = child;
    }
    heap[index] = event;
    event.index = index;
  }
}
