// A VM with a runtime bundle loaded and, optionally, compiled Squirrel on top: what a device's VM
// (src/device/host/device-vm.ts) and an agent's (src/agent/host/agent-vm.ts) both start as.
import {
  PreloadError,
  type Engine,
  type HostCall,
  type HostValue,
  type Preload,
  type Vm,
  type VmFailure,
} from "./engine.ts";

/** A failure's text: "Name: message" for an exception, the message otherwise. */
export function describeFailure(failure: VmFailure): string {
  return failure.kind === "exception" && failure.name
    ? `${failure.name}: ${failure.message}`
    : failure.message;
}

/** The table the sandbox installs as `__host`: each named call handed to `calls`' own method. */
export function hostCallTable<T extends object>(
  names: readonly (keyof T & string)[],
  calls: T,
): Record<string, HostCall> {
  const table: Record<string, HostCall> = {};
  for (const name of names) {
    const fn = calls[name] as (...args: HostValue[]) => HostValue | void;
    table[name] = (...args) => fn.apply(calls, args);
  }
  return table;
}

/** The script that loads compiled code (compile(source, file).js) into `globalThis[name]` without running it. */
export function codeLoadScript(name: string, js: string): string {
  return `globalThis.${name} = (${js}\n)`;
}

export interface RuntimeVmOptions {
  readonly engine: Engine;
  readonly memoryLimit: number;
  readonly hostCalls: Record<string, HostCall>;
  readonly bundle: Preload;
  /** What the bundle is, for errors: "device runtime", "agent runtime". */
  readonly runtimeName: string;
  /** The global the bundle defines (an object), checked once the VM is up. */
  readonly entry: string;
  /**
   * Compiled code to load on top of the bundle into `globalThis[code.global]`: the engine then
   * starts the VM from its snapshot with both loaded. Code that fails to load that way is left
   * out (`preloaded` null), for the caller's own loading to report as it always has.
   */
  readonly code?: { readonly js: string; readonly file: string; readonly global: string };
}

/**
 * Creates the VM. `preloaded` is the compiled code it was created with already loaded, or null.
 * Rejects with "internal error: the <runtime> did not load: …" when the bundle fails.
 */
export async function createRuntimeVm(
  options: RuntimeVmOptions,
): Promise<{ vm: Vm; preloaded: string | null }> {
  const { bundle, code } = options;
  const create = (preload: Preload | readonly Preload[]) =>
    options.engine.createVm({
      memoryLimit: options.memoryLimit,
      hostCalls: options.hostCalls,
      preload,
    });
  const didNotLoad = (why: string) =>
    new Error(`internal error: the ${options.runtimeName} did not load: ${why}`);
  let vm: Vm | undefined;
  let preloaded: string | null = null;
  if (code !== undefined) {
    try {
      vm = await create([
        bundle,
        { code: codeLoadScript(code.global, code.js), filename: code.file },
      ]);
      preloaded = code.js;
    } catch (error) {
      if (!(error instanceof PreloadError)) throw error;
    }
  }
  try {
    vm ??= await create(bundle);
  } catch (error) {
    if (error instanceof PreloadError) throw didNotLoad(error.message);
    throw error;
  }
  const loaded = vm.evaluate(`typeof globalThis.${options.entry} === "object"`);
  if (!loaded.ok || loaded.value !== true) {
    vm.dispose();
    throw didNotLoad(
      loaded.ok ? `it did not define ${options.entry}` : describeFailure(loaded.failure),
    );
  }
  return { vm, preloaded };
}
