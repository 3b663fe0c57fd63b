import { describe, expect, it } from "vitest";
import { Trace, isKind, toJSONLine } from "../../src/sim/trace.ts";
import type { TraceEvent } from "../../src/sim/trace.ts";

function sampleTrace(): Trace {
  const trace = new Trace();
  trace.record(0, "dev-a", "boot", { boot: "cold", model: "imp003" });
  trace.record(0, "dev-a", "wake", { reason: 0, name: "WAKEREASON_POWER_ON" });
  trace.record(1500, "dev-a", "log", { source: "device", message: "hello" });
  trace.record(2000, "dev-b", "log", { source: "device", message: "from b" });
  trace.record(2500, null, "deployment", { id: "dep-1", sha: null });
  trace.record(3000, "dev-a", "error", {
    source: "device",
    message: "the index 'x' does not exist",
  });
  return trace;
}

describe("Trace", () => {
  it("should keep events in the order recorded, with time, device, kind and data", () => {
    const trace = sampleTrace();
    expect(trace.events).toHaveLength(6);
    expect(trace.events[2]).toEqual({
      t: 1500,
      device: "dev-a",
      kind: "log",
      data: { source: "device", message: "hello" },
    });
  });

  it("should bind an emitter to a device", () => {
    const trace = new Trace();
    const emit = trace.emitter("dev-x");
    emit(42, "led", { state: "unactivated", colour: "orange", flashing: true });
    expect(trace.events).toEqual([
      {
        t: 42,
        device: "dev-x",
        kind: "led",
        data: { state: "unactivated", colour: "orange", flashing: true },
      },
    ]);
  });

  it("should tell listeners of each event until they are removed", () => {
    const trace = new Trace();
    const seen: string[] = [];
    const remove = trace.addListener((event) => seen.push(event.kind));
    trace.record(1, null, "power", { on: true });
    remove();
    trace.record(2, null, "power", { on: false });
    expect(seen).toEqual(["power"]);
  });

  it("should filter by kind, device and time", () => {
    const trace = sampleTrace();
    expect(trace.ofKind("log").map((e) => e.data.message)).toEqual(["hello", "from b"]);
    expect(trace.ofKind("log", "dev-b").map((e) => e.data.message)).toEqual(["from b"]);
    expect(trace.forDevice(null).map((e) => e.kind)).toEqual(["deployment"]);
    expect(trace.query({ kind: ["log", "error"], device: "dev-a" }).map((e) => e.kind)).toEqual([
      "log",
      "error",
    ]);
    expect(trace.query({ from: 1500, to: 2500 }).map((e) => e.t)).toEqual([1500, 2000, 2500]);
    expect(trace.last("log")?.data.message).toBe("from b");
    expect(trace.last("log", "dev-a")?.data.message).toBe("hello");
    expect(trace.last("sleep")).toBeUndefined();
  });

  it("should narrow an event to its kind with isKind", () => {
    const event: TraceEvent = {
      t: 0,
      device: null,
      kind: "wake",
      data: { reason: 1, name: "WAKEREASON_TIMER" },
    };
    expect(isKind(event, "wake") && event.data.reason).toBe(1);
    expect(isKind(event, "log")).toBe(false);
  });

  it("should export JSON Lines: one event per line with t, device, kind and data", () => {
    const trace = sampleTrace();
    const text = trace.toJSONLines();
    const lines = text.split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe("");
    expect(lines[0]).toBe(
      '{"t":0,"device":"dev-a","kind":"boot","data":{"boot":"cold","model":"imp003"}}',
    );
    expect(lines[4]).toBe(
      '{"t":2500,"device":null,"kind":"deployment","data":{"id":"dep-1","sha":null}}',
    );
    expect(lines.slice(0, 6).map((line) => JSON.parse(line))).toEqual(trace.events);
  });

  it("should write a single event as one JSON line, escaping newlines in messages", () => {
    const line = toJSONLine({
      t: 1,
      device: "d",
      kind: "log",
      data: { source: "device", message: "two\nlines" },
    });
    expect(line).not.toContain("\n");
    expect(JSON.parse(line).data.message).toBe("two\nlines");
  });

  it("should keep nothing when retain is off but still tell listeners", () => {
    const trace = new Trace({ retain: false });
    const seen: number[] = [];
    trace.addListener((event) => seen.push(event.t));
    trace.record(5, null, "power", { on: true });
    expect(trace.events).toHaveLength(0);
    expect(seen).toEqual([5]);
  });

  it("should forget kept events on clear", () => {
    const trace = sampleTrace();
    trace.clear();
    expect(trace.events).toHaveLength(0);
    expect(trace.toJSONLines()).toBe("");
  });
});
