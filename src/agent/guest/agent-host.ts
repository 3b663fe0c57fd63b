// The agent guest's door to the impCloud: the `__host` table the sandbox installs before the
// bundle runs (src/agent/host/agent-host-calls.ts). A host call's failure becomes a Squirrel
// error carrying its text, as on the device (src/device/guest/device-host.ts).

import type { AgentHostCalls } from "../shared/agent-host-calls.ts";
import { isFatal } from "../../runtime/program.ts";
import { SqThrow } from "../../runtime/values.ts";

export const host = (globalThis as { __host?: AgentHostCalls }).__host as AgentHostCalls;

/** Runs a host call, its failure becoming the Squirrel error it stands for. */
export function viaHost<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && !(e instanceof SqThrow) && !isFatal(e)) throw new SqThrow(e.message);
    throw e;
  }
}
