// The Connected Factory end to end (issue 4; /api/server/bless, /manufacturing/factoryfirmware, the Connected Factory quick start and /resources/imp-boot-procedure): a fixture, the optical
// BlinkUp link, DUT firmware, blessing, the application firmware — asserted on the trace, the
// LED timelines, group membership and the per-group logs.

import { engineUnderTest } from "../engine-under-test.ts";
import { afterEach, describe, expect, it } from "vitest";
import { ProductionLine } from "../../src/factory/production-line.ts";
import type { LineSpec } from "../../src/factory/line-file.ts";
import { BLINKUP_GREEN_MS } from "../../src/device/boot.ts";
import { NOT_A_FACTORY_IMP } from "../../src/device/host/imp-api-host.ts";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";
import { testLine } from "../factory/line-fixture.ts";

const SECOND = 1_000_000;
const lines: ProductionLine[] = [];
afterEach(async () => {
  for (const line of lines.splice(0)) await line.dispose();
});

async function run(spec: LineSpec, options: ConstructorParameters<typeof ProductionLine>[1] = {}) {
  const line = new ProductionLine(spec, { engine: engineUnderTest, ...options });
  lines.push(line);
  const report = await line.run();
  return { line, report, trace: line.sim.trace, cloud: line.cloud };
}

function groupLog(line: ProductionLine, group: string, device?: string): string[] {
  return line.cloud.logs({ group, device }).map((l) => l.message);
}

describe("the factory flow", () => {
  it("BlinkUp through the optical link, enrolment, DUT firmware, blessing, application firmware", async () => {
    const { line, report, trace, cloud } = await run(testLine());
    const [dut] = report.duts;
    expect(report.ok).toBe(true);
    expect(dut!.outcome).toBe("blessed");
    const fixture = line.sim.devices[0]!;
    const device = line.devices.get(dut!.deviceId)!;
    // The fixture asked for a token, then flashed pin B with Squirrel suspended.
    const phases = trace.ofKind("factory-blinkup", fixture.id).map((e) => e.data.phase);
    expect(phases).toEqual(["requested", "flashing", "done"]);
    const flashing = trace.ofKind("factory-blinkup", fixture.id)[1]!.t;
    const done = trace.ofKind("factory-blinkup", fixture.id)[2]!.t;
    const edges = trace
      .query({ kind: "pin", device: fixture.id, from: flashing, to: done })
      .filter((e) => e.data.pin === "pinB");
    expect(edges.length).toBeGreaterThan(50);
    // Squirrel resumed only after the flash: the fixture's "done" log is after it.
    const fixtureLogs = trace.ofKind("log", fixture.id).map((e) => [e.t, e.data.message] as const);
    expect(
      fixtureLogs.find(([, m]) => m === "BlinkUp 1 done, ready for the next DUT")![0],
    ).toBeGreaterThanOrEqual(done);
    // The DUT sensed the stream: BlinkUp accepted, 3 s green, then it connected and enrolled.
    const blinkup = trace.ofKind("blinkup", device.id)[0]!;
    expect(blinkup.data).toEqual({ ok: true, factory: true });
    expect(blinkup.t).toBeLessThanOrEqual(done);
    expect(device.ledAt(blinkup.t + 1).colour).toBe("green");
    expect(device.ledAt(blinkup.t + BLINKUP_GREEN_MS * 1000 - 1).state).toBe("blinkupOk");
    expect(device.ledAt(blinkup.t + BLINKUP_GREEN_MS * 1000 + 1).state).not.toBe("blinkupOk");
    expect(
      trace
        .ofKind("assign", device.id)
        .map((e) => `${e.data.group}:${e.data.reason.split(" ")[0]}`),
    ).toEqual(["lamp-dut:factory", "lamp-production:blessed"]);
    const wakes = trace.ofKind("wake", device.id).map((e) => e.data.name);
    expect(wakes).toEqual(["WAKEREASON_BLINKUP", "WAKEREASON_NEW_SQUIRREL"]);
    // Blessing: LED solid green when the callback runs, restart signal ~2 s later, app firmware.
    const bless = trace.ofKind("bless", device.id).find((e) => e.data.group === undefined)!;
    expect(bless.data).toEqual({ pass: true, ok: true });
    expect(device.ledAt(bless.t).state).toBe("blessed");
    const signal = trace.ofKind("restart-signal", device.id)[0]!;
    expect(signal.t - bless.t).toBe(2 * SECOND);
    expect(device.ledAt(signal.t + SECOND).state).toBe("blessed"); // green until powered down (/manufacturing/factoryfirmware)
    // Groups: the DUT is now a blessed production device; its logs landed in the right groups.
    const record = cloud.device(device.id);
    expect(record.blessed).toBe(true);
    expect(cloud.deviceGroup(record.groupId!).name).toBe("lamp-production");
    expect(groupLog(line, "lamp-dut", device.id)).toEqual([
      `DUT ${device.id} from fixture ${fixture.id}`,
      "touch input: reads 1 pass",
      "5 V rail: 5.00 V pass",
      "loop-back D-E: high 1, low 0 pass",
      "Si7021: 23.0 C 40.0 % pass",
      'blessed: now a production device in "lamp-production"',
    ]);
    expect(groupLog(line, "lamp-production", device.id)[1]).toBe(
      `SmartLamp 1.0.0 started, wake reason ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`,
    );
    expect(groupLog(line, "lamp-fixtures", fixture.id)).toContain("BlinkUp 1 requested");
    // imp.clearconfiguration() in the callback: the shipped unit is Unactivated.
    expect(device.storage.wifi).toBe(null);
    expect(device.storage.enrolmentToken).toBe(null);
    expect(device.bootState).toBe("unactivated");
  });

  it("fills imp.configparams with the keys factory libraries read", async () => {
    const dut = `server.log("params " + imp.configparams.factoryfirmware + " " + imp.configparams.factory_imp + " " + ("is_factory_fixture" in imp.configparams));`;
    const { line, report } = await run(
      testLine({ dut, stationTimeoutSeconds: 30, duts: [{ count: 1, expect: "unindicated" }] }),
    );
    const fixture = line.sim.devices[0]!;
    expect(groupLog(line, "lamp-dut", report.duts[0]!.deviceId)).toEqual([
      `params true ${fixture.macAddress} false`,
    ]);
    expect(fixture.configparams).toMatchObject({
      factoryfirmware: true,
      is_factory_fixture: true,
      factory_imp: fixture.macAddress,
      factory_imp_device_id: fixture.id,
    });
  });

  it("server.bless(false): LED red at once, failure logged at the server, cb(false)", async () => {
    const { line, report, trace } = await run(
      testLine({ duts: [{ count: 1, stuckPins: { pinA: 0 }, expect: "failed" }] }),
    );
    const dut = report.duts[0]!;
    expect(dut.outcome).toBe("failed");
    expect(dut.blessRequested).toBe(false);
    const device = line.devices.get(dut.deviceId)!;
    const log = trace
      .ofKind("log", device.id)
      .find((e) => e.data.message === "touch input: reads 0 (shorted?) FAIL")!;
    const bless = trace.ofKind("bless", device.id).find((e) => e.data.group === undefined)!;
    expect(bless.t).toBe(log.t); // immediately: no round trip to the cloud
    expect(device.ledAt(bless.t).state).toBe("notBlessed");
    expect(device.ledAt(bless.t).colour).toBe("red");
    expect(groupLog(line, "lamp-dut", device.id)).toContain(
      "blessing failed: the DUT's tests failed (server.bless(false))",
    );
    expect(groupLog(line, "lamp-dut", device.id)).toContain("not blessed");
    expect(line.cloud.device(device.id).blessed).toBe(false);
  });

  it("DUT firmware without server.bless leaves the DUT unindicated, and the report says so", async () => {
    const { report } = await run(
      testLine({
        dut: `server.log("testing, forgot to bless");`,
        stationTimeoutSeconds: 30,
        duts: [{ count: 1 }],
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.duts[0]!.outcome).toBe("unindicated");
    expect(report.duts[0]!.notes).toEqual([
      "DUT firmware ran but never called server.bless (seed 003: the call is mandatory)",
    ]);
  });

  it("a DUT's imp.getssid() is the factory network its BlinkUp carried, as Electric Imp's factory examples check", async () => {
    const dut = `
      const SSID = "LampFactory-Line1";
      server.log("ssid " + imp.getssid() + ", net " + imp.net.info().interface[0].macaddress + " " + imp.getmacaddress());
      if (imp.getssid() != SSID) return;
      server.bless(true, function(ok) { server.log("blessed " + ok); });`;
    const { line, report } = await run(testLine({ dut, duts: [{ count: 1, model: "imp001" }] }));
    expect(report.duts[0]!.outcome).toBe("blessed");
    const device = line.devices.get(report.duts[0]!.deviceId)!;
    const mac = device.identity.macAddress;
    expect(groupLog(line, "lamp-dut", device.id)).toContain(
      `ssid LampFactory-Line1, net ${mac} ${mac}`,
    );
  });

  it("an imp001 fixture is not a factory imp: factoryblinkup fails and logs it", async () => {
    const { line, report } = await run(
      testLine({
        fixtures: [{ model: "imp001", blinkUpLed: "pin1", button: "pin2" }],
        fixture: `
      hardware.pin2.configure(DIGITAL_IN_PULLDOWN, function() { if (hardware.pin2.read()) server.factoryblinkup("f", "p", hardware.pin1, 0); });`,
        stationTimeoutSeconds: 20,
        duts: [{ count: 1, expect: "unindicated" }],
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.duts[0]!.notes).toEqual(["no BlinkUp received"]);
    const fixture = line.sim.devices[0]!;
    expect(line.cloud.logs({ device: fixture.id }).map((l) => l.message)).toContain(
      NOT_A_FACTORY_IMP,
    );
  });

  it("an imp001 DUT configured by a fixture is blessed; imp001 card blessing fails at once", async () => {
    const dut = `
      hardware.pin1.configure(DIGITAL_IN_PULLUP);
      server.bless(hardware.pin1.read() == 1, function(ok) { server.log("blessed " + ok); if (ok) imp.clearconfiguration(); });`;
    const { report } = await run(testLine({ dut, duts: [{ count: 1, model: "imp001" }] }));
    expect(report.duts[0]!.outcome).toBe("blessed");
  });

  it("an impOS update on first connection: LED green while updating, then reboot and DUT firmware", async () => {
    const { line, report, trace } = await run(testLine({ duts: [{ count: 1, oldImpOS: true }] }));
    const dut = report.duts[0]!;
    expect(dut.outcome).toBe("blessed");
    expect(dut.impOSUpdated).toBe(true);
    const device = line.devices.get(dut.deviceId)!;
    const led = device.led.history().map((c) => c.state);
    expect(led).toContain("updatingImpOS");
    expect(trace.ofKind("wake", device.id).map((e) => e.data.name)).toEqual([
      "WAKEREASON_NEW_FIRMWARE",
      "WAKEREASON_NEW_SQUIRREL",
    ]);
  });

  it("without load-code-after-blessing the device stays Unactivated until an end-user BlinkUp, then runs the application", async () => {
    const { line, report, trace } = await run(
      testLine({ loadCodeAfterBlessing: false, activate: true }),
    );
    const dut = report.duts[0]!;
    expect(dut.outcome).toBe("blessed");
    expect(dut.appStartedAt).toBe(null);
    expect(dut.activatedAt).not.toBe(null);
    const device = line.devices.get(dut.deviceId)!;
    expect(trace.ofKind("restart-signal", device.id)).toEqual([]);
    expect(
      trace
        .ofKind("enroll", device.id)
        .filter((e) => e.data.reason !== undefined)
        .map((e) => e.data.reason),
    ).toEqual(["factory", "production"]);
    expect(trace.ofKind("wake", device.id).map((e) => e.data.name)).toEqual([
      "WAKEREASON_BLINKUP",
      "WAKEREASON_BLINKUP",
    ]);
    expect(line.cloud.device(device.id).activation).toBe("activated");
    expect(line.cloud.device(device.id).agent).toBe(true);
    expect(groupLog(line, "lamp-production", device.id)).toContain(
      `SmartLamp 1.0.0 started, wake reason ${WAKE_REASONS.WAKEREASON_BLINKUP}`,
    );
  });
});
