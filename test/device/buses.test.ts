import { describe, expect, it } from "vitest";
import { Buses } from "../../src/device/buses.ts";
import { I2C_ERRORS } from "../../src/device/shared/i2c-errors.ts";
import { FakeTemperatureSensor, TMP102_ADDRESS } from "../../src/device/i2c-temperature-sensor.ts";
import { imp001, imp003 } from "../../src/device/models/index.ts";

function buses(model = imp001) {
  const uart: { bus: string; id: number }[] = [];
  const b = new Buses(model, { now: () => 0, onUartData: (bus, id) => uart.push({ bus, id }) });
  return { b, uart };
}

describe("Buses", () => {
  it("should answer I²C at a peripheral's address (8-bit on the wire, 7-bit when attached)", () => {
    const { b } = buses();
    const sensor = new FakeTemperatureSensor(25);
    b.attachI2C("i2c89", TMP102_ADDRESS, sensor);
    expect(b.i2cWrite("i2c89", TMP102_ADDRESS << 1, "\x00")).toBe(I2C_ERRORS.NOT_ENABLED);
    b.configure("i2c89", [400_000], 0);
    expect(b.i2cWrite("i2c89", TMP102_ADDRESS << 1, "\x00")).toBe(0);
    // 25 °C = 400 counts of 0.0625 °C, left-justified: 0x1900.
    expect(b.i2cRead("i2c89", TMP102_ADDRESS << 1, "\x00", 2)).toBe("\x19\x00");
    expect(b.i2cReadError("i2c89")).toBe(0);
  });

  it("should give the imp's error codes when no peripheral answers", () => {
    const { b } = buses();
    b.configure("i2c12", [100_000], 0);
    expect(b.i2cWrite("i2c12", 0x20, "\x01")).toBe(I2C_ERRORS.ADDRESS_NOT_ACKNOWLEDGED);
    expect(b.i2cRead("i2c12", 0x20, "\x01", 1)).toBeNull();
    expect(b.i2cReadError("i2c12")).toBe(I2C_ERRORS.READ_ADDRESS_NOT_ACKNOWLEDGED);
  });

  it("should reject buses the model lacks and baud rates out of the model's range", () => {
    const { b } = buses(imp003);
    expect(() => b.configure("i2c89", [400_000], 0)).toThrow(/the imp003 has no bus i2c89/);
    expect(() => b.configure("uartFG", [100, 8, 0, 1, 0], 0)).toThrow(/550 to 4500000 baud/);
    b.configure("uartFG", [115_200, 8, 0, 1, 0], 7);
  });

  it("should fill a UART's FIFO from its peripheral and tell the device once per burst", () => {
    const { b, uart } = buses();
    let send: ((bytes: string) => void) | undefined;
    const written: number[][] = [];
    b.attachUart("uart57", {
      attach: (port) => (send = (s) => port.send(s)),
      receive: (bytes) => written.push([...bytes]),
    });
    send!("lost"); // not configured: nobody listens
    b.configure("uart57", [9600, 8, 0, 1, 0], 3);
    b.uartWrite("uart57", "hi");
    send!("ok");
    expect(written).toEqual([[104, 105]]);
    expect(uart).toEqual([{ bus: "uart57", id: 3 }]);
    expect([b.uartRead("uart57"), b.uartRead("uart57"), b.uartRead("uart57")]).toEqual([
      111, 107, -1,
    ]);
  });

  it("should clock SPI through its peripheral, 0xff with none attached", () => {
    const { b } = buses();
    b.configure("spi257", [0, 1000], 0);
    expect(b.spiWriteRead("spi257", "\x01\x02")).toBe("\xff\xff");
    b.attachSpi("spi257", { transfer: (out) => Uint8Array.from(out, (x) => x ^ 0xff) });
    expect(b.spiWriteRead("spi257", "\x01\x02")).toBe("\xfe\xfd");
    b.reset();
    expect(() => b.spiWriteRead("spi257", "\x01")).toThrow(/not configured/);
  });
});

describe("FakeTemperatureSensor", () => {
  it("should encode negative temperatures as the TMP102 does and keep its other registers", () => {
    const sensor = new FakeTemperatureSensor(-25);
    // -25 °C = -400 counts = 0xE70, left-justified: 0xE700.
    expect([...sensor.read(Uint8Array.of(0), 2)]).toEqual([0xe7, 0x00]);
    sensor.write(Uint8Array.of(2, 0x12, 0x34));
    expect([...sensor.read(Uint8Array.of(2), 2)]).toEqual([0x12, 0x34]);
  });
});
