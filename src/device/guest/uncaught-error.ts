// What happens to an error no `try` caught, at top level or in any callback (/api/imp/onunhandledexception, /resources/imp-boot-procedure
// "Squirrel Errors"): the `imp.onunhandledexception` handler, if set, gets the error text; then the
// error goes to the log as impCentral shows it, and the host tears the VM down (dispatch and
// runFirmware return 1). Out of memory and the deadline are the host's: they pass unchanged.

import { call } from "../../runtime/call.ts";
import { toStr } from "../../runtime/convert.ts";
import { isFatal, squirrelFrames } from "../../runtime/program.ts";
import { vm } from "../../runtime/state.ts";
import { SqThrow, typeOf } from "../../runtime/values.ts";
import { host } from "./device-host.ts";
import { VmExit } from "./vm-exit.ts";

/** The one handler slot of imp.onunhandledexception (null: none). */
let handler: unknown = null;

export function setUnhandledExceptionHandler(fn: unknown): void {
  handler = fn;
}

/** The error's text, as the handler receives it and the log's first line shows it. */
export function errorText(e: unknown): string {
  if (e instanceof SqThrow) {
    const v = e.value;
    if (typeof v === "string") return v;
    // chosen: a thrown non-string shows as tostring() shows it (`throw 5` logs "5").
    try {
      return toStr(v);
    } catch (inner) {
      if (isFatal(inner)) throw inner;
      return typeOf(v);
    }
  }
  if (e instanceof Error)
    return /stack overflow|call stack/i.test(e.message) ? "stack overflow" : e.message;
  return String(e);
}

/**
 * The log lines of an uncaught error: its text, then one line per Squirrel frame, innermost
 * first. Each goes to `logError`, which shows a line as `server.error` does (impCentral prefixes
 * "ERROR: "), so the log reads:
 *   ERROR: the index 'foo' does not exist
 *   ERROR:   in tick device_code:12
 *   ERROR:   in main device_code:20
 * Anonymous functions are "unknown", as in the imp's log (/api/imp/onunhandledexception).
 */
export function errorLines(e: unknown): string[] {
  const lines = [errorText(e)];
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  for (const f of squirrelFrames(stack)) lines.push(`  in ${f.fn} ${f.file}:${f.line}`);
  return lines;
}

/** Handles an exception that ended a run or a callback; returns the status for the host. */
export function reportUncaught(e: unknown): number {
  if (e instanceof VmExit) return 0; // a deep sleep, reset or restart: not an error
  if (isFatal(e)) throw e;
  const lines = errorLines(e);
  let handlerLines: string[] = [];
  if (handler !== null) {
    const h = handler;
    try {
      call(h, vm.root, [lines[0]]);
    } catch (inner) {
      if (isFatal(inner)) throw inner;
      // A handler that sleeps, resets or restarts has said what comes next; the error is still
      // reported (and 1 returned): the host lets the handler's request win over the error restart.
      if (!(inner instanceof VmExit)) handlerLines = errorLines(inner);
    }
  }
  for (const line of lines) host.logError(line);
  for (const line of handlerLines) host.logError(line);
  return 1;
}
