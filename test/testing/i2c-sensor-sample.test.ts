// firmware-samples/i2c-sensor.device.nut, tested the way a firmware engineer would: with
// virtual-imp/testing and a fake Si7021 humidity sensor written here, in TypeScript.

import { afterEach, describe, expect, it } from "vitest";
import { bootDevice, type I2cPeripheral, type VirtualImp } from "../../src/testing/index.ts";

const FIRMWARE = new URL("../../firmware-samples/i2c-sensor.device.nut", import.meta.url).pathname;

/** The Si7021's 7-bit address (datasheet, "I2C Interface"). */
const SI7021_ADDRESS = 0x40;

/**
 * A Si7021 as the firmware sees it: command 0xE5 measures humidity and 0xE0 reads the
 * temperature taken with it, each as a 16-bit code (datasheet, "Measuring Relative Humidity").
 */
class FakeSi7021 implements I2cPeripheral {
  celsius = 21;
  humidity = 45;
  answering = true;
  readonly commands: number[] = [];

  write(): boolean {
    return this.answering;
  }

  read(register: Uint8Array, count: number): Uint8Array | null {
    if (!this.answering) return null;
    this.commands.push(register[0]!);
    const code =
      register[0] === 0xe5
        ? Math.round(((this.humidity + 6) * 65536) / 125)
        : Math.round(((this.celsius + 46.85) * 65536) / 175.72);
    return Uint8Array.of(code >> 8, code & 0xff).slice(0, count);
  }
}

let imp: VirtualImp | undefined;
afterEach(async () => {
  await imp?.dispose();
  imp = undefined;
});

async function boot(sensor?: FakeSi7021): Promise<VirtualImp> {
  imp = await bootDevice({
    firmwareFile: FIRMWARE,
    model: "imp001",
    peripherals:
      sensor === undefined ? [] : [{ i2c: "i2c89", address: SI7021_ADDRESS, model: sensor }],
  });
  return imp;
}

describe("i2c-sensor.device.nut", () => {
  it("logs the temperature and humidity it reads every ten seconds", async () => {
    const sensor = new FakeSi7021();
    const imp = await boot(sensor);
    const first = await imp.waitForLog(/temp=(\S+) C humidity=(\S+) %/, "5s");
    expect(first.match?.slice(1)).toEqual(["21.0", "45.0"]);
    sensor.celsius = 25.5;
    sensor.humidity = 52.25;
    const second = await imp.waitForLog(/temp=/, "11s");
    expect(second.message).toBe("temp=25.5 C humidity=52.3 %");
    expect(second.t - first.t).toBe(10_000_000);
    expect(sensor.commands.slice(0, 2)).toEqual([0xe5, 0xe0]);
    expect(imp.logs[0]).toBe("humidity monitor starting");
  });

  it("lights the warning LED on pin 9 while the air is damp", async () => {
    const sensor = new FakeSi7021();
    const imp = await boot(sensor);
    await imp.waitForLog(/temp=/, "5s");
    expect(imp.pinLevel("pin9")).toBe(0);
    sensor.humidity = 80;
    await imp.waitForPin("pin9", 1, "11s");
    sensor.humidity = 60;
    await imp.waitForPin("pin9", 0, "11s");
  });

  it("reports a sensor that stops answering and reads it again once it is back", async () => {
    const sensor = new FakeSi7021();
    const imp = await boot(sensor);
    await imp.waitForLog(/temp=/, "5s");
    sensor.answering = false;
    const error = await imp.waitForError(/Si7021 not answering \(I2C error (-?\d+)\)/, "11s");
    expect(Number(error.match![1])).toBeLessThan(0);
    sensor.answering = true;
    await imp.waitForLog("temp=21.0 C humidity=45.0 %", "11s");
    expect(imp.wakeReason).toBe("WAKEREASON_POWER_ON"); // a missing sensor is not a crash
  });

  it("reports the sensor missing when nothing is attached", async () => {
    const imp = await boot();
    await imp.waitForError("Si7021 not answering", "5s");
    expect(imp.logs).toEqual(["humidity monitor starting"]);
  });
});
