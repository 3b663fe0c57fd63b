// Bad line files get a message naming the field and what is wrong (issue 4).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LineError, loadLine, parseLine } from "../../src/factory/line-file.ts";
import { lineJson } from "./line-fixture.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test breaks the line JSON its own way
function errorOf(mutate: (json: any) => void): string {
  const { json, dir } = lineJson();
  mutate(json);
  const file = path.join(dir, "line.json");
  try {
    parseLine(json, file);
  } catch (error) {
    expect(error).toBeInstanceOf(LineError);
    return (error as LineError).message.slice(file.length + 2);
  }
  throw new Error("no error");
}

describe("line.json", () => {
  it("loads the sample line from its directory", () => {
    const spec = loadLine(new URL("../../firmware-samples/factory", import.meta.url).pathname);
    expect(spec.product).toBe("SmartLamp");
    expect(spec.groups.map((g) => g.type)).toEqual(["production", "dut", "factory"]);
    expect(spec.duts.reduce((n, d) => n + d.count, 0)).toBe(10);
  });

  it("names the field that is wrong", () => {
    expect(errorOf((j) => (j.duts[0].count = 0))).toBe("duts[0].count: must be a whole number of at least 1, not 0");
    expect(errorOf((j) => (j.deviceGroups[1].type = "dutt"))).toMatch(/^deviceGroups\[1\]\.type: must be one of development, pre-factory, .* not "dutt"$/);
    expect(errorOf((j) => (j.deviceGroups[2].productionTarget = "nowhere"))).toBe('deviceGroups[2].productionTarget: no device group is named "nowhere"');
    expect(errorOf((j) => (j.fixtures[0].group = "lamp-dut"))).toBe('fixtures[0].group: "lamp-dut" is a dut group, not a fixture group (factory or pre-factory)');
    expect(errorOf((j) => (j.deviceGroups[0].deployment.device = "missing.nut"))).toMatch(/^deviceGroups\[0\]\.deployment\.device: file missing\.nut not found/);
    expect(errorOf((j) => (j.duts[0].stuckPins = { pinA: 2 }))).toBe("duts[0].stuckPins.pinA: must be 0 (stuck low) or 1 (stuck high), not 2");
    expect(errorOf((j) => (j.duts[0].expect = "sold"))).toBe('duts[0].expect: must be one of blessed, failed, unindicated, refused, not "sold"');
    expect(errorOf((j) => (j.deviceGroups[0].webhooks = [{ event: "blessing", url: "ftp://x" }]))).toBe('deviceGroups[0].webhooks[0].url: must be an http:// or https:// URL, not "ftp://x"');
    expect(errorOf((j) => (j.fixtures[0].colour = "red"))).toMatch(/^fixtures\[0\]\.colour: is not a line-file field/);
    expect(errorOf((j) => delete j.product)).toBe("product: must be a non-empty string, not missing");
  });

  it("says when the file is not JSON", () => {
    const { dir } = lineJson();
    const file = path.join(dir, "line.json");
    writeFileSync(file, "{ nope");
    expect(() => loadLine(dir)).toThrow(/line\.json: \(file\): not JSON/);
  });
});

describe("vimp factory", () => {
  it("exits 0 when every DUT ends as expected, 2 with the field for a bad line file", async () => {
    const { execFileSync, spawnSync } = await import("node:child_process");
    const bin = new URL("../../bin/vimp.js", import.meta.url).pathname;
    const sample = new URL("../../firmware-samples/factory", import.meta.url).pathname;
    const out = execFileSync("node", [bin, "factory", sample], { encoding: "utf8" });
    expect(out).toMatch(/\| blessed +\| +9 \| +9 \|/);
    expect(out).toMatch(/10\/10 DUTs as expected/);
    const { json, dir } = lineJson();
    json.duts = [{ count: -1 }];
    writeFileSync(path.join(dir, "line.json"), JSON.stringify(json));
    const bad = spawnSync("node", [bin, "factory", dir], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/duts\[0\]\.count: must be a whole number of at least 1, not -1/);
  });
});
