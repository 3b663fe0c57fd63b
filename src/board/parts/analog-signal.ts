// An analog level as a function of virtual time: what an analog part puts on a pin. Fractions of
// the supply, as the ADC reads them.

import { BOARD_SUPPLY_VOLTS, type AnalogLevel } from "../board-file.ts";

/** The level (0–1 of the supply) at virtual time t (µs). */
export function analogSignal(level: AnalogLevel): (t: number) => number {
  if (level.kind === "fixed") {
    const value = level.volts / BOARD_SUPPLY_VOLTS;
    return () => value;
  }
  const { shape, min, max, periodMicros } = level;
  const lo = min / BOARD_SUPPLY_VOLTS;
  const span = (max - min) / BOARD_SUPPLY_VOLTS;
  return (t) => {
    const phase = (t % periodMicros) / periodMicros;
    switch (shape) {
      case "sine":
        return lo + span * (0.5 - 0.5 * Math.cos(2 * Math.PI * phase)); // starts at min
      case "triangle":
        return lo + span * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
      case "square":
        return phase < 0.5 ? lo : lo + span;
      case "sawtooth":
        return lo + span * phase;
    }
  };
}
