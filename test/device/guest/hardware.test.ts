import { describe, expect, it } from "vitest";
import { imp001 } from "../../../src/device/models/imp001.ts";
import { imp003 } from "../../../src/device/models/imp003.ts";
import { PIN_MODES } from "../../../src/device/shared/pin-modes.ts";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { run } = deviceTests();

describe("hardware on the device", () => {
  it("should give one pin object and one bus object per model pin and bus, each a meta object", async () => {
    const names = [...imp001.pins.map((p) => p.name), ...imp001.buses.map((b) => b.name)];
    const { host, status } = await run(`
foreach (name in ${JSON.stringify(names)}) server.log(name + " " + typeof hardware[name] + " " + type(hardware[name]));
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(names.map((n) => `${n} meta meta`));
  });

  it("should fail as the imp does for a pin or bus the model lacks", async () => {
    const { host } = await run(
      `
try { hardware.pin1; } catch (e) { server.log(e); }
try { hardware.i2c89; } catch (e) { server.log(e); }
server.log(typeof hardware.pinA + " " + ("pin1" in hardware) + " " + ("pinW" in hardware));
`,
      { model: imp003 },
    );
    expect(host.logs).toEqual([
      "the index 'pin1' does not exist",
      "the index 'i2c89' does not exist",
      "meta false true",
    ]);
  });

  it("should pass configure, write, read and disable to the host with their arguments", async () => {
    const { host, status } = await run(
      `
hardware.pin1.configure(DIGITAL_OUT);
hardware.pin2.configure(DIGITAL_OUT_OD, 1);
hardware.pin5.configure(PWM_OUT, 0.5, 0.25);
hardware.pin7.configure(ANALOG_IN);
hardware.pin1.write(1);
hardware.pin5.write(0.75);
server.log(hardware.pin7.read());
hardware.pin1.disable();
`,
      { host: Object.assign(new FakeHost(), { pinLevels: { pin7: 40000 } }) },
    );
    expect(status).toBe(0);
    expect(host.calls.filter((c) => c[0].startsWith("pin"))).toEqual([
      ["pinConfigure", "pin1", PIN_MODES.DIGITAL_OUT, "[]", 0],
      ["pinConfigure", "pin2", PIN_MODES.DIGITAL_OUT_OD, "[1]", 0],
      ["pinConfigure", "pin5", PIN_MODES.PWM_OUT, "[0.5,0.25]", 0],
      ["pinConfigure", "pin7", PIN_MODES.ANALOG_IN, "[]", 0],
      ["pinWrite", "pin1", 1],
      ["pinWrite", "pin5", 0.75],
      ["pinRead", "pin7"],
      ["pinDisable", "pin1"],
    ]);
    expect(host.logs).toEqual(["40000"]);
  });

  it("should turn the host's text for a mode the pin lacks into a Squirrel error firmware can catch", async () => {
    const host = new FakeHost();
    host.pinConfigureError = (pin, mode) =>
      pin === "pin2" && mode === PIN_MODES.ANALOG_OUT
        ? "hardware.pin2 cannot be configured as ANALOG_OUT"
        : undefined;
    const { status } = await run(
      `
try {
  hardware.pin2.configure(ANALOG_OUT);
} catch (e) {
  server.log("caught: " + e + " (" + typeof e + ")");
}
hardware.pin2.configure(ANALOG_OUT);
`,
      { host },
    );
    expect(status).toBe(1);
    expect(host.logs).toEqual([
      "caught: hardware.pin2 cannot be configured as ANALOG_OUT (string)",
    ]);
    expect(host.errors).toEqual([
      "hardware.pin2 cannot be configured as ANALOG_OUT",
      "  in main device_code:7",
    ]);
  });

  it("should call a digital input's callback with no arguments when the host dispatches its id", async () => {
    const { device, host } = await run(`
hardware.pin1.configure(DIGITAL_IN_PULLUP, function() {
  server.log("pin1 is " + hardware.pin1.read());
});
`);
    const [pin, mode, args, id] = host.callsTo("pinConfigure")[0]!;
    expect([pin, mode, args]).toEqual(["pin1", PIN_MODES.DIGITAL_IN_PULLUP, "[]"]);
    expect(id).toBeGreaterThan(0);
    host.pinLevels.pin1 = 1;
    expect(device.dispatch(id as number)).toBe(0);
    // whatever the event carries, the imp calls a pin callback with no arguments (/api/imp/onidle)
    expect(device.dispatch(id as number, [1])).toBe(0);
    expect(host.logs).toEqual(["pin1 is 1", "pin1 is 1"]);
  });

  it("should drop a pin's callback when the pin is configured again or disabled", async () => {
    const { device, host } = await run(`
hardware.pin1.configure(DIGITAL_IN, function() { server.log("first"); });
hardware.pin1.configure(DIGITAL_IN, function() { server.log("second"); });
`);
    const [first, second] = host.callsTo("pinConfigure").map((c) => c[3] as number);
    device.dispatch(first!);
    device.dispatch(second!);
    expect(host.logs).toEqual(["second"]);
    device.run("hardware.pin1.disable();", "more_code");
    device.dispatch(second!);
    expect(host.logs).toEqual(["second"]);
  });

  it("should answer wakereason, getdeviceid, micros, millis and voltage from the boot and the host", async () => {
    const host = new FakeHost();
    host.uptime = 2_500_000_123; // past 2^31 µs: micros() has gone negative (/api/hardware)
    const { status } = await run(
      `
server.log(hardware.wakereason() == WAKEREASON_TIMER);
server.log(hardware.getdeviceid());
server.log(hardware.micros());
server.log(hardware.millis());
server.log(typeof hardware.voltage() + " " + hardware.voltage());
server.log(hardware.lightlevel());
`,
      { host, boot: { wakeReason: 1 } },
    );
    expect(status).toBe(0);
    expect(host.logs).toEqual([
      "true",
      "0123456789abcdef",
      String(2_500_000_123 | 0),
      "2500000",
      "float 3.3",
      "32768",
    ]);
  });

  it("should make every member the emulator lacks loud, naming it, and keep unknown names the imp's error", async () => {
    const { host } = await run(`
foreach (f in [
  function() { return hardware.vbat; },
  function() { return hardware.fixedfrequencydac; },
  function() { return hardware.pin1.getdelay; },
  function() { return hardware.spi257.chipselect; },
  function() { return hardware.nosuchthing; },
  function() { return hardware.pin1.nosuchthing; },
]) {
  try { f(); server.log("no error"); } catch (e) { server.log(e); }
}
server.log(("vbat" in hardware) + " " + ("configure" in hardware.pin1) + " " + ("nosuch" in hardware.pin1));
server.log(hardware.len() > 0);
`);
    expect(host.logs).toEqual([
      "hardware.vbat is not emulated yet",
      "hardware.fixedfrequencydac is not emulated yet",
      "hardware.pin1.getdelay is not emulated yet",
      "hardware.spi257.chipselect is not emulated yet",
      "the index 'nosuchthing' does not exist",
      "the index 'nosuchthing' does not exist",
      "false true false",
      "true",
    ]);
  });

  it("should have no light sensor on the imp003", async () => {
    const { host } = await run(`try { hardware.lightlevel(); } catch (e) { server.log(e); }`, {
      model: imp003,
    });
    expect(host.logs).toEqual(["hardware.lightlevel is not emulated yet"]);
  });

  it("should check pin arguments the way the imp's natives do", async () => {
    const { host } = await run(`
foreach (f in [
  function() { hardware.pin1.configure("out"); },
  function() { hardware.pin1.write("high"); },
  function() { hardware.pin1.configure(DIGITAL_OUT, "x"); },
  function() { hardware.pin1.read(1); },
]) {
  try { f(); } catch (e) { server.log(e); }
}
`);
    expect(host.logs).toEqual([
      "parameter 1 has an invalid type 'string' ; expected: 'integer'",
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float|bool'",
      "hardware.pin1.configure(): parameter 2 must be a number or a function",
      "wrong number of parameters",
    ]);
  });

  it("should pass I2C calls and their bytes to the host", async () => {
    const { host, status } = await run(`
local i2c = hardware.i2c89;
i2c.configure(CLOCK_SPEED_400_KHZ);
server.log(i2c.write(0x80, "\\x01\\x02"));
local b = blob(2); b.writen(0x0304, 'w');
i2c.write(0x80, b);
local r = i2c.read(0x80, "\\x00", 2);
server.log(typeof r + " " + r.len() + " " + r[0] + " " + r[1]);
server.log(i2c.readerror());
i2c.disable();
`);
    expect(status).toBe(0);
    expect(host.calls.filter((c) => c[0].startsWith("i2c") || c[0].startsWith("bus"))).toEqual([
      ["busConfigure", "i2c89", "[400000]", 0],
      ["i2cWrite", "i2c89", 0x80, "\u0001\u0002"],
      ["i2cWrite", "i2c89", 0x80, "\u0004\u0003"],
      ["i2cRead", "i2c89", 0x80, "\u0000", 2],
      ["i2cReadError", "i2c89"],
      ["busDisable", "i2c89"],
    ]);
    expect(host.logs).toEqual(["0", "string 2 18 52", "-2"]);
  });

  it("should give back what was passed to SPI: a string for a string, a blob for a blob", async () => {
    const { host, status } = await run(`
local spi = hardware.spi257;
server.log(spi.configure(MSB_FIRST | CLOCK_IDLE_LOW, 1000));
server.log(spi.writeread("abc"));
local b = blob(); b.writestring("xyz");
local r = spi.writeread(b);
server.log(typeof r + " " + r.tostring());
server.log(typeof spi.readblob(2) + " " + spi.readstring(2).len());
`);
    expect(status).toBe(0);
    expect(host.logs).toEqual(["1000", "cba", "blob zyx", "blob 2"]);
    expect(host.callsTo("busConfigure")).toEqual([["spi257", "[0,1000]", 0]]);
  });

  it("should configure a UART with a callback the host can dispatch, and read its bytes", async () => {
    const host = new FakeHost();
    host.uartInput.uart57 = [0x68, 0x69, 0x21];
    const { device, status } = await run(
      `
local uart = hardware.uart57;
server.log(uart.configure(9600, 8, PARITY_NONE, 1, NO_CTSRTS, function() {
  server.log("rx " + uart.readstring());
}));
uart.write("AT\\r");
uart.write(0x41);
`,
      { host },
    );
    expect(status).toBe(0);
    const [bus, args, id] = host.callsTo("busConfigure")[0]!;
    expect([bus, JSON.parse(args as string)]).toEqual(["uart57", [9600, 8, 0, 1, 0x80]]);
    expect(host.callsTo("uartWrite")).toEqual([
      ["uart57", "AT\r"],
      ["uart57", "A"],
    ]);
    expect(device.dispatch(id as number)).toBe(0);
    expect(host.logs).toEqual(["9600", "rx hi!"]);
  });
});
