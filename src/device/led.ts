// The BlinkUp status LED as a timeline: which state it was put in and when, so a test can ask
// "what colour was it at t" and "what did it do". The states and their patterns are data,
// from /troubleshooting/blinkup (which folds in the Connected Factory quick start's troubleshooting codes). The LED is passive: the boot
// process decides when it changes (including ending the 3 s BlinkUp green, `holdMs`) on the
// one clock.
//
// A pattern is a list of segments that repeats; one segment means a steady light. Timings are
// the EI table of /troubleshooting/blinkup, which lost its colours.
// chosen (/troubleshooting/blinkup ⚠, no published value): each timing list alternates lit and dark, starting lit,
// and where the colour is unknown the lit segments of a connecting step take turns red and
// orange, starting red — "red and amber flashes while connecting" (the Connected Factory quick start). The timing lists
// of odd length (Getting IP address: 500, 250, 250) then end lit, so they show red, dark,
// orange and wrap straight to red.

import type { Emit } from "../sim/trace.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";

/** Orange is red and green lit together (the Connected Factory quick start calls it amber). */
export type LedColour = "off" | "red" | "green" | "orange";

export interface LedSegment {
  readonly colour: LedColour;
  readonly ms: number;
}

export interface LedPattern {
  readonly description: string;
  readonly segments: readonly LedSegment[];
  /** How long the imp shows it before moving on, for states that end by themselves. */
  readonly holdMs?: number;
}

function lit(colour: LedColour, ms: number): LedSegment {
  return { colour, ms };
}
function dark(ms: number): LedSegment {
  return { colour: "off", ms };
}
function steady(colour: LedColour): readonly LedSegment[] {
  return [{ colour, ms: 0 }];
}

export const LED_PATTERNS = {
  off: { description: "off", segments: steady("off") },
  // /troubleshooting/blinkup ✓: flashing orange, 500 ms on / 500 ms off; /resources/imp-boot-procedure: how devices leave the factory
  unactivated: {
    description: "flashing orange: no network settings or enrolment",
    segments: [lit("orange", 500), dark(500)],
  },
  // /troubleshooting/blinkup ✓ and /manufacturing/factoryfirmware: green for 3 s after a good BlinkUp
  blinkupOk: {
    description: "solid green for 3 s: BlinkUp received",
    segments: steady("green"),
    holdMs: 3000,
  },
  // the Connected Factory quick start via /troubleshooting/blinkup: "a fast red flash or a slow orange flash"
  // chosen: the fast red flash, at the table's finest step of 250 ms.
  blinkupFailed: {
    description: "fast red flash: BlinkUp failed",
    segments: [lit("red", 250), dark(250)],
  },
  // /troubleshooting/blinkup timings (500, 250, 250, 250); colours chosen as above
  wpsInProgress: {
    description: "WPS in progress",
    segments: [lit("red", 500), dark(250), lit("orange", 250), dark(250)],
  },
  // /troubleshooting/blinkup timings (500, 500, 500, 250, 250, 250)
  searchingForWifi: {
    description: "searching for the WiFi network",
    segments: [
      lit("red", 500),
      dark(500),
      lit("orange", 500),
      dark(250),
      lit("red", 250),
      dark(250),
    ],
  },
  // /troubleshooting/blinkup timings (500, 500, 500, 250, 250, 250, 250, 250)
  joiningWifi: {
    description: "joining the WiFi network",
    segments: [
      lit("red", 500),
      dark(500),
      lit("orange", 500),
      dark(250),
      lit("red", 250),
      dark(250),
      lit("orange", 250),
      dark(250),
    ],
  },
  // /troubleshooting/blinkup timings (500, 250, 250)
  gettingIpAddress: {
    description: "getting an IP address",
    segments: [lit("red", 500), dark(250), lit("orange", 250)],
  },
  // /troubleshooting/blinkup timings (500, 250, 250): the same as getting an IP address in the source
  resolvingServer: {
    description: "resolving the server name",
    segments: [lit("red", 500), dark(250), lit("orange", 250)],
  },
  // /troubleshooting/blinkup timings (500, 500, 500, 250)
  connectingToServer: {
    description: "connecting to the server",
    segments: [lit("red", 500), dark(500), lit("orange", 500), dark(250)],
  },
  // /troubleshooting/blinkup timings (500, 500, 250, 250, 250, 250)
  proxyAddressWrong: {
    description: "proxy address or port wrong",
    segments: [
      lit("red", 500),
      dark(500),
      lit("orange", 250),
      dark(250),
      lit("red", 250),
      dark(250),
    ],
  },
  // /troubleshooting/blinkup timings (500, 500, 250, 250, 250, 250, 250)
  proxyCredentialsRejected: {
    description: "proxy credentials rejected",
    segments: [
      lit("red", 500),
      dark(500),
      lit("orange", 250),
      dark(250),
      lit("red", 250),
      dark(250),
      lit("orange", 250),
    ],
  },
  // /troubleshooting/blinkup ✓: online is steady green flashing, 500 ms / 500 ms
  online: {
    description: "flashing green: connected to the server",
    segments: [lit("green", 500), dark(500)],
  },
  // the Connected Factory quick start via /troubleshooting/blinkup: "slow green flash" when BlinkUp succeeded but the DUT cannot connect
  // chosen: 1 s on / 1 s off, so it differs from the 500 ms online flash.
  cannotConnect: {
    description: "slow green flash: cannot connect",
    segments: [lit("green", 1000), dark(1000)],
  },
  // /troubleshooting/blinkup ✓: green for the whole impOS update
  updatingImpOS: {
    description: "solid green: installing an impOS update",
    segments: steady("green"),
  },
  // /api/server/bless ✓, /manufacturing/factoryfirmware: solid green for as long as powered
  blessed: { description: "solid green: blessed", segments: steady("green") },
  // /api/server/bless ✓, /manufacturing/factoryfirmware: solid red when the tests failed or blessing failed
  notBlessed: { description: "solid red: test or blessing failed", segments: steady("red") },
} as const satisfies Record<string, LedPattern>;

export type LedState = keyof typeof LED_PATTERNS;

/** One entry of the timeline: from `t` (virtual µs) on, the LED shows `state`. */
export interface LedChange {
  readonly t: number;
  readonly state: LedState;
}

/** What the LED showed at one moment. */
export interface LedReading {
  readonly state: LedState;
  readonly colour: LedColour;
  /** When the state began (virtual µs). */
  readonly since: number;
}

/** The colour a state is known by: its first lit segment ("flashing orange" is orange). */
export function ledColour(state: LedState): LedColour {
  const segments: readonly LedSegment[] = LED_PATTERNS[state].segments;
  return segments.find((segment) => segment.colour !== "off")?.colour ?? "off";
}

/** True for states that blink rather than hold one colour. */
export function ledFlashing(state: LedState): boolean {
  return LED_PATTERNS[state].segments.length > 1;
}

export interface StatusLedOptions {
  /** Where changes go: the device's bound trace emitter. */
  emit?: Emit;
}

export class StatusLed {
  // chosen: before the first set() the LED is off (an unpowered imp shows nothing).
  private readonly changes: LedChange[] = [];
  private readonly emit: Emit;

  constructor(options: StatusLedOptions = {}) {
    this.emit = options.emit ?? (() => {});
  }

  /** The state shown now (after the last set()). */
  get state(): LedState {
    return this.changes.at(-1)?.state ?? "off";
  }

  /**
   * Shows `state` from virtual time `t` on. Setting the state already shown changes nothing, so
   * a flashing pattern keeps its phase.
   */
  set(state: LedState, t: number): void {
    if (!Object.hasOwn(LED_PATTERNS, state))
      throw new RangeError(`'${String(state)}' is not a status LED state`);
    const last = this.changes.at(-1);
    if (last !== undefined && t < last.t) {
      throw new RangeError(
        `the LED timeline cannot go back: set(${state}) at ${t} µs after a change at ${last.t} µs`,
      );
    }
    if (this.state === state) return;
    this.changes.push({ t, state });
    this.emit(t, "led", { state, colour: ledColour(state), flashing: ledFlashing(state) });
  }

  /** What the LED showed at virtual time `t`, with the colour of the pattern's segment lit then. */
  at(t: number): LedReading {
    const index = this.lastChangeAtOrBefore(t);
    if (index < 0) return { state: "off", colour: "off", since: 0 };
    const { state, t: since } = this.changes[index]!;
    return { state, colour: colourInPattern(LED_PATTERNS[state].segments, t - since), since };
  }

  /** Every change, in time order. */
  history(): readonly LedChange[] {
    return this.changes;
  }

  // A binary search: a long run flashes through many states.
  private lastChangeAtOrBefore(t: number): number {
    let low = 0;
    let high = this.changes.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.changes[mid]!.t <= t) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }
}

function colourInPattern(segments: readonly LedSegment[], elapsed: number): LedColour {
  if (segments.length === 1) return segments[0]!.colour;
  let period = 0;
  for (const segment of segments) period += segment.ms * MICROS_PER_MILLI;
  let phase = elapsed % period;
  for (const segment of segments) {
    const length = segment.ms * MICROS_PER_MILLI;
    if (phase < length) return segment.colour;
    phase -= length;
  }
  return segments[0]!.colour;
}
