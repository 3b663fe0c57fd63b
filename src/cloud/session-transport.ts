// What every cloud's session with one device shares: messages cross the network with the
// cloud's latency, and nothing reaches either side once the session is closed.
import type { CloudInbox, DeviceHello } from "../device/cloud-link.ts";

/** The cloud as a session needs it: a clock with latency, and a register of open sessions. */
export interface SessionHost {
  later(fn: () => void): void;
  closed(session: SessionTransport<SessionHost>): void;
}

export abstract class SessionTransport<C extends SessionHost> {
  open = true;
  /** The impOS the device reported last. */
  impOSVersion: string;

  constructor(
    protected readonly cloud: C,
    protected readonly hello: DeviceHello,
    protected readonly inbox: CloudInbox,
  ) {
    this.impOSVersion = hello.impOSVersion;
  }

  get deviceId(): string {
    return this.hello.deviceId;
  }

  /** The device closes the session. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.cloud.closed(this);
  }

  /** The cloud ends the session: the device hears of it after the latency. */
  drop(): void {
    if (!this.open) return;
    this.open = false;
    this.cloud.closed(this);
    this.cloud.later(() => this.inbox.closed());
  }

  /** The cloud tells the device to reload its Squirrel. */
  reload(reason: Parameters<CloudInbox["reload"]>[0], force: boolean): void {
    this.cloud.later(() => {
      if (this.open) this.inbox.reload(reason, force);
    });
  }

  /** A request that the cloud answers: there and back, each way with the latency. */
  protected roundTrip<T>(compute: () => T, done: (value: T) => void): void {
    this.cloud.later(() => {
      if (!this.open) return;
      const value = compute();
      this.cloud.later(() => {
        if (this.open) done(value);
      });
    });
  }
}

/**
 * A device's connection attempt: answered after the latency, null when the cloud cannot be
 * reached; a new session replaces the device's old one, which is dropped.
 */
export function openSession<S extends SessionTransport<SessionHost>>(
  cloud: SessionHost,
  /** Asked when the attempt arrives, one latency after it is made. */
  reachable: () => boolean,
  sessions: Map<string, S>,
  deviceId: string,
  make: () => S,
  done: (session: S | null) => void,
): void {
  cloud.later(() => {
    if (!reachable()) {
      cloud.later(() => done(null));
      return;
    }
    sessions.get(deviceId)?.drop();
    const session = make();
    sessions.set(deviceId, session);
    cloud.later(() => {
      if (session.open) done(session);
    });
  });
}
