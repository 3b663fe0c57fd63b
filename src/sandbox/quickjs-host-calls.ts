// The guest's calls to host functions, answered directly from QuickJS's argument vector.
//
// quickjs-emscripten answers a call from QuickJS to a host function through general machinery:
// a scope, a handle for `this` and for every argument, and a generator that could wait for a
// promise. In QuickJS in WebAssembly that is about 5 µs a call before the host function runs,
// and the imp API is host calls (every pin write, log line and timer). Host calls here take
// and give primitives only (engine.ts, HostValue), so this path reads each argument straight
// from the vector, calls the host function and makes the result in place; the library's path
// is kept for every other function.
//
// It leans on quickjs-emscripten internals, as quickjs-snapshot.ts does: QuickJSContext's
// cToHostCallbacks, ffi, module and getFunction, and the C side's contract (qts_call_function
// takes the JSValue out of the box the callback returns, frees the box, and takes 0 for
// undefined). package.json pins the version; test/sandbox/quickjs-host-calls.test.ts checks
// every kind of value both ways, errors, and that the direct path is the one taken.
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten";
import type { HostCall, HostValue } from "./engine.ts";
import { decodeFromGuest, encodeForGuest } from "./quickjs-string-codec.ts";

/** Marks a host function (quickjs-engine.ts, hostFunctions) with the host call it stands for. */
export const HOST_CALL = Symbol("vimp host call");

export interface MarkedHostFunction {
  [HOST_CALL]?: HostCall;
}

interface Ffi {
  QTS_ArgvGetJSValueConstPointer(argv: number, index: number): number;
  QTS_Typeof(ctx: number, value: number): number;
  QTS_GetFloat64(ctx: number, value: number): number;
  QTS_GetString(ctx: number, value: number): number;
  QTS_FreeCString(ctx: number, pointer: number): void;
  QTS_IsEqual(ctx: number, a: number, b: number, op: number): number;
  QTS_GetNull(): number;
  QTS_GetTrue(): number;
  QTS_GetFalse(): number;
  QTS_DupValuePointer(ctx: number, value: number): number;
  QTS_NewFloat64(ctx: number, n: number): number;
  QTS_NewString(ctx: number, chars: number): number;
  QTS_Throw(ctx: number, error: number): number;
}

interface EmscriptenModule {
  HEAPU8: Uint8Array;
  UTF8ToString(pointer: number): string;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, pointer: number, max: number): void;
  _malloc(size: number): number;
  _free(pointer: number): void;
}

type Callback = (ctx: number, thisPtr: number, argc: number, argv: number, fnId: number) => number;

interface ContextInternals {
  ffi: Ffi;
  module: EmscriptenModule;
  cToHostCallbacks: { callFunction: Callback };
  getFunction(fnId: number): unknown;
}

/** `typeof` names by their first two bytes ("st"ring and "sy"mbol, "bo"olean and "bi"gint differ). */
const TYPES: Record<number, string> = Object.fromEntries(
  ["number", "string", "boolean", "undefined", "object", "function", "symbol", "bigint"].map(
    (name) => [(name.charCodeAt(0) << 8) | name.charCodeAt(1), name],
  ),
);

/** QuickJS's IsEqualOp for Object.is (quickjs-ffi-types). */
const IS_SAME_VALUE = 1;

/** Counts calls answered directly, for the test that this path is the one taken. */
export const directCalls = { count: 0 };

/**
 * Makes `context` answer calls to marked host functions directly. A host function that throws
 * gives the guest the exception `guestError` makes of what it threw.
 */
export function answerHostCallsDirectly(
  context: QuickJSContext,
  guestError: (error: unknown) => QuickJSHandle,
): void {
  const internals = context as unknown as ContextInternals;
  const { ffi, module } = internals;
  const general = internals.cToHostCallbacks.callFunction;

  function argument(ctx: number, pointer: number): HostValue {
    // The `typeof` string told by its first two bytes, without decoding it as a string.
    const typePointer = ffi.QTS_Typeof(ctx, pointer);
    const heap = module.HEAPU8;
    const type = TYPES[(heap[typePointer]! << 8) | heap[typePointer + 1]!];
    module._free(typePointer);
    switch (type) {
      case "number":
        return ffi.QTS_GetFloat64(ctx, pointer);
      case "string": {
        const chars = ffi.QTS_GetString(ctx, pointer);
        const s = module.UTF8ToString(chars);
        ffi.QTS_FreeCString(ctx, chars);
        return decodeFromGuest(s);
      }
      case "boolean":
        return ffi.QTS_IsEqual(ctx, pointer, ffi.QTS_GetTrue(), IS_SAME_VALUE) === 1;
      case "undefined":
        return null; // a missing argument arrives as null
      default:
        if (ffi.QTS_IsEqual(ctx, pointer, ffi.QTS_GetNull(), IS_SAME_VALUE) === 1) return null;
        throw new TypeError("host calls take strings, numbers, booleans and null only");
    }
  }

  function result(ctx: number, value: HostValue | void): number {
    if (value === undefined) return 0;
    if (value === null) return ffi.QTS_DupValuePointer(ctx, ffi.QTS_GetNull());
    switch (typeof value) {
      case "number":
        return ffi.QTS_NewFloat64(ctx, value);
      case "boolean":
        return ffi.QTS_DupValuePointer(ctx, value ? ffi.QTS_GetTrue() : ffi.QTS_GetFalse());
      case "string": {
        const s = encodeForGuest(value);
        const size = module.lengthBytesUTF8(s) + 1;
        const chars = module._malloc(size);
        if (chars === 0) throw new RangeError("out of memory");
        try {
          module.stringToUTF8(s, chars, size);
          return ffi.QTS_NewString(ctx, chars);
        } finally {
          module._free(chars);
        }
      }
      default:
        throw new TypeError("host calls return strings, numbers, booleans, null or nothing");
    }
  }

  internals.cToHostCallbacks.callFunction = (ctx, thisPtr, argc, argv, fnId) => {
    const call = (internals.getFunction(fnId) as MarkedHostFunction)[HOST_CALL];
    if (call === undefined) return general(ctx, thisPtr, argc, argv, fnId);
    directCalls.count++;
    try {
      const args = new Array<HostValue>(argc);
      for (let i = 0; i < argc; i++)
        args[i] = argument(ctx, ffi.QTS_ArgvGetJSValueConstPointer(argv, i));
      return result(ctx, call(...args));
    } catch (error) {
      const exception = guestError(error);
      try {
        return ffi.QTS_Throw(ctx, exception.value as unknown as number);
      } finally {
        exception.dispose();
      }
    }
  };
}
