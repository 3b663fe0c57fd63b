// The imp006 as data (issue 12): its three groups of pins and their buses, selectable wherever a
// model is (bootDevice, board files), and the capability error for what a pin cannot do.
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { BoardError, parseBoard } from "../../src/board/board-file.ts";
import { imp006, modelNamed } from "../../src/device/models/index.ts";
import { bootDevice, type VirtualImp } from "../../src/testing/index.ts";

let imp: VirtualImp | null = null;
afterEach(async () => {
  await imp?.dispose();
  imp = null;
});

describe("the imp006", () => {
  it("has the pin-mux page's buses on its lettered pins, and W wakes it", () => {
    expect(modelNamed("imp006")).toBe(imp006);
    const names = imp006.buses.map((b) => b.name);
    for (const bus of [
      "uartABCD",
      "uartPQRS",
      "uartXEFGH",
      "spiEFGH",
      "spiXABCD",
      "i2cJK",
      "i2cLM",
      "i2cTU",
    ])
      expect(names).toContain(bus);
    const spi = imp006.buses.find((b) => b.name === "spiEFGH");
    expect(spi?.pins).toEqual({ mosi: "pinE", miso: "pinF", sclk: "pinG", cs: "pinH" });
    expect(
      imp006.pins.filter((p) => p.capabilities.includes("wakeUp")).map((p) => p.label),
    ).toEqual(["W"]);
    expect(imp006.pins.some((p) => p.label === "X")).toBe(false); // the imp003's pin X is not here
  });

  it("boots firmware that uses its pins and buses, and refuses what a pin lacks", async () => {
    imp = await bootDevice({
      model: "imp006",
      firmware: `
        server.log(imp.info().type);
        hardware.uartXEFGH.configure(115200, 8, PARITY_NONE, 1, NO_CTSRTS);
        hardware.i2cLM.configure(CLOCK_SPEED_400_KHZ);
        hardware.spiEFGH.configure(MSB_FIRST | CLOCK_IDLE_LOW, 1000);
        hardware.pinXA.configure(DIGITAL_OUT, 1);
        hardware.pinYM.configure(DIGITAL_OUT, 0);
        hardware.pinW.configure(DIGITAL_IN_WAKEUP);
        try { hardware.pinA.configure(ANALOG_IN); } catch (e) { server.log(e); }
        try { hardware.pin1.configure(DIGITAL_OUT); } catch (e) { server.log(e); }
        server.log("done");`,
    });
    await imp.waitForLog("done", "5s");
    expect(imp.logs[0]).toBe("imp006");
    expect(imp.logs[1]).toMatch(
      /^hardware\.pinA cannot be configured as ANALOG_IN: the imp006 pin A supports /,
    );
    expect(imp.logs[2]).toBe("the index 'pin1' does not exist");
    expect(imp.pinLevel("pinXA")).toBe(1);
    expect(imp.pinLevel("pinYM")).toBe(0);
  });

  it("is a board file's module, and the board's parts are checked against its pins", () => {
    const board = parseBoard(
      {
        module: "imp006",
        parts: [
          { type: "button", name: "go", pin: "pinW" },
          { type: "si7021", bus: "i2cTU" },
        ],
      },
      "board.json",
      tmpdir(),
    );
    expect(board.model.type).toBe("imp006");
    expect(() =>
      parseBoard(
        { module: "imp006", parts: [{ type: "led", pin: "pin9" }] },
        "board.json",
        tmpdir(),
      ),
    ).toThrow(BoardError);
    expect(() =>
      parseBoard(
        { module: "imp006", parts: [{ type: "led", pin: "pin9" }] },
        "board.json",
        tmpdir(),
      ),
    ).toThrow(/^board\.json: parts\[0\]\.pin: imp006 has no pin 9/);
  });
});
