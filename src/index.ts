// virtual-imp as a library: what a program embedding the emulator imports.

// Squirrel -> JavaScript
export { compile } from "./squirrel/index.ts";
export { CompileError } from "./squirrel/compile-error.ts";

// Running Squirrel in the sandbox
export { runSquirrel, DEFAULT_TIMEOUT_MS } from "./sandbox/squirrel-vm.ts";
export type { RunSquirrelOptions, RunSquirrelResult, RunOutcome } from "./sandbox/squirrel-vm.ts";
export { ExitStatus } from "./sandbox/exit-status.ts";

// The engine underneath
export { createQuickJSEngine, QUICKJS_MIN_MEMORY_LIMIT } from "./sandbox/quickjs-engine.ts";
export { DEFAULT_MEMORY_LIMIT, DEFAULT_STACK_LIMIT, MAX_STACK_LIMIT } from "./sandbox/engine.ts";
export type {
  Engine,
  EvaluateOptions,
  EvaluateResult,
  HostCall,
  HostValue,
  Vm,
  VmFailure,
  VmOptions,
} from "./sandbox/engine.ts";
