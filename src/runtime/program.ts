// Running a compiled program: its main with `this` = the root table, the conversion of
// JS exceptions for `catch`, the reference-style report of an uncaught error, and
// compilestring().
import { SqTable, SqThrow, type SqClosure } from "./values.ts";
import { tableSet } from "./access.ts";
import { sqError } from "./errors.ts";
import { host } from "./host.ts";
import { vm } from "./state.ts";

/** What the compiler emits: a factory that, given the runtime, returns the program's main. */
export type ProgramFactory = (rt: unknown) => (self: unknown, vargv: unknown[]) => unknown;

/** The runtime's own script name, to leave its frames out of Squirrel call stacks. */
const runtimeFile = /\((.*?):\d+/.exec(new Error().stack ?? "")?.[1] ?? "";

/** True for the errors no Squirrel code may catch: out of memory and the deadline. */
export function isFatal(e: unknown): boolean {
  // QuickJS sometimes throws a bare null when its memory is exhausted; Squirrel's `throw null`
  // always arrives wrapped in a SqThrow
  if (e === null || e === undefined) return true;
  if (!(e instanceof Error) || e instanceof SqThrow) return false;
  return e.message === "out of memory" || e.message === "interrupted";
}

/** The value a Squirrel `catch (e)` receives for a JS exception. */
export function caught(e: unknown): unknown {
  if (e instanceof SqThrow) return e.value;
  if (isFatal(e)) throw e;
  if (e instanceof Error) {
    if (/stack overflow|call stack/i.test(e.message)) return "stack overflow";
    return e.message;
  }
  throw e;
}

/** `throw v` in Squirrel. */
export function throwValue(v: unknown): never {
  throw new SqThrow(v);
}

interface Frame {
  fn: string;
  file: string;
  line: number;
}

/** Squirrel frames of a JS stack: compiled functions are named `name$$`. */
export function squirrelFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split("\n")) {
    const m = /^\s*at (\S+) \((.*?):(\d+)(?::\d+)?\)\s*$/.exec(line);
    if (!m || m[2] === runtimeFile || !m[1]!.endsWith("$$")) continue;
    frames.push({ fn: m[1]!.slice(0, -2), file: m[2]!, line: Number(m[3]) });
  }
  return frames;
}

/**
 * getstackinfos(level): level 0 is getstackinfos itself, 1 its caller, and so on; null past
 * the outermost frame. The locals table stays empty: compiled code keeps its locals in
 * JavaScript variables that nothing outside the function can list (see README, Deviations).
 */
export function stackInfos(level: number): SqTable | null {
  let func: string, src: string, line: number;
  if (level === 0) {
    [func, src, line] = ["getstackinfos", "NATIVE", -1];
  } else {
    const frame = level > 0 ? squirrelFrames(new Error().stack ?? "")[level - 1] : undefined;
    if (frame === undefined) return null;
    [func, src, line] = [frame.fn, frame.file, frame.line];
  }
  const t = new SqTable();
  tableSet(t, "func", func);
  tableSet(t, "src", src);
  tableSet(t, "line", line);
  tableSet(t, "locals", new SqTable());
  return t;
}

export function errorReport(e: unknown): string {
  let msg: string;
  if (e instanceof SqThrow) msg = typeof e.value === "string" ? e.value : "unknown";
  else if (e instanceof Error)
    msg = /stack overflow|call stack/i.test(e.message) ? "stack overflow" : e.message;
  else msg = String(e);
  let out = `\nAN ERROR HAS OCCURRED [${msg}]\n\nCALLSTACK\n`;
  const stack = e instanceof Error ? (e.stack ?? "") : "";
  for (const f of squirrelFrames(stack))
    out += `*FUNCTION [${f.fn}()] ${f.file} line [${f.line}]\n`;
  return out + "\n";
}

/** Runs a program; returns its exit status (0, a top-level `return` integer, or 1 after an uncaught error). */
export function run(factory: ProgramFactory, rt: unknown): number {
  const main = factory(rt);
  try {
    const r = main(vm.root, []);
    return typeof r === "number" ? r : 0;
  } catch (e) {
    if (isFatal(e)) throw e;
    host.error(errorReport(e));
    return 1;
  }
}

/** compilestring(source, name): a function of the compiled code (varargs, `this` = caller's). */
export function compileString(source: string, name: string, rt: unknown): SqClosure {
  const r = JSON.parse(host.compile(source, name)) as { js?: string; error?: string };
  if (r.error !== undefined || r.js === undefined) sqError(r.error ?? "compilestring failed");
  // The text comes from our own compiler, never from the Squirrel program directly.
  const factory = (0, eval)(r.js) as ProgramFactory;
  const main = factory(rt) as unknown as SqClosure;
  main.sq = {
    name: "main",
    nparams: 0,
    defaults: [],
    varargs: true,
    generator: false,
    src: name,
    line: 1,
    paramNames: [],
  };
  main.np = -1;
  return main;
}
