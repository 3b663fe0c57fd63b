import { describe, expect, it } from "vitest";
import type { CloudInbox, CloudLink, CloudSession } from "../../src/device/cloud-link.ts";
import { CONNECT_REASONS } from "../../src/device/shared/connect-reasons.ts";
import { Connection, CONNECT_RETRY_MS } from "../../src/device/connection.ts";
import type { LedState } from "../../src/device/led.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";

const MS = 1000;
const S = 1_000_000;

/** A cloud link that answers after 50 ms, reachable or not. */
function fakeLink(scheduler: Scheduler) {
  const link = {
    reachable: true,
    inbox: null as CloudInbox | null,
    connect(_hello, inbox, done) {
      scheduler.after(50 * MS, () => {
        if (!link.reachable) return done(null);
        link.inbox = inbox;
        done({ close() {} } as unknown as CloudSession);
      });
    },
  } satisfies CloudLink & Record<string, unknown>;
  return link;
}

function setup(options: { credentials?: boolean; wifi?: boolean } = {}) {
  const scheduler = new Scheduler();
  const trace = new Trace();
  const link = fakeLink(scheduler);
  const statuses: LedState[] = [];
  let lost = 0;
  const wifi = { reachable: options.wifi ?? true };
  const connection = new Connection({
    scheduler,
    link,
    emit: trace.emitter("dev"),
    hello: () => ({
      deviceId: "dev",
      macAddress: "0c2a69000000",
      model: "imp003",
      impOSVersion: "v",
    }),
    hasCredentials: () => options.credentials ?? true,
    wifiReachable: () => wifi.reachable,
    onStatus: (s) => statuses.push(s),
    onOnline: () => {},
    onLost: () => lost++,
    onReload: () => {},
    onAgentMessage: () => {},
  });
  return { scheduler, trace, link, statuses, connection, wifi, lost: () => lost };
}

describe("Connection", () => {
  it("should go through the connecting steps and answer every waiter", () => {
    const { scheduler, trace, statuses, connection } = setup();
    const answers: number[] = [];
    connection.connect(Infinity, (r) => answers.push(r));
    connection.connect(60 * S, (r) => answers.push(r));
    scheduler.runFor(5 * S);
    expect(statuses).toEqual([
      "joiningWifi",
      "gettingIpAddress",
      "resolvingServer",
      "connectingToServer",
      "online",
    ]);
    expect(answers).toEqual([CONNECT_REASONS.SERVER_CONNECTED, CONNECT_REASONS.SERVER_CONNECTED]);
    expect(connection.isConnected).toBe(true);
    expect(trace.ofKind("connect").map((e) => e.t)).toEqual([1_150 * MS]);
  });

  it("should time a waiter out with the last failure while it keeps trying for the others", () => {
    const { scheduler, link, connection } = setup();
    link.reachable = false;
    const answers: number[] = [];
    connection.connect(Infinity, (r) => answers.push(r));
    connection.connect(10 * S, (r) => answers.push(r));
    scheduler.runFor(10 * S);
    expect(answers).toEqual([CONNECT_REASONS.NO_SERVER]);
    link.reachable = true;
    scheduler.runFor(CONNECT_RETRY_MS * MS + 100 * MS);
    expect(answers).toEqual([CONNECT_REASONS.NO_SERVER, CONNECT_REASONS.SERVER_CONNECTED]);
  });

  it("should fail at once with NO_WIFI without credentials, and search while the network is away", () => {
    const none = setup({ credentials: false });
    const answers: number[] = [];
    none.connection.connect(Infinity, (r) => answers.push(r));
    none.scheduler.runFor(1 * S);
    expect(answers).toEqual([CONNECT_REASONS.NO_WIFI]);
    expect(none.statuses).toEqual(["unactivated"]);

    const away = setup({ wifi: false });
    away.connection.connect(5 * S, (r) => answers.push(r));
    away.scheduler.runFor(5 * S);
    expect(answers).toEqual([CONNECT_REASONS.NO_WIFI, CONNECT_REASONS.NO_WIFI]);
    expect(away.statuses[0]).toBe("searchingForWifi");
  });

  it("should report the cloud dropping the session, but not its own disconnect", () => {
    const { scheduler, trace, link, connection, lost } = setup();
    connection.connect(Infinity, () => {});
    scheduler.runFor(2 * S);
    link.inbox!.closed();
    expect(lost()).toBe(1);
    expect(connection.state).toBe("offline");
    connection.connect(Infinity, () => {});
    scheduler.runFor(2 * S);
    connection.disconnect();
    expect(lost()).toBe(1);
    expect(trace.ofKind("disconnect").map((e) => e.data.reason)).toEqual([
      CONNECT_REASONS.NO_SERVER,
      CONNECT_REASONS.NOT_CONNECTED,
    ]);
  });
});
