// One QuickJS WebAssembly instance, for one VM: made directly from the parts of
// quickjs-emscripten's synchronous release build (its Emscripten module factory, its FFI and the
// compiled .wasm), instantiated synchronously.
//
// quickjs-emscripten's own path (newQuickJSWASMModule(newVariant(...))) re-imports the build's
// modules and instantiates asynchronously for every VM: about 1 ms of a ~6 ms device boot went
// to its awaits. Like the snapshot (quickjs-snapshot.ts), this leans on the pinned version's
// internals: the FFI class, the factory's `instantiateWasm` hook, its heap-resize import and
// QuickJSWASMModule's constructor. test/sandbox/quickjs-snapshot.test.ts checks the pin.
//
// A smaller start. The build declares that its memory starts at 16 MiB (INITIAL_MEMORY), yet
// needs only its static data and its 5 MiB stack (~5.1 MiB) before its heap, and a VM from a
// snapshot holds ~1.5 MiB of heap. V8 counts every byte of a WebAssembly memory as external
// memory the moment it is made, and a scavenge (and, as it adds up, a full collection) follows
// every few tens of megabytes of it: a thousand 16 MiB memories cost seconds of garbage
// collection. So the module's memory import is rewritten, in memory, to ask for no more than the
// stack and static data need, and each memory starts with what its VM needs.
//
// The memory limit is not to notice. Below 16 MiB the memory grows as Emscripten grows it, but
// never past 16 MiB while the request fits there; a request that does not fit grows it as the
// build would have from 16 MiB. So from 16 MiB on, a VM's memory takes exactly the sizes it took
// when it started at 16 MiB, and fails where that one failed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { QuickJSWASMModule } from "quickjs-emscripten";

/** The Emscripten module object the factory resolves to (what QuickJSFFI wraps). */
type EmscriptenModule = Record<string, unknown> & { type?: string };

interface EmscriptenModuleArg {
  wasmMemory: WebAssembly.Memory;
  instantiateWasm(
    imports: WebAssembly.Imports,
    onSuccess: (instance: WebAssembly.Instance) => void,
  ): WebAssembly.Exports;
}

interface BuildParts {
  readonly wasm: WebAssembly.Module;
  readonly factory: (arg: EmscriptenModuleArg) => Promise<EmscriptenModule> | EmscriptenModule;
  readonly Ffi: new (module: EmscriptenModule) => unknown;
  /** The pages the build's memory import asked for (its INITIAL_MEMORY). */
  readonly buildPages: number;
  /** The pages its static data and stack take: the least a memory can start with. */
  readonly leastPages: number;
}

const BUILD = "@jitl/quickjs-wasmfile-release-sync";
export const WASM_PAGE = 64 * 1024;
let parts: BuildParts | undefined;

/** Read and compiled once per process; resolved through quickjs-emscripten, whose dependency the build is. */
function buildParts(): BuildParts {
  if (parts === undefined) {
    const fromQuickjs = createRequire(createRequire(import.meta.url).resolve("quickjs-emscripten"));
    const bytes = readFileSync(fromQuickjs.resolve(`${BUILD}/wasm`));
    const layout = readLayout(bytes);
    const leastPages = Math.ceil(layout.staticEnd / WASM_PAGE);
    const wasm = new WebAssembly.Module(withMemoryMinimum(bytes, layout, leastPages));
    const factory = fromQuickjs(`${BUILD}/emscripten-module`) as BuildParts["factory"];
    const { QuickJSFFI } = fromQuickjs(`${BUILD}/ffi`) as { QuickJSFFI: BuildParts["Ffi"] };
    parts = { wasm, factory, Ffi: QuickJSFFI, buildPages: layout.memoryMinimum, leastPages };
  }
  return parts;
}

/** Pages the build's memory starts with as it was built: 16 MiB. */
export function quickjsBuildPages(): number {
  return buildParts().buildPages;
}

/** The fewest pages a QuickJS memory can start with: the build's static data and stack. */
export function quickjsLeastPages(): number {
  return buildParts().leastPages;
}

/** A new instance of QuickJS whose linear memory is `memory`. */
export async function newQuickJSInstance(memory: WebAssembly.Memory): Promise<QuickJSWASMModule> {
  const { wasm, factory, Ffi, buildPages } = buildParts();
  const module = await factory({
    wasmMemory: memory,
    instantiateWasm(imports, onSuccess) {
      growAsFromBuildStart(memory, imports, buildPages);
      const instance = new WebAssembly.Instance(wasm, imports);
      onSuccess(instance);
      return instance.exports;
    },
  });
  module.type = "sync";
  const Module = QuickJSWASMModule as unknown as new (
    module: EmscriptenModule,
    ffi: unknown,
  ) => QuickJSWASMModule;
  return new Module(module, new Ffi(module));
}

/**
 * Makes `memory` below `buildPages` grow as described at the top: Emscripten's heap-resize import
 * (the one import that grows the memory) is wrapped to note the size asked for, and the memory's
 * own `grow`, which only that import calls, decides the size from it.
 */
function growAsFromBuildStart(
  memory: WebAssembly.Memory,
  imports: WebAssembly.Imports,
  buildPages: number,
): void {
  const resizers = Object.values(imports).flatMap((names) =>
    Object.entries(names).filter(
      ([, value]) => typeof value === "function" && String(value).includes(".grow("),
    ),
  );
  if (resizers.length !== 1) {
    throw new Error(
      `expected one import of the QuickJS build to grow its memory, found ${resizers.length}: the build has changed`,
    );
  }
  const [name, resize] = resizers[0]! as [string, (requested: number) => unknown];
  const owner = Object.values(imports).find((names) => names[name] === resize)!;
  let requested: number | undefined;
  owner[name] = (size: number) => {
    requested = size >>> 0;
    try {
      return resize(size);
    } finally {
      requested = undefined;
    }
  };
  const grow = WebAssembly.Memory.prototype.grow;
  Object.defineProperty(memory, "grow", {
    value(delta: number): number {
      const pages = memory.buffer.byteLength / WASM_PAGE;
      if (pages >= buildPages || requested === undefined) return grow.call(memory, delta);
      if (requested <= buildPages * WASM_PAGE)
        return grow.call(memory, Math.min(pages + delta, buildPages) - pages);
      let refused: unknown;
      for (const target of growthFromBuildStart(requested, buildPages)) {
        try {
          return grow.call(memory, target - pages);
        } catch (error) {
          refused = error; // past the maximum: Emscripten tries the next, smaller step
        }
      }
      throw refused;
    },
  });
}

/**
 * The sizes, in pages and in the order tried, that Emscripten's emscripten_resize_heap (in the
 * pinned build's module) tries to grow a memory of `buildPages` pages to, for a heap of
 * `requested` bytes: 20%, 10% and 5% more, or as much as asked if that is more.
 */
export function growthFromBuildStart(requested: number, buildPages: number): number[] {
  const MAX_HEAP = 2147483648;
  if (requested > MAX_HEAP) return [];
  const current = buildPages * WASM_PAGE;
  const sizes: number[] = [];
  for (let step = 1; step <= 4; step *= 2) {
    const overGrown = Math.min(current * (1 + 0.2 / step), requested + 100663296);
    const bytes = Math.min(
      MAX_HEAP,
      WASM_PAGE * Math.ceil(Math.max(requested, overGrown) / WASM_PAGE),
    );
    sizes.push(bytes / WASM_PAGE);
  }
  return sizes;
}

interface Layout {
  /** Where the memory import's minimum starts in the module, and its encoded length. */
  readonly minimumAt: number;
  readonly minimumLength: number;
  /** Where the import section's size starts, its encoded length, and the size. */
  readonly sectionSizeAt: number;
  readonly sectionSizeLength: number;
  readonly sectionSize: number;
  readonly memoryMinimum: number;
  /** The end of the static data and of the stack (the stack pointer's start), whichever is higher. */
  readonly staticEnd: number;
}

/** Where the memory import's minimum is, and what the static data and stack take. */
function readLayout(bytes: Uint8Array): Layout {
  let at = 8; // magic and version
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const s32 = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  };
  const skipName = () => {
    const length = u32();
    at += length;
  };
  /** A constant expression: its value if it is a lone i32.const, else undefined. */
  const constant = (): number | undefined => {
    const op = bytes[at++];
    const value = op === 0x41 ? s32() : undefined;
    if (op !== 0x41) while (bytes[at] !== 0x0b) at++; // not one this needs: skipped
    at++; // end
    return value;
  };
  let memory: Pick<Layout, "minimumAt" | "minimumLength" | "memoryMinimum"> | undefined;
  let section: Pick<Layout, "sectionSizeAt" | "sectionSizeLength" | "sectionSize"> | undefined;
  let stackStart = 0;
  let dataEnd = 0;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const sizeAt = at;
    const size = u32();
    const start = at;
    if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        skipName();
        skipName();
        const kind = bytes[at++];
        if (kind === 2) {
          const flags = bytes[at++]!;
          const minimumAt = at;
          const memoryMinimum = u32();
          memory = { minimumAt, minimumLength: at - minimumAt, memoryMinimum };
          section = { sectionSizeAt: sizeAt, sectionSizeLength: start - sizeAt, sectionSize: size };
          if (flags & 1) u32();
        } else if (kind === 0) u32();
        else if (kind === 1) {
          at++;
          if (bytes[at++]! & 1) u32();
          u32();
        } else if (kind === 3) at += 2;
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 6) {
      for (let n = u32(); n > 0; n--) {
        const type = bytes[at++];
        const mutable = bytes[at++] === 1;
        const value = constant();
        // The stack pointer: the one mutable i32 global (quickjs-snapshot.ts leans on that too).
        if (type === 0x7f && mutable && value !== undefined)
          stackStart = Math.max(stackStart, value >>> 0);
      }
    } else if (id === 11) {
      for (let n = u32(); n > 0; n--) {
        const flags = u32();
        if (flags === 2) u32(); // memory index
        const offset = flags === 1 ? undefined : constant();
        const length = u32();
        if (offset !== undefined) dataEnd = Math.max(dataEnd, (offset >>> 0) + length);
        at += length;
      }
    }
    at = start + size;
  }
  if (memory === undefined || section === undefined || stackStart === 0) {
    throw new Error(
      "the QuickJS build's memory import or stack pointer was not found: the build has changed",
    );
  }
  return { ...memory, ...section, staticEnd: Math.max(stackStart, dataEnd) };
}

/** `bytes` with the memory import's minimum set to `pages`, the import section's size redone. */
function withMemoryMinimum(
  bytes: Uint8Array,
  layout: Layout,
  pages: number,
): Uint8Array<ArrayBuffer> {
  const minimum = leb128(pages);
  const sectionSize = leb128(layout.sectionSize - layout.minimumLength + minimum.length);
  const sectionStart = layout.sectionSizeAt + layout.sectionSizeLength;
  return Buffer.concat([
    bytes.subarray(0, layout.sectionSizeAt),
    sectionSize,
    bytes.subarray(sectionStart, layout.minimumAt),
    minimum,
    bytes.subarray(layout.minimumAt + layout.minimumLength),
  ]);
}

function leb128(value: number): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}
