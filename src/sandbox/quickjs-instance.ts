// One QuickJS WebAssembly instance, for one VM: made directly from the parts of
// quickjs-emscripten's synchronous release build (its Emscripten module factory, its FFI and the
// compiled .wasm), instantiated synchronously.
//
// quickjs-emscripten's own path (newQuickJSWASMModule(newVariant(...))) re-imports the build's
// modules and instantiates asynchronously for every VM: about 1 ms of a ~6 ms device boot went
// to its awaits. Like the snapshot (quickjs-snapshot.ts), this leans on the pinned version's
// internals: the FFI class, the factory's `instantiateWasm` hook and QuickJSWASMModule's
// constructor. test/sandbox/quickjs-snapshot.test.ts checks the pin.
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
}

const BUILD = "@jitl/quickjs-wasmfile-release-sync";
let parts: BuildParts | undefined;

/** Read and compiled once per process; resolved through quickjs-emscripten, whose dependency the build is. */
function buildParts(): BuildParts {
  if (parts === undefined) {
    const fromQuickjs = createRequire(createRequire(import.meta.url).resolve("quickjs-emscripten"));
    const wasm = new WebAssembly.Module(readFileSync(fromQuickjs.resolve(`${BUILD}/wasm`)));
    const factory = fromQuickjs(`${BUILD}/emscripten-module`) as BuildParts["factory"];
    const { QuickJSFFI } = fromQuickjs(`${BUILD}/ffi`) as { QuickJSFFI: BuildParts["Ffi"] };
    parts = { wasm, factory, Ffi: QuickJSFFI };
  }
  return parts;
}

/** A new instance of QuickJS whose linear memory is `memory`. */
export async function newQuickJSInstance(memory: WebAssembly.Memory): Promise<QuickJSWASMModule> {
  const { wasm, factory, Ffi } = buildParts();
  const module = await factory({
    wasmMemory: memory,
    instantiateWasm(imports, onSuccess) {
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
