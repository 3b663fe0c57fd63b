import { describe, expect, it } from "vitest";
import { Trace } from "../../src/sim/trace.ts";
import { toVcd } from "../../src/sim/vcd.ts";

describe("toVcd", () => {
  it("should write a header, one wire per pin and the value changes with their times", () => {
    const trace = new Trace();
    const emit = trace.emitter("30000c2a69000001");
    emit(0, "pin", { pin: "pin1", level: 0 });
    emit(0, "log", { source: "device", message: "ignored" });
    emit(1500, "pin", { pin: "pin1", level: 1 });
    emit(1500, "pin", { pin: "pin2", level: "z" });
    emit(3000, "pin", { pin: "pin1", level: 0 });
    expect(toVcd(trace.events)).toBe(
      [
        "$version virtual-imp $end",
        "$timescale 1us $end",
        "$scope module 30000c2a69000001 $end",
        "$var wire 1 ! pin1 $end",
        '$var wire 1 " pin2 $end',
        "$upscope $end",
        "$enddefinitions $end",
        "#0",
        "$dumpvars",
        "x!",
        'x"',
        "$end",
        "0!",
        "#1500",
        "1!",
        'z"',
        "#3000",
        "0!",
        "",
      ].join("\n"),
    );
  });

  it("should put each device in its own scope and order pins naturally", () => {
    const trace = new Trace();
    trace.record(10, "dev-b", "pin", { pin: "pin9", level: 1 });
    trace.record(10, "dev-a", "pin", { pin: "pin10", level: 1 });
    trace.record(20, "dev-a", "pin", { pin: "pin2", level: 1 });
    const text = toVcd(trace.events);
    const declarations = text
      .split("\n")
      .filter((line) => line.startsWith("$scope") || line.startsWith("$var"));
    expect(declarations).toEqual([
      "$scope module dev-b $end",
      "$var wire 1 ! pin9 $end",
      "$scope module dev-a $end",
      '$var wire 1 " pin2 $end',
      "$var wire 1 # pin10 $end",
    ]);
  });

  it("should write analog levels as real variables and skip repeated values", () => {
    const trace = new Trace();
    trace.record(0, "d", "analog", { pin: "pinA", value: 0.25 });
    trace.record(5, "d", "analog", { pin: "pinA", value: 0.25 });
    trace.record(9, "d", "analog", { pin: "pinA", value: 1 });
    const text = toVcd(trace.events);
    expect(text).toContain("$var real 64 ! pinA_analog $end");
    expect(text.split("$end\n").at(-1)).toBe("r0.25 !\n#9\nr1 !\n");
  });

  it("should include a date only when asked, and name the scope of events with no device", () => {
    const trace = new Trace();
    trace.record(1, null, "pin", { pin: "probe", level: 1 });
    const text = toVcd(trace.events, { date: "2024-01-01", noDeviceScope: "bench" });
    expect(text.startsWith("$date 2024-01-01 $end\n")).toBe(true);
    expect(text).toContain("$scope module bench $end");
  });

  it("should give identifiers of more than one character past 94 signals", () => {
    const trace = new Trace();
    for (let i = 0; i < 100; i++) trace.record(0, "d", "pin", { pin: `p${i}`, level: 1 });
    const ids = toVcd(trace.events)
      .split("\n")
      .filter((line) => line.startsWith("$var"))
      .map((line) => line.split(" ")[3]!);
    expect(new Set(ids).size).toBe(100);
    expect(ids[94]).toBe("!!");
  });

  it("should write an empty but valid file for a trace with no pin events", () => {
    expect(toVcd([])).toBe(
      "$version virtual-imp $end\n$timescale 1us $end\n$enddefinitions $end\n#0\n$dumpvars\n$end\n",
    );
  });
});
