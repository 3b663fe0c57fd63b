// The one trace (docs/architecture.md, principle 2): every observable is a typed event with its
// virtual time, the device it happened on and a kind. The CLI prints it, tests assert on it,
// exporters (JSON Lines here, VCD in vcd.ts) read it. Nothing observable is printed from deep
// inside the code; it is emitted here instead.

/** A digital line as a logic analyser sees it: low, high, floating ("z") or not a logic level ("x", PWM or DAC). */
export type LineLevel = 0 | 1 | "z" | "x";

/**
 * Each kind of event and the data it carries. Kinds are added here, in one list, so "what can
 * appear in a trace" has one answer; another layer may also extend this interface through
 * declaration merging.
 */
export interface TraceKinds {
  // --- Device lifecycle (/resources/imp-boot-procedure, /resources/imp-boot-procedure, /api/imp/deepsleepfor)
  /** Power applied or removed. */
  power: { on: boolean };
  /** The imp booted: cold (power, imp.reset(), impOS update) or warm (deep-sleep wake). */
  boot: { boot: "cold" | "warm"; model: string };
  /** The wake reason the new run will see from `hardware.wakereason()`. */
  wake: { reason: number; name: string };
  /** The Squirrel VM was torn down and is being rebuilt; `reason` says why in words. */
  restart: { reason: string; wakeReason: number };
  /** Deep sleep began; `wakeAt` is the timer wake in virtual µs, or null for a pin wake only. */
  sleep: { wakeAt: number | null };
  /**
   * The cloud asked a running device to restart (/api/server/onshutdown): `reason` is the SHUTDOWN_* value
   * handed to server.onshutdown's handler, `deferred` true when that handler got it (polite
   * deployment) instead of an immediate restart.
   */
  shutdown: { reason: number; deferred: boolean };

  // --- What the firmware says (impCentral's log pane)
  log: { source: "device" | "agent" | "status"; message: string };
  error: { source: "device" | "agent" | "status"; message: string };

  // --- Status LED (/troubleshooting/blinkup)
  led: { state: string; colour: string; flashing: boolean };

  // --- Pins (/api/hardware, /hardware/imp/pinmux)
  /** A pin's configuration changed; `mode` is the pin mode's name, or null when disabled. */
  "pin-mode": { pin: string; mode: string | null };
  /** A pin's line level changed. */
  pin: { pin: string; level: LineLevel };
  /** An analog level on a pin changed (DAC output or ADC input), as a fraction of the supply. */
  analog: { pin: string; value: number };
  /** A PWM output's period (s) or duty (0–1) changed. */
  pwm: { pin: string; period: number; duty: number };

  // --- Connection (/api/server/setsendtimeoutpolicy, /api/server/connect)
  connect: { reason: number };
  disconnect: { reason: number };
  /** A message between device and agent (`agent.send` / `device.send`). */
  message: { direction: "to-agent" | "to-device"; name: string };

  // --- Cloud and factory (/manufacturing/factoryfirmware); shapes will firm up with those layers
  blinkup: { ok: boolean; factory: boolean };
  /** Activation answered (/resources/imp-boot-procedure step 1); the cloud's own record adds where the device went. */
  enroll: { ok: boolean; group?: string | null; reason?: string };
  bless: { pass: boolean; ok: boolean; group?: string | null; reason?: string };
  deployment: { id: string; sha: string | null; group?: string };
  /** One attempt to deliver a webhook: `status` the HTTP status, null when no answer came (then `error`). */
  webhook: {
    event: string;
    url: string;
    status: number | null;
    attempt?: number;
    error?: string;
    final?: boolean;
  };
  /**
   * A fixture's factory BlinkUp (/manufacturing/factoryfirmware): requested (token asked for), flashing (LED pin
   * driven, Squirrel suspended), done (Squirrel resumes), failed (no token).
   */
  "factory-blinkup": {
    phase: "requested" | "flashing" | "done" | "failed";
    pin?: string;
    message?: string;
  };
  /** The cloud put a device in a device group (or took it out: null). */
  assign: { group: string | null; type: string | null; reason: string };
  /** The cloud sent a device the restart signal (/api/server/bless: two seconds after the bless callback). */
  "restart-signal": { reason: string };
}

export type TraceKind = keyof TraceKinds;
export type TraceData<K extends TraceKind> = TraceKinds[K];

type EventOf<P extends TraceKind> = {
  /** Virtual time in µs. */
  readonly t: number;
  /** The device id, or null for events that belong to no one device (the cloud, the run). */
  readonly device: string | null;
  readonly kind: P;
  readonly data: Readonly<TraceKinds[P]>;
};
type AnyTraceEvent = { [P in TraceKind]: EventOf<P> }[TraceKind];

/** One event; `TraceEvent` alone is the union of all kinds, discriminated by `kind`. */
export type TraceEvent<K extends TraceKind = TraceKind> = Extract<AnyTraceEvent, { kind: K }>;

/** Records an event for a device already bound; what pins, the LED and the rest are given. */
export type Emit = <K extends TraceKind>(t: number, kind: K, data: TraceData<K>) => void;

export type TraceListener = (event: TraceEvent) => void;

/** Narrows an event to one kind. */
export function isKind<K extends TraceKind>(event: TraceEvent, kind: K): event is TraceEvent<K> {
  return event.kind === kind;
}

/** One event as one line of JSON, keys in a fixed order (t, device, kind, data). */
export function toJSONLine(event: TraceEvent): string {
  return JSON.stringify({ t: event.t, device: event.device, kind: event.kind, data: event.data });
}

export interface TraceOptions {
  /** Keep events in memory (default true). A streaming run can keep none and use listeners only. */
  retain?: boolean;
}

export interface TraceQuery<K extends TraceKind = TraceKind> {
  kind?: K | readonly K[];
  /** A device id, or null for events that belong to no device. */
  device?: string | null;
  /** From this virtual time on (µs, inclusive). */
  from?: number;
  /** Up to this virtual time (µs, inclusive). */
  to?: number;
}

export class Trace {
  private readonly retained: TraceEvent[] = [];
  private readonly retain: boolean;
  private readonly listeners = new Set<TraceListener>();

  constructor(options: TraceOptions = {}) {
    this.retain = options.retain ?? true;
  }

  /** Every event kept so far, in the order recorded. */
  get events(): readonly TraceEvent[] {
    return this.retained;
  }

  /** Records an event and tells every listener. */
  record<K extends TraceKind>(t: number, device: string | null, kind: K, data: TraceData<K>): void {
    const event = { t, device, kind, data } as TraceEvent;
    if (this.retain) this.retained.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** An emit function bound to one device (or to none, with null). */
  emitter(device: string | null): Emit {
    return (t, kind, data) => this.record(t, device, kind, data);
  }

  /** Calls `listener` for every event from now on; returns a function that removes it. */
  addListener(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.removeListener(listener);
  }

  removeListener(listener: TraceListener): void {
    this.listeners.delete(listener);
  }

  /** The kept events matching every field given. */
  query<K extends TraceKind = TraceKind>(query: TraceQuery<K>): TraceEvent<K>[] {
    const kinds =
      query.kind === undefined
        ? null
        : new Set<TraceKind>(typeof query.kind === "string" ? [query.kind] : query.kind);
    return this.retained.filter(
      (event): event is TraceEvent<K> =>
        (kinds === null || kinds.has(event.kind)) &&
        (query.device === undefined || event.device === query.device) &&
        (query.from === undefined || event.t >= query.from) &&
        (query.to === undefined || event.t <= query.to),
    );
  }

  /** The kept events of one kind, optionally for one device. */
  ofKind<K extends TraceKind>(kind: K, device?: string | null): TraceEvent<K>[] {
    return this.query({ kind, device });
  }

  /** The kept events of one device. */
  forDevice(device: string | null): TraceEvent[] {
    return this.query({ device });
  }

  /** The last kept event of a kind (for a device, if given), or undefined. */
  last<K extends TraceKind>(kind: K, device?: string | null): TraceEvent<K> | undefined {
    for (let i = this.retained.length - 1; i >= 0; i--) {
      const event = this.retained[i]!;
      if (isKind(event, kind) && (device === undefined || event.device === device)) return event;
    }
    return undefined;
  }

  /** Forgets the kept events (listeners stay). */
  clear(): void {
    this.retained.length = 0;
  }

  /** The kept events (or the ones given) as JSON Lines: one event per line, each line ending in "\n". */
  toJSONLines(events: Iterable<TraceEvent> = this.retained): string {
    let text = "";
    for (const event of events) text += toJSONLine(event) + "\n";
    return text;
  }
}
