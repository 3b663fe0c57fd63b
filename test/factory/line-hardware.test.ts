// Boards and faults in a line file (issue 12): mistakes name the field, and a fraction of the
// DUTs gets a fault, chosen by the line's seed.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LineError, parseLine } from "../../src/factory/line-file.ts";
import { assignFaults } from "../../src/factory/line-hardware.ts";
import { bareBoard } from "../../src/factory/line-hardware.ts";
import { imp003 } from "../../src/device/models/index.ts";
import { lineJson } from "./line-fixture.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test breaks the line JSON its own way
function parse(mutate: (json: any) => void) {
  const { json, dir } = lineJson();
  mutate(json);
  return parseLine(json, path.join(dir, "line.json"));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
function errorOf(mutate: (json: any) => void): string {
  try {
    parse(mutate);
  } catch (error) {
    expect(error).toBeInstanceOf(LineError);
    const e = error as LineError;
    return e.message.slice(e.file.length + 2);
  }
  throw new Error("no error");
}

describe("line.json boards and faults", () => {
  it("names the field of a bad board or fault", () => {
    expect(errorOf((j) => (j.faults = [{ kind: "wire-open", part: "nope", duts: [1] }]))).toMatch(
      /^faults\[0\]\.part: .*dut\.board\.json has no part "nope"; a wire-open fault can name loopback$/,
    );
    expect(
      errorOf((j) => (j.faults = [{ kind: "rail-low", part: "climate", volts: 1, duts: [1] }])),
    ).toBe('faults[0].part: "climate" is a si7021; a rail-low fault needs a analog part');
    expect(
      errorOf(
        (j) => (j.faults = [{ kind: "stuck", pin: "pinA", level: 0, duts: [1], fraction: 0.5 }]),
      ),
    ).toBe(
      "faults[0]: needs exactly one of fraction (a share of the DUTs, 0 to 1) and duts (DUT numbers from 1)",
    );
    expect(errorOf((j) => (j.faults = [{ kind: "stuck", pin: "pinA", level: 0, duts: [2] }]))).toBe(
      "faults[0].duts[0]: must be a DUT number from 1 to 1, not 2",
    );
    expect(errorOf((j) => (j.faults = [{ kind: "melted", duts: [1] }]))).toMatch(
      /^faults\[0\]\.kind: must be one of wire-open, short-to-ground, stuck, /,
    );
    expect(
      errorOf((j) => (j.faults = [{ kind: "short-to-ground", pin: "pin1", fraction: 1 }])),
    ).toMatch(/^faults\[0\]\.pin: imp003 has no pin 1; /);
    expect(errorOf((j) => (j.duts[0].board = "missing.json"))).toMatch(
      /^duts\[0\]\.board: .*missing\.json: \(file\): not found$/,
    );
    expect(errorOf((j) => (j.duts[0].model = "imp001"))).toBe(
      "duts[0].model: imp001 does not match its board, whose module is imp003",
    );
  });

  it("gives a fraction of the DUTs a fault, the same ones for the same seed, each DUT one fault first", () => {
    const boards = Array.from({ length: 100 }, () => bareBoard(imp003));
    const faults = [
      {
        fault: { kind: "stuck", pin: "pinA", level: 0 } as const,
        field: "faults[0]",
        fraction: 0.1,
        duts: null,
        expect: "failed" as const,
      },
      {
        fault: { kind: "short-to-ground", pin: "pinE" } as const,
        field: "faults[1]",
        fraction: 0.05,
        duts: null,
        expect: "failed" as const,
      },
    ];
    const a = assignFaults("seed-1", faults, boards);
    expect(a.filter((f) => f.length > 0)).toHaveLength(15);
    expect(a.filter((f) => f.length > 1)).toHaveLength(0);
    expect(assignFaults("seed-1", faults, boards)).toEqual(a);
    expect(assignFaults("seed-2", faults, boards)).not.toEqual(a);
  });
});
