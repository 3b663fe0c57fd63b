// Firmware talking to pluggable peripheral models (issue 3): a fake I²C temperature sensor,
// an SPI loopback and a UART echo, through the imp's bus objects.

import { describe, expect, it } from "vitest";
import { FakeTemperatureSensor, TMP102_ADDRESS } from "../../src/device/i2c-temperature-sensor.ts";
import type { UartPeripheral, UartPort } from "../../src/device/peripherals.ts";
import { logs, SECOND, simulation } from "./simulation-fixture.ts";

const READ_TMP102 = `
  local i2c = hardware.i2c89;
  i2c.configure(CLOCK_SPEED_400_KHZ);
  function read() {
    local raw = i2c.read(0x48 << 1, "\\x00", 2);
    if (raw == null) { server.log("read failed " + i2c.readerror()); return; }
    local counts = ((raw[0] << 8) | raw[1]) >> 4;
    if (counts & 0x800) counts -= 0x1000;
    server.log(format("%.2f C", counts * 0.0625));
  }
  read();
  imp.wakeup(1, read);`;

describe("peripherals", () => {
  it("reads a fake I²C temperature sensor", async () => {
    const sim = simulation();
    const device = sim.addDevice({ model: "imp001", firmware: READ_TMP102 });
    const sensor = new FakeTemperatureSensor(21.5);
    device.attachI2C("i2c89", TMP102_ADDRESS, sensor);
    device.powerOn();
    await sim.runFor(1.5 * SECOND);
    sensor.celsius = -10.25;
    await sim.runFor(2 * SECOND);
    expect(logs(sim, device)).toEqual(["21.50 C", "-10.25 C"]);
    expect(sensor.transactions[0]).toEqual({ kind: "read", bytes: [0] });
  });

  it("gives the imp's error when nothing answers at the address", async () => {
    const sim = simulation();
    const device = sim.addDevice({ model: "imp001", firmware: READ_TMP102, powerOn: true });
    await sim.runFor(2 * SECOND);
    expect(logs(sim, device)[0]).toBe("read failed -6");
  });

  it("exchanges bytes with SPI and UART models", async () => {
    const sim = simulation();
    const device = sim.addDevice({
      model: "imp003",
      firmware: `
        local spi = hardware.spiEBCA;
        spi.configure(0, 1000);
        server.log("spi " + spi.writeread("\\x01\\x02"));
        local uart = hardware.uartFG;
        uart.configure(115200, 8, PARITY_NONE, 1, 0, function() {
          local s = uart.readstring();
          server.log("uart got " + s);
        });
        uart.write("ping");`,
    });
    device.attachSpi("spiEBCA", { transfer: (out) => Uint8Array.from(out, (b) => b + 0x40) });
    let port: UartPort | undefined;
    const echo: UartPeripheral = {
      attach: (p) => {
        port = p;
      },
      receive: (bytes) => port!.send(Uint8Array.from(bytes).reverse()),
    };
    device.attachUart("uartFG", echo);
    device.powerOn();
    await sim.runFor(3 * SECOND);
    expect(logs(sim, device)).toEqual(["spi AB", "uart got gnip"]);
  });
});
