// Lines for the factory tests: a line.json and its firmware written to a temporary directory,
// built from the sample's firmware unless a test gives its own.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseLine, type LineSpec } from "../../src/factory/line-file.ts";

export function sampleFile(name: string): string {
  return readFileSync(new URL(`../../firmware-samples/factory/${name}`, import.meta.url), "latin1");
}

export interface TestLine {
  fixture?: string;
  dut?: string;
  application?: string;
  loadCodeAfterBlessing?: boolean;
  webhooks?: { event: string; url: string; mime?: string }[];
  fixtures?: { model?: string; button?: string | null; blinkUpLed?: string }[];
  duts?: Record<string, unknown>[];
  activate?: boolean;
  stationTimeoutSeconds?: number;
  seed?: string;
}

/** The JSON of a line (the sample's shape), its firmware files written beside it. */
export function lineJson(options: TestLine = {}): { json: Record<string, unknown>; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "vimp-line-"));
  writeFileSync(
    path.join(dir, "fixture.device.nut"),
    options.fixture ?? sampleFile("fixture.device.nut"),
  );
  writeFileSync(path.join(dir, "dut.device.nut"), options.dut ?? sampleFile("dut.device.nut"));
  writeFileSync(
    path.join(dir, "application.device.nut"),
    options.application ?? sampleFile("application.device.nut"),
  );
  writeFileSync(path.join(dir, "dut.board.json"), sampleFile("dut.board.json"));
  // The sample DUT firmware tests its board (supply rail, loop-back, sensor): its DUTs get the sample's board.
  const withBoard = (d: Record<string, unknown>) =>
    options.dut === undefined && d.board === undefined && (d.model ?? "imp003") === "imp003"
      ? { ...d, board: "dut.board.json" }
      : d;
  const json = {
    product: "SmartLamp",
    seed: options.seed ?? "test-line",
    ...(options.activate !== undefined ? { activate: options.activate } : {}),
    ...(options.stationTimeoutSeconds !== undefined
      ? { stationTimeoutSeconds: options.stationTimeoutSeconds }
      : {}),
    deviceGroups: [
      {
        name: "lamp-production",
        type: "production",
        loadCodeAfterBlessing: options.loadCodeAfterBlessing ?? true,
        deployment: { device: "application.device.nut" },
        ...(options.webhooks !== undefined ? { webhooks: options.webhooks } : {}),
      },
      { name: "lamp-dut", type: "dut", deployment: { device: "dut.device.nut" } },
      {
        name: "lamp-fixtures",
        type: "factory",
        dutTarget: "lamp-dut",
        productionTarget: "lamp-production",
        deployment: { device: "fixture.device.nut" },
      },
    ],
    fixtures: (options.fixtures ?? [{}]).map((f, i) => ({
      name: `fixture-${i + 1}`,
      model: f.model ?? "imp003",
      group: "lamp-fixtures",
      blinkUpLed: f.blinkUpLed ?? "pinB",
      ...(f.button === null ? {} : { button: f.button ?? "pinC" }),
    })),
    duts: (options.duts ?? [{ count: 1 }]).map(withBoard),
  };
  return { json, dir };
}

export function testLine(options: TestLine = {}): LineSpec {
  const { json, dir } = lineJson(options);
  const file = path.join(dir, "line.json");
  writeFileSync(file, JSON.stringify(json, null, 2));
  return parseLine(json, file);
}
