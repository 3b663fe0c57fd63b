// Factory and production agents on the sample SmartLamp line (firmware-samples/factory): each DUT's
// agent posts its result to its fixture's agent URL (imp.configparams.factory_fixture_url), the
// fixture's agent prints a label line, and an activated lamp's production agent runs.

import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ProductionLine } from "../../src/factory/production-line.ts";
import { loadLine } from "../../src/factory/line-file.ts";

const LINE = fileURLToPath(new URL("../../firmware-samples/factory", import.meta.url));

let line: ProductionLine | undefined;
afterEach(async () => {
  await line?.dispose();
  line = undefined;
});

describe("agents on a production line", () => {
  it("DUT agents post results to their fixture's agent, which prints one label per DUT", async () => {
    line = new ProductionLine({ ...loadLine(LINE), activate: true });
    const report = await line.run();
    expect(report.ok).toBe(true);
    const trace = line.sim.trace;
    const agentLines = (device: string) =>
      trace
        .ofKind("log", device)
        .filter((e) => e.data.source === "agent")
        .map((e) => e.data.message);
    const fixtures = [
      ...new Set(
        trace
          .ofKind("log")
          .filter(
            (e) => e.data.source === "agent" && e.data.message.startsWith("fixture agent ready"),
          )
          .map((e) => e.device!),
      ),
    ];
    expect(fixtures).toHaveLength(2);
    const labels = fixtures.flatMap((f) => agentLines(f).filter((l) => l.startsWith("LABEL")));
    // One label per DUT: PASS for each blessed, FAIL for each that failed its self-test.
    expect(labels).toHaveLength(report.duts.length);
    for (const label of labels)
      expect(label).toMatch(/^LABEL \d{3} SmartLamp [0-9a-f]{16} [0-9a-f]{12} (PASS|FAIL)$/);
    const failed = report.duts.filter((d) => d.outcome === "failed").map((d) => d.deviceId);
    expect(failed.length).toBeGreaterThan(0);
    expect(
      labels
        .filter((l) => l.endsWith("FAIL"))
        .map((l) => l.split(" ")[3])
        .sort(),
    ).toEqual([...failed].sort());
    // Each DUT's agent heard back from the fixture's.
    const duts = report.duts.map((d) => d.deviceId);
    for (const id of duts)
      expect(agentLines(id).some((l) => /^fixture printed label \d+ for /.test(l))).toBe(true);
    // The DUT agent reached the fixture agent at the URL the cloud gave it.
    const dutAgent = line.sim.agent(duts[0]!);
    expect(dutAgent).toBeDefined();
    // Activated lamps run the production agent, which logs what the lamp reports.
    const blessed = report.duts.filter((d) => d.outcome === "blessed").map((d) => d.deviceId);
    expect(blessed.length).toBe(report.duts.length - failed.length);
    // (wake reason 9: the end user's BlinkUp started the application.)
    for (const id of blessed)
      expect(agentLines(id)).toContain('lamp status: { "version": "1.0.0", "wakereason": 9 }');
    // No agent failed along the way.
    expect(
      trace
        .ofKind("error")
        .filter((e) => e.data.source === "agent")
        .map((e) => e.data.message),
    ).toEqual([]);
  });
});
