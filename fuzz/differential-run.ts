// Running one program through the reference `sq` and through `vimp sq`, and saying whether and
// how their results differ.
//
// What is compared: everything printed to stdout, and the error line of stderr
// (`AN ERROR HAS OCCURRED [...]` or a compile error). Not compared, because they are listed
// deviations: the exit status after an uncaught error (sq 0, vimp 1) and the LOCALS part of an
// error report, which vimp does not print.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** How one side ran a program. */
export interface SideResult {
  stdout: string;
  /** The error line of stderr, or "" when the program ended without an error. */
  error: string;
  /** The process or run status; a number, or a signal name when the process was killed. */
  status: number | string;
}

export interface Comparison {
  reference: SideResult;
  vimp: SideResult;
  /** The reference crashed or hung: the program says nothing about vimp. */
  referenceFailed: boolean;
  same: boolean;
}

/** Runs `vimp sq`; in-process (the library's runSquirrel, what the CLI calls) or as a process. */
export type VimpRunner = (source: string, file: string) => Promise<SideResult>;

const TIMEOUT_MS = 10_000;

/** The error line in what `sq` (or `vimp sq`) wrote to stderr. */
export function errorLine(stderr: string): string {
  const runtime = /AN ERROR HAS OCCURRED \[(.*)\]/.exec(stderr);
  if (runtime) return `error: ${runtime[1]}`;
  const compile = /line = \((\d+)\) column = \((\d+)\) : error (.*)/.exec(stderr);
  if (compile) return `compile error at ${compile[1]}:${compile[2]}: ${compile[3]}`;
  return stderr.trim() === "" ? "" : `stderr: ${stderr.trim().split("\n")[0]}`;
}

let scratch: string | undefined;

function scratchFile(name: string, source: string): string {
  scratch ??= mkdtempSync(path.join(tmpdir(), "vimp-fuzz-"));
  const file = path.join(scratch, name);
  writeFileSync(file, source, "latin1");
  return file;
}

function runProcess(command: string, args: string[]): SideResult {
  const r = spawnSync(command, args, {
    timeout: TIMEOUT_MS,
    encoding: "latin1",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") throw r.error;
  return {
    stdout: r.stdout ?? "",
    error: errorLine(r.stderr ?? ""),
    status: r.signal ?? r.status ?? "?",
  };
}

export function runReference(sqPath: string, source: string): SideResult {
  return runProcess(sqPath, [scratchFile("prog.nut", source)]);
}

/** `node bin/vimp.js sq FILE` in a child process: slower, but exactly the command line. */
export function processRunner(vimpBin: string): VimpRunner {
  return async (source) =>
    runProcess(process.execPath, [vimpBin, "sq", scratchFile("prog.nut", source)]);
}

interface RunSquirrelLike {
  (
    source: string,
    options: {
      file: string;
      stdout: (b: string) => void;
      stderr: (b: string) => void;
      timeoutMs: number;
    },
  ): Promise<{ status: number }>;
}

/** The library's runSquirrel (dist/index.js), which `vimp sq` calls: the same run, no process start. */
export function inProcessRunner(runSquirrel: RunSquirrelLike): VimpRunner {
  return async (source) => {
    let stdout = "";
    let stderr = "";
    const result = await runSquirrel(source, {
      file: "prog.nut",
      stdout: (b) => (stdout += b),
      stderr: (b) => (stderr += b),
      timeoutMs: TIMEOUT_MS,
    });
    return { stdout, error: errorLine(stderr), status: result.status };
  };
}

export async function compare(
  sqPath: string,
  vimp: VimpRunner,
  source: string,
): Promise<Comparison> {
  const reference = runReference(sqPath, source);
  const referenceFailed = typeof reference.status === "string";
  const ours = await vimp(source, "prog.nut");
  const same = reference.stdout === ours.stdout && reference.error === ours.error;
  return { reference, vimp: ours, referenceFailed, same };
}

/** The output of each block (`#<n> <topic>` starts one), keyed by its header line. */
function blocksOf(stdout: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let current: string[] = [];
  blocks.set("(prelude)", current);
  for (const line of stdout.split("\n")) {
    if (/^#\d+ \w+$/.test(line)) {
      current = [];
      blocks.set(line, current);
    } else {
      current.push(line);
    }
  }
  return blocks;
}

/** Shortens a line to its shape: numbers become N, long lines are cut. */
function shape(line: string): string {
  const s = line.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, "N");
  return s.length > 70 ? s.slice(0, 70) + "…" : s;
}

/**
 * The kinds of difference already known (issue 8's list and the README's deviations), told
 * from the first line that differs: the reference's `a` and vimp's `b`.
 */
export const KNOWN_KINDS = {
  order: "same items, other order (table iteration order)",
  nan: "NaN printed -nan by the x86 reference, nan by vimp (ARM)",
  nul: "a printed string holds a NUL: sq stops there, vimp prints it all",
  signedChar: "a byte >= 0x80 reads negative in the x86 reference, positive in vimp (ARM)",
  numbers: "only numbers differ (mixed integer/float arithmetic, NaN ordering, ...)",
} as const;

function knownKind(a: string, b: string): string | undefined {
  if (a.split(" ").sort().join(" ") === b.split(" ").sort().join(" ")) return KNOWN_KINDS.order;
  if (b.includes("\0")) return KNOWN_KINDS.nul;
  if (a.replace(/-nan/g, "nan") === b) return KNOWN_KINDS.nan;
  if (
    a.replace(/-(\d+)/g, (m, n: string) =>
      Number(n) >= 1 && Number(n) <= 128 ? String(256 - Number(n)) : m,
    ) === b
  )
    return KNOWN_KINDS.signedChar;
  const numbers = /-?(\d+(\.\d*)?(e[+-]?\d+)?|nan|inf)/g;
  if (a.replace(numbers, "N") === b.replace(numbers, "N")) return KNOWN_KINDS.numbers;
  return undefined;
}

/**
 * A name for the kind of a mismatch, so thousands of them group into a few classes: the topic
 * of the first block whose output differs, and the first differing line of each side in shape.
 */
export function classify(c: Comparison): string {
  const { reference: ref, vimp } = c;
  if (ref.error.startsWith("compile error") || vimp.error.startsWith("compile error")) {
    return `compile: ${shape(ref.error.replace(/at \d+:\d+: /, "")) || "ok"} | vimp: ${shape(vimp.error.replace(/at \d+:\d+: /, "")) || "ok"}`;
  }
  const refBlocks = blocksOf(ref.stdout);
  const ourBlocks = blocksOf(vimp.stdout);
  for (const [header, refLines] of refBlocks) {
    const ourLines = ourBlocks.get(header);
    const topic = header.replace(/^#\d+ /, "");
    if (ourLines === undefined) {
      return vimp.stdout.includes("\0")
        ? `${topic}: ${KNOWN_KINDS.nul}`
        : `${topic}: output stops (vimp ${shape(vimp.error) || "no error"})`;
    }
    if (refLines.join("\n") === ourLines.join("\n")) continue;
    if ([...refLines].sort().join("\n") === [...ourLines].sort().join("\n"))
      return `${topic}: ${KNOWN_KINDS.order}`;
    const i = refLines.findIndex((line, k) => line !== ourLines[k]);
    const a = refLines[i] ?? "(nothing)";
    const b = ourLines[i] ?? "(nothing)";
    const known = knownKind(a, b);
    if (known !== undefined) return `${topic}: ${known}`;
    return `${topic}: ${shape(a)} | vimp: ${shape(b)}`;
  }
  if (ref.error !== vimp.error) return `uncaught: ${shape(ref.error)} | vimp: ${shape(vimp.error)}`;
  return `other: extra output from vimp`;
}
