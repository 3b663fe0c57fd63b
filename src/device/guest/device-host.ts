// The guest's door to the virtual imp around it: the `__host` table the sandbox installs before
// any script runs (src/device/host-calls.ts), and the one rule for its failures. A host call that
// fails the way the imp would throw does so with the imp's text; inside the VM that must be a
// Squirrel error carrying that text and a Squirrel call stack, so `try/catch` in firmware sees
// the text and an uncaught one is reported with the firmware's lines.

import type { DeviceHostCalls } from "../shared/host-calls.ts";
import { isFatal } from "../../runtime/program.ts";
import { SqThrow } from "../../runtime/values.ts";

/** The host calls; read once, when the bundle is evaluated (the table is frozen by then). */
export const host = (globalThis as { __host?: DeviceHostCalls }).__host as DeviceHostCalls;

/** Rethrows a host call's failure as a Squirrel error; out of memory and the deadline pass unchanged. */
export function rethrowHostFailure(e: unknown): never {
  if (e instanceof Error && !(e instanceof SqThrow) && !isFatal(e)) throw new SqThrow(e.message);
  throw e;
}

/** Runs a host call, its failure becoming the Squirrel error it stands for. (Hot paths inline this.) */
export function viaHost<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return rethrowHostFailure(e);
  }
}
