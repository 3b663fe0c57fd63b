// Delivering webhooks to real URLs (seed 002, spec §6.6) without ever holding up the line: an
// attempt is an HTTP POST made in wall time; the line's virtual clock does not wait for it.
// A slow, failing or absent endpoint is retried with backoff on the virtual clock, and every
// attempt goes into the trace (sent at virtual time t; answered at whatever virtual time the
// clock has reached when the answer comes — so, unlike the rest of the trace, the time of the
// answer depends on the host, chosen because a real endpoint cannot run on virtual time).
//
// chosen: up to 5 attempts, 1 s of virtual time before the second, doubling; an attempt with
// no answer in 5 s of wall time counts as failed; 2xx is success, anything else is retried.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { webhookBody, type Webhook } from "./webhook.ts";

export const WEBHOOK_RETRY = { attempts: 5, firstBackoffMs: 1_000, wallTimeoutMs: 5_000 } as const;

export type WebhookPayload = Readonly<Record<string, string | number | boolean>>;

/** One attempt's outcome, for tests and the report. */
export interface WebhookAttempt {
  readonly webhookId: string;
  readonly event: string;
  readonly url: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
}

function post(url: string, body: string, contentType: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new Error(`not a URL: ${url}`));
      return;
    }
    const send = target.protocol === "https:" ? httpsRequest : target.protocol === "http:" ? httpRequest : null;
    if (send === null) {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const req = send(target, {
      method: "POST",
      agent: false,
      headers: { "content-type": contentType, "content-length": Buffer.byteLength(body), connection: "close", "user-agent": "virtual-imp impCloud" },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export class WebhookDelivery {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retries = new Set<TimerHandle>();
  /** Every attempt so far, oldest first. */
  readonly attempts: WebhookAttempt[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly trace: Trace,
    private readonly retry: { attempts: number; firstBackoffMs: number; wallTimeoutMs: number } = WEBHOOK_RETRY,
  ) {}

  /** Queues a delivery; returns at once. */
  deliver(webhook: Webhook, payload: WebhookPayload, deviceId: string | null): void {
    this.attempt(webhook, payload, deviceId, 1);
  }

  /** True while an attempt is in flight or a retry waits. */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.retries.size > 0;
  }

  /**
   * Waits for every delivery to end: in-flight attempts in wall time, retries by running the
   * clock to them with `runTo` (the simulation's, so devices run on meanwhile).
   */
  async drain(runTo: (time: number) => Promise<void>): Promise<void> {
    for (;;) {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      if (this.retries.size === 0) return;
      const next = Math.min(...[...this.retries].map((r) => r.time));
      await runTo(next);
    }
  }

  private attempt(webhook: Webhook, payload: WebhookPayload, deviceId: string | null, n: number): void {
    const { body, contentType } = webhookBody(webhook.mime, payload);
    const base = { event: webhook.event, url: webhook.url, attempt: n };
    this.trace.record(this.scheduler.now, deviceId, "webhook", { ...base, status: null });
    const done = (status: number | null, error: string | null) => {
      const ok = status !== null && status >= 200 && status < 300;
      const final = ok || n >= this.retry.attempts;
      this.attempts.push({ webhookId: webhook.id, event: webhook.event, url: webhook.url, attempt: n, status, error });
      this.trace.record(this.scheduler.now, deviceId, "webhook", { ...base, status, final, ...(error !== null ? { error } : {}) });
      if (final) return;
      const delay = this.retry.firstBackoffMs * 2 ** (n - 1) * MICROS_PER_MILLI;
      const timer: TimerHandle = this.scheduler.after(delay, () => {
        this.retries.delete(timer);
        this.attempt(webhook, payload, deviceId, n + 1);
      }, `webhook ${webhook.event} retry`);
      this.retries.add(timer);
    };
    const flight: Promise<void> = post(webhook.url, body, contentType, this.retry.wallTimeoutMs).then(
      (status) => done(status, status >= 200 && status < 300 ? null : `HTTP ${status}`),
      (error: unknown) => done(null, error instanceof Error ? error.message : String(error)),
    );
    const tracked = flight.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
