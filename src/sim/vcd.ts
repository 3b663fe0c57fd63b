// Pin levels from the trace as a Value Change Dump (IEEE 1364 §18), the file a logic-analyser
// viewer such as GTKWave opens. One scope per device, one 1-bit wire per pin that has `pin`
// events, one real variable per pin that has `analog` events. Time is virtual µs, so the
// timescale is 1 us and the file is the same on every run of the same inputs.

import type { LineLevel, TraceEvent } from "./trace.ts";

export interface VcdOptions {
  /** The `$date` text; omitted by default so the file depends only on the trace. */
  date?: string;
  /** The `$version` text. */
  version?: string;
  /** The scope name for events with no device. */
  noDeviceScope?: string;
}

interface Signal {
  id: string;
  scope: string;
  name: string;
  real: boolean;
  value: string | null;
}

// Identifier codes are strings of printable ASCII, '!' to '~' (94 symbols).
function identifier(index: number): string {
  let code = "";
  let n = index;
  do {
    code += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94) - 1;
  } while (n >= 0);
  return code;
}

// Scope and variable names may not hold whitespace; device ids and pin names never do, but a
// user-chosen id might.
function vcdName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.$-]/g, "_") || "_";
}

function levelText(level: LineLevel): string {
  return typeof level === "number" ? String(level) : level;
}

const naturalOrder = new Intl.Collator("en", { numeric: true }).compare;

/** Writes the `pin` and `analog` events among `events` as VCD text. */
export function toVcd(events: Iterable<TraceEvent>, options: VcdOptions = {}): string {
  const changes: { t: number; key: string; value: string }[] = [];
  const signals = new Map<string, Signal>();
  const noDevice = options.noDeviceScope ?? "sim";

  for (const event of events) {
    let name: string;
    let value: string;
    let real: boolean;
    if (event.kind === "pin") {
      name = event.data.pin;
      value = levelText(event.data.level);
      real = false;
    } else if (event.kind === "analog") {
      name = `${event.data.pin}_analog`;
      value = `r${event.data.value}`;
      real = true;
    } else {
      continue;
    }
    const scope = vcdName(event.device ?? noDevice);
    const key = `${scope}\u0000${name}`;
    if (!signals.has(key))
      signals.set(key, { id: "", scope, name: vcdName(name), real, value: null });
    changes.push({ t: event.t, key, value });
  }

  // Declarations in a stable order: scopes in order of appearance, variables by natural name.
  const scopes = new Map<string, Signal[]>();
  for (const signal of signals.values()) {
    let list = scopes.get(signal.scope);
    if (list === undefined) scopes.set(signal.scope, (list = []));
    list.push(signal);
  }
  let next = 0;
  const lines: string[] = [];
  if (options.date !== undefined) lines.push(`$date ${options.date} $end`);
  lines.push(`$version ${options.version ?? "virtual-imp"} $end`, "$timescale 1us $end");
  for (const [scope, list] of scopes) {
    list.sort((a, b) => naturalOrder(a.name, b.name));
    lines.push(`$scope module ${scope} $end`);
    for (const signal of list) {
      signal.id = identifier(next++);
      lines.push(
        signal.real
          ? `$var real 64 ${signal.id} ${signal.name} $end`
          : `$var wire 1 ${signal.id} ${signal.name} $end`,
      );
    }
    lines.push("$upscope $end");
  }
  lines.push("$enddefinitions $end");

  // Wires are unknown until their first event; a real has no unknown value, so it starts at its first.
  lines.push("#0", "$dumpvars");
  for (const signal of signals.values()) {
    if (!signal.real) {
      lines.push(`x${signal.id}`);
      signal.value = "x";
    }
  }
  lines.push("$end");

  changes.sort((a, b) => a.t - b.t); // stable, so same-time changes keep their trace order
  let time = 0;
  for (const change of changes) {
    const signal = signals.get(change.key)!;
    if (signal.value === change.value) continue;
    if (change.t !== time) {
      time = change.t;
      lines.push(`#${time}`);
    }
    signal.value = change.value;
    lines.push(signal.real ? `${change.value} ${signal.id}` : `${change.value}${signal.id}`);
  }
  return lines.join("\n") + "\n";
}
