import { describe, expect, it } from "vitest";
import { MODELS, imp001, imp003, modelNamed } from "../../src/device/models/index.ts";
import type { ImpModel, PinCapability } from "../../src/device/models/model.ts";

function pinsWith(model: ImpModel, capability: PinCapability): string[] {
  return model.pins.filter((pin) => pin.capabilities.includes(capability)).map((pin) => pin.label);
}

function checkBusesUseRealPins(model: ImpModel): void {
  const names = new Set(model.pins.map((pin) => pin.name));
  for (const bus of model.buses) {
    for (const pin of Object.values(bus.pins))
      expect(names.has(pin), `${bus.name} uses ${pin}`).toBe(true);
  }
}

describe("imp001 model", () => {
  it("should have pins 1, 2, 5, 7, 8 and 9 (pin 6 is the ID chip's)", () => {
    expect(imp001.pins.map((pin) => pin.name)).toEqual([
      "pin1",
      "pin2",
      "pin5",
      "pin7",
      "pin8",
      "pin9",
    ]);
  });

  it("should have ADC and PWM on every pin, DAC on 1 and 5, pulse counter and wake on 1 only", () => {
    expect(pinsWith(imp001, "analogIn")).toEqual(["1", "2", "5", "7", "8", "9"]);
    expect(pinsWith(imp001, "pwm")).toEqual(["1", "2", "5", "7", "8", "9"]);
    expect(pinsWith(imp001, "analogOut")).toEqual(["1", "5"]);
    expect(pinsWith(imp001, "pulseCounter")).toEqual(["1"]);
    expect(pinsWith(imp001, "wakeUp")).toEqual(["1"]);
  });

  it("should have the buses of the pin mux on their pins", () => {
    expect(imp001.buses.map((bus) => bus.name)).toEqual([
      "uart1289",
      "uart57",
      "uart12",
      "i2c89",
      "i2c12",
      "spi257",
      "spi189",
    ]);
    expect(imp001.buses.find((bus) => bus.name === "uart1289")?.pins).toEqual({
      tx: "pin8",
      rx: "pin9",
      rts: "pin2",
      cts: "pin1",
    });
    expect(imp001.buses.find((bus) => bus.name === "spi257")?.pins).toEqual({
      sclk: "pin5",
      mosi: "pin7",
      miso: "pin2",
    });
    checkBusesUseRealPins(imp001);
  });

  it("should state the imp001's facts: info type, no id from MAC, no power enable, no factory", () => {
    expect(imp001.info.type).toBe("imp001");
    expect(imp001.deviceIdFromMac).toBe(false);
    expect(imp001.hasPowerEnable).toBe(false);
    expect(imp001.factorySupported).toBe(false);
    expect(imp001.hasNv).toBe(true);
  });
});

describe("imp003 model", () => {
  it("should have the 23 lettered pins A to Y without I, O and Z", () => {
    expect(imp003.pins.map((pin) => pin.label).join("")).toBe("ABCDEFGHJKLMNPQRSTUVWXY");
  });

  it("should have DAC on A and C, wake on W, and no state-change callback on S and Y", () => {
    expect(pinsWith(imp003, "analogOut")).toEqual(["A", "C"]);
    expect(pinsWith(imp003, "wakeUp")).toEqual(["W"]);
    expect(
      imp003.pins
        .filter((pin) => !pin.capabilities.includes("stateChange"))
        .map((pin) => pin.label),
    ).toEqual(["S", "Y"]);
  });

  it("should allow ADC, PWM and pulse counting only on A B C E F K M W (permissive, /hardware/imp/imp003_pinmux)", () => {
    for (const capability of ["analogIn", "pwm", "pulseCounter"] as const) {
      expect(pinsWith(imp003, capability)).toEqual(["A", "B", "C", "E", "F", "K", "M", "W"]);
    }
  });

  it("should have every pin take digital in and out", () => {
    expect(pinsWith(imp003, "digitalIn")).toHaveLength(23);
    expect(pinsWith(imp003, "digitalOut")).toHaveLength(23);
  });

  it("should have the buses of /hardware/imp/imp003_pinmux on their pins, UARTs from 550 baud to 4.5 Mbaud", () => {
    expect(imp003.buses.map((bus) => bus.name)).toEqual([
      "uartFG",
      "uartQRPW",
      "uartUVGD",
      "uartWJ",
      "uartDM",
      "i2cFG",
      "i2cAB",
      "spiEBCA",
      "spiLGDK",
    ]);
    expect(imp003.buses.find((bus) => bus.name === "spiEBCA")?.pins).toEqual({
      mosi: "pinE",
      miso: "pinB",
      sclk: "pinC",
      cs: "pinA",
    });
    for (const bus of imp003.buses) {
      if (bus.kind === "uart") expect([bus.minBaud, bus.maxBaud]).toEqual([550, 4_500_000]);
    }
    checkBusesUseRealPins(imp003);
  });

  it("should have more memory for Squirrel than the imp001 and take its id from its MAC", () => {
    expect(imp003.squirrelMemory).toBeGreaterThan(imp001.squirrelMemory);
    expect(imp003.deviceIdFromMac).toBe(true);
    expect(imp003.statusLed.pads).toEqual(["LED_RED", "LED_GREEN"]);
  });
});

describe("modelNamed", () => {
  it("should find each model by its imp.info().type", () => {
    for (const [name, model] of Object.entries(MODELS)) expect(modelNamed(name)).toBe(model);
  });

  it("should name the emulated models when asked for another", () => {
    expect(() => modelNamed("imp009")).toThrow(
      "unknown imp model 'imp009'; the emulated models are imp001, imp002, imp003, imp004m, imp005 and imp006",
    );
  });
});
