// Durations as the testing API and `vimp run` read them.

import { describe, expect, it } from "vitest";
import { DurationError, formatDuration, parseDuration } from "../../src/testing/index.ts";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500_000],
    ["10s", 10_000_000],
    ["1.5s", 1_500_000],
    ["10m", 600_000_000],
    ["2h", 7_200_000_000],
    ["1d", 86_400_000_000],
    ["1m30s", 90_000_000],
    ["250us", 250],
    ["0", 0],
    [" 3s ", 3_000_000],
    [42, 42],
  ] as const)("reads %j as %d µs", (text, micros) => {
    expect(parseDuration(text)).toBe(micros);
  });

  it.each(["", "10", "10x", "s", "1.5.s", "-1s", "5 s", "1e3ms"])(
    "refuses %j, saying what it takes",
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationError);
      expect(() => parseDuration(text)).toThrow(
        /is not a duration: write a number and a unit, such as 500ms, 10s, 10m or 2h/,
      );
    },
  );

  it("takes a number as whole, non-negative µs", () => {
    expect(() => parseDuration(1.5)).toThrow(
      "1.5 is not a duration: a number is a whole, non-negative count of µs",
    );
    expect(() => parseDuration(-1)).toThrow(DurationError);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [250, "250us"],
    [1_500, "1.5ms"],
    [250_000, "250ms"],
    [1_300_000, "1.3s"],
    [300_000_000, "5m"],
    [5_400_000_000, "1h30m"],
    [61_500_000, "61.5s"],
  ])("writes %d µs as %s", (micros, text) => {
    expect(formatDuration(micros)).toBe(text);
  });
});
