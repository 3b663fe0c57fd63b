// What happened to each DUT on the line, and the summary table (issue 4: "prints, per DUT, what
// happened (BlinkUp, enrolment, DUT firmware, test result, blessing, application firmware)").

import type { DutOutcome } from "./line-file.ts";

export interface DutRecord {
  readonly index: number;
  readonly deviceId: string;
  readonly mac: string;
  readonly model: string;
  readonly fixture: string;
  readonly expected: DutOutcome;
  /** The hardware faults it was built with ("wire-open loopback"); empty for a good board. */
  readonly faults: readonly string[];
  outcome: DutOutcome | null;
  /** Virtual µs of each step, null when it did not happen. */
  placedAt: number;
  blinkUpAt: number | null;
  blinkUps: number;
  impOSUpdated: boolean;
  enrolledGroup: string | null;
  dutFirmwareAt: number | null;
  blessRequested: boolean | null;
  blessedAt: number | null;
  productionGroup: string | null;
  appStartedAt: number | null;
  activatedAt: number | null;
  finishedAt: number | null;
  /** The LED's last state on the line (solid green, solid red, …). */
  led: string;
  notes: string[];
}

export interface LineSummary {
  readonly duts: number;
  readonly asExpected: number;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly virtualSeconds: number;
  readonly wallSeconds: number;
}

export interface LineReport {
  readonly line: string;
  readonly product: string;
  readonly duts: readonly DutRecord[];
  readonly summary: LineSummary;
  readonly webhooks: readonly {
    event: string;
    url: string;
    attempt: number;
    status: number | null;
    error: string | null;
  }[];
  /** Webhook deliveries that spent their attempts without a 2xx answer (kept pending with --state). */
  readonly undeliveredWebhooks: readonly {
    event: string;
    url: string;
    deviceId: string | null;
    attempts: number;
    lastError: string | null;
  }[];
  /** Every DUT ended as the line expected. */
  readonly ok: boolean;
}

function seconds(micros: number | null, from: number): string {
  return micros === null ? "-" : `${((micros - from) / 1e6).toFixed(1)}s`;
}

/** One line per DUT: what happened, in order, with times from its placement. */
export function dutLine(d: DutRecord): string {
  const mark = d.outcome === d.expected ? "ok " : "!! ";
  const steps = [
    `blinkup ${seconds(d.blinkUpAt, d.placedAt)}`,
    d.impOSUpdated ? "impOS updated" : null,
    `enrolled ${d.enrolledGroup ?? "-"}`,
    `DUT fw ${seconds(d.dutFirmwareAt, d.placedAt)}`,
    `test ${d.blessRequested === null ? "-" : d.blessRequested ? "pass" : "FAIL"}`,
    `blessed ${d.blessedAt === null ? "-" : `${seconds(d.blessedAt, d.placedAt)} -> ${d.productionGroup}`}`,
    `app ${seconds(d.appStartedAt, d.placedAt)}`,
    d.activatedAt !== null ? `activated ${seconds(d.activatedAt, d.placedAt)}` : null,
  ].filter((s) => s !== null);
  const outcome = `${d.outcome ?? "?"}${d.outcome === d.expected ? "" : ` (expected ${d.expected})`}`;
  const notes =
    d.notes.length > 0 || d.faults.length > 0
      ? `  [${[...d.faults.map((f) => `fault: ${f}`), ...d.notes].join("; ")}]`
      : "";
  return `${mark}#${String(d.index + 1).padStart(4)} ${d.deviceId} ${d.fixture.padEnd(10)} ${outcome.padEnd(12)} LED ${d.led.padEnd(11)} ${steps.join(", ")}${notes}`;
}

/** The summary table: one row per outcome, expected against seen. */
export function summaryTable(report: LineReport): string {
  const outcomes = ["blessed", "failed", "unindicated", "refused"];
  const expected = (o: string) => report.duts.filter((d) => d.expected === o).length;
  const rows = outcomes.map((o) => [
    o,
    String(expected(o)),
    String(report.summary.byOutcome[o] ?? 0),
  ]);
  rows.push([
    "total",
    String(report.duts.length),
    String(report.duts.filter((d) => d.outcome !== null).length),
  ]);
  const header = ["outcome", "expected", "seen"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  const s = report.summary;
  return [
    line(header),
    rule,
    ...rows.map(line),
    ...faultTable(report),
    "",
    `${s.asExpected}/${s.duts} DUTs as expected; ${s.virtualSeconds.toFixed(1)} s of line time in ${s.wallSeconds.toFixed(2)} s (${(s.virtualSeconds / Math.max(s.wallSeconds, 1e-9)).toFixed(0)}x real time)`,
  ].join("\n");
}

/**
 * One row per injected fault: on how many DUTs, how many the line caught (the DUT did not end
 * blessed) and how many escaped (blessed with the fault: the self-test does not see it).
 */
function faultTable(report: LineReport): string[] {
  const faults = new Map<string, { injected: number; caught: number; escaped: number }>();
  for (const d of report.duts) {
    for (const f of d.faults) {
      const row = faults.get(f) ?? { injected: 0, caught: 0, escaped: 0 };
      row.injected++;
      if (d.outcome === "blessed") row.escaped++;
      else if (d.outcome !== null) row.caught++;
      faults.set(f, row);
    }
  }
  if (faults.size === 0) return [];
  const header = ["fault", "injected", "caught", "escaped"];
  const rows = [...faults].map(([f, r]) => [
    f,
    String(r.injected),
    String(r.caught),
    String(r.escaped),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [
    "",
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ];
}
