// Memory snapshots of QuickJS VMs, so a VM starts with its runtime bundle already loaded.
//
// Parsing the device runtime costs a fresh VM ~20 ms; copying the state it leaves costs ~1 ms.
// A template VM loads the bundle once; each new VM is then a fresh instance of the same compiled
// WebAssembly module whose linear memory is overwritten with the template's, so the QuickJS
// runtime and context live at the same addresses. What lives outside linear memory is rebuilt:
// the only mutable WebAssembly global is the stack pointer, back at its start between calls;
// the host functions are host references (ids into a JS-side table), registered again in the
// same order so they get the same ids; the interrupt handler and limits are set again.
//
// This leans on quickjs-emscripten internals (QuickJSRuntime's constructor, `hostRefs`, the
// module's `ffi` and `callbacks`, ContextOptions.contextPointer). package.json pins the version
// exactly; test/sandbox/quickjs-snapshot.test.ts fails if any of them moves.
import {
  Lifetime,
  QuickJSRuntime,
  type QuickJSContext,
  type QuickJSWASMModule,
} from "quickjs-emscripten";

/** One stretch of linear memory where the template differs from a freshly started instance. */
interface Chunk {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** Everything a clone needs from its template; the template instance itself is let go. */
export interface Snapshot {
  /** WebAssembly pages the template's memory had grown to: a clone starts with as many. */
  readonly pages: number;
  readonly chunks: readonly Chunk[];
  readonly runtimePointer: number;
  readonly contextPointer: number;
  /** The host reference ids of the host functions, in the order they were registered. */
  readonly hostRefIds: readonly number[];
  /** Where the context's Math.random state lives (JSContext.random_state). */
  readonly randomStateAddress: number;
}

/** The internals relied on, typed. */
interface ModuleInternals {
  module: unknown;
  ffi: { QTS_FreeRuntime(rt: number): void };
  callbacks: { deleteRuntime(rt: number): void };
}
interface RuntimeInternals {
  rt: Lifetime<number>;
  hostRefs: { put(value: object): number };
  module: { _malloc(size: number): number; _free(pointer: number): void };
}
interface ContextInternals {
  ctx: Lifetime<number>;
}

const WASM_PAGE = 64 * 1024;
/** Compared and copied in OS pages, so memory the template never touched stays untouched (and unresident) in clones. */
const COMPARE_BLOCK = 4096;

export function runtimePointer(runtime: QuickJSRuntime): number {
  return (runtime as unknown as RuntimeInternals).rt.value;
}

export function contextPointer(context: QuickJSContext): number {
  return (context as unknown as ContextInternals).ctx.value;
}

/**
 * Runs `register` while recording the host reference ids the runtime hands out, in order: the
 * template's host functions, which clones must get back under the same ids.
 */
export function recordHostRefs(runtime: QuickJSRuntime, register: () => void): number[] {
  const refs = (runtime as unknown as RuntimeInternals).hostRefs;
  const put = refs.put;
  const ids: number[] = [];
  refs.put = (value) => {
    const id = put.call(refs, value);
    ids.push(id);
    return id;
  };
  try {
    register();
  } finally {
    refs.put = put;
  }
  return ids;
}

/**
 * Finds JSContext.random_state: the 64-bit word of the context that `advance` (one Math.random()
 * in the guest) moves by exactly one xorshift64* step. Throws if there is none, which would
 * mean the QuickJS build changed.
 */
export function findRandomState(
  memory: WebAssembly.Memory,
  context: QuickJSContext,
  advance: () => void,
): number {
  const base = contextPointer(context);
  const span = 4096;
  const before = new DataView(memory.buffer.slice(base, base + span));
  advance();
  const after = new DataView(memory.buffer, base, span);
  for (let at = 0; at + 8 <= span; at += 4) {
    const old = before.getBigUint64(at, true);
    if (old !== 0n && xorshift64(old) === after.getBigUint64(at, true)) return base + at;
  }
  throw new Error(
    "cannot find QuickJS's Math.random state in the context: the quickjs-emscripten build has changed",
  );
}

function xorshift64(state: bigint): bigint {
  const mask = (1n << 64n) - 1n;
  let x = state;
  x ^= x >> 12n;
  x = (x ^ (x << 25n)) & mask;
  x ^= x >> 27n;
  return x;
}

/**
 * Zeroes what the template's allocator holds free. Loading a preload leaves garbage in freed
 * blocks (the script's text, the parser's buffers), which clones would otherwise copy, page by
 * page. Every free block big enough is taken with malloc, zeroed and given back, so the heap is
 * the same but for what no live block holds; nothing else of the allocator is assumed.
 * Blocks are taken largest first, and only below the highest page in use: a block reaching past
 * it comes from the untouched top of the heap, and the allocator's mark left there when it
 * carved the block is zeroed once it is given back (it is free memory again). A block is kept
 * small enough that taking it should not grow the memory; if it did, clones would only start
 * with more pages.
 */
export function clearFreeHeap(runtime: QuickJSRuntime, memory: WebAssembly.Memory): void {
  const { _malloc: malloc, _free: free } = (runtime as unknown as RuntimeInternals).module;
  const size = memory.buffer.byteLength;
  const zero = new Uint8Array(COMPARE_BLOCK);
  let inUse = size;
  while (
    inUse > 0 &&
    Buffer.compare(new Uint8Array(memory.buffer, inUse - COMPARE_BLOCK, COMPARE_BLOCK), zero) === 0
  )
    inUse -= COMPARE_BLOCK;
  // Taking a block the top cannot hold moves the heap's end up by at most the block and a few
  // 64 KiB allocation units; blocks stay well within what the memory has beyond what is in use.
  const room = size - inUse - 4 * WASM_PAGE;
  const taken: number[] = [];
  for (let block = 1024 * 1024; block >= 16; block /= 2) {
    if (block > room) continue;
    for (;;) {
      const at = malloc(block);
      if (at === 0) break;
      if (at + block > inUse) {
        free(at);
        // The top's new header went just past the block (a chunk's size word, 8 bytes in).
        const end = Math.min(at + block + 8, memory.buffer.byteLength);
        new Uint8Array(memory.buffer).fill(0, at, end);
        break;
      }
      new Uint8Array(memory.buffer, at, block).fill(0);
      taken.push(at);
    }
  }
  for (const at of taken) free(at);
}

/** The template's state, as the stretches where it differs from `fresh`, an instance just started. */
export function takeSnapshot(
  template: {
    memory: WebAssembly.Memory;
    runtime: QuickJSRuntime;
    context: QuickJSContext;
    hostRefIds: number[];
    randomStateAddress: number;
  },
  fresh: WebAssembly.Memory,
): Snapshot {
  clearFreeHeap(template.runtime, template.memory);
  const now = new Uint8Array(template.memory.buffer);
  const start = new Uint8Array(fresh.buffer);
  const chunks: Chunk[] = [];
  let runStart = -1;
  const flush = (end: number) => {
    if (runStart >= 0) chunks.push({ offset: runStart, bytes: now.slice(runStart, end) });
    runStart = -1;
  };
  for (let at = 0; at < now.length; at += COMPARE_BLOCK) {
    const end = Math.min(at + COMPARE_BLOCK, now.length);
    const a = now.subarray(at, end);
    const same = end <= start.length && Buffer.compare(a, start.subarray(at, end)) === 0;
    if (same) flush(at);
    else if (runStart < 0) runStart = at;
  }
  flush(now.length);
  return {
    pages: now.length / WASM_PAGE,
    chunks,
    runtimePointer: runtimePointer(template.runtime),
    contextPointer: contextPointer(template.context),
    hostRefIds: template.hostRefIds,
    randomStateAddress: template.randomStateAddress,
  };
}

/** Bytes of the template's state a clone copies. */
export function snapshotBytes(snapshot: Snapshot): number {
  return snapshot.chunks.reduce((sum, c) => sum + c.bytes.length, 0);
}

/** Seeds drawn a batch at a time: one draw per VM was a tenth of a millisecond. */
const seeds = new BigUint64Array(64);
let seedsLeft = 0;

/** A new random seed for a clone's Math.random: never 0, which xorshift64* cannot leave. */
function newSeed(): bigint {
  for (;;) {
    if (seedsLeft === 0) {
      crypto.getRandomValues(seeds);
      seedsLeft = seeds.length;
    }
    const seed = seeds[--seedsLeft]!;
    if (seed !== 0n) return seed;
  }
}

/**
 * Makes `module` (a fresh instance whose `memory` has `snapshot.pages` pages) a copy of the
 * template: its memory overwritten, its runtime and context wrapped at the template's addresses,
 * Math.random reseeded. The caller registers the host functions again (registerHostFunctions).
 */
export function restoreSnapshot(
  snapshot: Snapshot,
  module: QuickJSWASMModule,
  memory: WebAssembly.Memory,
): { runtime: QuickJSRuntime; context: QuickJSContext } {
  const bytes = new Uint8Array(memory.buffer);
  for (const chunk of snapshot.chunks) bytes.set(chunk.bytes, chunk.offset);
  // Each clone would otherwise repeat the template's random sequence.
  new DataView(memory.buffer).setBigUint64(snapshot.randomStateAddress, newSeed(), true);

  const internals = module as unknown as ModuleInternals;
  const { ffi, callbacks } = internals;
  const rt = new Lifetime(snapshot.runtimePointer, undefined, (pointer: number) => {
    ffi.QTS_FreeRuntime(pointer);
    callbacks.deleteRuntime(pointer);
  });
  const runtime = new QuickJSRuntime({
    module: internals.module,
    ffi: internals.ffi,
    callbacks: internals.callbacks,
    rt,
  } as unknown as ConstructorParameters<typeof QuickJSRuntime>[0]);
  const context = runtime.newContext({ contextPointer: snapshot.contextPointer as never });
  return { runtime, context };
}

/** Registers the clone's host functions in the template's order; they must get the template's ids. */
export function registerHostFunctions(
  snapshot: Snapshot,
  runtime: QuickJSRuntime,
  functions: readonly object[],
): void {
  if (functions.length !== snapshot.hostRefIds.length) {
    throw new Error(
      `the snapshot has ${snapshot.hostRefIds.length} host functions, the VM ${functions.length}`,
    );
  }
  const refs = (runtime as unknown as RuntimeInternals).hostRefs;
  functions.forEach((fn, i) => {
    const id = refs.put(fn);
    if (id !== snapshot.hostRefIds[i])
      throw new Error(
        `host function ${i} got reference ${id}, not the template's ${snapshot.hostRefIds[i]}`,
      );
  });
}
