// Bad board files get a message naming the file, the part and the field (issue 12).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BoardError, loadBoard, parseBoard } from "../../src/board/board-file.ts";

function errorOf(json: unknown): string {
  try {
    parseBoard(json, "board.json", tmpdir());
  } catch (error) {
    expect(error).toBeInstanceOf(BoardError);
    return (error as BoardError).message;
  }
  throw new Error("no error");
}

const imp003 = (parts: unknown[], extra: Record<string, unknown> = {}) => ({
  module: "imp003",
  parts,
  ...extra,
});

describe("board files", () => {
  it("loads every sample board", () => {
    for (const name of [
      "blink",
      "button",
      "i2c-sensor",
      "sleepy-logger",
      "factory/dut",
      "factory/fixture",
    ]) {
      const board = loadBoard(
        new URL(`../../firmware-samples/${name}.board.json`, import.meta.url).pathname,
      );
      expect(board.parts.length).toBeGreaterThan(0);
    }
  });

  it("names the part and the field that is wrong", () => {
    expect(
      errorOf(
        imp003([
          { type: "led", pin: "pinA" },
          { type: "led", pin: "pinB" },
          { type: "button", pin: "pinX9" },
        ]),
      ),
    ).toMatch(/^board\.json: parts\[2\]\.pin: imp003 has no pin X9; its pins are pinA, pinB, /);
    expect(errorOf({ module: "imp009", parts: [] })).toMatch(
      /^board\.json: module: must be one of imp001, .*imp003.*, not "imp009"$/,
    );
    expect(errorOf(imp003([{ type: "lamp", pin: "pinA" }]))).toMatch(
      /^board\.json: parts\[0\]\.type: must be one of button, led, /,
    );
    expect(errorOf(imp003([{ type: "button", pin: "pinA", active: "sideways" }]))).toBe(
      'board.json: parts[0].active: must be one of low, high, not "sideways"',
    );
    expect(errorOf(imp003([{ type: "si7021", bus: "i2c89" }]))).toBe(
      "board.json: parts[0].bus: imp003 has no i2c bus i2c89; its i2c buses are i2cFG, i2cAB",
    );
    expect(errorOf(imp003([{ type: "analog", pin: "pinB", volts: 5 }]))).toBe(
      "board.json: parts[0].volts: must be a number from 0 to 3.3, not 5",
    );
    expect(errorOf(imp003([{ type: "analog", pin: "pinB" }]))).toBe(
      "board.json: parts[0]: an analog part needs exactly one of volts, fraction or waveform",
    );
    expect(
      errorOf(
        imp003([{ type: "analog", pin: "pinB", waveform: { shape: "sine", period: "soon" } }]),
      ),
    ).toMatch(/^board\.json: parts\[0\]\.waveform\.period: /);
    expect(errorOf(imp003([{ type: "wire", pins: ["pinD", "pinD"] }]))).toBe(
      "board.json: parts[0].pins: a wire joins two different pins, not pinD to itself",
    );
    expect(errorOf(imp003([{ type: "i2c-device", bus: "i2cFG", address: "0x80" }]))).toMatch(
      /^board\.json: parts\[0\]\.address: must be a whole number from 0 to 127/,
    );
    expect(
      errorOf(
        imp003([
          { type: "i2c-device", bus: "i2cFG", address: 64 },
          { type: "si7021", name: "rh", bus: "i2cFG" },
        ]),
      ),
    ).toBe('board.json: parts[1]: i2cFG address 0x40 is already taken by part "i2c-device-1"');
    expect(
      errorOf(
        imp003([
          { type: "led", name: "a", pin: "pinA" },
          { type: "led", name: "a", pin: "pinB" },
        ]),
      ),
    ).toBe('board.json: parts[1].name: "a" is also the name of parts[0]');
    expect(errorOf(imp003([{ type: "led", pin: "pinA", colour: "red", brightness: 3 }]))).toMatch(
      /^board\.json: parts\[0\]\.brightness: is not a field of this part/,
    );
    expect(
      errorOf(imp003([{ type: "i2c", bus: "i2cFG", address: 1, model: "./nowhere.ts" }])),
    ).toMatch(/^board\.json: parts\[0\]\.model: file \.\/nowhere\.ts not found/);
    expect(errorOf(imp003([{ type: "spi-flash", spi: "spiEBCA", size: 5000 }]))).toMatch(
      /^board\.json: parts\[0\]\.size: must be a power of two/,
    );
    expect(errorOf(imp003([], { bridge: { pinZ: { firmata: "/dev/ttyACM0", pin: 2 } } }))).toMatch(
      /^board\.json: bridge\.pinZ: imp003 has no pin or UART pinZ/,
    );
    expect(
      errorOf(
        imp003([{ type: "led", pin: "pinA" }], {
          bridge: { pinA: { firmata: "/dev/ttyACM0", pin: 13 } },
        }),
      ),
    ).toMatch(/^board\.json: bridge\.pinA: pinA is wired to a part of this board/);
  });

  it("says when the file is missing or not JSON", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-board-"));
    const file = path.join(dir, "board.json");
    expect(() => loadBoard(file)).toThrow(/board\.json: \(file\): not found/);
    writeFileSync(file, "{ nope");
    expect(() => loadBoard(file)).toThrow(/board\.json: \(file\): not JSON/);
  });
});
