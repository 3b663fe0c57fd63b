// The QuickJS engine: quickjs-emscripten's synchronous release build.
//
// Each VM gets its own WebAssembly instance with its own WebAssembly.Memory whose maximum is
// the VM's memory limit. QuickJS's own limit (setMemoryLimit) cannot be relied on in this
// build: under Emscripten it counts 8 bytes per allocation whatever the size
// (justjake/quickjs-emscripten#271), while a full WebAssembly memory makes malloc fail and
// QuickJS throw "out of memory" cleanly. A private instance also means a VM that fails
// badly (a trap, Node's own stack running out) takes nothing else down with it.
//
// A VM with a preload (a runtime bundle) starts as a copy of a template VM that loaded it once
// (quickjs-snapshot.ts): ~1 ms instead of parsing the bundle again.
import { hostInterruptRequested } from "./host-interrupt.ts";
import createDebug from "debug";
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten";
import {
  DEFAULT_MEMORY_LIMIT,
  PRELOAD_TIMEOUT_MS,
  PreloadError,
  preloadLayers,
  type Preload,
  DEFAULT_STACK_LIMIT,
  MAX_STACK_LIMIT,
  type Engine,
  type EvaluateOptions,
  type EvaluateResult,
  type HostCall,
  type HostValue,
  type Vm,
  type VmFailure,
  type VmOptions,
} from "./engine.ts";
import {
  findRandomState,
  recordHostRefs,
  registerHostFunctions,
  restoreSnapshot,
  snapshotBytes,
  takeSnapshot,
  type Snapshot,
} from "./quickjs-snapshot.ts";
import { newQuickJSInstance, quickjsLeastPages, WASM_PAGE } from "./quickjs-instance.ts";
import { takeMemory } from "./quickjs-memory-pool.ts";
import {
  answerHostCallsDirectly,
  HOST_CALL,
  type MarkedHostFunction,
} from "./quickjs-host-calls.ts";
import {
  decodeFromGuest,
  encodeForGuest,
  GUEST_HOST_TABLE_SCRIPT,
} from "./quickjs-string-codec.ts";

const debug = createDebug("vimp:sandbox");
/** Layered templates (firmware on a runtime bundle) kept at once: each holds its own snapshot. */
const LAYERED_KEPT = 8;
/**
 * The release build's WebAssembly memory starts at 16 MiB (its INITIAL_MEMORY). Ours starts
 * smaller (quickjs-instance.ts) but grows as if it had started there, so no limit may be lower.
 */
export const QUICKJS_MIN_MEMORY_LIMIT = 16 * 1024 * 1024;
/** The build declares at most 2 GiB; a larger maximum fails to link, and not catchably. */
export const QUICKJS_MAX_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024;

/** collectGarbage()'s script: cycles until the collector has taken the first (a bound stops a build without WeakRef looping). */
const COLLECT_GARBAGE_SCRIPT = `(function () {
  if (typeof WeakRef !== "function") return;
  var probe = new WeakRef((function () { var o = {}; o.o = o; return o; })());
  for (var n = 0; n < 5e6 && probe.deref() !== undefined; n++) { var c = {}; c.c = c; }
})();`;

export interface QuickJSEngineOptions {
  /**
   * Start VMs with a preload from a memory snapshot of a template VM that loaded it once
   * (quickjs-snapshot.ts); default true. False loads the preload into every VM afresh: the
   * plain boot the benchmark compares against.
   */
  snapshots?: boolean;
  /**
   * Free each VM's QuickJS runtime when it is disposed, so QuickJS aborts on a handle the host
   * leaked (a bug that would grow a long-running VM's heap). Freeing walks the whole heap; without
   * it the VM's WebAssembly instance, memory and all, is simply let go, which is all a private
   * instance needs. Default: on when the VIMP_CHECK_LEAKS environment variable is "1" (the test
   * suite sets it), off otherwise.
   */
  checkLeaks?: boolean;
  /**
   * Answer the guest's host calls straight from QuickJS's argument vector
   * (quickjs-host-calls.ts); default true. False leaves them to quickjs-emscripten's general
   * path, as a bare QuickJS context has them: the baseline the benchmark compares against.
   */
  directHostCalls?: boolean;
}

let shared: Engine | undefined;

/**
 * The process's default QuickJS engine, which simulations and runSquirrel use when given none:
 * one engine, so every device of every simulation (each test file's) starts from one snapshot.
 */
export function defaultQuickJSEngine(): Engine {
  shared ??= createQuickJSEngine();
  return shared;
}

export function createQuickJSEngine(engineOptions: QuickJSEngineOptions = {}): Engine {
  const snapshots = engineOptions.snapshots ?? true;
  const checkLeaks = engineOptions.checkLeaks ?? process.env.VIMP_CHECK_LEAKS === "1";
  const directHostCalls = engineOptions.directHostCalls ?? true;
  /**
   * Templates by preload file names and host call names; each holds its preloads' texts to
   * compare. One-script templates (the runtime bundles) stay; of the layered ones (firmware on a
   * bundle) the LAYERED_KEPT used last stay.
   */
  const templates = new Map<string, { codes: readonly string[]; snapshot: Promise<Snapshot> }>();

  function snapshotFor(layers: readonly Preload[], hostCallNames: string[]): Promise<Snapshot> {
    const key = `${layers.map((l) => l.filename).join("\0")}\0\0${hostCallNames.join("\0")}`;
    const known = templates.get(key);
    if (known !== undefined && known.codes.every((code, i) => code === layers[i]!.code)) {
      if (layers.length > 1) {
        templates.delete(key); // most recently used last
        templates.set(key, known);
      }
      return known.snapshot;
    }
    const snapshot =
      layers.length === 1
        ? makeTemplate(layers[0]!, hostCallNames)
        : snapshotFor(layers.slice(0, -1), hostCallNames).then((below) =>
            makeLayeredTemplate(below, layers.at(-1)!, hostCallNames),
          );
    const entry = { codes: layers.map((l) => l.code), snapshot };
    templates.set(key, entry);
    if (layers.length > 1) {
      const layered = [...templates.keys()].filter((k) => templates.get(k)!.codes.length > 1);
      for (const old of layered.slice(0, Math.max(0, layered.length - LAYERED_KEPT)))
        templates.delete(old);
    }
    // A failed template is not kept: a deadline, for one, may not recur.
    snapshot.catch(() => {
      if (templates.get(key) === entry) templates.delete(key);
    });
    return snapshot;
  }

  return {
    name: "quickjs",
    async createVm(options: VmOptions = {}): Promise<Vm> {
      const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
      const stackLimit = options.stackLimit ?? DEFAULT_STACK_LIMIT;
      if (
        !Number.isFinite(memoryLimit) ||
        memoryLimit < QUICKJS_MIN_MEMORY_LIMIT ||
        memoryLimit > QUICKJS_MAX_MEMORY_LIMIT
      ) {
        throw new RangeError(
          `memory limit ${memoryLimit} is out of range: QuickJS needs between ${QUICKJS_MIN_MEMORY_LIMIT} and ${QUICKJS_MAX_MEMORY_LIMIT} bytes`,
        );
      }
      if (!Number.isInteger(stackLimit) || stackLimit < 16 * 1024 || stackLimit > MAX_STACK_LIMIT) {
        throw new RangeError(
          `stack limit ${stackLimit} is out of range: it must be between 16384 and ${MAX_STACK_LIMIT} bytes`,
        );
      }
      const hostCalls = options.hostCalls ?? {};
      const layers = preloadLayers(options.preload);
      if (layers.length === 0 || !snapshots) {
        const vm = await freshVm(memoryLimit, stackLimit, hostCalls, layers, checkLeaks);
        if (directHostCalls) vm.answerHostCallsDirectly();
        return vm;
      }

      const snapshot = await snapshotFor(layers, Object.keys(hostCalls));
      const maximum = Math.floor(memoryLimit / WASM_PAGE);
      if (snapshot.pages > maximum) {
        throw new PreloadError({
          kind: "out-of-memory",
          memoryLimit,
          message: "out of memory: the preload alone needs more than the memory limit",
        });
      }
      const memory = takeMemory(snapshot.pages, maximum);
      const module = await newQuickJSInstance(memory);
      const { runtime, context } = restoreSnapshot(snapshot, module, memory);
      const vm = new QuickJSVm(memory, runtime, context, memoryLimit, stackLimit, checkLeaks);
      registerHostFunctions(snapshot, runtime, vm.hostFunctions(hostCalls));
      if (directHostCalls) vm.answerHostCallsDirectly();
      return vm;
    },
  };
}

/** A VM started from nothing: its own runtime and context, host calls installed, the preload run. */
async function freshVm(
  memoryLimit: number,
  stackLimit: number,
  hostCalls: Record<string, HostCall>,
  layers: readonly Preload[],
  checkLeaks: boolean,
): Promise<QuickJSVm> {
  const memory = takeMemory(quickjsLeastPages(), Math.floor(memoryLimit / WASM_PAGE));
  const module = await newQuickJSInstance(memory);
  const runtime = module.newRuntime();
  const vm = new QuickJSVm(
    memory,
    runtime,
    runtime.newContext(),
    memoryLimit,
    stackLimit,
    checkLeaks,
  );
  vm.installHostCalls(hostCalls);
  for (const layer of layers) loadInto(vm, layer);
  if (layers.length > 0) vm.memoryUsed(); // as a template does (makeTemplate)
  return vm;
}

const refuse: HostCall = () => {
  throw new Error("a preload may not call the host while it loads");
};

/** Host calls that refuse, under the given names: a template's (the preload may not call out while it loads). */
function refusingHostCalls(names: string[]): Record<string, HostCall> {
  return Object.fromEntries(names.map((name) => [name, refuse]));
}

/** A template VM: the largest limits, no Ctrl-C (a template serves every later run), nothing freed. */
function templateVm(
  memory: WebAssembly.Memory,
  runtime: QuickJSRuntime,
  context: QuickJSContext,
): QuickJSVm {
  return new QuickJSVm(
    memory,
    runtime,
    context,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_STACK_LIMIT,
    false,
    false,
  );
}

/** Runs one preload script in a VM being made, or throws PreloadError with how it failed. */
function loadInto(vm: QuickJSVm, preload: Preload): void {
  const loaded = vm.evaluate(preload.code, {
    filename: preload.filename,
    timeoutMs: PRELOAD_TIMEOUT_MS,
  });
  if (!loaded.ok) {
    vm.dispose();
    throw new PreloadError(loaded.failure);
  }
}

/** The template's state, compared with an instance just started with as much memory. */
async function snapshotOf(
  template: Parameters<typeof takeSnapshot>[0],
  name: string,
): Promise<Snapshot> {
  const fresh = new WebAssembly.Memory({
    initial: template.memory.buffer.byteLength / WASM_PAGE,
    maximum: DEFAULT_MEMORY_LIMIT / WASM_PAGE,
  });
  await newQuickJSInstance(fresh);
  // The template instance is not disposed: its state lives on in the snapshot and GC takes the rest.
  const snapshot = takeSnapshot(template, fresh);
  debug(
    "snapshot of %s: %d bytes to copy in %d stretches",
    name,
    snapshotBytes(snapshot),
    snapshot.chunks.length,
  );
  return snapshot;
}

/**
 * The template of every VM with this preload and these host call names: a fresh VM whose host
 * calls refuse, the preload run, then its snapshot.
 */
async function makeTemplate(preload: Preload, hostCallNames: string[]): Promise<Snapshot> {
  const memory = new WebAssembly.Memory({
    initial: quickjsLeastPages(),
    maximum: DEFAULT_MEMORY_LIMIT / WASM_PAGE,
  });
  const module = await newQuickJSInstance(memory);
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  const vm = templateVm(memory, runtime, context);
  const hostRefIds = recordHostRefs(runtime, () =>
    vm.installHostCalls(refusingHostCalls(hostCallNames)),
  );
  const randomStateAddress = findRandomState(memory, context, () => {
    const advanced = vm.evaluate("Math.random()");
    if (!advanced.ok) throw new Error(`the template VM failed: ${advanced.failure.message}`);
  });
  loadInto(vm, preload);
  // The first measurement makes what QuickJS keeps to answer it (the answer's property names):
  // made here, it is in every clone's baseline rather than in its first measurement.
  vm.memoryUsed();
  return snapshotOf({ memory, runtime, context, hostRefIds, randomStateAddress }, preload.filename);
}

/**
 * The template of a layered preload: a clone of the template below it (its host calls refusing),
 * the top layer run in it, then its snapshot.
 */
async function makeLayeredTemplate(
  below: Snapshot,
  layer: Preload,
  hostCallNames: string[],
): Promise<Snapshot> {
  const memory = new WebAssembly.Memory({
    initial: below.pages,
    maximum: DEFAULT_MEMORY_LIMIT / WASM_PAGE,
  });
  const module = await newQuickJSInstance(memory);
  const { runtime, context } = restoreSnapshot(below, module, memory);
  const vm = templateVm(memory, runtime, context);
  registerHostFunctions(below, runtime, vm.hostFunctions(refusingHostCalls(hostCallNames)));
  loadInto(vm, layer);
  return snapshotOf(
    {
      memory,
      runtime,
      context,
      hostRefIds: [...below.hostRefIds],
      randomStateAddress: below.randomStateAddress,
    },
    `${layer.filename} on its runtime`,
  );
}

class QuickJSVm implements Vm {
  private runtime: QuickJSRuntime | undefined;
  private context: QuickJSContext | undefined;
  private deadline = Infinity;
  private sliceTimeoutMs = 0;
  private interrupted = false;
  /** Set once the VM is spent; later slices report it again. */
  private spent: VmFailure | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    runtime: QuickJSRuntime,
    context: QuickJSContext,
    private readonly memoryLimit: number,
    private readonly stackLimit: number,
    /** Free the runtime on dispose (QuickJSEngineOptions.checkLeaks). */
    private readonly checkLeaks: boolean,
    /** False for a template: Ctrl-C is for the user's slices, and a template serves every later run. */
    hostInterruptible = true,
  ) {
    this.runtime = runtime;
    this.context = context;
    // computeMemoryUsage would otherwise make a second context (a whole set of intrinsics) to
    // build its answer in; the guest's own context serves, and the answer is disposed at once.
    runtime.context ??= context;
    // Still worth setting: it refuses any single allocation larger than the whole limit.
    runtime.setMemoryLimit(memoryLimit);
    runtime.setMaxStackSize(stackLimit);
    runtime.setInterruptHandler(() => {
      if (Date.now() <= this.deadline && !(hostInterruptible && hostInterruptRequested()))
        return false;
      this.interrupted = true;
      return true;
    });
  }

  get alive(): boolean {
    return this.context !== undefined && this.spent === undefined;
  }

  /**
   * QuickJS's own estimate of its heap (JS_ComputeMemoryUsage's memory_used_size). It walks the
   * heap, so it costs about 0.2 ms for a small one; callers ask now and then, not per slice.
   */
  memoryUsed(): number {
    return this.memoryUsage("memory_used_size");
  }

  /**
   * Runs QuickJS's cycle collector. This build exports no call for it: QuickJS collects when the
   * number of allocations passes a threshold (half as many again as were live after the last
   * collection). So this makes small unreachable cycles until a weakly held one of them is
   * gone: the collector has run, and since the cycles made to get there were garbage too, the
   * next threshold is set from the live heap. About half as many objects as the heap holds.
   */
  collectGarbage(): void {
    const context = this.context;
    if (context === undefined || this.spent !== undefined) return;
    const result = context.evalCode(COLLECT_GARBAGE_SCRIPT, "vimp-gc.js");
    if (result.error !== undefined) result.error.dispose();
    else result.value.dispose();
  }

  private memoryUsage(field: "memory_used_size"): number {
    const { runtime, context } = this;
    if (runtime === undefined || context === undefined || this.spent !== undefined) return 0;
    let usage: QuickJSHandle;
    try {
      usage = runtime.computeMemoryUsage();
    } catch (error) {
      // A heap left broken by an earlier failure can trap here: the VM is not to be trusted again.
      throw new Error(
        this.spend({ kind: "crashed", message: `the JavaScript engine failed: ${describe(error)}` })
          .message,
      );
    }
    try {
      const used = context.getProp(usage, field);
      try {
        return context.getNumber(used);
      } finally {
        used.dispose();
      }
    } finally {
      usage.dispose();
    }
  }

  /** At least 16 MiB: the memory starts smaller than the build's, but grows as if it had not (quickjs-instance.ts). */
  memoryReserved(): number {
    return Math.max(this.memory.buffer.byteLength, QUICKJS_MIN_MEMORY_LIMIT);
  }

  extendDeadline(ms: number): void {
    if (Number.isFinite(this.deadline) && ms > 0) this.deadline += ms;
  }

  interrupt(): void {
    this.deadline = -Infinity;
  }

  evaluate(code: string, options: EvaluateOptions = {}): EvaluateResult {
    const context = this.context;
    if (context === undefined)
      return fail({ kind: "crashed", message: "the VM has been disposed" });
    if (this.spent !== undefined) return fail(this.spent);
    const timeoutMs = options.timeoutMs ?? 0;
    this.sliceTimeoutMs = timeoutMs;
    this.deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    this.interrupted = false;
    let result;
    try {
      result = context.evalCode(code, options.filename ?? "eval.js");
    } catch (error) {
      // Not a guest exception: the engine trapped or Node's stack ran out inside it.
      return fail(
        this.spend({
          kind: "crashed",
          message: `the JavaScript engine failed: ${describe(error)}`,
        }),
      );
    } finally {
      this.deadline = Infinity;
    }
    if (result.error === undefined) {
      const value = this.toHost(context, result.value);
      result.value.dispose();
      return { ok: true, value: typeof value === "object" && value !== null ? undefined : value };
    }
    const failure = this.classify(context, result.error);
    result.error.dispose();
    if (failure.kind === "out-of-memory" || failure.kind === "crashed") this.spend(failure);
    return fail(failure);
  }

  dispose(): void {
    const { context, runtime } = this;
    this.context = undefined;
    this.runtime = undefined;
    if (!this.checkLeaks) return; // the instance is private: GC takes it whole
    if (this.spent === undefined) {
      // Strict on purpose: QuickJS aborts here if a handle leaked, and that is a bug to see.
      context?.dispose();
      runtime?.dispose();
      return;
    }
    if (this.spent.kind === "crashed") return; // a trapped instance is not trusted; GC takes it whole
    try {
      context?.dispose();
      runtime?.dispose();
    } catch {
      // A full heap may refuse to free cleanly; the instance is private, so GC takes it whole.
    }
  }

  private spend(failure: VmFailure): VmFailure {
    this.spent = failure;
    return failure;
  }

  /** Answers calls to this VM's host functions directly (QuickJSEngineOptions.directHostCalls). */
  answerHostCallsDirectly(): void {
    const context = this.context!;
    answerHostCallsDirectly(context, (error) => guestError(context, error));
  }

  /** The host functions for `hostCalls`, in its order, bound to this VM. */
  hostFunctions(
    hostCalls: Record<string, HostCall>,
  ): ((...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle })[] {
    const context = this.context!;
    return Object.values(hostCalls).map((call) => {
      // answered by quickjs-host-calls.ts; this function is the library's way, kept as it was
      const fn = (...args: QuickJSHandle[]) => this.callHost(context, call, args);
      (fn as MarkedHostFunction)[HOST_CALL] = call;
      return fn;
    });
  }

  /** Creates the host functions in the guest and defines `__host` from them (a VM not from a snapshot). */
  installHostCalls(hostCalls: Record<string, HostCall>): void {
    const context = this.context!;
    const functions = this.hostFunctions(hostCalls);
    const names = Object.keys(hostCalls);
    const raw = context.newObject();
    try {
      functions.forEach((callback, i) => {
        const name = names[i]!;
        const fn = context.newFunction(name, callback);
        context.setProp(raw, name, fn);
        fn.dispose();
      });
      const install = context.unwrapResult(
        context.evalCode(GUEST_HOST_TABLE_SCRIPT, "vimp-host-table.js"),
      );
      try {
        context.unwrapResult(context.callFunction(install, context.undefined, raw)).dispose();
      } finally {
        install.dispose();
      }
    } finally {
      raw.dispose();
    }
  }

  private callHost(
    context: QuickJSContext,
    call: HostCall,
    args: QuickJSHandle[],
  ): QuickJSHandle | { error: QuickJSHandle } {
    try {
      const hostArgs = args.map((h) => {
        const v = this.toHost(context, h);
        if (typeof v === "object" && v !== null)
          throw new TypeError("host calls take strings, numbers, booleans and null only");
        return v ?? null; // a missing argument arrives as null
      });
      return this.toGuest(context, call(...hostArgs));
    } catch (error) {
      return { error: guestError(context, error) };
    }
  }

  private toHost(context: QuickJSContext, handle: QuickJSHandle): HostValue | undefined | object {
    switch (context.typeof(handle)) {
      case "string":
        return decodeFromGuest(context.getString(handle));
      case "number":
        return context.getNumber(handle);
      case "boolean":
        return context.sameValue(handle, context.true);
      case "undefined":
        return undefined;
      default:
        return context.sameValue(handle, context.null) ? null : {};
    }
  }

  private toGuest(context: QuickJSContext, value: HostValue | void): QuickJSHandle {
    if (value === undefined) return context.undefined;
    if (value === null) return context.null;
    switch (typeof value) {
      case "string":
        return context.newString(encodeForGuest(value));
      case "number":
        return context.newNumber(value);
      case "boolean":
        return value ? context.true : context.false;
      default:
        throw new TypeError("host calls return strings, numbers, booleans, null or nothing");
    }
  }

  /** Turns an uncaught guest exception into a failure, reading it without trusting the heap. */
  private classify(context: QuickJSContext, error: QuickJSHandle): VmFailure {
    // The interrupt cannot be caught by guest code, so any failure after it is the deadline.
    if (this.interrupted)
      return { kind: "deadline", timeoutMs: this.sliceTimeoutMs, message: "interrupted" };
    if (context.typeof(error) !== "object" || context.sameValue(error, context.null)) {
      // QuickJS throws a bare null when it cannot even allocate its "out of memory" error; the
      // failing allocation is often large, so memory stops short of the limit: past halfway is enough
      if (
        context.sameValue(error, context.null) &&
        this.memoryReserved() * 2 > this.memoryLimit + QUICKJS_MIN_MEMORY_LIMIT
      ) {
        return { kind: "out-of-memory", memoryLimit: this.memoryLimit, message: "out of memory" };
      }
      const text = this.readString(context, error);
      return {
        kind: "exception",
        name: "",
        message: text ?? "an exception that could not be read",
        stack: "",
      };
    }
    const name = this.readProperty(context, error, "name");
    const message = this.readProperty(context, error, "message");
    const memoryFull = this.memoryReserved() + WASM_PAGE > this.memoryLimit;
    if (message === "out of memory" || (message === undefined && memoryFull)) {
      return { kind: "out-of-memory", memoryLimit: this.memoryLimit, message: "out of memory" };
    }
    if (name === "InternalError" && message === "stack overflow") {
      return { kind: "stack-overflow", stackLimit: this.stackLimit, message };
    }
    return {
      kind: "exception",
      name: name ?? "",
      message: message ?? "an exception that could not be read",
      stack: this.readProperty(context, error, "stack") ?? "",
    };
  }

  private readProperty(
    context: QuickJSContext,
    handle: QuickJSHandle,
    key: string,
  ): string | undefined {
    try {
      const value = context.getProp(handle, key);
      try {
        return context.typeof(value) === "string"
          ? decodeFromGuest(context.getString(value))
          : undefined;
      } finally {
        value.dispose();
      }
    } catch {
      return undefined;
    }
  }

  /** A thrown primitive (`throw "x"`) as text. */
  private readString(context: QuickJSContext, handle: QuickJSHandle): string | undefined {
    const kind = context.typeof(handle);
    if (kind === "string") return decodeFromGuest(context.getString(handle));
    if (kind === "number" || kind === "boolean") return String(context.dump(handle));
    if (kind === "object") return "null";
    return undefined;
  }
}

function fail(failure: VmFailure): EvaluateResult {
  return { ok: false, failure };
}

/** The guest sees a host failure as an exception it can report like any other. */
function guestError(context: QuickJSContext, error: unknown): QuickJSHandle {
  return context.newError({
    name: error instanceof Error ? error.name : "Error",
    message: describe(error),
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
