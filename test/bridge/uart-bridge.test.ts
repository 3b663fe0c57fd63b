// An imp UART bridged to a serial port (issue 12): over a pseudo-terminal pair, a peer that
// echoes, and one that sends garbage and then disappears (the cable is pulled).
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { parseBoard } from "../../src/board/board-file.ts";
import { HardwareBridge } from "../../src/bridge/hardware-bridge.ts";
import { WallClockRun } from "../../src/bridge/wall-clock-run.ts";
import { MICROS_PER_SECOND } from "../../src/sim/scheduler.ts";
import { Simulation } from "../../src/world/simulation.ts";
import { hasSocat, ptyPair, type PtyPair } from "./pty-pair.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const FIRMWARE = `
  uart <- hardware.uart57;
  got <- 0;
  uart.configure(115200, 8, PARITY_NONE, 1, NO_CTSRTS, function() {
    local s = uart.readstring();
    got += s.len();
    local hex = "";
    foreach (b in s) hex += format("%02x", b);
    server.log(format("got %d bytes: %s", s.len(), hex));
  });
  function tick() { uart.write("ping\\n"); imp.wakeup(0.5, tick); }
  server.log("uart ready");
  tick();`;

async function bridged(pty: PtyPair) {
  const sim = new Simulation({ seed: "uart" });
  cleanup.push(() => sim.dispose());
  const device = sim.addDevice({ model: "imp001", firmware: FIRMWARE });
  const spec = parseBoard(
    { module: "imp001", bridge: { uart57: { serial: pty.a, baud: 115200 } } },
    "bench.json",
  );
  const run = new WallClockRun(sim);
  const bridge = await HardwareBridge.open(spec, device, sim, { input: (fn) => run.input(fn) });
  cleanup.push(() => bridge.close());
  const logs = () => sim.trace.ofKind("log", device.id).map((e) => e.data.message);
  return { sim, device, run, bridge, logs };
}

async function peer(
  path: string,
  onData: (data: Buffer, port: SerialPort) => void,
): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false, lock: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on("data", (data: Buffer) => onData(data, port));
  port.on("error", () => {});
  cleanup.push(
    () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  );
  return port;
}

describe.skipIf(!hasSocat())(
  `the UART bridge${hasSocat() ? "" : " (skipped: socat is not installed)"}`,
  () => {
    it("carries bytes both ways to a peer that echoes", async () => {
      const pty = await ptyPair();
      cleanup.push(() => pty.kill());
      const seen: string[] = [];
      await peer(pty.b, (data, port) => {
        seen.push(data.toString("latin1"));
        port.write(data.toString("latin1").toUpperCase());
      });
      const { sim, device, run, logs } = await bridged(pty);
      // Until the echo came back (the imp's boot can lag the wall clock on a busy machine), then a little more.
      sim.trace.addListener(
        (e) =>
          e.kind === "log" &&
          e.data.message.startsWith("got") &&
          setTimeout(() => run.stop(), 1200),
      );
      device.powerOn();
      await run.run(20 * MICROS_PER_SECOND);
      expect(seen.join("")).toMatch(/^(ping\n){2,}$/);
      expect(logs().filter((l) => l.startsWith("got"))).toContain("got 5 bytes: 50494e470a"); // "PING\n"
    });

    it("hands garbage to firmware as bytes, and goes on when the peer disappears", async () => {
      const pty = await ptyPair();
      cleanup.push(() => pty.kill());
      const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x1b, 0x5b, 0x07, 0x7f, 0xf0, 0xf7]);
      const port = await peer(pty.b, () => {});
      const { sim, device, run, logs, bridge } = await bridged(pty);
      // Garbage once the firmware listens; the cable is pulled once the firmware got it; the run
      // is let go on for a second of firmware writing to nobody (each step waits for the one
      // before, since the imp's boot can lag the wall clock on a busy machine).
      let lostAt = 0;
      sim.trace.addListener((e) => {
        if (e.kind === "log" && e.data.message === "uart ready")
          setTimeout(() => port.write(garbage), 300);
        if (e.kind === "log" && e.data.message.startsWith("got") && lostAt === 0)
          setTimeout(() => pty.kill(), 300);
        if (e.kind === "bridge" && e.data.state === "lost") {
          lostAt = e.t;
          setTimeout(() => run.stop(), 1000);
        }
      });
      device.powerOn();
      await run.run(20 * MICROS_PER_SECOND);
      const received = logs().filter((l) => l.startsWith("got"));
      expect(received.map((l) => l.replace(/^got \d+ bytes: /, "")).join("")).toBe(
        garbage.toString("hex"),
      );
      expect(
        sim.trace.ofKind("bridge", device.id).map((e) => `${e.data.state}: ${e.data.message}`),
      ).toEqual([
        "ready: uart57 bridged at 115200 baud",
        "lost: the port disappeared (cable pulled, or the other end closed); uart57 now talks to nobody",
      ]);
      expect(bridge.lost).toHaveLength(1);
      // The firmware went on writing to nobody after the loss, without an error.
      expect(lostAt).toBeGreaterThan(0);
      expect(sim.now).toBeGreaterThan(lostAt + 500_000);
      expect(sim.trace.ofKind("error", device.id)).toEqual([]);
    });
  },
);
