// The V8 engine (opt-in: `--engine v8`): each VM is a node:vm context in a worker thread of its
// own, for trusted firmware and speed. V8 runs the translated code 3–19x faster than QuickJS.
//
// Why node:vm in a worker and not isolated-vm: isolated-vm compiles native code at install (a
// compiler toolchain on every user's machine, or prebuilt binaries for a few platforms) and its
// 5.x line is the last for Node 20; node:vm needs nothing installed. node:vm alone is no security
// boundary (a host object or function reachable from the context leaks the host's Function),
// so: the context's global has a null prototype, the guest reaches the host only through
// functions made inside the context that close over one strict worker function, and every value
// crosses as a primitive (v8-worker-scripts.ts). The worker gives the VM a heap of its own
// (resourceLimits), so a memory bomb kills that worker and nothing else.
//
// Limits, as for QuickJS: the deadline is node:vm's timeout (the VM takes the next slice); a full
// heap ends the VM (out-of-memory); an uncaught "Maximum call stack size exceeded" is a stack
// overflow. memoryUsed is the worker's live heap after a collection (~1 ms). Not offered
// (optional in the Engine interface): extendDeadline, interrupt.
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import {
  DEFAULT_MEMORY_LIMIT,
  DEFAULT_STACK_LIMIT,
  MAX_STACK_LIMIT,
  PRELOAD_TIMEOUT_MS,
  PreloadError,
  preloadLayers,
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
  DEATH,
  DIED_OUT_OF_MEMORY,
  GUEST_SCRIPT,
  MONITOR_SCRIPT,
  SIGNAL_TO_GUEST,
  SIGNAL_TO_HOST,
} from "./v8-worker-scripts.ts";

/** The process's lock on V8's flags while a guest worker starts (v8-worker-scripts.ts): one for every engine. */
const FLAG_LOCK = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** Below this V8 cannot even start a worker's heap with the runtime in it. */
export const V8_MIN_MEMORY_LIMIT = 16 * 1024 * 1024;
const MB = 1024 * 1024;

type GuestMessage =
  | { t: "call"; index: number; args: HostValue[] }
  | { t: "memory"; used: number }
  | { t: "done"; ok: true; value: HostValue | undefined }
  | { t: "done"; ok: false; kind: "deadline" }
  | { t: "done"; ok: false; kind: "exception"; name: string; message: string; stack: string };

export function createV8Engine(): Engine {
  let monitor: Worker | undefined;
  let nextId = 1;
  const spawning = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  function theMonitor(): Worker {
    if (monitor !== undefined) return monitor;
    const created = new Worker(MONITOR_SCRIPT, { eval: true });
    created.on("message", (message: { t: string; id: number; message?: string }) => {
      const waiting = spawning.get(message.id);
      if (waiting === undefined) return;
      spawning.delete(message.id);
      if (spawning.size === 0) created.unref();
      if (message.t === "spawned") waiting.resolve();
      else waiting.reject(new Error(`the V8 worker failed to start: ${message.message}`));
    });
    created.on("error", (error) => {
      for (const waiting of spawning.values()) waiting.reject(error);
      spawning.clear();
      monitor = undefined;
    });
    // Referenced only while a VM is being started: the guests never keep the process alive.
    created.unref();
    monitor = created;
    return created;
  }

  return {
    name: "v8",
    startsInBackground: true,
    async createVm(options: VmOptions = {}): Promise<Vm> {
      const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
      const stackLimit = options.stackLimit ?? DEFAULT_STACK_LIMIT;
      if (!Number.isFinite(memoryLimit) || memoryLimit < V8_MIN_MEMORY_LIMIT) {
        throw new RangeError(
          `memory limit ${memoryLimit} is out of range: the V8 engine needs at least ${V8_MIN_MEMORY_LIMIT} bytes`,
        );
      }
      if (!Number.isInteger(stackLimit) || stackLimit < 16 * 1024 || stackLimit > MAX_STACK_LIMIT) {
        throw new RangeError(
          `stack limit ${stackLimit} is out of range: it must be between 16384 and ${MAX_STACK_LIMIT} bytes`,
        );
      }
      const hostCalls = options.hostCalls ?? {};
      const words = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
      const { port1, port2 } = new MessageChannel();
      // Read synchronously, never by an event: they must not keep the process alive.
      port1.unref();
      // Why the worker died, from the monitor (which sees its 'error' event).
      const deaths = new MessageChannel();
      deaths.port1.unref();
      const id = nextId++;
      const started = new Promise<void>((resolve, reject) => spawning.set(id, { resolve, reject }));
      const parent = theMonitor();
      parent.ref();
      parent.postMessage(
        {
          t: "spawn",
          id,
          port: port2,
          deaths: deaths.port2,
          words,
          flagLock: FLAG_LOCK,
          hostCallNames: Object.keys(hostCalls),
          script: GUEST_SCRIPT,
          // V8's stack is counted in its own frames, larger than QuickJS's: 4x the byte limit
          // gives recursion about as deep as the QuickJS engine allows.
          resourceLimits: {
            maxOldGenerationSizeMb: Math.max(8, Math.floor(memoryLimit / MB)),
            maxYoungGenerationSizeMb: 4,
            stackSizeMb: Math.max(1, (4 * stackLimit) / MB),
          },
        },
        [port2, deaths.port2],
      );
      await started;
      const vm = new V8Vm(
        id,
        port1,
        deaths.port1,
        words,
        Object.values(hostCalls),
        memoryLimit,
        stackLimit,
        () => theMonitor().postMessage({ t: "kill", id }),
      );
      for (const layer of preloadLayers(options.preload)) {
        const loaded = vm.evaluate(layer.code, {
          filename: layer.filename,
          timeoutMs: PRELOAD_TIMEOUT_MS,
        });
        if (!loaded.ok) {
          vm.dispose();
          throw new PreloadError(loaded.failure);
        }
      }
      return vm;
    },
  };
}

class V8Vm implements Vm {
  private spent: VmFailure | undefined;
  private disposed = false;

  constructor(
    readonly id: number,
    private readonly port: MessagePort,
    private readonly deaths: MessagePort,
    private readonly words: Int32Array,
    private readonly calls: HostCall[],
    private readonly memoryLimit: number,
    private readonly stackLimit: number,
    private readonly kill: () => void,
  ) {}

  get alive(): boolean {
    return !this.disposed && this.spent === undefined;
  }

  evaluate(code: string, options: EvaluateOptions = {}): EvaluateResult {
    if (this.disposed)
      return { ok: false, failure: { kind: "crashed", message: "the VM has been disposed" } };
    if (this.spent !== undefined) return { ok: false, failure: this.spent };
    const timeoutMs = options.timeoutMs ?? 0;
    this.send({ t: "eval", code, filename: options.filename ?? "eval.js", timeoutMs });
    for (;;) {
      const message = this.receive();
      if (message === undefined) {
        const failure: VmFailure =
          Atomics.load(this.words, DEATH) === DIED_OUT_OF_MEMORY
            ? { kind: "out-of-memory", memoryLimit: this.memoryLimit, message: "out of memory" }
            : { kind: "crashed", message: this.deathMessage() };
        this.spent = failure;
        return { ok: false, failure };
      }
      if (message.t === "call") {
        this.answer(message.index, message.args);
        continue;
      }
      if (message.t === "memory") continue;
      if (message.ok) return { ok: true, value: message.value };
      if (message.kind === "deadline")
        return { ok: false, failure: { kind: "deadline", timeoutMs, message: "interrupted" } };
      if (message.name === "RangeError" && message.message === "Maximum call stack size exceeded") {
        return {
          ok: false,
          failure: {
            kind: "stack-overflow",
            stackLimit: this.stackLimit,
            message: "stack overflow",
          },
        };
      }
      return {
        ok: false,
        failure: {
          kind: "exception",
          name: message.name,
          message: message.message,
          stack: message.stack,
        },
      };
    }
  }

  /** The worker's live heap after a garbage collection (it holds the runtime and the firmware, as a QuickJS heap does). */
  memoryUsed(): number {
    if (this.disposed || this.spent !== undefined) return 0;
    this.send({ t: "memory" });
    for (;;) {
      const message = this.receive();
      if (message === undefined) throw new Error(this.deathMessage());
      if (message.t === "memory") return message.used;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kill();
    this.port.close();
    this.deaths.close();
  }

  private deathMessage(): string {
    const reason = receiveMessageOnPort(this.deaths)?.message as string | undefined;
    return reason === undefined ? "the V8 worker stopped" : `the V8 worker stopped: ${reason}`;
  }

  private answer(index: number, args: HostValue[]): void {
    try {
      const value = this.calls[index]!(...args);
      if (
        value !== undefined &&
        value !== null &&
        typeof value !== "string" &&
        typeof value !== "number" &&
        typeof value !== "boolean"
      ) {
        throw new TypeError("host calls return strings, numbers, booleans, null or nothing");
      }
      this.send({ t: "ret", value });
    } catch (error) {
      this.send({
        t: "err",
        name: error instanceof Error ? error.name : "Error",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private send(message: unknown): void {
    this.port.postMessage(message);
    Atomics.add(this.words, SIGNAL_TO_GUEST, 1);
    Atomics.notify(this.words, SIGNAL_TO_GUEST);
  }

  /** The guest's next message, or undefined once it has died. */
  private receive(): GuestMessage | undefined {
    for (;;) {
      const seen = Atomics.load(this.words, SIGNAL_TO_HOST);
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) return got.message as GuestMessage;
      if (Atomics.load(this.words, DEATH) !== 0) return undefined;
      Atomics.wait(this.words, SIGNAL_TO_HOST, seen);
    }
  }
}
