// The agent's identity as the host reports it: asked once per VM.

import type { AgentIdentityInfo } from "../shared/agent-host-calls.ts";
import { host } from "./agent-host.ts";

let cached: AgentIdentityInfo | undefined;

export function identity(): AgentIdentityInfo {
  return (cached ??= JSON.parse(host.identityJson()) as AgentIdentityInfo);
}
