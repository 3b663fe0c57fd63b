// firmware-samples/thermometer.{device,agent}.nut — a device reading served by its agent over
// HTTP — tested as a firmware engineer would, with virtual-imp/testing and the fake TMP102.

import { afterEach, describe, expect, it } from "vitest";
import {
  bootDevice,
  FakeTemperatureSensor,
  TMP102_ADDRESS,
  type VirtualImp,
} from "../../src/testing/index.ts";

const DEVICE = new URL("../../firmware-samples/thermometer.device.nut", import.meta.url).pathname;
const AGENT = new URL("../../firmware-samples/thermometer.agent.nut", import.meta.url).pathname;

let imp: VirtualImp | undefined;
afterEach(async () => {
  await imp?.dispose();
  imp = undefined;
});

async function boot(sensor: FakeTemperatureSensor): Promise<VirtualImp> {
  imp = await bootDevice({
    firmwareFile: DEVICE,
    agentFile: AGENT,
    model: "imp001",
    peripherals: [{ i2c: "i2c89", address: TMP102_ADDRESS, model: sensor }],
  });
  return imp;
}

describe("thermometer sample", () => {
  it("serves the device's latest reading at /temperature, and 503 before the first", async () => {
    const sensor = new FakeTemperatureSensor(21.5);
    const imp = await boot(sensor);
    expect((await imp.agent.request({ path: "/temperature" })).status).toBe(503);
    await imp.agent.waitForLog("21.50 C", "10s");
    const first = await imp.agent.request({ path: "/temperature" });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(first.body)).toEqual({ celsius: 21.5, at: expect.any(Number) });
    sensor.celsius = -3.25;
    await imp.agent.waitForLog("-3.25 C", "61s");
    expect(JSON.parse((await imp.agent.request({ path: "/temperature" })).body).celsius).toBe(
      -3.25,
    );
    expect(imp.agent.stored).toEqual({ celsius: -3.25, at: expect.any(Number) });
  });

  it("changes the device's measuring interval through PUT /interval", async () => {
    const imp = await boot(new FakeTemperatureSensor(20));
    await imp.agent.waitForMessage("reading", { timeout: "10s" });
    expect((await imp.agent.request({ method: "PUT", path: "/interval", body: "5" })).status).toBe(
      204,
    );
    await imp.waitForLog("measuring every 5 s", "1s");
    const t0 = (await imp.agent.waitForMessage("reading", { timeout: "6s" })).t;
    const t1 = (await imp.agent.waitForMessage("reading", { timeout: "6s" })).t;
    expect(t1 - t0).toBe(5_000_000);
    expect(
      (await imp.agent.request({ method: "PUT", path: "/interval", body: "soon" })).status,
    ).toBe(400);
    expect((await imp.agent.request({ path: "/nothing" })).status).toBe(404);
  });
});
