// The imp's connection to the cloud, as impOS runs it (/api/server/setsendtimeoutpolicy, /resources/imp-boot-procedure): join the WiFi
// network, get an address, resolve the server, open a session through the cloud link. Each
// step shows its LED pattern (/troubleshooting/blinkup) and takes virtual time. Whoever needs the connection —
// the boot process (retrying for as long as it takes), `server.connect()`, a send under
// SUSPEND_ON_ERROR — waits on one shared attempt, each with its own timeout.
//
// chosen (the documentation gives the LED timings, not how long each step takes): the step durations
// below, and a retry every 2 s while the network or the server cannot be reached.

import type { Scheduler, TimerHandle } from "../sim/scheduler.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import type { Emit } from "../sim/trace.ts";
import type {
  CloudInbox,
  CloudLink,
  CloudSession,
  DeviceHello,
  ReloadReason,
} from "./cloud-link.ts";
import { CONNECT_REASONS } from "./shared/connect-reasons.ts";
import type { LedState } from "./led.ts";

/** How long each step of connecting takes, in ms of virtual time. chosen. */
export const NETWORK_STEP_MS = {
  joiningWifi: 800,
  gettingIpAddress: 200,
  resolvingServer: 100,
} as const;

/** How long impOS waits before trying again when the network or the server cannot be reached. chosen. */
export const CONNECT_RETRY_MS = 2_000;

export type ConnectionState = "offline" | "connecting" | "online";

export interface ConnectionOptions {
  readonly scheduler: Scheduler;
  readonly link: CloudLink;
  readonly emit: Emit;
  /** Who the device is, read at each attempt (the impOS version may have changed). */
  hello(): DeviceHello;
  /** Whether secure storage holds WiFi credentials. */
  hasCredentials(): boolean;
  /** Whether the WiFi network can be reached now (the simulation may take it away). */
  wifiReachable(): boolean;
  /** The network status to show on the LED. */
  onStatus(status: LedState): void;
  /** A session opened: the boot process runs the message sequence on it. */
  onOnline(session: CloudSession): void;
  /** The cloud dropped the session (not the device's own disconnect). */
  onLost(): void;
  /** What the cloud sends while a session is open. */
  onReload(reason: ReloadReason, force: boolean): void;
  onAgentMessage(name: string, dataJson: string): void;
}

interface Waiter {
  readonly done: (reason: number) => void;
  timeout: TimerHandle | null;
}

export class Connection {
  private current: ConnectionState = "offline";
  private openSession: CloudSession | null = null;
  private readonly waiters = new Set<Waiter>();
  private step: TimerHandle | null = null;
  /** Bumped whenever an attempt or a session ends, so late answers from the link are ignored. */
  private epoch = 0;
  private lastFailure: number = CONNECT_REASONS.NOT_CONNECTED;

  constructor(private readonly options: ConnectionOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  get session(): CloudSession | null {
    return this.openSession;
  }

  get isConnected(): boolean {
    return this.current === "online";
  }

  /** The reason the last attempt failed or the last session ended (connect-reasons.ts): imp.net.info()'s `lasterror`. */
  get lastError(): number {
    return this.lastFailure;
  }

  /**
   * Connects, or waits for the attempt under way: `done(SERVER_CONNECTED)` once online, or
   * `done(reason)` with the last failure when `timeoutMicros` runs out first (Infinity: never).
   * `done` is always called later, from a scheduler event.
   */
  connect(timeoutMicros: number, done: (reason: number) => void): void {
    const { scheduler } = this.options;
    if (this.current === "online") {
      scheduler.after(0, () => done(CONNECT_REASONS.SERVER_CONNECTED), "already connected");
      return;
    }
    const waiter: Waiter = { done, timeout: null };
    if (Number.isFinite(timeoutMicros)) {
      waiter.timeout = scheduler.after(
        Math.max(0, Math.round(timeoutMicros)),
        () => {
          waiter.timeout = null;
          this.waiters.delete(waiter);
          done(this.lastFailure);
          if (this.waiters.size === 0 && this.current === "connecting") this.abandon();
        },
        "connection attempt times out",
      );
    }
    this.waiters.add(waiter);
    if (this.current === "offline") this.begin();
  }

  /** `server.disconnect()`, deep sleep: closes the session (the device's choice, so no onLost). */
  disconnect(): void {
    const wasOnline = this.current === "online";
    this.openSession?.close();
    this.openSession = null;
    this.abandon();
    if (wasOnline)
      this.options.emit(this.options.scheduler.now, "disconnect", {
        reason: CONNECT_REASONS.NOT_CONNECTED,
      });
  }

  /** Power lost: everything stops, waiters are never answered. */
  powerLoss(): void {
    for (const waiter of this.waiters) waiter.timeout?.cancel();
    this.waiters.clear();
    this.disconnect();
  }

  private begin(): void {
    this.current = "connecting";
    const epoch = ++this.epoch;
    if (!this.options.hasCredentials()) {
      // Nothing to join: the imp shows it has no settings and every waiter hears NO_WIFI.
      this.lastFailure = CONNECT_REASONS.NO_WIFI;
      this.options.onStatus("unactivated");
      this.fail(CONNECT_REASONS.NO_WIFI);
      return;
    }
    this.searchWifi(epoch);
  }

  private searchWifi(epoch: number): void {
    if (!this.options.wifiReachable()) {
      this.lastFailure = CONNECT_REASONS.NO_WIFI;
      this.options.onStatus("searchingForWifi");
      this.later(CONNECT_RETRY_MS, epoch, () => this.searchWifi(epoch), "WiFi search retries");
      return;
    }
    this.options.onStatus("joiningWifi");
    this.later(
      NETWORK_STEP_MS.joiningWifi,
      epoch,
      () => {
        this.options.onStatus("gettingIpAddress");
        this.later(
          NETWORK_STEP_MS.gettingIpAddress,
          epoch,
          () => {
            this.options.onStatus("resolvingServer");
            this.later(
              NETWORK_STEP_MS.resolvingServer,
              epoch,
              () => this.openServer(epoch),
              "server name resolved",
            );
          },
          "IP address obtained",
        );
      },
      "WiFi joined",
    );
  }

  private openServer(epoch: number): void {
    this.options.onStatus("connectingToServer");
    let session: CloudSession | null = null;
    const inbox: CloudInbox = {
      reload: (reason, force) => {
        if (this.openSession === session && session !== null) this.options.onReload(reason, force);
      },
      agentMessage: (name, dataJson) => {
        if (this.openSession === session && session !== null)
          this.options.onAgentMessage(name, dataJson);
      },
      closed: () => {
        if (this.openSession === session && session !== null) this.lost();
      },
    };
    this.options.link.connect(this.options.hello(), inbox, (opened) => {
      if (epoch !== this.epoch || this.current !== "connecting") {
        opened?.close(); // nobody waits for it any more
        return;
      }
      if (opened === null) {
        this.lastFailure = CONNECT_REASONS.NO_SERVER;
        if (!this.options.wifiReachable()) {
          this.searchWifi(epoch);
          return;
        }
        this.later(
          CONNECT_RETRY_MS,
          epoch,
          () => this.openServer(epoch),
          "server connection retries",
        );
        return;
      }
      session = opened;
      this.online(opened);
    });
  }

  private online(session: CloudSession): void {
    this.current = "online";
    this.openSession = session;
    this.options.onStatus("online");
    this.options.emit(this.options.scheduler.now, "connect", {
      reason: CONNECT_REASONS.SERVER_CONNECTED,
    });
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) {
      waiter.timeout?.cancel();
      waiter.done(CONNECT_REASONS.SERVER_CONNECTED);
    }
    this.options.onOnline(session);
  }

  private lost(): void {
    this.openSession = null;
    this.current = "offline";
    this.epoch++;
    this.lastFailure = CONNECT_REASONS.NO_SERVER;
    this.options.emit(this.options.scheduler.now, "disconnect", {
      reason: CONNECT_REASONS.NO_SERVER,
    });
    this.options.onLost();
  }

  private fail(reason: number): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    this.abandon();
    for (const waiter of waiters) {
      waiter.timeout?.cancel();
      this.options.scheduler.after(0, () => waiter.done(reason), "connection attempt fails");
    }
  }

  private abandon(): void {
    this.step?.cancel();
    this.step = null;
    this.epoch++;
    if (this.current !== "online") this.current = "offline";
    if (this.openSession === null) this.current = "offline";
  }

  private later(ms: number, epoch: number, fn: () => void, label: string): void {
    this.step = this.options.scheduler.after(
      ms * MICROS_PER_MILLI,
      () => {
        this.step = null;
        if (epoch === this.epoch) fn();
      },
      label,
    );
  }
}
