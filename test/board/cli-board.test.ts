// `vimp run --board`: the sample boards with their firmware, buttons pressed from --set, and a
// bad board file reported by part and field (exit status 2).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { describe, expect, it } from "vitest";

const VIMP = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
const SAMPLES = fileURLToPath(new URL("../../firmware-samples", import.meta.url));

function vimp(...args: string[]) {
  const r = spawnSync(process.execPath, [VIMP, ...args], {
    cwd: SAMPLES,
    timeout: 60_000,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("vimp run --board", () => {
  it("presses the sample button board's button from --set; the board's LED shows in the log", () => {
    const r = vimp(
      "run",
      "button.device.nut",
      "--board",
      "button.board.json",
      "--set",
      "button=pressed@3s",
      "--set",
      "button=released@3.2s",
      "--for",
      "5s",
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/on a virtual imp003 /); // the board's module, with no --model
    expect(r.stdout.split("\n").filter((l) => /\[(Board|Device)\]/.test(l))).toEqual([
      "2025-01-01T00:00:01.300Z [Device] button ready",
      "2025-01-01T00:00:03.000Z [Board] button button pressed",
      "2025-01-01T00:00:03.000Z [Device] button pressed (1)",
      "2025-01-01T00:00:03.000Z [Board] LED light on",
      "2025-01-01T00:00:03.200Z [Board] button button released",
      "2025-01-01T00:00:04.000Z [Board] LED light off",
    ]);
  });

  it("runs the sample sensor boards", () => {
    const rh = vimp(
      "run",
      "i2c-sensor.device.nut",
      "--board",
      "i2c-sensor.board.json",
      "--for",
      "2s",
    );
    expect(rh.stdout).toMatch(/\[Device\] temp=22\.5 C humidity=48\.0 %/);
    const logger = vimp(
      "run",
      "sleepy-logger.device.nut",
      "--board",
      "sleepy-logger.board.json",
      "--for",
      "3s",
    );
    expect(logger.stdout).toMatch(/\[Device\] wake 1: 19\.50/);
    const blink = vimp("run", "blink.device.nut", "--board", "blink.board.json", "--for", "2s");
    expect(blink.stdout).toMatch(/\[Board\] LED status on/);
  });

  it("stops with the part and field of a mistake, and a model that does not match", () => {
    const bad = vimp(
      "run",
      "blink.device.nut",
      "--board",
      path.join(SAMPLES, "factory", "line.json"),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line\.json: \(top level\)\.product: is not a field of this part/);
    const clash = vimp(
      "run",
      "blink.device.nut",
      "--board",
      "button.board.json",
      "--model",
      "imp001",
    );
    expect(clash.status).toBe(2);
    expect(clash.stderr).toBe(
      "vimp: --model imp001 does not match --board button.board.json, whose module is imp003; leave --model out (see vimp --help)\n",
    );
    const press = vimp(
      "run",
      "button.device.nut",
      "--board",
      "button.board.json",
      "--set",
      "button=down@1s",
    );
    expect(press.stderr).toMatch(/a button is pressed or released \(1 or 0\), not 'down'/);
  });
});
