// What impOS keeps for one run of a Squirrel VM — from the VM's start to its teardown — and
// forgets with it: the wake reason the run sees, its timers, the handlers it registered by
// callback id, its send-timeout policy (/api/server/setsendtimeoutpolicy), and how it asked to leave (/api/imp/deepsleepfor).

import type { TimerHandle } from "../../sim/scheduler.ts";
import { SEND_TIMEOUT_POLICIES, WAIT_POLICIES } from "../shared/send-policies.ts";

/** The send-timeout policy in force (/api/server/setsendtimeoutpolicy); the default is (SUSPEND_ON_ERROR, WAIT_TIL_SENT, 30). */
export interface SendTimeoutPolicy {
  errorPolicy: number;
  waitPolicy: number;
  timeoutSeconds: number;
}

export const DEFAULT_SEND_TIMEOUT_POLICY: Readonly<SendTimeoutPolicy> = {
  errorPolicy: SEND_TIMEOUT_POLICIES.SUSPEND_ON_ERROR,
  waitPolicy: WAIT_POLICIES.WAIT_TIL_SENT,
  timeoutSeconds: 30,
};

/** How the firmware asked to leave the VM; acted on once the running event returns. */
export type VmExitRequest =
  | { readonly kind: "deep-sleep"; readonly seconds: number }
  | { readonly kind: "reset" }
  | { readonly kind: "restart" }
  /** SUSPEND_ON_ERROR gave up connecting: impOS sleeps and retries (/api/server/setsendtimeoutpolicy). */
  | { readonly kind: "snooze" };

export class SquirrelRun {
  readonly timers = new Map<number, TimerHandle>();
  readonly agentHandlers = new Map<string, number>();
  /** Pulse-counter windows (s) of the pins configured as PULSE_COUNTER, for the blocking read. */
  readonly pulseWindows = new Map<string, number>();
  /** UART buses whose callback is already queued, so a burst of bytes calls it once. */
  readonly uartPending = new Set<string>();
  shutdownHandler = 0;
  unexpectedDisconnectHandler = 0;
  policy: SendTimeoutPolicy = { ...DEFAULT_SEND_TIMEOUT_POLICY };
  powerSave = false;
  exit: VmExitRequest | null = null;
  /** True once the run has ended; late events for it are dropped. */
  ended = false;

  constructor(
    /** What hardware.wakereason() gives in this run. */
    readonly wakeReason: number,
    /** Virtual time the run began (µs). */
    readonly startedAt: number,
  ) {}

  get suspendOnError(): boolean {
    return this.policy.errorPolicy === SEND_TIMEOUT_POLICIES.SUSPEND_ON_ERROR;
  }

  /** Cancels everything the run had scheduled. */
  end(): void {
    this.ended = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    this.agentHandlers.clear();
    this.uartPending.clear();
  }
}
