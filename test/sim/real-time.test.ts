import { describe, expect, it } from "vitest";
import { RealTimePacer } from "../../src/sim/real-time.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { ManualWallClock } from "../../src/sim/wall-clock.ts";

function setup(speed?: number) {
  const scheduler = new Scheduler();
  const wall = new ManualWallClock(5000);
  const pacer = new RealTimePacer(scheduler, { wallClock: wall, speed });
  const ran: [string, number, number][] = [];
  const record = (name: string) => () => ran.push([name, scheduler.now, wall.now()]);
  return { scheduler, wall, pacer, ran, record };
}

describe("ManualWallClock", () => {
  it("should fire timers in due order as it advances, including timers they set", () => {
    const wall = new ManualWallClock();
    const fired: [string, number][] = [];
    wall.setTimer(30, () => fired.push(["b", wall.now()]));
    wall.setTimer(10, () => {
      fired.push(["a", wall.now()]);
      wall.setTimer(5, () => fired.push(["a+5", wall.now()]));
    });
    const cancel = wall.setTimer(20, () => fired.push(["cancelled", wall.now()]));
    cancel();
    wall.advance(100);
    expect(fired).toEqual([
      ["a", 10],
      ["a+5", 15],
      ["b", 30],
    ]);
    expect(wall.now()).toBe(100);
  });
});

describe("RealTimePacer", () => {
  it("should run events no earlier than the wall clock says", async () => {
    const { scheduler, wall, pacer, ran, record } = setup();
    scheduler.at(100_000, record("100 ms"));
    scheduler.at(250_000, record("250 ms"));
    const done = pacer.runUntil(1_000_000);

    wall.advance(99);
    expect(ran).toEqual([]);
    wall.advance(1);
    expect(ran).toEqual([["100 ms", 100_000, 5100]]);
    wall.advance(149);
    expect(ran).toHaveLength(1);
    wall.advance(1);
    expect(ran[1]).toEqual(["250 ms", 250_000, 5250]);

    wall.advance(750);
    await done;
    expect(scheduler.now).toBe(1_000_000);
    expect(pacer.running).toBe(false);
  });

  it("should give the same order of events as a fast-forwarded run", async () => {
    const build = () => {
      const s = new Scheduler();
      const order: string[] = [];
      s.at(30, () => order.push("x"));
      s.at(10, () => {
        order.push("y");
        s.after(5, () => order.push("y+5"));
      });
      s.at(10, () => order.push("z"));
      return { s, order };
    };
    const fast = build();
    fast.s.runUntil(100);

    const paced = build();
    const wall = new ManualWallClock();
    const pacer = new RealTimePacer(paced.s, { wallClock: wall });
    const done = pacer.runUntil(100);
    wall.advance(1);
    await done;
    expect(paced.order).toEqual(fast.order);
  });

  it("should pace at a chosen speed", () => {
    const { scheduler, wall, pacer, ran, record } = setup(10);
    scheduler.at(1_000_000, record("1 s"));
    void pacer.runUntil(2_000_000);
    wall.advance(99);
    expect(ran).toEqual([]);
    wall.advance(1);
    expect(ran).toEqual([["1 s", 1_000_000, 5100]]);
    pacer.stop();
  });

  it("should stamp an injected input with the virtual time the wall clock gives, after what was due", () => {
    const { scheduler, wall, pacer, ran, record } = setup();
    scheduler.at(40_000, record("timer at 40 ms"));
    scheduler.at(500_000, record("timer at 500 ms"));
    void pacer.runUntil(1_000_000);
    // The wall timer would next fire at 40 ms; the input comes at 70 ms and schedules work 10 ms on.
    wall.setTimer(70, () =>
      pacer.inject(() => {
        ran.push(["input", scheduler.now, wall.now()]);
        scheduler.after(10_000, record("input + 10 ms"));
      }),
    );
    wall.advance(100);
    expect(ran).toEqual([
      ["timer at 40 ms", 40_000, 5040],
      ["input", 70_000, 5070],
      ["input + 10 ms", 80_000, 5080],
    ]);
    pacer.stop();
  });

  it("should resolve when stopped and leave the rest scheduled", async () => {
    const { scheduler, wall, pacer, ran, record } = setup();
    scheduler.at(10_000, record("10 ms"));
    scheduler.at(900_000, record("900 ms"));
    const done = pacer.runFor(1_000_000);
    wall.advance(20);
    pacer.stop();
    await done;
    wall.advance(2000);
    expect(ran.map((r) => r[0])).toEqual(["10 ms"]);
    expect(scheduler.pending).toBe(1);
    expect(wall.pendingTimers).toBe(0);
  });

  it("should reject when an event throws", async () => {
    const { scheduler, wall, pacer } = setup();
    scheduler.at(1000, () => {
      throw new Error("firmware host error");
    });
    const done = pacer.runUntil(10_000);
    wall.advance(1);
    await expect(done).rejects.toThrow("firmware host error");
    expect(pacer.running).toBe(false);
  });

  it("should refuse to run twice at once", async () => {
    const { wall, pacer } = setup();
    const first = pacer.runFor(1000);
    await expect(pacer.runFor(1000)).rejects.toThrow(/already running/);
    wall.advance(1);
    await first;
  });

  it("should pace the system clock by default (a short real run)", async () => {
    const scheduler = new Scheduler();
    const pacer = new RealTimePacer(scheduler);
    let at = 0;
    const started = performance.now();
    scheduler.at(20_000, () => (at = performance.now() - started));
    await pacer.runUntil(30_000);
    expect(at).toBeGreaterThanOrEqual(15);
    expect(scheduler.now).toBe(30_000);
  });
});
