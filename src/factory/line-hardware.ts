// What a line file says about the hardware of its fixtures and DUTs (issue 12): the board each
// is built on (`fixtures[].board`, `duts[].board`, board files as board-file.ts reads them) and
// the faults injected into DUTs (`faults`: a fraction of the DUTs, or given ones), so a line of
// a thousand boards yields a realistic mix of passes and failures. `duts[].stuckPins` is one
// kind of fault: pins held at a level.

import path from "node:path";
import { BoardError, loadBoard, type BoardSpec } from "../board/board-file.ts";
import { faultLabel, parseFault, type Fault } from "../board/faults.ts";
import type { ImpModel } from "../device/models/model.ts";
import { LineError, type DutOutcome } from "./line-file.ts";

/** One fault of the line file, and the DUTs it goes to. */
export interface LineFault {
  readonly fault: Fault;
  /** "faults[2]", for messages. */
  readonly field: string;
  /** This share of the DUTs whose board can have the fault (chosen by the line's seed); or null. */
  readonly fraction: number | null;
  /** These DUTs (numbered from 1, as the report numbers them); or null. */
  readonly duts: readonly number[] | null;
  /** What the line expects of a DUT with this fault (default "failed": its self-test catches it). */
  readonly expect: DutOutcome;
}

/** A board file named by a line file, relative to it; its mistakes come back naming both files. */
export function lineBoard(file: string, dir: string, value: unknown, field: string): BoardSpec {
  if (typeof value !== "string" || value === "")
    throw new LineError(
      file,
      field,
      `must be the path of a board file, not ${JSON.stringify(value) ?? "missing"}`,
    );
  try {
    return loadBoard(path.resolve(dir, value));
  } catch (error) {
    if (error instanceof BoardError) throw new LineError(file, field, error.message);
    throw error;
  }
}

/** A board with nothing on it, for a DUT the line gives no board: faults can still name its pins. */
export function bareBoard(model: ImpModel): BoardSpec {
  return { file: `(a bare ${model.type})`, model, parts: [], bridges: [], firmataBaud: new Map() };
}

/** The line file's `faults`, each checked against the boards of the DUTs it may go to. */
export function lineFaults(
  file: string,
  raw: unknown,
  dutBoards: readonly BoardSpec[],
  outcomes: readonly DutOutcome[],
): LineFault[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new LineError(file, "faults", "must be an array of faults");
  return raw.map((value, i) => {
    const field = `faults[${i}]`;
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new LineError(file, field, "must be an object");
    const o = value as Record<string, unknown>;
    const hasFraction = o.fraction !== undefined;
    const hasDuts = o.duts !== undefined;
    if (hasFraction === hasDuts)
      throw new LineError(
        file,
        field,
        "needs exactly one of fraction (a share of the DUTs, 0 to 1) and duts (DUT numbers from 1)",
      );
    let fraction: number | null = null;
    let duts: number[] | null = null;
    if (hasFraction) {
      if (typeof o.fraction !== "number" || !(o.fraction >= 0 && o.fraction <= 1))
        throw new LineError(
          file,
          `${field}.fraction`,
          `must be a number from 0 to 1, not ${JSON.stringify(o.fraction)}`,
        );
      fraction = o.fraction;
    } else {
      if (!Array.isArray(o.duts) || o.duts.length === 0)
        throw new LineError(file, `${field}.duts`, "must be a non-empty array of DUT numbers");
      duts = o.duts.map((n, j) => {
        if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > dutBoards.length) {
          throw new LineError(
            file,
            `${field}.duts[${j}]`,
            `must be a DUT number from 1 to ${dutBoards.length}, not ${JSON.stringify(n)}`,
          );
        }
        return n;
      });
    }
    let expect: DutOutcome = "failed";
    if (o.expect !== undefined) {
      if (typeof o.expect !== "string" || !outcomes.includes(o.expect as DutOutcome))
        throw new LineError(
          file,
          `${field}.expect`,
          `must be one of ${outcomes.join(", ")}, not ${JSON.stringify(o.expect)}`,
        );
      expect = o.expect as DutOutcome;
    }
    // Checked against the board of every DUT named, or (for a fraction) of at least one DUT.
    const extra = ["fraction", "duts", "expect"];
    const check = (board: BoardSpec): Fault => {
      try {
        return parseFault(o, file, field, board, extra);
      } catch (error) {
        if (error instanceof BoardError)
          throw new LineError(
            file,
            error.field,
            error.message.slice(error.file.length + error.field.length + 4),
          );
        throw error;
      }
    };
    let fault: Fault | null = null;
    if (duts !== null) for (const n of duts) fault = check(dutBoards[n - 1]!);
    else {
      const firstError: unknown[] = [];
      for (const board of new Set(dutBoards)) {
        try {
          fault = check(board);
          break;
        } catch (error) {
          firstError.push(error);
        }
      }
      if (fault === null) throw firstError[0];
    }
    return { fault: fault!, field, fraction, duts, expect };
  });
}

/** Whether a fault can happen on a board (its part or pin is there). */
function fits(fault: Fault, board: BoardSpec): boolean {
  if ("part" in fault) return board.parts.some((p) => p.name === fault.part);
  return board.model.pins.some((p) => p.name === fault.pin);
}

/** A small seeded generator (mulberry32), so the same line and seed pick the same DUTs. */
function random(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which DUTs get which faults: given DUTs as listed; a fraction as round(fraction × the DUTs
 * whose board can have it), chosen by the line's seed, preferring DUTs with no fault yet so each
 * fault is seen on its own where the line allows.
 */
export function assignFaults(
  seed: string,
  faults: readonly LineFault[],
  dutBoards: readonly BoardSpec[],
): LineFault[][] {
  const byDut: LineFault[][] = dutBoards.map(() => []);
  faults.forEach((f, i) => {
    if (f.duts !== null) {
      for (const n of f.duts) byDut[n - 1]!.push(f);
      return;
    }
    const next = random(`${seed}/faults/${i}`);
    const eligible = dutBoards
      .map((board, index) => ({ index, fits: fits(f.fault, board), key: next() }))
      .filter((d) => d.fits);
    eligible.sort((a, b) => byDut[a.index]!.length - byDut[b.index]!.length || a.key - b.key);
    const count = Math.round(f.fraction! * eligible.length);
    for (const d of eligible.slice(0, count)) byDut[d.index]!.push(f);
  });
  return byDut;
}

export { faultLabel };
