// Delivering webhooks to real URLs (the impt Production Guide "Webhooks") without ever holding up the line, and
// without giving up on an endpoint faster than the endpoint lives (issue 13). An attempt is an
// HTTP POST made in wall time; the virtual clock does not wait for it, and the waits between
// attempts are wall time too, because a real endpoint that is down for three seconds is down
// for three seconds of the wall clock, however fast the simulation runs. The trace records each
// attempt at the virtual time it was sent and at the virtual time the clock had reached when
// the answer came (so those times depend on the host: a real endpoint cannot run on virtual time).
//
// A delivery is kept in the impCloud's state (`--state`) from the moment the webhook fires until
// an attempt is answered 2xx, so a run killed or ended with the endpoint down leaves it pending,
// and the next run resumes it with a fresh set of attempts.
//
// chosen (impCentral does not document its policy): up to 6 attempts, 1 s of wall time before
// the second, doubling (1, 2, 4, 8, 16 s: an endpoint down for up to 31 s is reached); an answer
// is waited for up to 15 s; 2xx is success, anything else (another status, a refused connection,
// no answer in time) is retried.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { webhookBody, type Webhook, type WebhookEvent, type WebhookMime } from "./webhook.ts";

export interface WebhookRetry {
  /** Attempts per run for one delivery. */
  readonly attempts: number;
  /** Wall time before the second attempt; each later wait is twice the one before. */
  readonly firstBackoffMs: number;
  /** How long an answer is waited for, in wall time. */
  readonly wallTimeoutMs: number;
}

export const WEBHOOK_RETRY: WebhookRetry = {
  attempts: 6,
  firstBackoffMs: 1_000,
  wallTimeoutMs: 15_000,
};

export type WebhookPayload = Readonly<Record<string, string | number | boolean>>;

/** A delivery not yet answered 2xx: what the state keeps so that a later run can make it. */
export interface PendingDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly event: WebhookEvent;
  readonly url: string;
  readonly mime: WebhookMime;
  readonly payload: WebhookPayload;
  readonly deviceId: string | null;
  /** Attempts made so far, in every run. */
  readonly attempts: number;
  /** What the last attempt got ("HTTP 500", "connect ECONNREFUSED …"), null before the first. */
  readonly lastError: string | null;
}

/** Where pending deliveries are kept (the impCloud's state, journalled before they are sent). */
export interface DeliveryStore {
  newId(): string;
  put(delivery: PendingDelivery): void;
  delivered(id: string): void;
}

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
    const send =
      target.protocol === "https:"
        ? httpsRequest
        : target.protocol === "http:"
          ? httpRequest
          : null;
    if (send === null) {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const req = send(target, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": contentType,
        "content-length": Buffer.byteLength(body),
        connection: "close",
        "user-agent": "virtual-imp impCloud",
      },
    });
    // The whole exchange, not only idle gaps: an endpoint that trickles bytes is still too slow.
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
      res.on("error", reject);
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on("close", () => clearTimeout(timer));
    req.end(body);
  });
}

/** An in-memory store, for a cloud without `--state`. */
function memoryStore(): DeliveryStore {
  let n = 0;
  return { newId: () => `delivery-${++n}`, put: () => {}, delivered: () => {} };
}

export class WebhookDelivery {
  /** Deliveries under way (an attempt in flight or a wait before the next), by id. */
  private readonly active = new Map<string, { timer: NodeJS.Timeout | null }>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  /** Every attempt so far, oldest first. */
  readonly attempts: WebhookAttempt[] = [];
  /** Deliveries whose attempts in this run are spent without a 2xx, oldest first. */
  readonly undelivered: PendingDelivery[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly trace: Trace,
    private readonly retry: WebhookRetry = WEBHOOK_RETRY,
    private readonly store: DeliveryStore = memoryStore(),
  ) {}

  /** Fires a webhook: kept in the store, then sent; returns at once. */
  deliver(webhook: Webhook, payload: WebhookPayload, deviceId: string | null): void {
    const delivery: PendingDelivery = {
      id: this.store.newId(),
      webhookId: webhook.id,
      event: webhook.event,
      url: webhook.url,
      mime: webhook.mime,
      payload,
      deviceId,
      attempts: 0,
      lastError: null,
    };
    this.store.put(delivery);
    this.start(delivery);
  }

  /** Resumes deliveries an earlier run left pending (from `--state`), each with a fresh set of attempts. */
  resume(pending: Iterable<PendingDelivery>): void {
    for (const delivery of pending) if (!this.active.has(delivery.id)) this.start(delivery);
  }

  /** True while an attempt is in flight or a retry waits. */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** How many deliveries are under way. */
  get underWay(): number {
    return this.active.size;
  }

  /** Resolves when no delivery is under way (each has been delivered or has spent its attempts). */
  drain(): Promise<void> {
    if (this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying (Ctrl-C, dispose): what is not delivered stays pending in the store. */
  stop(): void {
    this.stopped = true;
    for (const { timer } of this.active.values()) if (timer !== null) clearTimeout(timer);
    this.active.clear();
    this.settled();
  }

  private start(delivery: PendingDelivery): void {
    if (this.stopped) return;
    this.active.set(delivery.id, { timer: null });
    this.attempt(delivery, 1);
  }

  private settled(): void {
    if (this.active.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private attempt(delivery: PendingDelivery, n: number): void {
    const { body, contentType } = webhookBody(delivery.mime, delivery.payload);
    const base = { event: delivery.event, url: delivery.url, attempt: n };
    this.trace.record(this.scheduler.now, delivery.deviceId, "webhook", { ...base, status: null });
    const done = (status: number | null, error: string | null) => {
      if (this.stopped || !this.active.has(delivery.id)) return;
      const ok = status !== null && status >= 200 && status < 300;
      const final = ok || n >= this.retry.attempts;
      this.attempts.push({
        webhookId: delivery.webhookId,
        event: delivery.event,
        url: delivery.url,
        attempt: n,
        status,
        error,
      });
      this.trace.record(this.scheduler.now, delivery.deviceId, "webhook", {
        ...base,
        status,
        final,
        ...(error !== null ? { error } : {}),
      });
      if (ok) {
        this.store.delivered(delivery.id);
        this.active.delete(delivery.id);
        this.settled();
        return;
      }
      const tried: PendingDelivery = {
        ...delivery,
        attempts: delivery.attempts + n,
        lastError: error,
      };
      if (final) {
        this.store.put(tried);
        this.undelivered.push(tried);
        this.active.delete(delivery.id);
        this.settled();
        return;
      }
      const entry = this.active.get(delivery.id)!;
      entry.timer = setTimeout(
        () => {
          entry.timer = null;
          this.attempt(delivery, n + 1);
        },
        this.retry.firstBackoffMs * 2 ** (n - 1),
      );
    };
    post(delivery.url, body, contentType, this.retry.wallTimeoutMs).then(
      (status) => done(status, status >= 200 && status < 300 ? null : `HTTP ${status}`),
      (error: unknown) => done(null, error instanceof Error ? error.message : String(error)),
    );
  }
}
