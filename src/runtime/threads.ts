// Threads (coroutines): newthread(f), thread.call(), suspend(v), thread.wakeup(v).
// A function that may suspend is also compiled as a JS generator (its `co` variant);
// inside a thread every call goes through cocall() so a suspend anywhere in Squirrel
// code unwinds to the thread. A suspend through a native call is refused, as in Squirrel.
import { SqThread, SqTable, type SqClosure, type SqNative } from "./values.ts";
import { sqError } from "./errors.ts";
import { call, closureArgs } from "./call.ts";
import { native } from "./native.ts";
import { registerDelegate, tableSet } from "./access.ts";
import { vm } from "./state.ts";

interface BoundClosure extends SqClosure {
  target: SqClosure;
}

export const suspendNative: SqNative = native("suspend", -1, null, () => {
  sqError("cannot suspend through native calls/metamethods");
});

export const newthreadNative: SqNative = native(
  "newthread",
  2,
  ".c",
  (_self, args) => new SqThread(args[0]),
);

/** A call from inside a coroutine: stays a coroutine where the callee can be one. */
export function* cocall(
  f: unknown,
  self: unknown,
  args: unknown[],
): Generator<unknown, unknown, unknown> {
  if (f === suspendNative) {
    const v = yield args.length > 0 ? args[0] : null;
    return v === undefined ? null : v;
  }
  if (typeof f === "function") {
    let c = f as SqClosure;
    if ((c as BoundClosure).target !== undefined) {
      self = c.env;
      c = (c as BoundClosure).target;
    }
    if (c.co !== undefined) return yield* c.co(self, ...closureArgs(c, args));
  }
  return call(f, self, args);
}

function start(th: SqThread, root: unknown, args: unknown[]): unknown {
  if (th.status !== "idle") sqError("wakeup a not idle thread");
  th.it = cocall(th.fn, root, args);
  return step(th, undefined);
}

function step(th: SqThread, v: unknown): unknown {
  th.status = "running";
  let r: IteratorResult<unknown, unknown>;
  try {
    r = th.it!.next(v);
  } catch (e) {
    th.status = "idle";
    th.it = null;
    throw e;
  }
  if (r.done) {
    th.status = "idle";
    th.it = null;
  } else {
    th.status = "suspended";
  }
  return r.value === undefined ? null : r.value;
}

function thread(self: unknown): SqThread {
  if (!(self instanceof SqThread)) sqError("thread expected");
  return self;
}

export const threadDelegate = new SqTable();
tableSet(
  threadDelegate,
  "call",
  native("call", -1, "v", (self, args) => start(thread(self), vm.root, args)),
);
tableSet(
  threadDelegate,
  "wakeup",
  native("wakeup", -1, "v", (self, args) => {
    const th = thread(self);
    if (th.status === "idle") sqError("cannot wakeup a idle thread");
    if (th.status === "running") sqError("cannot wakeup a running thread");
    return step(th, args.length > 0 ? args[0] : null);
  }),
);
tableSet(
  threadDelegate,
  "getstatus",
  native("getstatus", 1, "v", (self) => thread(self).status),
);
registerDelegate((o) => o instanceof SqThread, threadDelegate);
