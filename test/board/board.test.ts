// Boards around a virtual imp (issue 12): buttons, LEDs, wires, pulls, analog sources and the
// bus parts, as firmware sees them, and the faults a board can be built with.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseBoard, type BoardSpec } from "../../src/board/board-file.ts";
import type { Fault } from "../../src/board/faults.ts";
import type { Si7021 } from "../../src/board/parts/si7021.ts";
import type { SpiFlash } from "../../src/board/parts/spi-flash.ts";
import { bootDevice, type VirtualImp } from "../../src/testing/index.ts";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const board = (parts: unknown[], module = "imp003"): BoardSpec =>
  parseBoard({ module, parts }, "board.json", path.join(HERE, "fixtures"));

let imp: VirtualImp | null = null;
afterEach(async () => {
  await imp?.dispose();
  imp = null;
});

async function boot(firmware: string, spec: BoardSpec, faults: Fault[] = []): Promise<VirtualImp> {
  imp = await bootDevice({ firmware, board: spec, faults });
  return imp;
}

describe("buttons, LEDs, wires and pulls", () => {
  it("an active-low button with its pull-up reads 1 released and 0 pressed; an LED part follows its pin", async () => {
    const spec = board([
      { type: "button", name: "go", pin: "pinW", active: "low", pull: "up" },
      { type: "led", name: "lamp", pin: "pinA", active: "low" },
    ]);
    const firmware = `
      hardware.pinA.configure(DIGITAL_OUT, 1);
      hardware.pinW.configure(DIGITAL_IN, function() {
        local v = hardware.pinW.read();
        server.log("button " + v);
        hardware.pinA.write(v);
      });
      server.log("idle " + hardware.pinW.read());`;
    const imp = await boot(firmware, spec);
    await imp.waitForLog("idle 1", "5s");
    expect(imp.board!.led("lamp")).toBe("off"); // active low, pin high
    imp.press("go");
    await imp.waitForLog("button 0", "1s");
    expect(imp.board!.led("lamp")).toBe("on");
    imp.release("go");
    await imp.waitForLog("button 1", "1s");
    expect(imp.events("part").map((e) => `${e.data.part} ${e.data.state}`)).toEqual([
      "go pressed",
      "lamp on",
      "go released",
      "lamp off",
    ]);
    expect(() => imp.press("stop")).toThrow(
      'board.json: no button named "stop"; its buttons are go',
    );
  });

  it("a loop-back wire carries an output to an input, and a pull through it; an open wire does not", async () => {
    const spec = board([
      { type: "wire", name: "loop", pins: ["pinD", "pinE"] },
      { type: "pull", name: "r1", pin: "pinK", to: "up" },
    ]);
    const firmware = `
      hardware.pinE.configure(DIGITAL_IN_PULLDOWN);
      hardware.pinD.configure(DIGITAL_OUT, 1);
      local high = hardware.pinE.read();
      hardware.pinD.write(0);
      local low = hardware.pinE.read();
      hardware.pinD.configure(DIGITAL_IN);
      hardware.pinE.configure(DIGITAL_IN_PULLUP);
      local pulled = hardware.pinD.read();
      hardware.pinK.configure(DIGITAL_IN_PULLDOWN);
      server.log("high " + high + " low " + low + " pulled " + pulled + " k " + hardware.pinK.read());`;
    let imp = await boot(firmware, spec);
    await imp.waitForLog("high 1 low 0 pulled 1 k 1", "5s");
    await imp.dispose();
    imp = await boot(firmware, spec, [{ kind: "wire-open", part: "loop" }]);
    await imp.waitForLog("high 0 low 0 pulled 0 k 1", "5s");
    await imp.dispose();
    imp = await boot(firmware, spec, [
      { kind: "short-to-ground", pin: "pinE" },
      { kind: "stuck", pin: "pinK", level: 0 },
    ]);
    await imp.waitForLog("high 0 low 0 pulled 0 k 0", "5s");
  });
});

describe("analog sources", () => {
  it("reads a fixed level, a waveform over time, and a low rail", async () => {
    const spec = board([
      { type: "analog", name: "rail", pin: "pinB", volts: 1.65 },
      {
        type: "analog",
        name: "wave",
        pin: "pinC",
        waveform: { shape: "sawtooth", min: 0, max: 3.3, period: "10s" },
      },
    ]);
    const firmware = `
      hardware.pinB.configure(ANALOG_IN);
      hardware.pinC.configure(ANALOG_IN);
      function tick() {
        server.log(format("rail %.2f wave %.2f", hardware.pinB.read() * 3.3 / 65535, hardware.pinC.read() * 3.3 / 65535));
        imp.wakeup(2.5, tick);
      }
      tick();`;
    let imp = await boot(firmware, spec);
    await imp.advance("8s");
    // The firmware starts 1.3 s after power-on; the sawtooth rises 3.3 V in 10 s from power-on.
    expect(imp.logs).toEqual(["rail 1.65 wave 0.43", "rail 1.65 wave 1.25", "rail 1.65 wave 2.08"]);
    imp.board!.setVolts("rail", 3.0);
    await imp.waitForLog("rail 3.00", "3s");
    await imp.dispose();
    imp = await boot(firmware, spec, [{ kind: "rail-low", part: "rail", volts: 1.2 }]);
    await imp.waitForLog(/^rail 1\.20 /, "3s");
  });
});

describe("bus parts", () => {
  it("an Si7021 answers humidity and temperature with its checksum; missing, it does not acknowledge", async () => {
    const spec = board([
      { type: "si7021", name: "climate", bus: "i2cFG", celsius: 24.5, humidity: 55 },
    ]);
    const firmware = `
      local i2c = hardware.i2cFG;
      i2c.configure(CLOCK_SPEED_400_KHZ);
      local rh = i2c.read(0x80, "\\xE5", 3);
      if (rh == null) { server.log("no answer " + i2c.readerror()); return; }
      local t = i2c.read(0x80, "\\xE0", 2);
      local id = i2c.read(0x80, "\\xFC\\xC9", 1);
      server.log(format("rh %.1f t %.1f crc %02x id %02x", 125.0 * ((rh[0] << 8) | rh[1]) / 65536 - 6, 175.72 * ((t[0] << 8) | t[1]) / 65536 - 46.85, rh[2], id[0]));`;
    let imp = await boot(firmware, spec);
    const line = await imp.waitForLog(/^rh/, "5s");
    expect(line.message).toMatch(/^rh 55\.0 t 24\.5 crc [0-9a-f]{2} id 15$/);
    imp.board!.part<Si7021>("climate").humidity = 80;
    await imp.dispose();
    imp = await boot(firmware, spec, [{ kind: "sensor-missing", part: "climate" }]);
    await imp.waitForLog(/^no answer -?\d+/, "5s");
    await imp.dispose();
    imp = await boot(firmware, spec, [{ kind: "sensor-reading", part: "climate", celsius: 99 }]);
    await imp.waitForLog(/^rh 55\.0 t 99\.0 /, "5s");
  });

  it("a register device keeps what is written; a TMP102 reads its temperature; a user model from a .ts file", async () => {
    const spec = board([
      {
        type: "i2c-device",
        name: "eeprom",
        bus: "i2cAB",
        address: "0x50",
        registers: { "0x10": [1, 2, 3] },
      },
      { type: "tmp102", name: "temp", bus: "i2cAB", celsius: -5.5 },
      {
        type: "i2c",
        name: "counter",
        bus: "i2cFG",
        address: 9,
        model: "./counter-sensor.ts",
        options: { start: 7 },
      },
    ]);
    const firmware = `
      local ab = hardware.i2cAB;
      ab.configure(CLOCK_SPEED_100_KHZ);
      ab.write(0xA0, "\\x11\\x2A");
      local regs = ab.read(0xA0, "\\x10", 3);
      local raw = ab.read(0x90, "\\x00", 2);
      local counts = ((raw[0] << 8) | raw[1]) >> 4;
      if (counts & 0x800) counts -= 0x1000;
      hardware.i2cFG.configure(CLOCK_SPEED_100_KHZ);
      local c1 = hardware.i2cFG.read(0x12, "", 1)[0];
      local c2 = hardware.i2cFG.read(0x12, "", 1)[0];
      server.log(format("regs %d %d %d temp %.2f counter %d %d", regs[0], regs[1], regs[2], counts * 0.0625, c1, c2));`;
    const imp = await boot(firmware, spec);
    await imp.waitForLog("regs 1 42 3 temp -5.50 counter 7 8", "5s");
  });

  it("a UART echo sends back what it gets; a terminal records lines and types at its times", async () => {
    const spec = board(
      [
        { type: "uart-echo", name: "plug", uart: "uartFG" },
        {
          type: "uart-terminal",
          name: "term",
          uart: "uartQRPW",
          send: [{ at: "3s", text: "status?\n" }],
        },
      ],
      "imp003",
    );
    const firmware = `
      local echo = hardware.uartFG;
      echo.configure(115200, 8, PARITY_NONE, 1, NO_CTSRTS, function() {
        server.log("echo " + echo.readstring());
      });
      local term = hardware.uartQRPW;
      term.configure(9600, 8, PARITY_NONE, 1, NO_CTSRTS, function() {
        local s = term.readstring();
        server.log("terminal typed " + s.len() + " bytes");
        term.write("OK\\r\\n");
      });
      echo.write("ping");
      term.write("hello\\nwor");
      term.write("ld\\n");`;
    const imp = await boot(firmware, spec);
    await imp.waitForLog("echo ping", "5s");
    await imp.waitForLog("terminal typed 8 bytes", "5s");
    expect(imp.events("part").map((e) => e.data.text)).toEqual(["hello", "world", "OK"]);
  });

  it("an SPI flash with a chip-select pin: JEDEC id, program a page after write enable, read back, erase", async () => {
    const spec = board([
      { type: "spi-flash", name: "flash", spi: "spiEBCA", cs: "pinD", size: 65536 },
    ]);
    const firmware = `
      local spi = hardware.spiEBCA;
      local cs = hardware.pinD;
      spi.configure(CLOCK_IDLE_LOW, 1000);
      cs.configure(DIGITAL_OUT, 1);
      function command(out, n) {
        cs.write(0);
        spi.write(out);
        local got = n > 0 ? spi.readstring(n) : "";
        cs.write(1);
        return got;
      }
      local id = command("\\x9F", 3);
      command("\\x02\\x00\\x01\\x00" + "imp", 0);            // no write enable: ignored
      local before = command("\\x03\\x00\\x01\\x00", 3);
      command("\\x06", 0);
      local wel = command("\\x05", 1)[0];
      command("\\x02\\x00\\x01\\x00" + "imp", 0);
      local after = command("\\x03\\x00\\x01\\x00", 3);
      server.log(format("id %02x%02x%02x wel %d before %02x after %s", id[0], id[1], id[2], wel, before[0], after));`;
    const imp = await boot(firmware, spec);
    await imp.waitForLog("id ef4014 wel 2 before ff after imp", "5s");
    const flash = imp.board!.part<SpiFlash>("flash");
    expect([...flash.memory.subarray(0x100, 0x103)]).toEqual([0x69, 0x6d, 0x70]);
  });
});
