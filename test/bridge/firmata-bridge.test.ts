// The bridge against a real Firmata implementation (issue 12): StandardFirmata's own .hex on an
// emulated ATmega328P (avr8js), its USART on one end of a pseudo-terminal pair, the virtual imp's
// bridge on the other through serialport. Firmware blinks the Arduino's pin 13 (PB5 toggles),
// reads a button on its pin 2 and an analog level on A0.
import { afterEach, describe, expect, it } from "vitest";
import { parseBoard } from "../../src/board/board-file.ts";
import { HardwareBridge } from "../../src/bridge/hardware-bridge.ts";
import { WallClockRun } from "../../src/bridge/wall-clock-run.ts";
import { Simulation } from "../../src/world/simulation.ts";
import { MICROS_PER_SECOND } from "../../src/sim/scheduler.ts";
import { AvrUno } from "./avr-uno.ts";
import { missingForHil, STANDARD_FIRMATA_HEX } from "./hil-setup.ts";
import { ptyPair, type PtyPair } from "./pty-pair.ts";

const missing = missingForHil();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const FIRMWARE = `
  led <- hardware.pin9;
  led.configure(DIGITAL_OUT, 0);
  state <- 0;
  function blink() { state = 1 - state; led.write(state); imp.wakeup(0.25, blink); }
  blink();
  button <- hardware.pin1;
  button.configure(DIGITAL_IN_PULLUP, function() { server.log("button " + button.read()); });
  server.log("button at start " + button.read());
  level <- hardware.pin2;
  level.configure(ANALOG_IN);
  function sample() { server.log(format("A0 %.2f", level.read() / 65535.0)); imp.wakeup(0.5, sample); }
  sample();`;

describe.skipIf(missing !== null)(
  `the Firmata bridge against StandardFirmata on an emulated Uno${missing === null ? "" : ` (skipped: ${missing})`}`,
  () => {
    it("blinks pin 13, reads a button on pin 2 and a level on A0", async () => {
      const pty: PtyPair = await ptyPair();
      cleanup.push(() => pty.kill());
      const uno = new AvrUno(STANDARD_FIRMATA_HEX);
      uno.setAnalog(0, 2.5); // half of the Uno's 5 V reference
      uno.setDigital(2, true); // released: the pull-up holds it high
      await uno.start(pty.b);
      cleanup.push(() => uno.stop());

      const sim = new Simulation({ seed: "hil" });
      cleanup.push(() => sim.dispose());
      const device = sim.addDevice({ model: "imp001", firmware: FIRMWARE });
      const spec = parseBoard(
        {
          module: "imp001",
          bridge: {
            pin9: { firmata: pty.a, pin: 13 },
            pin1: { firmata: pty.a, pin: 2 },
            pin2: { firmata: pty.a, pin: "A0" },
          },
        },
        "bench.json",
      );
      const run = new WallClockRun(sim);
      // The emulated Uno boots (and blinks its version) before StandardFirmata answers.
      const bridge = await HardwareBridge.open(spec, device, sim, {
        input: (fn) => run.input(fn),
        answerTimeoutMs: 45_000,
      });
      cleanup.push(() => bridge.close());
      expect(bridge.firmware[0]!.firmware).toMatch(/^StandardFirmata\.ino 2\.\d+$/);
      const blinksBefore = uno.pin13.length;

      device.powerOn();
      const logs = () => sim.trace.ofKind("log", device.id).map((e) => e.data.message);
      // Each step waits for the firmware to see the one before, since on a busy machine the
      // emulated Uno and the imp's boot can lag the wall clock: the button is pressed once the
      // firmware read A0's first level, released once it saw the press, then A0 drops to 1 V; the run ends once the
      // firmware read that and pin 13 has blinked a while (or after 20 s).
      const at = (seconds: number, fn: () => void) => setTimeout(fn, seconds * 1000);
      let pressed = false;
      sim.trace.addListener((e) => {
        if (e.kind !== "log") return;
        const message = e.data.message;
        if (message === "A0 0.50" && !pressed) {
          pressed = true;
          at(0.3, () => uno.setDigital(2, false));
        }
        if (message === "button 0") at(0.2, () => uno.setDigital(2, true));
        if (message === "button 1") uno.setAnalog(0, 1.0);
        // Done once the firmware read the new level and pin 13 has blinked enough.
        if (message === "A0 0.20" && uno.pin13.length - blinksBefore >= 10) run.stop();
      });
      await run.run(20 * MICROS_PER_SECOND);

      // Pin 13 followed pin9: toggling every 250 ms of the run.
      const blinks = uno.pin13.slice(blinksBefore);
      expect(blinks.length).toBeGreaterThanOrEqual(8);
      expect(blinks.every((b, i) => i === 0 || b.level !== blinks[i - 1]!.level)).toBe(true);
      expect(logs()).toContain("button at start 1");
      expect(logs().filter((l) => l.startsWith("button ") && !l.includes("start"))).toEqual([
        "button 0",
        "button 1",
      ]);
      const levels = logs().filter((l) => l.startsWith("A0 "));
      expect(levels).toContain("A0 0.50");
      expect(levels.at(-1)).toBe("A0 0.20"); // 1.0 V of 5 V
      expect(sim.trace.ofKind("bridge", device.id).map((e) => e.data.state)).toEqual(["ready"]);
    }, 90_000);
  },
);
