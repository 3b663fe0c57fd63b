// Calling any Squirrel callable: closures (parameter count, defaults, varargs, bound
// environment), natives, classes (construction) and objects with a `_call` metamethod.
import { SqClass, SqInstance, SqTable, typeOf, type SqClosure, type SqNative } from "./values.ts";
import { sqError } from "./errors.ts";
import { checkNativeArgs } from "./native.ts";
import { instantiate } from "./classes.ts";
import { metamethod } from "./metamethods.ts";

/** A closure with its environment fixed by bindenv(). */
interface BoundClosure extends SqClosure {
  target: SqClosure;
}

function paramError(passed: number, required: number): never {
  sqError(`wrong number of parameters (${passed} passed, ${required} required)`);
}

/** The argument list a closure's JS function takes, after Squirrel's checks and defaults. */
export function closureArgs(f: SqClosure, args: unknown[]): unknown[] {
  const info = f.sq;
  const n = info.nparams;
  const argc = args.length;
  const firstDefault = n - info.defaults.length;
  if (info.varargs) {
    if (argc < firstDefault)
      sqError(`wrong number of parameters (${argc + 1} passed, at least ${n + 1} required)`);
    const fixed = args.slice(0, n);
    for (let i = argc; i < n; i++) fixed.push(info.defaults[i - firstDefault]);
    fixed.push(args.slice(n));
    return fixed;
  }
  if (argc > n || argc < firstDefault) paramError(argc + 1, n + 1);
  if (argc === n) return args;
  const full = args.slice();
  for (let i = argc; i < n; i++) full.push(info.defaults[i - firstDefault]);
  return full;
}

export function call(f: unknown, self: unknown, args: unknown[]): unknown {
  if (typeof f === "function") {
    if ((f as SqNative).nat !== undefined) {
      checkNativeArgs(f as SqNative, self, args);
      return (f as SqNative)(self, args);
    }
    let c = f as SqClosure;
    // the arity matches exactly: no defaults to fill, no varargs, not bound
    if (c.np === args.length + 1) {
      switch (args.length) {
        case 0:
          return c(self);
        case 1:
          return c(self, args[0]);
        case 2:
          return c(self, args[0], args[1]);
        case 3:
          return c(self, args[0], args[1], args[2]);
      }
    }
    if ((c as BoundClosure).target !== undefined) {
      self = c.env;
      c = (c as BoundClosure).target;
    }
    const a = closureArgs(c, args);
    switch (a.length) {
      case 0:
        return c(self);
      case 1:
        return c(self, a[0]);
      case 2:
        return c(self, a[0], a[1]);
      case 3:
        return c(self, a[0], a[1], a[2]);
      default:
        return c(self, ...a);
    }
  }
  if (f instanceof SqClass) return instantiate(f, args);
  if (f instanceof SqInstance || f instanceof SqTable) {
    const mm = metamethod(f, "_call");
    if (mm !== undefined) return call(mm, f, [self, ...args]);
  }
  sqError(`attempt to call '${typeOf(f)}'`);
}

/** Calls a metamethod or other runtime-initiated callback with `this` = o. */
export function callMeta(mm: unknown, o: unknown, args: unknown[]): unknown {
  return call(mm, o, args);
}

/**
 * The compiled code's slow call path (the fast path calls the JS function directly): any callee,
 * any number of arguments. Calls with up to three arguments use callv0..callv3, the same without
 * a rest array.
 */
export function callv(f: unknown, self: unknown, ...args: unknown[]): unknown {
  if (f instanceof SqClass) {
    const o = newInstanceOf(f);
    const ctor = f.proto.$constructor as SqClosure | undefined;
    if (ctor !== undefined) call(ctor, o, args);
    return o;
  }
  return call(f, self, args);
}

/**
 * call() for a JS function, from callv0..callv3: a native is called here, one call fewer (a
 * native method of a blob or of the imp API is called this way: about 15% faster).
 */
function callFunction(f: SqNative | SqClosure, self: unknown, args: unknown[]): unknown {
  if ((f as SqNative).nat === undefined) return call(f, self, args);
  checkNativeArgs(f as SqNative, self, args);
  return (f as SqNative)(self, args);
}

// Construction is common enough in firmware to skip the general path: the instance, then its
// constructor called directly when it takes exactly the arguments given.

function newInstanceOf(f: SqClass): SqInstance {
  f.locked = true;
  return new f.make();
}

export function callv0(f: unknown, self: unknown): unknown {
  if (typeof f === "function") return callFunction(f as SqNative, self, []);
  if (!(f instanceof SqClass)) return call(f, self, []);
  const o = newInstanceOf(f);
  const ctor = f.proto.$constructor as SqClosure | undefined;
  if (ctor !== undefined) {
    if (ctor.np === 1) ctor(o);
    else call(ctor, o, []);
  }
  return o;
}

export function callv1(f: unknown, self: unknown, a: unknown): unknown {
  if (typeof f === "function") return callFunction(f as SqNative, self, [a]);
  if (!(f instanceof SqClass)) return call(f, self, [a]);
  const o = newInstanceOf(f);
  const ctor = f.proto.$constructor as SqClosure | undefined;
  if (ctor !== undefined) {
    if (ctor.np === 2) ctor(o, a);
    else call(ctor, o, [a]);
  }
  return o;
}

export function callv2(f: unknown, self: unknown, a: unknown, b: unknown): unknown {
  if (typeof f === "function") return callFunction(f as SqNative, self, [a, b]);
  if (!(f instanceof SqClass)) return call(f, self, [a, b]);
  const o = newInstanceOf(f);
  const ctor = f.proto.$constructor as SqClosure | undefined;
  if (ctor !== undefined) {
    if (ctor.np === 3) ctor(o, a, b);
    else call(ctor, o, [a, b]);
  }
  return o;
}

export function callv3(f: unknown, self: unknown, a: unknown, b: unknown, c: unknown): unknown {
  if (typeof f === "function") return callFunction(f as SqNative, self, [a, b, c]);
  if (!(f instanceof SqClass)) return call(f, self, [a, b, c]);
  const o = newInstanceOf(f);
  const ctor = f.proto.$constructor as SqClosure | undefined;
  if (ctor !== undefined) {
    if (ctor.np === 4) ctor(o, a, b, c);
    else call(ctor, o, [a, b, c]);
  }
  return o;
}

/** bindenv(): the same function with `this` fixed to env. */
export function bindEnv(f: unknown, env: unknown): unknown {
  if (typeof f !== "function") sqError("bindenv: not a function");
  if ((f as SqNative).nat !== undefined) return f;
  const target = (f as BoundClosure).target ?? (f as SqClosure);
  const bound = function (this: unknown, _self: unknown, ...a: unknown[]) {
    return target(env, ...a);
  } as unknown as BoundClosure;
  bound.sq = target.sq;
  bound.np = -1;
  bound.env = env;
  bound.target = target;
  if (target.co !== undefined) bound.co = target.co;
  return bound;
}
