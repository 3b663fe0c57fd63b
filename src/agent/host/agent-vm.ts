// One agent's Squirrel VM: a QuickJS VM (sandbox/) with the agent runtime loaded, the host calls
// of agent-host-calls.ts installed, and the agent code in it — run one slice at a time (boot,
// the top level, one event), each under a wall-clock deadline, as a device's VM is
// (src/device/host/device-vm.ts); both start through sandbox/runtime-vm.ts. It says how each slice ended; the Agent decides what that means.

import type { Engine, Vm } from "../../sandbox/engine.ts";
import {
  codeLoadScript,
  createRuntimeVm,
  describeFailure,
  hostCallTable,
} from "../../sandbox/runtime-vm.ts";
import { QUICKJS_MIN_MEMORY_LIMIT } from "../../sandbox/quickjs-engine.ts";
import type { AgentBootInfo, AgentHostCalls } from "../shared/agent-host-calls.ts";
import { agentRuntimeBundle } from "./agent-runtime-bundle.ts";

/** Every host call by name; fails to compile if agent-host-calls.ts gains one not listed. */
export const AGENT_HOST_CALL_NAMES = [
  "log",
  "logError",
  "rtcSeconds",
  "uptimeMicros",
  "sleep",
  "wakeup",
  "cancelWakeup",
  "identityJson",
  "configParamsJson",
  "memoryFree",
  "restart",
  "save",
  "load",
  "deviceSend",
  "deviceOn",
  "deviceIsConnected",
  "deviceInfoJson",
  "onDeviceConnect",
  "onDeviceDisconnect",
  "onRequest",
  "respond",
  "httpSend",
  "httpSendSync",
  "httpCancel",
  "hash",
] as const satisfies readonly (keyof AgentHostCalls)[];
type Unlisted = Exclude<keyof AgentHostCalls, (typeof AGENT_HOST_CALL_NAMES)[number]>;
const everyHostCallListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyHostCallListed;

/**
 * chosen: the memory of an agent VM. Electric Imp publishes no agent memory size; agents are
 * documented as far roomier than devices, so the engine's limit is 64 MiB and
 * imp.getmemoryfree() reports what is left of it.
 */
export const AGENT_VM_MEMORY_LIMIT = 4 * QUICKJS_MIN_MEMORY_LIMIT;

export type AgentSliceOutcome =
  | { kind: "ok" }
  /** An uncaught Squirrel error, already logged by the guest (or `message` when it could not be). */
  | { kind: "squirrel-error"; message?: string }
  | { kind: "deadline"; timeoutMs: number }
  | { kind: "out-of-memory"; message: string }
  | { kind: "internal-error"; message: string };

export interface AgentVmOptions {
  readonly engine: Engine;
  readonly hostCalls: AgentHostCalls;
  readonly memoryLimit?: number;
  readonly sliceTimeoutMs: number;
  readonly bundle?: { readonly code: string; readonly filename: string };
  /**
   * Compiled agent code to load with the runtime, so agents starting the same code again start
   * from the engine's snapshot of it loaded (as devices do with firmware: device-vm.ts).
   */
  readonly code?: { readonly js: string; readonly file: string };
}

/** Where loaded agent code waits to be run (AgentVm.run). */
const AGENT_GLOBAL = "__vimpAgent";

export async function createAgentVm(options: AgentVmOptions): Promise<AgentVm> {
  const memoryLimit = options.memoryLimit ?? AGENT_VM_MEMORY_LIMIT;
  const { vm, preloaded } = await createRuntimeVm({
    engine: options.engine,
    memoryLimit,
    hostCalls: hostCallTable(AGENT_HOST_CALL_NAMES, options.hostCalls),
    bundle: options.bundle ?? agentRuntimeBundle(),
    runtimeName: "agent runtime",
    entry: "__agent",
    code: options.code && { ...options.code, global: AGENT_GLOBAL },
  });
  return new AgentVm(vm, options.sliceTimeoutMs, memoryLimit, preloaded);
}

export class AgentVm {
  constructor(
    private readonly vm: Vm,
    private readonly sliceTimeoutMs: number,
    readonly memoryLimit: number,
    /** The compiled code the VM was created with already loaded (createAgentVm), if any. */
    private readonly preloadedCode: string | null = null,
  ) {}

  get alive(): boolean {
    return this.vm.alive;
  }

  boot(info: AgentBootInfo): AgentSliceOutcome {
    return this.slice(`__agent.boot(${JSON.stringify(JSON.stringify(info))})`, "boot.js", false);
  }

  /** Loads compiled agent code, then runs its top level. */
  run(js: string, file: string): AgentSliceOutcome {
    const loaded: AgentSliceOutcome =
      js === this.preloadedCode
        ? { kind: "ok" }
        : this.slice(codeLoadScript(AGENT_GLOBAL, js), file, false);
    if (loaded.kind !== "ok") return loaded;
    return this.slice(`__agent.runAgent(globalThis.${AGENT_GLOBAL})`, "run.js", true);
  }

  dispatch(id: number, argsJson = "[]"): AgentSliceOutcome {
    return this.slice(`__agent.dispatch(${id}, ${JSON.stringify(argsJson)})`, "dispatch.js", true);
  }

  memoryFree(): number {
    const used = this.vm.memoryUsed?.() ?? 0;
    return Math.max(0, this.memoryLimit - used);
  }

  dispose(): void {
    this.vm.dispose();
  }

  private slice(code: string, filename: string, returnsStatus: boolean): AgentSliceOutcome {
    const result = this.vm.evaluate(code, { filename, timeoutMs: this.sliceTimeoutMs });
    if (result.ok) {
      if (!returnsStatus || result.value === 0) return { kind: "ok" };
      if (result.value === 1) return { kind: "squirrel-error" };
      return {
        kind: "internal-error",
        message: `the agent runtime returned ${String(result.value)} instead of 0 or 1`,
      };
    }
    const failure = result.failure;
    switch (failure.kind) {
      case "deadline":
        return { kind: "deadline", timeoutMs: failure.timeoutMs };
      case "out-of-memory":
        return {
          kind: "out-of-memory",
          message: `out of memory (the agent's ${failure.memoryLimit} bytes are full)`,
        };
      case "stack-overflow":
        return { kind: "squirrel-error", message: "stack overflow" };
      case "exception":
        return {
          kind: "internal-error",
          message: `the agent runtime failed: ${describeFailure(failure)}`,
        };
      case "crashed":
        return { kind: "internal-error", message: failure.message };
    }
  }
}
