// The two scripts of the V8 engine's threads (v8-engine.ts), run as `eval` workers so they need
// no file of their own in dist/.
//
// GUEST: one per VM. It owns a node:vm context whose global has a null prototype, so nothing in
// it leads back to the worker's own realm; `__host` holds functions made inside the context, and
// the one worker function they close over (`bridge`) is strict, takes and returns primitives
// only, and never throws into the guest. It then serves the host synchronously: it blocks on a
// shared word until the host posts work, and blocks the same way while the host answers a host
// call, so the host's `evaluate` is synchronous as the engine interface requires.
//
// MONITOR: one per engine, the parent of every guest worker. A guest that fills its heap is
// killed by V8, and the host, blocked waiting for its answer, could not see its 'exit' event;
// the monitor's event loop is free, so it marks the death in the guest's shared words and wakes
// the host.

/** Shared words (Int32Array over a SharedArrayBuffer) each guest worker and the host use. */
export const SIGNAL_TO_HOST = 0;
export const SIGNAL_TO_GUEST = 1;
/** 0 while the guest lives; then 1 out of memory, 2 any other death. */
export const DEATH = 2;
export const DIED_OUT_OF_MEMORY = 1;
export const DIED_OTHERWISE = 2;

export const GUEST_SCRIPT = String.raw`"use strict";
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const vm = require("node:vm");
const { types } = require("node:util");
const { getHeapStatistics, getHeapCodeStatistics, setFlagsFromString } = require("node:v8");
const { port, words, hostCallNames, flagLock } = workerData;
// Every evaluation is a new script (a dispatch carries its arguments in its source), and V8's
// compilation cache would keep each one: about a kilobyte per slice, forever. The flag is
// process-wide, so the host stops caching compiled scripts too, which it seldom needs.
setFlagsFromString("--no-compilation-cache");
const SIGNAL_TO_HOST = ${SIGNAL_TO_HOST}, SIGNAL_TO_GUEST = ${SIGNAL_TO_GUEST};

function send(message) {
  port.postMessage(message);
  Atomics.add(words, SIGNAL_TO_HOST, 1);
  Atomics.notify(words, SIGNAL_TO_HOST);
}
function receive() {
  for (;;) {
    const seen = Atomics.load(words, SIGNAL_TO_GUEST);
    const got = receiveMessageOnPort(port);
    if (got !== undefined) return got.message;
    Atomics.wait(words, SIGNAL_TO_GUEST, seen);
  }
}
const isPrimitive = (v) => v === null || v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

// Promise jobs run at the end of each evaluation, under its deadline (this thread never returns
// to an event loop that would run them).
// import() must fail with an error of the guest's own realm: Node's default error is the
// worker's, and its constructor's constructor would be the worker's Function.
let refuseImport = () => undefined;
const importModuleDynamically = () => {
  throw refuseImport();
};
// A collector to call before measuring, from a throwaway context (a worker may not take
// --expose-gc); the flag is off again before the guest's context exists. V8's flags are
// process-wide and guests start side by side: without the lock, one guest turned the flag off
// between another's setting it and taking gc (which then died at start), or turned it on while
// another made its guest context (which would then see gc). The lock is one word shared by every
// guest of the process (v8-engine.ts), held until this guest's context exists (a few ms). A guest
// terminated while it held it never lets go: after 2 s of waiting the lock is taken anyway.
for (let waited = 0; Atomics.compareExchange(flagLock, 0, 0, 1) !== 0 && waited < 200; waited++)
  Atomics.wait(flagLock, 0, 1, 10);
// (Not named gc: a worker whose own context was made while another guest had the flag on has a
// global gc, which a top-level declaration of that name would collide with.)
let collectGarbage;
let context;
try {
  setFlagsFromString("--expose-gc");
  collectGarbage = vm.runInNewContext("gc");
  setFlagsFromString("--no-expose-gc");
  context = vm.createContext(Object.create(null), { name: "vimp guest", microtaskMode: "afterEvaluate", importModuleDynamically });
} finally {
  Atomics.store(flagLock, 0, 0);
  Atomics.notify(flagLock, 0);
}

const guestError = vm.runInContext('(function (m) { "use strict"; return new TypeError(m); })', context);
refuseImport = () => guestError("import() is not available in the sandbox");
let failure;
function bridge(index, ...args) {
  failure = undefined;
  for (const a of args) if (!isPrimitive(a)) { failure = ["TypeError", "host calls take strings, numbers, booleans and null only"]; return undefined; }
  send({ t: "call", index, args: args.map((a) => (a === undefined ? null : a)) });
  let reply = receive();
  // The host may measure the heap while it answers (imp.getmemoryfree()).
  while (reply.t === "memory") {
    measure();
    reply = receive();
  }
  if (reply.t === "ret") return reply.value === undefined ? undefined : reply.value;
  failure = [reply.name, reply.message];
  return undefined;
}
function takeFailureName() { return failure === undefined ? undefined : failure[0]; }
function takeFailureMessage() { const m = failure === undefined ? undefined : failure[1]; failure = undefined; return m; }
const install = vm.runInContext(
  '(function (bridge, failureName, failureMessage, names) {' +
  '  "use strict";' +
  '  var host = {};' +
  '  names.forEach(function (name, index) {' +
  '    host[name] = function () {' +
  '      var args = [index];' +
  '      for (var i = 0; i < arguments.length; i++) args.push(arguments[i]);' +
  '      var value = bridge.apply(undefined, args);' +
  '      var name = failureName();' +
  '      if (name !== undefined) { var message = failureMessage(); var e = new Error(message); e.name = name; throw e; }' +
  '      return value;' +
  '    };' +
  '  });' +
  '  Object.defineProperty(globalThis, "__host", { value: Object.freeze(host) });' +
  '})', context);
install(bridge, takeFailureName, takeFailureMessage, vm.runInContext(JSON.stringify(hostCallNames), context));
// Reads a thrown value inside the guest, under a deadline, as primitives only.
const describe = vm.runInContext(
  '(function (e) { "use strict"; try {' +
  '  if (e !== null && (typeof e === "object" || typeof e === "function")) return [String(e.name), String(e.message), String(e.stack)].join("\\u0000");' +
  '  return ["", String(e), ""].join("\\u0000");' +
  '} catch (x) { return ["", "an exception that could not be read", ""].join("\\u0000"); } })', context);

// Live bytes only, as QuickJS counts them: garbage collected first, and without V8's compiled
// code and bytecode, which grow as functions are first called (QuickJS compiles a script whole
// before it runs, so its code is all in the baseline a device measures before its firmware runs).
function measure() {
  collectGarbage();
  const code = getHeapCodeStatistics();
  send({ t: "memory", used: getHeapStatistics().used_heap_size - code.code_and_metadata_size - code.bytecode_and_metadata_size });
}

function evaluate(code, filename, timeoutMs) {
  const options = timeoutMs > 0 ? { timeout: timeoutMs } : {};
  let value;
  try {
    value = new vm.Script(code, { filename, importModuleDynamically }).runInContext(context, options);
  } catch (error) {
    // Nothing here may run guest code outside a deadline: no property reads that could reach a
    // getter or a proxy's trap. The engine's own timeout error is a plain native error.
    const code = types.isNativeError(error) ? Object.getOwnPropertyDescriptor(error, "code") : undefined;
    if (code !== undefined && code.value === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { t: "done", ok: false, kind: "deadline" };
    let text = "\u0000an exception that could not be read\u0000";
    try {
      context.__vimpThrown = error;
      context.__vimpDescribe = describe;
      const got = vm.runInContext("__vimpDescribe(__vimpThrown)", context, { timeout: 1000 });
      if (typeof got === "string") text = got;
    } catch (x) {
      // keep the text above
    } finally {
      delete context.__vimpThrown;
      delete context.__vimpDescribe;
    }
    const [name, message, stack] = text.split("\u0000");
    return { t: "done", ok: false, kind: "exception", name, message, stack };
  }
  return { t: "done", ok: true, value: isPrimitive(value) ? value : undefined };
}

for (;;) {
  const job = receive();
  if (job.t === "eval") send(evaluate(job.code, job.filename, job.timeoutMs));
  else if (job.t === "memory") measure();
}
`;

export const MONITOR_SCRIPT = String.raw`"use strict";
const { Worker, parentPort } = require("node:worker_threads");
const guests = new Map();
parentPort.on("message", (message) => {
  if (message.t === "spawn") {
    const { id, port, deaths, words, flagLock, hostCallNames, resourceLimits, script } = message;
    const worker = new Worker(script, { eval: true, workerData: { port, words, flagLock, hostCallNames }, transferList: [port], resourceLimits, execArgv: ["--experimental-vm-modules", "--no-warnings"] });
    guests.set(id, worker);
    worker.once("online", () => parentPort.postMessage({ t: "spawned", id }));
    worker.on("error", (error) => {
      Atomics.store(words, ${DEATH}, error && error.code === "ERR_WORKER_OUT_OF_MEMORY" ? ${DIED_OUT_OF_MEMORY} : ${DIED_OTHERWISE});
      deaths.postMessage(String(error && error.message));
      parentPort.postMessage({ t: "died", id, message: String(error && error.message) });
    });
    worker.once("exit", () => {
      if (Atomics.load(words, ${DEATH}) === 0) Atomics.store(words, ${DEATH}, ${DIED_OTHERWISE});
      Atomics.add(words, ${SIGNAL_TO_HOST}, 1);
      Atomics.notify(words, ${SIGNAL_TO_HOST});
      guests.delete(id);
      deaths.close();
    });
  } else if (message.t === "kill") {
    const worker = guests.get(message.id);
    if (worker !== undefined) void worker.terminate();
  }
});
`;
