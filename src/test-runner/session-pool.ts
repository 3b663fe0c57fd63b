// Test sessions in worker threads, so a run uses more than one core: each worker has its own
// QuickJS engine and runs one session at a time (session-worker.ts, built to
// dist/session-worker.js). Events come back as messages, in order.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SideCode } from "./session-code.ts";
import { SourceMap } from "../builder/source-map.ts";
import type { SessionEvent, SessionRequest, SessionResult } from "./test-session.ts";

export type WorkerMessage =
  | { readonly kind: "event"; readonly event: SessionEvent }
  | { readonly kind: "result"; readonly result: SessionResult }
  | { readonly kind: "failure"; readonly message: string };

/** The worker's script: beside this module in dist/, or in dist/ when this runs from src/. */
function workerScript(): string | null {
  for (const url of [
    new URL("./session-worker.js", import.meta.url),
    new URL("../../dist/session-worker.js", import.meta.url),
  ]) {
    const file = fileURLToPath(url);
    if (existsSync(file)) return file;
  }
  return null;
}

/** A request as a worker receives it: source maps as plain arrays. */
export function toWire(request: SessionRequest): unknown {
  const side = (code: SideCode) => ({ name: code.name, code: code.code, map: code.map.toJSON() });
  return {
    ...request,
    code: { device: side(request.code.device), agent: side(request.code.agent) },
  };
}

export function fromWire(wire: unknown): SessionRequest {
  const w = wire as SessionRequest & {
    code: Record<
      "device" | "agent",
      { name: string; code: string; map: ConstructorParameters<typeof SourceMap>[0] }
    >;
  };
  const side = (code: (typeof w.code)["device"]): SideCode => ({
    name: code.name,
    code: code.code,
    map: new SourceMap(code.map),
  });
  return { ...w, code: { device: side(w.code.device), agent: side(w.code.agent) } };
}

export class SessionPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];

  private constructor(private readonly workers: Worker[]) {
    this.idle.push(...workers);
  }

  /** A pool of `size` workers, or null when the worker script is not built. */
  static create(size: number): SessionPool | null {
    const script = workerScript();
    if (script === null) return null;
    return new SessionPool(Array.from({ length: size }, () => new Worker(script)));
  }

  async run(
    request: SessionRequest,
    onEvent: (event: SessionEvent) => void,
  ): Promise<SessionResult> {
    const worker = await this.take();
    try {
      return await new Promise<SessionResult>((resolve, reject) => {
        const onMessage = (message: WorkerMessage) => {
          if (message.kind === "event") return onEvent(message.event);
          worker.off("message", onMessage);
          worker.off("error", onError);
          if (message.kind === "result") resolve(message.result);
          else reject(new Error(message.message));
        };
        const onError = (error: Error) => {
          worker.off("message", onMessage);
          reject(error);
        };
        worker.on("message", onMessage);
        worker.once("error", onError);
        worker.postMessage(toWire(request));
      });
    } finally {
      this.give(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private take(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(worker: Worker): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(worker);
    else this.idle.push(worker);
  }
}
