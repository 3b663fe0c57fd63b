// Running one Squirrel program the way the reference `sq` does: translate it, start a fresh VM with
// the runtime loaded, run main, and report every way it can end with a message and an exit status.
import createDebug from "debug";
import { compile } from "../squirrel/index.ts";
import { CompileError } from "../squirrel/compile-error.ts";
import { PreloadError, type Engine, type HostCall, type VmFailure } from "./engine.ts";
import { ExitStatus } from "./exit-status.ts";
import { defaultQuickJSEngine } from "./quickjs-engine.ts";
import { loadBundle, RUNTIME_BUNDLE_FILENAME, type RuntimeBundle } from "./runtime-bundle.ts";

const debug = createDebug("vimp:sandbox");

/** Where a run ended. */
export type RunOutcome =
  /** main returned or threw; `status` is what the runtime reported (0, 1, or main's integer). */
  "finished" | "compile-error" | "deadline" | "out-of-memory" | "stack-overflow" | "internal-error";

export interface RunSquirrelOptions {
  /** The file name used in error messages and call stacks (default "main.nut"). */
  file?: string;
  /** Receives what the program prints, as a byte string (default: process.stdout). */
  stdout?: (bytes: string) => void;
  /** Receives error reports, as a byte string (default: process.stderr). */
  stderr?: (bytes: string) => void;
  /** Most memory the VM may hold, in bytes (default 256 MiB, at least 16 MiB). */
  memoryLimit?: number;
  /** Wall-clock budget of the whole run in ms; 0 means none (default 60 000). */
  timeoutMs?: number;
  /** The engine to run in (default: QuickJS). */
  engine?: Engine;
}

export interface RunSquirrelResult {
  status: number;
  outcome: RunOutcome;
  /**
   * Milliseconds spent translating, starting the VM with its runtime (on an engine that starts
   * VMs in the background, only what translating did not overlap), and running main.
   */
  timings: { compileMs: number; startMs: number; runMs: number };
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs `source` (a byte string: the file read as latin1). Never throws for anything the
 * program does; the returned status says how it ended and stderr says why. Throws a
 * RangeError for a memory limit the engine cannot honour.
 */
export async function runSquirrel(
  source: string,
  options: RunSquirrelOptions = {},
): Promise<RunSquirrelResult> {
  const file = options.file ?? "main.nut";
  /** Inside Squirrel everything is bytes, so the (text) file name goes in as its UTF-8 bytes. */
  const fileBytes = Buffer.from(file, "utf8").toString("latin1");
  const stdout =
    options.stdout ?? ((bytes: string) => process.stdout.write(Buffer.from(bytes, "latin1")));
  const stderr =
    options.stderr ?? ((bytes: string) => process.stderr.write(Buffer.from(bytes, "latin1")));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timings = { compileMs: 0, startMs: 0, runMs: 0 };
  /** Host-made messages are text; the sinks take bytes. */
  const report = (text: string) => stderr(Buffer.from(`${text}\n`, "utf8").toString("latin1"));
  const end = (outcome: RunOutcome, status: number): RunSquirrelResult => ({
    status,
    outcome,
    timings,
  });

  let bundle: RuntimeBundle;
  try {
    bundle = loadBundle("runtime.js", RUNTIME_BUNDLE_FILENAME);
  } catch (error) {
    report(`${file}: ${describe(error)}`);
    return end("internal-error", ExitStatus.internalError);
  }
  const engine = options.engine ?? defaultQuickJSEngine();
  const startVm = () =>
    engine
      .createVm({
        memoryLimit: options.memoryLimit,
        hostCalls: hostCalls(stdout, stderr),
        preload: bundle,
      })
      .then(
        (vm) => ({ vm }),
        (error: unknown) => ({ error }),
      );
  // An engine that starts VMs on another thread (V8's worker) starts this one while the program
  // translates; a program that does not translate then never uses it. QuickJS starts on this
  // thread, so only a program that translates gets a VM.
  const starting = engine.startsInBackground === true ? startVm() : undefined;
  const translated = translate();
  if (typeof translated !== "string") {
    void starting?.then((start) => ("vm" in start ? start.vm.dispose() : undefined));
    return translated;
  }
  const js = translated;

  // startMs: what the VM still took once the program was translated.
  let started = performance.now();
  const start = await (starting ?? startVm());
  if ("error" in start) {
    const { error } = start;
    if (error instanceof RangeError) throw error; // a limit out of range: the caller's mistake
    if (
      error instanceof PreloadError &&
      (error.failure.kind === "deadline" || error.failure.kind === "out-of-memory")
    ) {
      return stopped(error.failure);
    }
    if (error instanceof PreloadError) {
      report(`${file}: internal error: the Squirrel runtime did not load: ${error.message}`);
      return end("internal-error", ExitStatus.internalError);
    }
    debug("cannot start a VM: %O", error);
    report(`${file}: cannot start the sandbox: ${describe(error)}`);
    return end("internal-error", ExitStatus.internalError);
  }
  const { vm } = start;
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  const remaining = () => (Number.isFinite(deadline) ? Math.max(1, deadline - Date.now()) : 0);
  try {
    const loaded = vm.evaluate(
      `typeof globalThis.__vimp === "object" && typeof __vimp.run === "function"`,
      { timeoutMs: remaining() },
    );
    if (!loaded.ok || loaded.value !== true) {
      const why = loaded.ok ? "it did not define __vimp.run" : failureText(loaded.failure);
      report(`${file}: internal error: the Squirrel runtime did not load: ${why}`);
      return end("internal-error", ExitStatus.internalError);
    }
    timings.startMs = performance.now() - started;

    started = performance.now();
    // The program keeps line 1 of its own script, so guest stack lines are Squirrel lines.
    const ran = vm.evaluate(`__vimp.run(${js}\n, ${JSON.stringify(fileBytes)})`, {
      filename: fileBytes,
      timeoutMs: remaining(),
    });
    timings.runMs = performance.now() - started;
    if (ran.ok) {
      if (typeof ran.value === "number") return end("finished", ran.value);
      report(
        `${file}: internal error: the runtime returned ${String(ran.value)} instead of an exit status`,
      );
      return end("internal-error", ExitStatus.internalError);
    }
    return stopped(ran.failure);
  } finally {
    try {
      vm.dispose();
    } catch (error) {
      debug("disposing the VM of %s failed: %O", file, error);
    }
  }

  /** The program's JavaScript, or how the run ended when it does not translate. */
  function translate(): string | RunSquirrelResult {
    const started = performance.now();
    try {
      return compile(source, fileBytes).js;
    } catch (error) {
      if (error instanceof CompileError) {
        // Exactly what the reference `sq` prints for a compile error.
        stderr(`${error.message}\n`);
        stdout(`Error [${error.reason}]\n`);
        return end("compile-error", ExitStatus.compileError);
      }
      debug("translator failure on %s: %O", file, error);
      report(
        isHostStackOverflow(error)
          ? `${file}: error: the program is nested too deeply to translate`
          : `${file}: internal error in the Squirrel translator: ${describe(error)}`,
      );
      return end("internal-error", ExitStatus.internalError);
    } finally {
      timings.compileMs = performance.now() - started;
    }
  }

  function stopped(failure: VmFailure): RunSquirrelResult {
    switch (failure.kind) {
      case "deadline":
        report(
          `${file}: stopped: the program ran for more than ${timeoutMs} ms without finishing — runaway loop?`,
        );
        return end("deadline", ExitStatus.deadline);
      case "out-of-memory":
        report(
          `${file}: stopped: the program ran out of memory (the limit is ${failure.memoryLimit} bytes)`,
        );
        return end("out-of-memory", ExitStatus.outOfMemory);
      case "stack-overflow":
        report(
          `${file}: stopped: the program nested calls or expressions too deeply for the sandbox's stack`,
        );
        return end("stack-overflow", ExitStatus.stackOverflow);
      case "exception":
        debug("uncaught JS exception in %s: %s", file, failure.stack);
        report(
          failure.name === "SyntaxError"
            ? `${file}: internal error: the translated program is not valid JavaScript (${failure.message}); see \`vimp compile ${file}\``
            : `${file}: internal error: ${failure.name ? `${failure.name}: ` : ""}${failure.message}`,
        );
        return end("internal-error", ExitStatus.internalError);
      case "crashed":
        report(`${file}: internal error: ${failure.message}`);
        return end("internal-error", ExitStatus.internalError);
    }
  }
}

/** The host calls the runtime expects on `__host` (src/runtime/host.ts). */
function hostCalls(
  stdout: (bytes: string) => void,
  stderr: (bytes: string) => void,
): Record<string, HostCall> {
  return {
    print: (bytes) => stdout(String(bytes)),
    error: (bytes) => stderr(String(bytes)),
    // compilestring(): the error is the bare reason, which is what Squirrel throws.
    compile: (source, file) => {
      try {
        return JSON.stringify({ js: compile(String(source), String(file)).js });
      } catch (error) {
        if (error instanceof CompileError) return JSON.stringify({ error: error.reason });
        debug("translator failure in compilestring: %O", error);
        return JSON.stringify({
          error: isHostStackOverflow(error) ? "program nested too deeply" : describe(error),
        });
      }
    },
  };
}

function failureText(failure: VmFailure): string {
  return failure.kind === "exception" && failure.name
    ? `${failure.name}: ${failure.message}`
    : failure.message;
}

function isHostStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
