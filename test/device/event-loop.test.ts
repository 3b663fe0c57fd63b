import { describe, expect, it } from "vitest";
import { EventLoop } from "../../src/device/event-loop.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";

function setup() {
  const scheduler = new Scheduler();
  const loop = new EventLoop(scheduler, "test");
  const ran: string[] = [];
  const task = (label: string, body?: () => void) => ({
    label,
    run: () => {
      ran.push(label);
      body?.();
    },
  });
  return { scheduler, loop, ran, task };
}

describe("EventLoop", () => {
  it("should run posted tasks in order, one per scheduler event", () => {
    const { scheduler, loop, ran, task } = setup();
    loop.post(task("a"));
    loop.post(task("b"));
    expect(ran).toEqual([]);
    scheduler.step();
    expect(ran).toEqual(["a"]);
    scheduler.runUntilIdle();
    expect(ran).toEqual(["a", "b"]);
  });

  it("should run the idle task once, after the events already due at the same time", () => {
    const { scheduler, loop, ran, task } = setup();
    loop.runNow(
      task("top", () => {
        // A timer of 0 set by the running code is due before the idle check.
        scheduler.after(0, () => loop.post(task("timer 0")));
        loop.setIdle(task("idle"));
      }),
    );
    scheduler.runUntilIdle();
    expect(ran).toEqual(["top", "timer 0", "idle"]);
    expect(loop.hasIdle).toBe(false);
  });

  it("should hold tasks while one runs, even when the clock runs on inside it", () => {
    const { scheduler, loop, ran, task } = setup();
    loop.runNow(
      task("sleeper", () => {
        loop.post(task("arrived during"));
        // What imp.sleep does: run the clock from inside the task.
        scheduler.runUntil(1_000);
        expect(ran).toEqual(["sleeper"]);
      }),
    );
    scheduler.runUntilIdle();
    expect(ran).toEqual(["sleeper", "arrived during"]);
  });

  it("should refuse to run a task inside another and drop everything on clear()", () => {
    const { scheduler, loop, ran, task } = setup();
    loop.runNow(
      task("outer", () => {
        expect(() => loop.runNow(task("inner"))).toThrow(/cannot run inner/);
      }),
    );
    loop.post(task("dropped"));
    loop.setIdle(task("dropped idle"));
    loop.clear();
    scheduler.runUntilIdle();
    expect(ran).toEqual(["outer"]);
    expect(loop.waiting).toBe(0);
  });
});
