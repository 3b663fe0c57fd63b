import { describe, expect, it } from "vitest";
import { LED_PATTERNS, StatusLed, ledColour, ledFlashing } from "../../src/device/led.ts";
import type { LedState } from "../../src/device/led.ts";
import { Trace } from "../../src/sim/trace.ts";

const MS = 1000;
const S = 1_000_000;

describe("StatusLed", () => {
  it("should be off before anything sets it", () => {
    const led = new StatusLed();
    expect(led.state).toBe("off");
    expect(led.at(5 * S)).toEqual({ state: "off", colour: "off", since: 0 });
  });

  it("should flash orange 500 ms on, 500 ms off when unactivated", () => {
    const led = new StatusLed();
    led.set("unactivated", 1 * S);
    expect(led.at(1 * S).colour).toBe("orange");
    expect(led.at(1 * S + 499 * MS).colour).toBe("orange");
    expect(led.at(1 * S + 500 * MS).colour).toBe("off");
    expect(led.at(1 * S + 999 * MS).colour).toBe("off");
    expect(led.at(2 * S).colour).toBe("orange");
    expect(led.at(61 * S + 700 * MS)).toEqual({
      state: "unactivated",
      colour: "off",
      since: 1 * S,
    });
  });

  it("should answer what it showed at any time of a BlinkUp: orange, then 3 s green, then connecting", () => {
    const led = new StatusLed();
    led.set("unactivated", 0);
    led.set("blinkupOk", 10 * S);
    led.set("searchingForWifi", 10 * S + LED_PATTERNS.blinkupOk.holdMs * MS);
    led.set("online", 20 * S);
    expect(led.at(9 * S).state).toBe("unactivated");
    expect(led.at(10 * S).colour).toBe("green");
    expect(led.at(12 * S + 999 * MS).colour).toBe("green");
    expect(led.at(13 * S)).toEqual({ state: "searchingForWifi", colour: "red", since: 13 * S });
    expect(led.at(14 * S).colour).toBe("orange"); // red 500, off 500, then orange
    expect(led.at(20 * S).colour).toBe("green");
    expect(led.at(20 * S + 600 * MS).colour).toBe("off");
  });

  it("should stay solid green once blessed and solid red when not", () => {
    const blessed = new StatusLed();
    blessed.set("blessed", 0);
    expect(blessed.at(3600 * S).colour).toBe("green");
    const rejected = new StatusLed();
    rejected.set("notBlessed", 0);
    expect(rejected.at(123_456_789).colour).toBe("red");
  });

  it("should keep a history of changes, ignoring a set to the state already shown", () => {
    const led = new StatusLed();
    led.set("unactivated", 0);
    led.set("unactivated", 700 * MS);
    led.set("notBlessed", 2 * S);
    expect(led.history()).toEqual([
      { t: 0, state: "unactivated" },
      { t: 2 * S, state: "notBlessed" },
    ]);
    // The flash kept its phase from 0 (a restart at 700 ms would show orange).
    expect(led.at(700 * MS).colour).toBe("off");
  });

  it("should emit each change into the trace with its colour and whether it flashes", () => {
    const trace = new Trace();
    const led = new StatusLed({ emit: trace.emitter("dut-1") });
    led.set("unactivated", 0);
    led.set("blessed", 5 * S);
    expect(trace.events).toEqual([
      {
        t: 0,
        device: "dut-1",
        kind: "led",
        data: { state: "unactivated", colour: "orange", flashing: true },
      },
      {
        t: 5 * S,
        device: "dut-1",
        kind: "led",
        data: { state: "blessed", colour: "green", flashing: false },
      },
    ]);
  });

  it("should refuse to go back in time or take an unknown state", () => {
    const led = new StatusLed();
    led.set("online", 10);
    expect(() => led.set("off", 5)).toThrow(/cannot go back/);
    expect(() => led.set("purple" as LedState, 20)).toThrow(/not a status LED state/);
  });

  it("should describe every pattern with positive timings and a known colour", () => {
    for (const [state, pattern] of Object.entries(LED_PATTERNS)) {
      const segments = pattern.segments as readonly { colour: string; ms: number }[];
      if (segments.length > 1)
        for (const segment of segments) expect(segment.ms, state).toBeGreaterThan(0);
      for (const segment of segments)
        expect(["off", "red", "green", "orange"]).toContain(segment.colour);
    }
    expect(ledColour("unactivated")).toBe("orange");
    expect(ledFlashing("online")).toBe(true);
    expect(ledFlashing("blessed")).toBe(false);
  });
});
