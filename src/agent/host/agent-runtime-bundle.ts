// The agent runtime bundle (dist/agent-runtime.js, built from src/agent/guest/): the Squirrel
// runtime plus the agent API, evaluated in every agent VM before its code.
import { loadBundle } from "../../sandbox/runtime-bundle.ts";

export const AGENT_RUNTIME_FILENAME = "vimp-agent-runtime.js";

export function agentRuntimeBundle(): { code: string; filename: string } {
  return loadBundle("agent-runtime.js", AGENT_RUNTIME_FILENAME);
}
