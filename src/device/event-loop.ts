// One device's event loop (/api/imp/onidle): Squirrel runs one thing at a time — the top-level code,
// then timers, pin callbacks, UART data, messages — each to completion, never preempting
// another. Everything that becomes due (a scheduler event: a timer firing, a pin edge) posts a
// task here; the loop runs the tasks in order, one per scheduler event, so devices due at the
// same virtual time take turns. `imp.onidle` runs once when nothing is waiting: after every
// event already due at the current virtual time, since the idle check is itself scheduled
// behind them.
//
// While a task runs — including while it is blocked in imp.sleep(), when the clock runs on
// under it — new tasks wait; they run once it returns.

import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";

export interface DeviceTask {
  /** What it is, for debugging and scheduler labels ("timer 3", "pin7 changed"). */
  readonly label: string;
  run(): void;
}

export class EventLoop {
  private readonly queue: DeviceTask[] = [];
  private idleTask: DeviceTask | null = null;
  private drainEvent: TimerHandle | null = null;
  private running = false;
  private suspended = false;

  constructor(
    private readonly scheduler: Scheduler,
    /** Names this loop in scheduler labels. */
    private readonly name: string,
  ) {}

  /** True while a task runs (or is blocked inside a call such as imp.sleep). */
  get busy(): boolean {
    return this.running;
  }

  /** How many tasks wait. */
  get waiting(): number {
    return this.queue.length;
  }

  /** True when an imp.onidle callback waits. */
  get hasIdle(): boolean {
    return this.idleTask !== null;
  }

  /** Queues a task behind the ones waiting. */
  post(task: DeviceTask): void {
    this.queue.push(task);
    this.arm();
  }

  /** Sets (or with null clears) the one-shot idle task. */
  setIdle(task: DeviceTask | null): void {
    this.idleTask = task;
    if (task !== null) this.arm();
  }

  /** Runs `task` now, outside the queue, marking the loop busy: for the host's own entries into the VM. */
  runNow(task: DeviceTask): void {
    if (this.running)
      throw new Error(
        `${this.name}: cannot run ${task.label} while ${this.name} is running another event`,
      );
    this.running = true;
    try {
      task.run();
    } finally {
      this.running = false;
    }
    this.arm();
  }

  /**
   * Holds every task until resume(): Squirrel is suspended while impOS does something that
   * takes virtual time, such as flashing a factory BlinkUp (/manufacturing/factoryfirmware).
   */
  suspend(): void {
    this.suspended = true;
    this.drainEvent?.cancel();
    this.drainEvent = null;
  }

  resume(): void {
    this.suspended = false;
    this.arm();
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  /** Drops every waiting task and the idle task: the VM they were for is gone. */
  clear(): void {
    this.suspended = false;
    this.queue.length = 0;
    this.idleTask = null;
    this.drainEvent?.cancel();
    this.drainEvent = null;
  }

  private arm(): void {
    if (this.running || this.suspended || this.drainEvent !== null) return;
    if (this.queue.length === 0 && this.idleTask === null) return;
    this.drainEvent = this.scheduler.after(0, () => this.drain(), `${this.name} event loop`);
  }

  private drain(): void {
    this.drainEvent = null;
    if (this.running) return; // re-armed when the running task returns
    let task = this.queue.shift();
    if (task === undefined) {
      task = this.idleTask ?? undefined;
      this.idleTask = null;
      if (task === undefined) return;
    }
    this.runNow(task);
  }
}
