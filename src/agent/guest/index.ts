// The agent runtime bundle (dist/agent-runtime.js): the Squirrel runtime plus the agent API,
// evaluated once in every agent VM after the host has installed `__host`. It defines
// `globalThis.__agent`, the entry points the host calls (AgentGuestEntry).

import { rt } from "../../runtime/index.ts";
import type { ProgramFactory } from "../../runtime/program.ts";
import type { AgentGuestEntry } from "../shared/agent-host-calls.ts";
import { bootAgent, dispatch, runAgent } from "./agent-run.ts";

const entry: AgentGuestEntry = {
  boot: bootAgent,
  dispatch,
  runAgent: (factory) => runAgent(factory as ProgramFactory, rt),
};

(globalThis as { __agent?: AgentGuestEntry }).__agent = entry;
