import { describe, expect, it } from "vitest";
import { MICROS_PER_SECOND, Scheduler } from "../../src/sim/scheduler.ts";

describe("Scheduler", () => {
  it("should start at time 0, idle", () => {
    const scheduler = new Scheduler();
    expect(scheduler.now).toBe(0);
    expect(scheduler.idle).toBe(true);
    expect(scheduler.nextTime).toBeNull();
    expect(scheduler.step()).toBe(false);
  });

  it("should run events in time order, and same-time events in the order they were scheduled", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(300, () => ran.push("c"));
    scheduler.at(100, () => ran.push("a1"));
    scheduler.after(200, () => ran.push("b"));
    scheduler.at(100, () => ran.push("a2"));
    scheduler.at(100, () => ran.push("a3"));
    scheduler.runUntilIdle();
    expect(ran).toEqual(["a1", "a2", "a3", "b", "c"]);
  });

  it("should keep a total order over many random timers", () => {
    const scheduler = new Scheduler();
    const ran: [number, number][] = [];
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 5000; i++) {
      const time = random() % 1000;
      scheduler.at(time, () => ran.push([time, i]));
    }
    scheduler.runUntilIdle();
    const sorted = [...ran].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(ran).toEqual(sorted);
  });

  it("should move the clock to each event's time as it runs", () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    scheduler.at(5, () => seen.push(scheduler.now));
    scheduler.at(50, () => seen.push(scheduler.now));
    expect(scheduler.step()).toBe(true);
    expect(scheduler.now).toBe(5);
    scheduler.step();
    expect(seen).toEqual([5, 50]);
  });

  it("should run an after(0) event after the events already due at that time", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(10, () => {
      ran.push("first");
      scheduler.after(0, () => ran.push("chained"));
    });
    scheduler.at(10, () => ran.push("second"));
    scheduler.runUntil(10);
    expect(ran).toEqual(["first", "second", "chained"]);
  });

  it("should not run a cancelled event", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    const keep = scheduler.at(10, () => ran.push("keep"));
    const drop = scheduler.at(10, () => ran.push("drop"));
    expect(drop.pending).toBe(true);
    expect(drop.cancel()).toBe(true);
    expect(drop.pending).toBe(false);
    expect(scheduler.pending).toBe(1);
    scheduler.runUntilIdle();
    expect(ran).toEqual(["keep"]);
    expect(keep.pending).toBe(false);
  });

  it("should report false when cancelling an event that has run or was already cancelled", () => {
    const scheduler = new Scheduler();
    const handle = scheduler.after(1, () => {});
    scheduler.runUntilIdle();
    expect(handle.cancel()).toBe(false);
    const other = scheduler.after(1, () => {});
    expect(scheduler.cancel(other)).toBe(true);
    expect(scheduler.cancel(other)).toBe(false);
  });

  it("should not cancel through a handle from another scheduler", () => {
    const a = new Scheduler();
    const b = new Scheduler();
    const handle = a.after(5, () => {});
    b.after(5, () => {});
    expect(b.cancel(handle)).toBe(false);
    expect(a.pending).toBe(1);
    expect(b.pending).toBe(1);
  });

  it("should keep order when cancelling from the middle of a large heap", () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    const handles = Array.from({ length: 1000 }, (_, i) =>
      scheduler.at((i * 7919) % 1000, () => ran.push(i)),
    );
    for (let i = 0; i < 1000; i += 3) handles[i]!.cancel();
    scheduler.runUntilIdle();
    const expected = Array.from({ length: 1000 }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .sort((a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000) || a - b);
    expect(ran).toEqual(expected);
  });

  it("should let an event cancel a later event at the same time", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(10, () => {
      ran.push("first");
      later.cancel();
    });
    const later = scheduler.at(10, () => ran.push("later"));
    scheduler.runUntilIdle();
    expect(ran).toEqual(["first"]);
  });

  it("should fast-forward over empty time: an hour of virtual time with two events runs two callbacks", () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    scheduler.after(30 * 60 * MICROS_PER_SECOND, () => ran.push(scheduler.now));
    scheduler.after(59 * 60 * MICROS_PER_SECOND, () => ran.push(scheduler.now));
    const count = scheduler.runFor(3600 * MICROS_PER_SECOND);
    expect(count).toBe(2);
    expect(ran).toEqual([1800 * MICROS_PER_SECOND, 3540 * MICROS_PER_SECOND]);
    expect(scheduler.now).toBe(3600 * MICROS_PER_SECOND);
  });

  it("should run events due exactly at the target of runUntil and leave later ones", () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    for (const time of [10, 20, 21]) scheduler.at(time, () => ran.push(time));
    expect(scheduler.runUntil(20)).toBe(2);
    expect(ran).toEqual([10, 20]);
    expect(scheduler.now).toBe(20);
    expect(scheduler.nextTime).toBe(21);
  });

  it("should advance the clock by runFor even when nothing is scheduled", () => {
    const scheduler = new Scheduler(1000);
    scheduler.runFor(500);
    expect(scheduler.now).toBe(1500);
  });

  it("should run periodic timers that re-arm themselves within runUntil", () => {
    const scheduler = new Scheduler();
    const ticks: number[] = [];
    const tick = () => {
      ticks.push(scheduler.now);
      scheduler.after(100, tick);
    };
    scheduler.after(100, tick);
    scheduler.runUntil(450);
    expect(ticks).toEqual([100, 200, 300, 400]);
    expect(scheduler.pending).toBe(1);
  });

  it("should stop runUntilIdle with a clear error when an event chain never ends", () => {
    const scheduler = new Scheduler();
    const loop = () => {
      scheduler.after(0, loop, "imp.wakeup(0) loop");
    };
    scheduler.after(0, loop, "imp.wakeup(0) loop");
    expect(() => scheduler.runUntilIdle(100)).toThrow(
      /still busy after 100 events.*imp\.wakeup\(0\) loop/,
    );
  });

  it("should return how many events runUntilIdle ran and stop the clock at the last one", () => {
    const scheduler = new Scheduler();
    scheduler.at(7, () => {});
    scheduler.at(9, () => {});
    expect(scheduler.runUntilIdle()).toBe(2);
    expect(scheduler.now).toBe(9);
  });

  it("should let an event run the clock forward itself (a blocking imp.sleep) with other events running meanwhile", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(10, () => {
      ran.push(`sleep from ${scheduler.now}`);
      scheduler.runFor(100);
      ran.push(`woke at ${scheduler.now}`);
    });
    scheduler.at(50, () => ran.push("other device at 50"));
    scheduler.at(200, () => ran.push("at 200"));
    scheduler.runUntil(120);
    expect(ran).toEqual(["sleep from 10", "other device at 50", "woke at 110"]);
    expect(scheduler.now).toBe(120);
  });

  it("should propagate an exception from an event, leaving the clock at its time and the rest scheduled", () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(5, () => {
      throw new Error("boom");
    });
    scheduler.at(6, () => ran.push("next"));
    expect(() => scheduler.runUntilIdle()).toThrow("boom");
    expect(scheduler.now).toBe(5);
    scheduler.runUntilIdle();
    expect(ran).toEqual(["next"]);
  });

  it("should refuse times in the past, fractions and negative delays", () => {
    const scheduler = new Scheduler(100);
    expect(() => scheduler.at(50, () => {})).toThrow(/already at 100/);
    expect(() => scheduler.after(-1, () => {})).toThrow(RangeError);
    expect(() => scheduler.after(1.5, () => {})).toThrow(/whole/);
    expect(() => scheduler.runUntil(10)).toThrow(/back to 10/);
  });

  it("should handle 1,000 devices with 20 timers each quickly and in order", () => {
    const scheduler = new Scheduler();
    let ran = 0;
    let last = -1;
    for (let device = 0; device < 1000; device++) {
      for (let timer = 0; timer < 20; timer++) {
        scheduler.at(((device * 31 + timer * 977) % 5000) * 1000, () => {
          if (scheduler.now < last) throw new Error("out of order");
          last = scheduler.now;
          ran++;
        });
      }
    }
    const started = performance.now();
    scheduler.runUntilIdle();
    expect(ran).toBe(20_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
