// The rules of check.sh (next to this file), in TypeScript, so the corpus can run in-process.
// Every condition, its order and its failure text follow check.sh; keep them in step with it.
// All strings here are byte strings (files read as latin1).

export interface ExpectedFiles {
  /** NNN.out */
  out: string | undefined;
  /** NNN.err: present only for error cases. */
  err?: string;
  /** NNN.code: the reference exit status of an error case. */
  code?: string;
}

export interface ActualRun {
  stdout: string;
  stderr: string;
  status: number;
  /** The run hit the per-program time limit (check.sh: `timeout` returned 124). */
  timedOut: boolean;
  /** The TIMEOUT of check.sh, for the failure text. */
  timeoutSeconds: number;
}

export interface CheckOptions {
  /** STRICT_EXIT=1: runtime-error programs must exit non-zero. */
  strictExit: boolean;
}

/** The reason program `name` (NNN_topic.nut) fails, worded as check.sh words it, or null when it passes. */
export function checkProgram(
  name: string,
  expected: ExpectedFiles,
  actual: ActualRun,
  options: CheckOptions,
): string | null {
  const out = expected.out;
  if (out === undefined) return "no expected output file (run regen.sh)";
  if (actual.timedOut) return `timed out after ${actual.timeoutSeconds}s`;
  const rc = actual.status;

  if (expected.err === undefined) {
    if (actual.stdout !== out) return `stdout differs (${firstDiff(out, actual.stdout)})`;
    if (rc !== 0)
      return `exit status ${rc}, expected 0 (${actual.stderr.slice(0, 120).replaceAll("\n", " ")})`;
    return null;
  }

  // `$(cat NNN.code || echo 1)`: command substitution drops trailing newlines.
  const refcode = expected.code === undefined ? "1" : expected.code.replace(/\n+$/, "");
  const all = actual.stdout + actual.stderr;
  const rtline = lastLineContaining(expected.err, "AN ERROR HAS OCCURRED [");
  if (rtline !== undefined) {
    // ${rtline#*AN ERROR HAS OCCURRED [} then ${msg%]}
    let msg = rtline.slice(
      rtline.indexOf("AN ERROR HAS OCCURRED [") + "AN ERROR HAS OCCURRED [".length,
    );
    if (msg.endsWith("]")) msg = msg.slice(0, -1);
    if (!actual.stdout.startsWith(out))
      return `stdout before the error differs (${firstDiff(out, actual.stdout)})`;
    if (!grepFixed(all, msg)) return `error message not found: [${msg}]`;
    if (!/not reached/i.test(out) && /not reached/i.test(actual.stdout)) {
      return 'execution continued past the error ("not reached" printed)';
    }
    if (options.strictExit && rc === 0)
      return "exit status 0 after an uncaught error (STRICT_EXIT=1)";
    if (rc === 0 && refcode !== "0") return "exit status 0, expected non-zero";
    return null;
  }

  const celine = lastLineContaining(expected.err, " : error ");
  // ${celine#* : error }
  const msg =
    celine === undefined ? "" : celine.slice(celine.indexOf(" : error ") + " : error ".length);
  if (celine === undefined || msg === "") {
    return `cannot read the expected error message from ${name.replace(/\.nut$/, "")}.err`;
  }
  if (!grepFixed(all, msg)) return `compile error message not found: [${msg}]`;
  if (/not reached/i.test(actual.stdout)) return "program ran although it must fail to compile";
  if (rc === 0) return "exit status 0, expected non-zero for a compile error";
  return null;
}

/** The lines of a file as grep and awk see them: a last line without newline still counts. */
function lines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

function lastLineContaining(text: string, needle: string): string | undefined {
  return lines(text)
    .filter((line) => line.includes(needle))
    .at(-1);
}

/** `grep -qaF -- msg`: some line holds msg (an empty pattern matches any line). */
function grepFixed(text: string, msg: string): boolean {
  if (msg === "") return lines(text).length > 0;
  return lines(text).some((line) => line.includes(msg));
}

/** check.sh's first_diff: where two outputs part, as "line K: expected '...' got '...'". */
export function firstDiff(expected: string, actual: string): string {
  const want = lines(expected);
  const got = lines(actual);
  const quoted = (s: string) => `'${s}'`.slice(0, 60);
  for (let n = 0; n < want.length; n++) {
    if (n >= got.length) return `line ${n + 1}: expected ${quoted(want[n]!)}, got end of output`;
    if (want[n] !== got[n])
      return `line ${n + 1}: expected ${quoted(want[n]!)}, got ${quoted(got[n]!)}`;
  }
  if (got.length > want.length)
    return `line ${want.length + 1}: unexpected extra output ${quoted(got[want.length]!)}`;
  return "difference in final newline or bytes";
}
