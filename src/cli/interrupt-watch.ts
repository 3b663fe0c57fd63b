// Hears Ctrl-C while the main thread is busy (a VM in a runaway loop gives Node's SIGINT handler
// no turn): a worker thread keeps a tiny watcher process, which is in the terminal's process
// group and so gets the same SIGINT; it tells the worker, and the worker sets a flag in memory
// shared with the main thread, which every VM's interrupt check reads (sandbox/host-interrupt.ts).

import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * The watcher says "r" when it listens and "i" on each SIGINT, and leaves when its parent's pipe
 * closes. A POSIX shell starts in milliseconds (Node in hundreds, which every `vimp run` would
 * wait for); Node is the fallback where there is no /bin/sh.
 */
const SH_WATCHER = `hit=0
trap 'printf i; hit=1' INT
printf r
while :; do
  if read -r _; then continue; fi
  if [ "$hit" = 1 ]; then hit=0; continue; fi
  exit 0
done`;

const NODE_WATCHER = `process.on("SIGINT", () => process.stdout.write("i"));
process.stdout.write("r");
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();`;

const [WATCHER_COMMAND, WATCHER_ARGS] =
  process.platform !== "win32" && existsSync("/bin/sh")
    ? ["/bin/sh", ["-c", SH_WATCHER]]
    : [process.execPath, ["-e", NODE_WATCHER]];

const WORKER = `const { parentPort, workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const flag = new Int32Array(workerData.flag);
const child = spawn(workerData.command, workerData.args, { stdio: ["pipe", "pipe", "ignore"] });
child.stdout.on("data", (chunk) => {
  if (chunk.includes("r")) parentPort.postMessage("ready");
  if (chunk.includes("i")) Atomics.store(flag, 0, 1);
});
child.on("error", () => {});`;

/** How long a run waits for the watcher to listen before it starts without it (chosen). */
const READY_WAIT_MS = 3_000;

export interface InterruptWatch {
  /** True once Ctrl-C was pressed. */
  requested(): boolean;
  stop(): Promise<void>;
}

/** Starts the watcher and resolves once it listens (or after READY_WAIT_MS, without it). */
export async function watchInterrupt(): Promise<InterruptWatch> {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { flag: shared, command: WATCHER_COMMAND, args: WATCHER_ARGS },
  });
  worker.on("error", () => {});
  worker.unref();
  // A run that starts before the watcher listens could loop before anyone hears Ctrl-C.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, READY_WAIT_MS);
    worker.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    requested: () => Atomics.load(flag, 0) === 1,
    stop: async () => {
      await worker.terminate();
    },
  };
}
