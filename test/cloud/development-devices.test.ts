import { describe, expect, it } from "vitest";
// Development devices in the impCloud: devices in a `development` device group, as `vimp run`
// and bootDevice use them.
import { DEVICE_CODE_FILE } from "../../src/cloud/deployment.ts";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import type {
  CloudInbox,
  CloudSession,
  CodeCheckAnswer,
  ReloadReason,
} from "../../src/device/cloud-link.ts";
import { CompileError } from "../../src/squirrel/compile-error.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";

const MS = 1000;
const HELLO = {
  deviceId: "30000c2a69000001",
  macAddress: "0c2a69000001",
  model: "imp003",
  impOSVersion: "v1",
};

function setup() {
  const scheduler = new Scheduler();
  const trace = new Trace();
  const cloud = new ImpCloud({
    scheduler,
    trace,
    startTime: 1_700_000_000,
    impOSRelease: HELLO.impOSVersion,
  });
  const assign = (group: string) => cloud.registerDevice(HELLO, group);
  const reloads: [ReloadReason, boolean][] = [];
  let closed = 0;
  const inbox: CloudInbox = {
    reload: (r, f) => reloads.push([r, f]),
    agentMessage: () => {},
    closed: () => closed++,
  };
  const open = (): CloudSession => {
    let session: CloudSession | null = null;
    cloud.connect(HELLO, inbox, (s: CloudSession | null) => (session = s));
    scheduler.runFor(100 * MS);
    return session!;
  };
  return { scheduler, trace, cloud, assign, reloads, open, closed: () => closed };
}

describe("development devices in the impCloud", () => {
  it("should answer the code hash with the group's code, the time and empty configparams", () => {
    const { scheduler, cloud, assign, open } = setup();
    assign("dev");
    const deployment = cloud.deploy("dev", { deviceCode: "server.log(1);" });
    const session = open();
    const answers: CodeCheckAnswer[] = [];
    session.checkCode(null, (a) => answers.push(a));
    session.checkCode(deployment.sha, (a) => answers.push(a));
    scheduler.runFor(100 * MS);
    expect(answers[0]).toMatchObject({
      code: { source: "server.log(1);", hash: deployment.sha, file: DEVICE_CODE_FILE },
      configParams: {},
      impOSUpdate: null,
    });
    // Computed when the question reaches the cloud: one latency after it was asked at 0.1 s.
    expect(answers[0]!.time).toBeCloseTo(1_700_000_000 + 0.15, 5);
    expect(answers[1]!.code).toBeNull();
  });

  it("should refuse firmware that does not compile, with its file and line", () => {
    const { cloud, assign } = setup();
    assign("dev");
    expect(() => cloud.deploy("dev", { deviceCode: "local x = ;", file: "bad.nut" })).toThrow(
      CompileError,
    );
  });

  it("should send a reload to online devices of the group on deploy and on a new impOS", () => {
    const { scheduler, trace, cloud, assign, reloads, open } = setup();
    assign("dev");
    open();
    cloud.deploy("dev", { deviceCode: "server.log(2);" }, { force: true });
    cloud.releaseImpOS("v2");
    scheduler.runFor(100 * MS);
    expect(reloads).toEqual([
      ["new-squirrel", true],
      ["new-firmware", false],
    ]);
    expect(trace.ofKind("deployment")).toHaveLength(1);
  });

  it("should refuse connections while unreachable and drop open sessions when it goes away", () => {
    const { scheduler, cloud, open, closed } = setup();
    const session = open();
    expect(cloud.isOnline(HELLO.deviceId)).toBe(true);
    cloud.setReachable(false);
    scheduler.runFor(100 * MS);
    expect(closed()).toBe(1);
    expect(cloud.isOnline(HELLO.deviceId)).toBe(false);
    let answered = false;
    session.checkCode(null, () => (answered = true));
    expect(open()).toBeNull();
    scheduler.runFor(100 * MS);
    expect(answered).toBe(false);
  });
});

describe("development device BlinkUp", () => {
  it("should activate a development device with any plan id and token, and refuse an unknown device", () => {
    const { scheduler, assign, open } = setup();
    const answers: boolean[] = [];
    open().activate("any-plan", "any-token", (ok) => answers.push(ok));
    scheduler.runFor(100 * MS);
    assign("dev");
    open().activate("any-plan", "any-token", (ok) => answers.push(ok));
    scheduler.runFor(100 * MS);
    expect(answers).toEqual([false, true]);
  });
});
