// The two ways Squirrel runs on a device (/api/imp/onidle): the firmware's top-level code, once per VM,
// then one event at a time — each a callback the host names by id. Both end the same way: 0, or 1
// after an uncaught error (uncaught-error.ts); a call that leaves the VM ends with 0.

import { call } from "../../runtime/call.ts";
import type { ProgramFactory } from "../../runtime/program.ts";
import { vm } from "../../runtime/state.ts";
import { callbacks } from "./callbacks.ts";
import { decodeMessageJson } from "./message-codec.ts";
import { fromHostJson } from "./squirrel-json.ts";
import { reportUncaught } from "./uncaught-error.ts";

/** Runs compiled firmware (`factory` is what compile() emits) with `this` = the root table. */
export function runFirmware(factory: ProgramFactory, rt: unknown): number {
  try {
    const main = factory(rt);
    main(vm.root, []);
    return 0;
  } catch (e) {
    return reportUncaught(e);
  }
}

/**
 * Runs the callback registered under `id` with the JSON array `argsJson` as its arguments:
 * none for the callbacks the imp calls without any, plain JSON for the host's own values, the
 * tagged form for agent.on payloads. Callbacks run
 * with `this` = the root table. An id that is no longer registered (a cancelled timer, a
 * replaced handler) is ignored.
 */
export function dispatch(id: number, argsJson: string): number {
  const cb = callbacks.take(id);
  if (cb === undefined) return 0;
  let args: unknown[] = [];
  if (cb.args !== "none") {
    const raw: unknown = JSON.parse(argsJson);
    if (Array.isArray(raw))
      args = raw.map(cb.args === "message" ? decodeMessageJson : fromHostJson);
  }
  try {
    call(cb.fn, vm.root, args);
    return 0;
  } catch (e) {
    return reportUncaught(e);
  }
}
