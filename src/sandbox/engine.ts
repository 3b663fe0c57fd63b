// What the rest of the emulator needs from a JavaScript engine, and nothing more, so that a
// second engine can be added beside QuickJS without touching the compiler or the runtime.
//
// A VM is one isolated JS world: its own heap (bounded by `memoryLimit`), its own stack
// (bounded by `stackLimit`), and a deadline for each slice of work it is given. The guest
// reaches the host only through `globalThis.__host.<name>(...)`, the functions listed in
// `hostCalls`, which take and return primitives (docs/architecture.md, principle 3).

/** A value that may cross the sandbox boundary. Strings are carried exactly, NUL bytes included. */
export type HostValue = string | number | boolean | null;

/** A host function the guest may call as `__host.<name>(...)`. */
export type HostCall = (...args: HostValue[]) => HostValue | void;

export interface VmOptions {
  /** Most memory the VM may hold, in bytes (the engine may have its own minimum). */
  memoryLimit?: number;
  /** Most stack the guest may use, in bytes; at most {@link MAX_STACK_LIMIT}. */
  stackLimit?: number;
  /** The functions installed on `globalThis.__host` before any script runs. */
  hostCalls?: Record<string, HostCall>;
  /**
   * Scripts run once, before any other, right after the host calls are installed: a runtime
   * bundle, then (optionally) code loaded on top of it, such as firmware many VMs share. The
   * engine may run them once per process and start every VM with the same preload (the same
   * texts, file names and host call names, in order) from a copy of the state they left, so a
   * preload must not call the host while it loads. A failure rejects with PreloadError.
   */
  preload?: Preload | readonly Preload[];
}

/** The preload's scripts, in order. */
export function preloadLayers(
  preload: Preload | readonly Preload[] | undefined,
): readonly Preload[] {
  if (preload === undefined) return [];
  return "code" in preload ? [preload] : preload;
}

/** A script every VM of its kind starts with (src/sandbox/runtime-bundle.ts). */
export interface Preload {
  readonly code: string;
  /** Its name in guest stack traces. */
  readonly filename: string;
}

/** The preload did not load: `failure` says how (createVm rejects with it). */
export class PreloadError extends Error {
  constructor(readonly failure: VmFailure) {
    super(
      failure.kind === "exception" && failure.name
        ? `${failure.name}: ${failure.message}`
        : failure.message,
    );
    this.name = "PreloadError";
  }
}

export interface EvaluateOptions {
  /** Wall-clock budget of this slice in ms; 0 or omitted means no deadline. */
  timeoutMs?: number;
  /** The script's name in guest stack traces (the runtime reads Squirrel file names from them). */
  filename?: string;
}

/** Why a slice of work did not complete. */
export type VmFailure =
  /** The slice ran past its deadline and was stopped; the VM can take another slice. */
  | { kind: "deadline"; timeoutMs: number; message: string }
  /** The guest filled its memory; the VM is spent. */
  | { kind: "out-of-memory"; memoryLimit: number; message: string }
  /** The guest overflowed its stack and nothing in the guest caught it. */
  | { kind: "stack-overflow"; stackLimit: number; message: string }
  /** The script threw and nothing in the guest caught it. */
  | { kind: "exception"; name: string; message: string; stack: string }
  /** The engine itself failed (or had failed before); the VM is spent. */
  | { kind: "crashed"; message: string };

export type EvaluateResult =
  { ok: true; value: HostValue | undefined } | { ok: false; failure: VmFailure };

export interface Vm {
  /** Runs a script; the completion value comes back if it is a primitive, else `undefined`. */
  evaluate(code: string, options?: EvaluateOptions): EvaluateResult;
  /** False once the VM is disposed or spent by an out-of-memory failure or a crash. */
  readonly alive: boolean;
  /**
   * Bytes the guest's heap holds now, as the engine counts them (optional). The device layer
   * reads it for `imp.getmemoryfree()` and to hold a VM to its model's budget.
   */
  memoryUsed?(): number;
  /**
   * Frees unreachable objects that refer to each other (optional), so `memoryUsed` counts
   * live data only. Reference counting frees everything else at once.
   */
  collectGarbage?(): void;
  /**
   * Bytes the engine has reserved for the VM so far (optional): for QuickJS, the size its
   * WebAssembly memory has grown to, which never shrinks. Near the memory limit it tells that
   * the guest ran out of memory even where the guest saw only a bare exception.
   */
  memoryReserved?(): number;
  /**
   * Moves the running slice's deadline `ms` later (optional). A host call that blocks while
   * virtual time runs on (imp.sleep) spends wall time outside the guest, which is not the
   * guest's to pay for.
   */
  extendDeadline?(ms: number): void;
  /**
   * Stops the running slice at the guest's next interrupt check (optional): it ends as a
   * "deadline" failure. For a host that must end a VM from inside one of its host calls
   * (the device lost power while the guest was blocked in imp.sleep).
   */
  interrupt?(): void;
  /** Frees the VM. Safe to call twice and after a failure. */
  dispose(): void;
}

export interface Engine {
  readonly name: string;
  createVm(options?: VmOptions): Promise<Vm>;
  /**
   * True when most of createVm's work happens on another thread, so a caller gains by starting
   * a VM before other work of its own (runSquirrel translates meanwhile).
   */
  readonly startsInBackground?: boolean;
}

/** How long a preload may take to load (it is fixed code: only a broken bundle gets near it). */
export const PRELOAD_TIMEOUT_MS = 30_000;

/** 256 KiB: a deeper guest stack would exhaust Node's own stack before the guest's check fires. */
export const MAX_STACK_LIMIT = 256 * 1024;
export const DEFAULT_STACK_LIMIT = MAX_STACK_LIMIT;
/** 256 MiB: generous for desktop runs of firmware and the benchmarks. */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;
