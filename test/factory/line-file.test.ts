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
    expect(spec.duts.reduce((n, d) => n + d.count, 0)).toBe(12);
    expect(spec.duts[0]!.board?.parts.map((p) => p.name)).toEqual([
      "touch",
      "rail",
      "loopback",
      "climate",
      "lamp",
    ]);
    expect(spec.faults.map((f) => f.fault.kind)).toEqual([
      "wire-open",
      "sensor-missing",
      "rail-low",
      "sensor-reading",
      "short-to-ground",
    ]);
  });

  it("takes imp006 DUTs, whose pins are checked against the imp006", () => {
    const { json, dir } = lineJson({
      duts: [{ count: 2, model: "imp006", stuckPins: { pinXA: 0 } }],
    });
    const spec = parseLine(json, path.join(dir, "line.json"));
    expect(spec.duts[0]!.model).toBe("imp006");
    expect(
      errorOf((j) => (j.duts[0] = { count: 1, model: "imp006", stuckPins: { pinX: 0 } })),
    ).toMatch(/^duts\[0\]\.stuckPins\.pinX: the imp006 has no pin "pinX"/);
  });

  it("names the field that is wrong", () => {
    expect(errorOf((j) => (j.duts[0].count = 0))).toBe(
      "duts[0].count: must be a whole number from 1 to 10000, not 0",
    );
    expect(errorOf((j) => (j.deviceGroups[1].type = "dutt"))).toMatch(
      /^deviceGroups\[1\]\.type: must be one of development, pre-factory, .* not "dutt"$/,
    );
    expect(errorOf((j) => (j.deviceGroups[2].productionTarget = "nowhere"))).toBe(
      'deviceGroups[2].productionTarget: no device group is named "nowhere"',
    );
    expect(errorOf((j) => (j.fixtures[0].group = "lamp-dut"))).toBe(
      'fixtures[0].group: "lamp-dut" is a dut group, not a fixture group (factory or pre-factory)',
    );
    expect(errorOf((j) => (j.deviceGroups[0].deployment.device = "missing.nut"))).toMatch(
      /^deviceGroups\[0\]\.deployment\.device: file missing\.nut not found/,
    );
    expect(errorOf((j) => (j.duts[0].stuckPins = { pinA: 2 }))).toBe(
      "duts[0].stuckPins.pinA: must be 0 (stuck low) or 1 (stuck high), not 2",
    );
    expect(errorOf((j) => (j.duts[0].expect = "sold"))).toBe(
      'duts[0].expect: must be one of blessed, failed, unindicated, refused, not "sold"',
    );
    expect(
      errorOf((j) => (j.deviceGroups[0].webhooks = [{ event: "blessing", url: "ftp://x" }])),
    ).toBe('deviceGroups[0].webhooks[0].url: must be an http:// or https:// URL, not "ftp://x"');
    expect(errorOf((j) => (j.fixtures[0].colour = "red"))).toMatch(
      /^fixtures\[0\]\.colour: is not a line-file field/,
    );
    expect(errorOf((j) => delete j.product)).toBe(
      "product: must be a non-empty string, not missing",
    );
  });

  it("bounds every number, naming the field", () => {
    expect(errorOf((j) => (j.duts[0].count = 1e300))).toBe(
      "duts[0].count: must be a whole number from 1 to 10000, not 1e+300",
    );
    expect(errorOf((j) => (j.duts = [{ count: 6000 }, { count: 6000 }]))).toBe(
      "duts: a line has at most 10000 DUTs in all, not 12000",
    );
    expect(errorOf((j) => (j.stationTimeoutSeconds = 1e300))).toBe(
      "stationTimeoutSeconds: must be a whole number from 1 to 86400, not 1e+300",
    );
    expect(errorOf((j) => (j.stationTimeoutSeconds = 0.5))).toBe(
      "stationTimeoutSeconds: must be a whole number from 1 to 86400, not 0.5",
    );
    expect(errorOf((j) => (j.stationTimeoutSeconds = "60"))).toBe(
      'stationTimeoutSeconds: must be a whole number from 1 to 86400, not "60"',
    );
    expect(
      errorOf(
        (j) =>
          (j.fixtures = Array.from({ length: 65 }, (_, i) => ({
            ...j.fixtures[0],
            name: `f${i}`,
          }))),
      ),
    ).toBe("fixtures: a line has at most 64 fixtures, not 65");
    expect(errorOf((j) => (j.activate = 1))).toBe("activate: must be true or false, not 1");
  });

  it("names the field of every mistake that used to be an internal error", () => {
    // Targets: itself, the two swapped, the other zone, and targets on a group that is not a fixture group.
    expect(errorOf((j) => (j.deviceGroups[2].dutTarget = "lamp-fixtures"))).toBe(
      'deviceGroups[2].dutTarget: "lamp-fixtures" is a factory group; the dutTarget of a factory group must be a dut group',
    );
    expect(
      errorOf((j) => {
        j.deviceGroups[2].dutTarget = "lamp-production";
        j.deviceGroups[2].productionTarget = "lamp-dut";
      }),
    ).toBe(
      'deviceGroups[2].dutTarget: "lamp-production" is a production group; the dutTarget of a factory group must be a dut group',
    );
    expect(errorOf((j) => (j.deviceGroups[2].type = "pre-factory"))).toBe(
      'deviceGroups[2].dutTarget: "lamp-dut" is a dut group; the dutTarget of a pre-factory group must be a pre-dut group',
    );
    expect(errorOf((j) => (j.deviceGroups[1].productionTarget = "lamp-production"))).toBe(
      "deviceGroups[1].productionTarget: only fixture groups (factory, pre-factory) have targets; this group is dut",
    );
    // Pins the model lacks.
    expect(errorOf((j) => (j.fixtures[0].blinkUpLed = "pin9"))).toBe(
      'fixtures[0].blinkUpLed: the imp003 has no pin "pin9" (its pins: pinA, pinB, pinC, pinD, pinE, pinF, pinG, pinH, pinJ, pinK, pinL, pinM, pinN, pinP, pinQ, pinR, pinS, pinT, pinU, pinV, pinW, pinX, pinY)',
    );
    expect(errorOf((j) => (j.fixtures[0].button = "pinQQ"))).toMatch(
      /^fixtures\[0\]\.button: the imp003 has no pin "pinQQ"/,
    );
    expect(errorOf((j) => (j.fixtures[0].button = "pinB"))).toBe(
      "fixtures[0].button: is the BlinkUp LED's pin pinB; the button needs a pin of its own",
    );
    expect(errorOf((j) => (j.duts[0].stuckPins = { pin99: 0 }))).toMatch(
      /^duts\[0\]\.stuckPins\.pin99: the imp003 has no pin "pin99"/,
    );
    expect(errorOf((j) => (j.fixtures = [j.fixtures[0], j.fixtures[0]]))).toBe(
      'fixtures[1].name: "fixture-1" is used by another fixture',
    );
    // Firmware that is a directory or does not compile.
    expect(errorOf((j) => (j.deviceGroups[0].deployment.device = "."))).toBe(
      "deviceGroups[0].deployment.device: . is a directory, not a Squirrel file",
    );
    expect(
      errorOf((j) => {
        const { dir } = lineJson();
        writeFileSync(path.join(dir, "broken.nut"), 'server.log("a");\nlocal x = (1 + ;\n');
        j.deviceGroups[1].deployment.device = path.join(dir, "broken.nut");
      }),
    ).toMatch(
      /^deviceGroups\[1\]\.deployment\.device: \/.*broken\.nut:2:\d+: .* \(the firmware does not compile\)$/,
    );
    // A webhook event that does not fit its group.
    expect(
      errorOf(
        (j) => (j.deviceGroups[1].webhooks = [{ event: "blessing", url: "http://127.0.0.1:1/x" }]),
      ),
    ).toBe(
      "deviceGroups[1].webhooks[0].event: blessing webhooks are set on production groups (seed 003); this group is dut",
    );
  });

  it("accepts a UTF-8 byte-order mark at the start of line.json", () => {
    const { json, dir } = lineJson();
    writeFileSync(path.join(dir, "line.json"), "\uFEFF" + JSON.stringify(json));
    expect(loadLine(dir).product).toBe("SmartLamp");
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
    expect(out).toMatch(/\| blessed +\| +6 \| +6 \|/);
    expect(out).toMatch(/\| wire-open loopback +\| +1 \| +1 \| +0 \|/);
    expect(out).toMatch(/12\/12 DUTs as expected/);
    const { json, dir } = lineJson();
    json.duts = [{ count: -1 }];
    writeFileSync(path.join(dir, "line.json"), JSON.stringify(json));
    const bad = spawnSync("node", [bin, "factory", dir], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/duts\[0\]\.count: must be a whole number from 1 to 10000, not -1/);
  });
});
