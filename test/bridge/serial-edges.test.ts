// The bridge at its edge (issue 12, "Robust at the edge"): a port that does not exist, one that
// is busy, a board that never answers, garbage on the line, a port that vanishes mid-run — each a
// clear message naming the port and a defined behaviour, never a host crash. The far end is a
// pseudo-terminal with a scripted peer.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { parseBoard } from "../../src/board/board-file.ts";
import { FirmataBoard } from "../../src/bridge/firmata-board.ts";
import { FirmataParser, type FirmataMessage } from "../../src/bridge/firmata-protocol.ts";
import { HardwareBridge } from "../../src/bridge/hardware-bridge.ts";
import { SerialLink, SerialLinkError } from "../../src/bridge/serial-link.ts";
import { WallClockRun } from "../../src/bridge/wall-clock-run.ts";
import { MICROS_PER_SECOND } from "../../src/sim/scheduler.ts";
import { Simulation } from "../../src/world/simulation.ts";
import { hasSocat, ptyPair } from "./pty-pair.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function peer(
  pathName: string,
  onData: (data: Buffer, port: SerialPort) => void = () => {},
): Promise<SerialPort> {
  const port = new SerialPort({ path: pathName, baudRate: 57_600, autoOpen: false, lock: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on("data", (data: Buffer) => onData(data, port));
  port.on("error", () => {});
  cleanup.push(
    () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  );
  return port;
}

const noop = () => {};

describe("the Firmata parser", () => {
  it("drops bytes that fit no message and keeps the messages around them", () => {
    const got: FirmataMessage[] = [];
    const parser = new FirmataParser((m) => got.push(m));
    parser.feed(
      Uint8Array.from([
        0x41, 0x42, 0xf9, 0x02, 0x05, 0x90, 0x04, 0x01, 0x33, 0xe0, 0x7f, 0x07, 0xf0, 0x79, 0x02,
        0x05, 0x41, 0x00, 0xf7, 0x91, 0x02,
      ]),
    );
    expect(got).toEqual([
      { kind: "version", major: 2, minor: 5 },
      { kind: "digital", port: 0, bits: 0x84 },
      { kind: "analog", channel: 0, value: 1023 },
      { kind: "firmware", major: 2, minor: 5, name: "A" },
    ]);
    expect(parser.garbage).toBe(3); // "A", "B" and the stray 0x33; the unfinished 0x91 message waits
  });
});

describe.skipIf(!hasSocat())(
  `serial ports that fail${hasSocat() ? "" : " (skipped: socat is not installed)"}`,
  () => {
    it("names a port that does not exist, and one that is busy", async () => {
      await expect(
        SerialLink.open({ path: "/dev/ttyVIMP404", baud: 57_600, onData: noop, onLost: noop }),
      ).rejects.toThrow(
        "/dev/ttyVIMP404: no such serial port (is the board plugged in? `ls /dev/tty*` lists the ports)",
      );
      const pty = await ptyPair();
      cleanup.push(() => pty.kill());
      const first = await SerialLink.open({
        path: pty.a,
        baud: 57_600,
        onData: noop,
        onLost: noop,
      });
      cleanup.push(() => first.close());
      await expect(
        SerialLink.open({ path: pty.a, baud: 57_600, onData: noop, onLost: noop }),
      ).rejects.toThrow(`${pty.a}: the port is busy: another program has it open`);
    });

    it("reports a board that does not answer the version query in time, by port", async () => {
      const pty = await ptyPair();
      cleanup.push(() => pty.kill());
      await peer(pty.b); // a sketch that is not Firmata: it never answers
      const error = await FirmataBoard.connect({
        path: pty.a,
        baud: 57_600,
        answerTimeoutMs: 700,
        onDigital: noop,
        onAnalog: noop,
        onLost: noop,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SerialLinkError);
      expect((error as Error).message).toBe(
        `${pty.a}: no answer to the Firmata version query within 0.7 s (is StandardFirmata running on the board, at 57600 baud?)`,
      );
    });

    it("drops garbage, and lets the bridged pins float when the port vanishes mid-run; the run goes on", async () => {
      const pty = await ptyPair();
      cleanup.push(() => pty.kill());
      // A scripted board: garbage first, then a Firmata version answer and a port report with pin 2 high.
      await peer(pty.b, (data, port) => {
        if (data.includes(0xf9)) port.write(Buffer.from([0x13, 0x37, 0xf9, 0x02, 0x05]));
        if (data.includes(0xd0)) port.write(Buffer.from([0x90, 0x04, 0x00, 0x55, 0xaa]));
      });
      const sim = new Simulation({ seed: "edge" });
      cleanup.push(() => sim.dispose());
      const firmware = `
      hardware.pin1.configure(DIGITAL_IN, function() { server.log("pin1 now " + hardware.pin1.read()); });
      function tick() { server.log("pin1 " + hardware.pin1.read()); imp.wakeup(0.5, tick); }
      tick();`;
      const device = sim.addDevice({ model: "imp001", firmware });
      const spec = parseBoard(
        { module: "imp001", bridge: { pin1: { firmata: pty.a, pin: 2 } } },
        "bench.json",
      );
      const run = new WallClockRun(sim);
      const lost: string[] = [];
      const bridge = await HardwareBridge.open(spec, device, sim, {
        input: (fn) => run.input(fn),
        answerTimeoutMs: 5000,
        onLost: (e) => lost.push(e.message),
      });
      cleanup.push(() => bridge.close());
      // The cable is pulled a second after the real pin's level reached the imp; the run goes on
      // for a second and a half after the loss (each step waits for the one before: the imp's
      // boot can lag the wall clock on a busy machine).
      let lostAt = 0;
      sim.trace.addListener((e) => {
        if (e.kind === "log" && e.data.message === "pin1 now 1") setTimeout(() => pty.kill(), 1000);
        if (e.kind === "bridge" && e.data.state === "lost") {
          lostAt = e.t;
          setTimeout(() => run.stop(), 1500);
        }
      });
      device.powerOn();
      await run.run(20 * MICROS_PER_SECOND);
      const logs = sim.trace.ofKind("log", device.id).map((e) => e.data.message);
      const high = logs.indexOf("pin1 now 1");
      const floating = logs.indexOf("pin1 now 0"); // a floating input reads 0
      expect(high).toBeGreaterThanOrEqual(0);
      expect(floating).toBeGreaterThan(high);
      expect(logs.slice(high + 1, floating)).toContain("pin1 1");
      expect(logs.at(-1)).toBe("pin1 0");
      const events = sim.trace.ofKind("bridge", device.id);
      expect(events.map((e) => e.data.state)).toEqual(["garbage", "ready", "garbage", "lost"]);
      expect(events.at(-1)!.data.message).toBe(
        "the port disappeared (cable pulled, or the other end closed); the pins bridged to it (pin1) now float",
      );
      expect(lost).toEqual([
        `${pty.a}: the port disappeared (cable pulled, or the other end closed)`,
      ]);
      expect(sim.now).toBeGreaterThan(lostAt + 1_000_000); // the run went on
    }, 20_000);

    it("vimp run stops before the run with the port's name when it cannot be opened", () => {
      const dir = mkdtempSync(path.join(tmpdir(), "vimp-bench-"));
      writeFileSync(
        path.join(dir, "bench.json"),
        JSON.stringify({
          module: "imp001",
          bridge: { pin9: { firmata: "/dev/ttyVIMP404", pin: 13 } },
        }),
      );
      writeFileSync(path.join(dir, "blink.device.nut"), "hardware.pin9.configure(DIGITAL_OUT, 1);");
      const vimp = fileURLToPath(new URL("../../bin/vimp.js", import.meta.url));
      const r = spawnSync(
        process.execPath,
        [vimp, "run", "blink.device.nut", "--board", "bench.json"],
        { cwd: dir, encoding: "utf8", timeout: 30_000 },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        "vimp: /dev/ttyVIMP404: no such serial port (is the board plugged in? `ls /dev/tty*` lists the ports)\n",
      );
    });
  },
);
