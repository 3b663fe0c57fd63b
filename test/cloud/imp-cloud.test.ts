// The impCloud model (the impt Production Guide, /manufacturing/factoryfirmware): groups and their targets, deployments and promotion,
// manual assignment rules, and state kept on disk.
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import { deploymentSha } from "../../src/cloud/deployment.ts";
import { webhookBody } from "../../src/cloud/webhook.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";

function cloud(stateDir?: string): ImpCloud {
  return new ImpCloud({ scheduler: new Scheduler(), trace: new Trace(), stateDir });
}

function factory(c: ImpCloud, zone: "" | "pre-" = "") {
  const product = c.createProduct("Lamp");
  const production = c.createDeviceGroup({
    product: product.id,
    name: `${zone}prod`,
    type: `${zone}production` as "production",
  });
  const dut = c.createDeviceGroup({
    product: product.id,
    name: `${zone}dut`,
    type: `${zone}dut` as "dut",
  });
  const fixture = c.createDeviceGroup({
    product: product.id,
    name: `${zone}fixture`,
    type: zone === "" ? "factory" : "pre-factory",
    dutTarget: dut.name,
    productionTarget: production.name,
  });
  return { product, production, dut, fixture };
}

describe("the impCloud model", () => {
  it("gives fixture groups targets of their own zone", () => {
    const c = cloud();
    const { fixture, production, dut } = factory(c);
    expect(fixture).toMatchObject({
      type: "factory",
      dutTarget: dut.id,
      productionTarget: production.id,
    });
    expect(production.loadCodeAfterBlessing).toBe(true);
    expect(() =>
      c.createDeviceGroup({
        product: "Lamp",
        name: "f2",
        type: "pre-factory",
        productionTarget: "prod",
      }),
    ).toThrow(/must be a pre-production group, not production/);
    expect(() => c.createDeviceGroup({ product: "Lamp", name: "f3", type: "factory" })).toThrow(
      /needs a production target/,
    );
    expect(() =>
      c.createDeviceGroup({
        product: "Lamp",
        name: "d2",
        type: "development",
        productionTarget: "prod",
      }),
    ).toThrow(/only fixture groups have targets/);
    expect(() => c.updateDeviceGroup("dut", { loadCodeAfterBlessing: false })).toThrow(
      /production group setting/,
    );
  });

  it("gives deployments a SHA and takes only promoted ones into the Production Zone", () => {
    const c = cloud();
    factory(c);
    c.createDeviceGroup({ product: "Lamp", name: "dev", type: "development" });
    const d = c.deploy("dev", { deviceCode: `server.log("app");`, agentCode: "// agent" });
    expect(d.sha).toBe(deploymentSha(`server.log("app");`));
    expect(() => c.copyBuild(d.id, "prod")).toThrow(/is not promoted/);
    c.promote(d.id);
    const copy = c.copyBuild(d.id, "prod");
    expect(copy.sha).toBe(d.sha);
    expect(c.currentDeployment(c.deviceGroup("prod"))!.id).toBe(copy.id);
    expect(() => c.deploy("dev", { deviceCode: "local = ;" })).toThrow();
  });

  it("assigns fixtures by hand but never DUTs or production devices", () => {
    const c = cloud();
    factory(c);
    c.registerDevice({ deviceId: "30000c2a69000001", macAddress: "0c2a69000001", model: "imp003" });
    expect(c.assign("30000c2a69000001", "fixture").groupId).toBe(c.deviceGroup("fixture").id);
    expect(() => c.assign("30000c2a69000001", "prod")).toThrow(
      /cannot be assigned to the production group "prod" manually/,
    );
    expect(() => c.assign("30000c2a69000001", "dut")).toThrow(/manually/);
    expect(c.unassign("30000c2a69000001").groupId).toBe(null);
  });

  it("answers webhook bodies as JSON or urlencoded", () => {
    expect(webhookBody("json", { device_id: "a", n: 1 })).toEqual({
      body: '{"device_id":"a","n":1}',
      contentType: "application/json",
    });
    expect(webhookBody("urlencoded", { device_id: "a b" })).toEqual({
      body: "device_id=a+b",
      contentType: "application/x-www-form-urlencoded",
    });
  });

  it("keeps its state on disk; a journal line cut short by a kill is dropped, the rest kept", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-cloud-"));
    const a = cloud(dir);
    factory(a);
    a.registerDevice({ deviceId: "30000c2a69000002", macAddress: "0c2a69000002", model: "imp003" });
    // Killed mid-write: half a line at the end of the journal.
    appendFileSync(path.join(dir, "journal.jsonl"), '{"c":"devices","id":"30000c2a6900');
    const b = cloud(dir);
    expect(b.groups.map((g) => g.name)).toEqual(["prod", "dut", "fixture"]);
    expect(b.device("30000c2a69000002").model).toBe("imp003");
    expect(b.unblessingKey).toBe(a.unblessingKey);
    // A snapshot replaces the journal atomically; ids go on from where they were.
    b.save();
    expect(readFileSync(path.join(dir, "journal.jsonl"), "utf8")).toBe("");
    const c = cloud(dir);
    const g = c.createDeviceGroup({ product: "Lamp", name: "more", type: "development" });
    expect(a.groups.map((x) => x.id)).not.toContain(g.id);
  });
});
