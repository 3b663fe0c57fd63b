// The impCloud around the line (issue 4): state that lasts between runs, re-blessing, BlinkUp of
// unblessed and blessed DUTs, webhooks against a real local HTTP server, deployments and
// reassignment of production devices.

import { engineUnderTest } from "../engine-under-test.ts";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ProductionLine } from "../../src/factory/production-line.ts";
import { loadLine, type LineSpec } from "../../src/factory/line-file.ts";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";
import { testLine } from "../factory/line-fixture.ts";
import { logs, SECOND, simulation } from "./simulation-fixture.ts";

const lines: ProductionLine[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const line of lines.splice(0)) await line.dispose();
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

async function run(spec: LineSpec, options: ConstructorParameters<typeof ProductionLine>[1] = {}) {
  const line = new ProductionLine(spec, { engine: engineUnderTest, ...options });
  lines.push(line);
  const report = await line.run();
  return { line, report, trace: line.sim.trace, cloud: line.cloud };
}

interface Received {
  path: string;
  type: string;
  body: string;
}

/** A real endpoint on 127.0.0.1: /ok answers 200, /flaky 500 the first time, /slow after 300 ms. */
async function endpoint(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  let flaky = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", type: req.headers["content-type"] ?? "", body });
      if (req.url === "/flaky" && flaky++ === 0) res.statusCode = 500;
      if (req.url === "/slow") setTimeout(() => res.end("ok"), 300);
      else res.end("ok");
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, received };
}

describe("the impCloud of the factory", () => {
  it("keeps state between runs: unblessed DUTs are BlinkUp'd again, blessed ones are refused", async () => {
    const state = mkdtempSync(path.join(tmpdir(), "vimp-state-"));
    // Stage 1: DUT firmware that tests but does not bless (a multi-stage line, /manufacturing/factoryfirmware).
    const stage1 = await run(
      testLine({
        dut: `server.log("stage 1 tests done");`,
        stationTimeoutSeconds: 20,
        duts: [{ count: 1, expect: "unindicated" }],
      }),
      { stateDir: state },
    );
    const id = stage1.report.duts[0]!.deviceId;
    expect(stage1.cloud.device(id).blessed).toBe(false);
    // Stage 2, another run on the same cloud: the same DUT is BlinkUp'd again and blessed.
    const stage2 = await run(testLine(), { stateDir: state });
    expect(stage2.report.duts[0]!.deviceId).toBe(id);
    expect(stage2.report.duts[0]!.outcome).toBe("blessed");
    // A third BlinkUp of the now blessed device is refused (/manufacturing/factoryfirmware and the Connected Factory quick start), from state on disk.
    const again = await run(testLine({ duts: [{ count: 1, expect: "refused" }] }), {
      stateDir: state,
    });
    expect(again.report.ok).toBe(true);
    expect(again.report.duts[0]!.notes).toEqual([
      "enrolment refused: blessed devices cannot undergo factory BlinkUp (seeds 001, 003)",
    ]);
    const device = again.line.devices.get(id)!;
    expect(device.bootState).toBe("unactivated"); // told to erase its credentials (/resources/imp-boot-procedure step 4)
    expect(again.cloud.device(id).blessed).toBe(true);
    expect(again.cloud.deviceGroup(again.cloud.device(id).groupId!).name).toBe("lamp-production");
    // The logs of all three runs are there.
    expect(again.cloud.logs({ device: id }).map((l) => l.message)).toContain("stage 1 tests done");
  });

  it("refuses to bless a device twice (the Connected Factory quick start's rule, chosen over /api/server/bless's)", async () => {
    const dut = `server.bless(true, function(ok) {
      server.log("first " + ok);
      server.bless(true, function(again) { server.log("second " + again); });
    });`;
    const { line, report } = await run(testLine({ dut, loadCodeAfterBlessing: false }));
    const id = report.duts[0]!.deviceId;
    await line.sim.runFor(0); // nothing more happens
    const messages = line.cloud.logs({ device: id }).map((l) => l.message);
    expect(messages).toContain("first true");
    expect(messages).toContain(
      "blessing failed: already blessed: blessed devices cannot be re-blessed (seed 003)",
    );
  });

  it("POSTs blessing webhooks as JSON and urlencoded, retrying failures without holding up the line", async () => {
    const server = await endpoint();
    const webhooks = [
      { event: "blessing", url: `${server.url}/ok`, mime: "json" },
      { event: "blessing", url: `${server.url}/form`, mime: "urlencoded" },
      { event: "blessing", url: `${server.url}/flaky` },
      { event: "blessing", url: `${server.url}/slow` },
      { event: "blessing", url: "http://127.0.0.1:1/absent" },
    ];
    const { report, trace } = await run(testLine({ webhooks }), {
      webhookRetry: { attempts: 3, firstBackoffMs: 50, wallTimeoutMs: 2000 },
    });
    const dut = report.duts[0]!;
    expect(dut.outcome).toBe("blessed");
    const json = server.received.find((r) => r.path === "/ok")!;
    expect(json.type).toBe("application/json");
    const payload = JSON.parse(json.body) as { device_id: string; imp_id: string };
    expect(payload.device_id).toBe(dut.deviceId);
    expect(payload.imp_id).toMatch(/^[0-9a-f]{16}$/);
    expect(payload.imp_id).not.toBe(dut.mac);
    const form = server.received.find((r) => r.path === "/form")!;
    expect(form.type).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(form.body).get("device_id")).toBe(dut.deviceId);
    expect(server.received.filter((r) => r.path === "/flaky")).toHaveLength(2);
    // Every attempt is in the trace; the absent endpoint was tried 3 times, each failure noted.
    const absent = trace
      .ofKind("webhook")
      .filter(
        (e) =>
          e.data.url.endsWith("/absent") && e.data.status === null && e.data.error !== undefined,
      );
    expect(absent.map((e) => e.data.attempt)).toEqual([1, 2, 3]);
    expect(absent.at(-1)!.data.final).toBe(true);
    const flaky = report.webhooks.filter((w) => w.url.endsWith("/flaky")).map((w) => w.status);
    expect(flaky).toEqual([500, 200]);
    // The line did not wait: the app started 2 s after the blessing, whatever the endpoints did.
    expect(dut.appStartedAt! - dut.blessedAt!).toBeLessThan(3 * SECOND);
  });

  it("POSTs a deployment webhook with the new deployment's SHA when code is deployed", async () => {
    const server = await endpoint();
    const { cloud, trace } = await run(
      testLine({ webhooks: [{ event: "deployment", url: `${server.url}/deployed` }] }),
    );
    const before = server.received.length;
    const deployment = cloud.deploy("lamp-production", {
      deviceCode: `server.log("SmartLamp 1.1.0");`,
    });
    await cloud.webhooks.drain();
    const sent = server.received.slice(before).filter((r) => r.path === "/deployed");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe("application/json");
    const payload = JSON.parse(sent[0]!.body) as { deployment_id: string; sha: string };
    expect(payload.deployment_id).toBe(deployment.id);
    expect(payload.sha).toBe(deployment.sha);
    expect(payload.sha).toMatch(/^[0-9a-f]{64}$/);
    expect(
      trace.ofKind("webhook").some((e) => e.data.event === "deployment" && e.data.status === 200),
    ).toBe(true);
  });

  it("runs the sample line from firmware-samples/factory", async () => {
    const { report } = await run(
      loadLine(new URL("../../firmware-samples/factory", import.meta.url).pathname),
    );
    expect(report.ok).toBe(true);
    expect(report.summary.byOutcome).toEqual({ blessed: 6, failed: 6 });
    // Each injected fault ends its DUT failed, caught by the DUT firmware's self-test.
    const faulty = report.duts.filter((d) => d.faults.length > 0);
    expect(faulty.map((d) => [d.index + 1, d.faults, d.outcome])).toEqual([
      [3, ["wire-open loopback"], "failed"],
      [5, ["sensor-missing climate"], "failed"],
      [7, ["rail-low rail 2.2V"], "failed"],
      [8, ["sensor-reading climate 85C"], "failed"],
      [9, ["short-to-ground pinE"], "failed"],
      [12, ["stuck pinA=0"], "failed"],
    ]);
  });

  it("reassigns production devices between production groups (A/B rollout)", async () => {
    // DUT firmware that keeps its configuration, so the production device can reconnect here.
    const { line, report, cloud } = await run(
      testLine({
        dut: `server.bless(true, function(ok) { server.log("blessed " + ok); });`,
        duts: [{ count: 2 }],
      }),
    );
    const product = cloud.findProduct("SmartLamp")!;
    cloud.createDeviceGroup({ product: product.id, name: "lamp-production-b", type: "production" });
    cloud.deploy("lamp-production-b", {
      deviceCode: `server.log("version B, wake " + hardware.wakereason());`,
    });
    const [a, b] = report.duts.map((d) => line.devices.get(d.deviceId)!);
    a!.powerOn();
    b!.powerOn();
    await line.sim.runFor(15 * SECOND);
    cloud.assign(b!.id, "lamp-production-b");
    await line.sim.runFor(5 * SECOND);
    expect(cloud.devices({ group: "lamp-production-b" }).map((d) => d.id)).toEqual([b!.id]);
    expect(cloud.logs({ device: b!.id, group: "lamp-production-b" }).map((l) => l.message)).toEqual(
      [`version B, wake ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`],
    );
    expect(cloud.logs({ device: a!.id, group: "lamp-production" }).map((l) => l.message)).toContain(
      `SmartLamp 1.0.0 started, wake reason ${WAKE_REASONS.WAKEREASON_POWER_ON}`,
    );
    // A DUT group is filled by factory BlinkUp only; a blessed device leaves production only with the unblessing key.
    expect(() => cloud.assign(a!.id, "lamp-dut")).toThrow(
      /blessed: it can only move to another production group/,
    );
    expect(() => cloud.unassign(a!.id)).toThrow(/needs --unbond/);
    expect(() => cloud.unassign(a!.id, { unbond: "nope" })).toThrow(/wrong unblessing key/);
    expect(cloud.unassign(a!.id, { unbond: cloud.unblessingKey }).blessed).toBe(false);
  });
});

describe("deployments on the impCloud", () => {
  it("restarts online devices (politely with server.onshutdown), offline ones get the code when they connect", async () => {
    let cloud: ImpCloud | null = null;
    const sim = simulation({
      cloud: ({ scheduler, trace }) => (cloud = new ImpCloud({ scheduler, trace })),
    });
    const c = cloud!;
    const product = c.createProduct("P");
    c.createDeviceGroup({ product: product.id, name: "dev", type: "development" });
    c.deploy("dev", {
      deviceCode: `server.log("v1"); server.onshutdown(function(r) { server.log("finishing " + r); imp.wakeup(2, function() { server.restart(); }); });`,
    });
    const online = sim.addDevice({ model: "imp003" });
    const offline = sim.addDevice({ model: "imp003" });
    for (const d of [online, offline]) {
      c.registerDevice({ deviceId: d.id, macAddress: d.macAddress, model: "imp003" });
      c.assign(d.id, "dev");
    }
    online.powerOn();
    await sim.runFor(5 * SECOND);
    const deployment = c.deploy("dev", {
      deviceCode: `server.log("v2 wake " + hardware.wakereason());`,
    });
    expect(deployment.sha).toMatch(/^[0-9a-f]{64}$/);
    await sim.runFor(5 * SECOND);
    expect(logs(sim, online)).toEqual([
      "v1",
      "finishing 1",
      `v2 wake ${WAKE_REASONS.WAKEREASON_NEW_SQUIRREL}`,
    ]);
    offline.powerOn();
    await sim.runFor(5 * SECOND);
    expect(logs(sim, offline)).toEqual([`v2 wake ${WAKE_REASONS.WAKEREASON_POWER_ON}`]);
    expect(sim.trace.ofKind("deployment").map((e) => e.data.group)).toEqual(["dev", "dev"]);
    // A forced restart of the group bypasses the handler.
    c.deploy("dev", {
      deviceCode: `server.log("v3"); server.onshutdown(function(r) { server.log("deferring"); });`,
    });
    await sim.runFor(3 * SECOND);
    c.restartGroup("dev", { force: true });
    await sim.runFor(3 * SECOND);
    expect(logs(sim, online).slice(3)).toEqual(["v3", "v3"]);
  });
});
