// The rest of the imp family as data (issue 12): imp002, imp004m and imp005 beside the imp001 and
// imp003, each with the facts its public pages give (see the model files for the sources).
import { afterEach, describe, expect, it } from "vitest";
import { MODELS, imp002, imp004m, imp005 } from "../../src/device/models/index.ts";
import { bootDevice, type VirtualImp } from "../../src/testing/index.ts";

let imp: VirtualImp | null = null;
afterEach(async () => {
  await imp?.dispose();
  imp = null;
});

describe("the imp family", () => {
  it("has each module's pins and buses", () => {
    expect(imp002.pins.map((p) => p.label).join(" ")).toBe("1 2 5 6 7 8 9 A B C D E");
    expect(imp004m.pins).toHaveLength(18);
    expect(imp005.pins.map((p) => p.label).join(" ")).toBe(
      "A B C D E F G H J K L M N P Q R S T U V W Y XA XB XC XD XE",
    );
    expect(imp005.buses.map((b) => b.name)).toEqual([
      "uart0",
      "uart1",
      "uart2",
      "i2c0",
      "spi0",
      "spiBCAD",
    ]);
    expect(imp004m.buses.map((b) => b.name)).toContain("uartHJ");
    for (const model of Object.values(MODELS)) {
      expect(
        model.pins.filter((p) => p.capabilities.includes("wakeUp")),
        model.type,
      ).toHaveLength(1);
    }
  });

  it("has the differences that matter to firmware: memory, nv, analog out", () => {
    expect(imp004m.squirrelMemory).toBe(184 * 1024);
    expect(imp004m.hasNv).toBe(false);
    expect(imp004m.pins.some((p) => p.capabilities.includes("analogOut"))).toBe(false);
    expect(imp002.otherHardware).toEqual(["fixedfrequencydac", "sampler"]);
  });

  it("boots an imp005 that uses the fixture's buses, and refuses what the module lacks", async () => {
    imp = await bootDevice({
      model: "imp005",
      firmware: `
        server.log(imp.info().type + " " + imp.getmemoryfree());
        hardware.uart1.configure(9600, 8, PARITY_NONE, 1, NO_CTSRTS);
        hardware.i2c0.configure(CLOCK_SPEED_400_KHZ);
        hardware.pinM.configure(DIGITAL_OUT, 1);
        try { hardware.pinA.configure(ANALOG_IN); } catch (e) { server.log(e); }
        try { hardware.usb.configure(function(e, d) {}); } catch (e) { server.log(e); }
        try { imp.deepsleepfor(10); } catch (e) { server.log(e); }
        server.log("pin1 " + ("pin1" in hardware));`,
    });
    await imp.waitForLog("pin1 false", "5s");
    expect(imp.logs[0]).toMatch(/^imp005 \d+$/);
    expect(imp.logs[1]).toMatch(
      /^hardware\.pinA cannot be configured as ANALOG_IN: the imp005 pin A supports /,
    );
    expect(imp.logs[2]).toBe("hardware.usb is not emulated yet");
    expect(imp.logs[3]).toMatch(/imp005 cannot deep sleep/);
    expect(imp.pinLevel("pinM")).toBe(1);
  });
});
