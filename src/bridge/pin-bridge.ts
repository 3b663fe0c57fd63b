// Imp pins bridged to pins of a Firmata board (issue 12: `"pin9": { "firmata": "/dev/ttyACM0",
// "pin": 13 }`). The real pin follows what firmware configures the imp pin as:
//   DIGITAL_OUT            → OUTPUT, its level written on every change
//   DIGITAL_OUT_OD         → OUTPUT low, or INPUT (let go) for a 1
//   PWM_OUT, ANALOG_OUT    → PWM at the duty (a DAC level becomes a duty: Firmata has no DAC)
//   DIGITAL_IN, _WAKEUP    → INPUT, change reports on; the real level drives the imp pin
//   DIGITAL_IN_PULLUP      → PULLUP (Firmata 2.5's INPUT_PULLUP)
//   DIGITAL_IN_PULLDOWN    → INPUT: an AVR has no pull-down (noted in the trace)
//   ANALOG_IN              → ANALOG, reports on; 0–1023 becomes 0–1 of the supply
//   disabled               → INPUT, no longer driving the imp pin
// When the port is lost, the bridged imp pins are let go: they float (or read their own pull).

import type { Device } from "../device/device.ts";
import type { Pin } from "../device/pins.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Emit, Trace } from "../sim/trace.ts";
import type { FirmataPinBridge } from "../board/board-file.ts";
import type { FirmataBoard } from "./firmata-board.ts";
import { PIN_MODE } from "./firmata-protocol.ts";
import "./trace-kinds.ts";

/** StandardFirmata's analog range: 10-bit readings. */
const ANALOG_FULL_SCALE = 1023;

export class PinBridge {
  private readonly undo: (() => void)[] = [];

  private readonly emit: Emit;

  constructor(
    private readonly device: Device,
    private readonly board: FirmataBoard,
    private readonly map: FirmataPinBridge,
    private readonly world: { readonly scheduler: Scheduler; readonly trace: Trace },
    /** Applies an input from the port on the virtual clock (wall-clock-run.ts). */
    private readonly input: (fn: () => void) => void,
  ) {
    const { trace } = world;
    this.emit = trace.emitter(device.id);
    const pin = this.pin;
    this.undo.push(
      trace.addListener((event) => {
        if (event.device !== device.id) return;
        if (
          (event.kind === "pin-mode" ||
            event.kind === "pin" ||
            event.kind === "pwm" ||
            event.kind === "analog") &&
          event.data.pin === map.impPin
        )
          this.follow();
      }),
    );
    this.undo.push(() => {
      pin.drive(null);
      pin.driveAnalog(null);
    });
    this.follow();
  }

  private get pin(): Pin {
    return this.device.pins.get(this.map.impPin);
  }

  /** A report from the board: the real pin's level (pins of its port that are not ours are ignored by the caller). */
  digitalReport(level: 0 | 1): void {
    this.input(() => {
      if (this.isInput()) this.pin.drive(level);
    });
  }

  analogReport(value: number): void {
    this.input(() => {
      if (this.pin.mode === "ANALOG_IN") this.pin.driveAnalog(value / ANALOG_FULL_SCALE);
    });
  }

  /** The port is gone: the imp pin is let go. */
  lost(): void {
    this.pin.drive(null);
    this.pin.driveAnalog(null);
  }

  dispose(): void {
    for (const undo of this.undo.splice(0)) undo();
  }

  private isInput(): boolean {
    const mode = this.pin.mode;
    return (
      mode === "DIGITAL_IN" ||
      mode === "DIGITAL_IN_PULLUP" ||
      mode === "DIGITAL_IN_PULLDOWN" ||
      mode === "DIGITAL_IN_WAKEUP"
    );
  }

  private lastMode: string | null | undefined = undefined;
  private lastOut: string | null = null;

  // Puts the real pin in the mode and state that match the imp pin now.
  private follow(): void {
    if (this.board.isLost) return;
    const { board, map } = this;
    const pin = this.pin;
    const mode = pin.mode;
    const modeChanged = mode !== this.lastMode;
    this.lastMode = mode;
    if (modeChanged) this.lastOut = null;
    const out = (key: string, apply: () => void) => {
      if (key === this.lastOut) return;
      this.lastOut = key;
      apply();
    };
    switch (mode) {
      case "DIGITAL_OUT": {
        const level = pin.line === 1 ? 1 : 0;
        out(`out ${level}`, () => {
          board.setMode(map.pin, PIN_MODE.OUTPUT);
          board.writeDigital(map.pin, level);
        });
        return;
      }
      case "DIGITAL_OUT_OD": {
        const low = pin.impDrive === 0;
        out(low ? "od 0" : "od z", () => {
          if (low) {
            board.setMode(map.pin, PIN_MODE.OUTPUT);
            board.writeDigital(map.pin, 0);
          } else board.setMode(map.pin, PIN_MODE.INPUT);
        });
        return;
      }
      case "PWM_OUT":
      case "ANALOG_OUT": {
        const duty = mode === "PWM_OUT" ? pin.pwm.duty : pin.analogOut;
        const first = this.lastOut === null;
        out(`pwm ${duty}`, () => {
          if (first) board.setMode(map.pin, PIN_MODE.PWM);
          board.writePwm(map.pin, duty);
        });
        return;
      }
      case "ANALOG_IN":
        out("analog", () => {
          if (map.analogChannel === null) {
            this.emit(this.now(), "bridge", {
              port: map.port,
              state: "note",
              message: `${map.impPin} reads analog, but Firmata pin ${map.pin} is not an analog input: bridge it to "A0"…"A5"`,
            });
            return;
          }
          board.setMode(map.pin, PIN_MODE.ANALOG);
          board.reportAnalog(map.analogChannel);
        });
        return;
      case "DIGITAL_IN_PULLUP":
        out("pullup", () => this.readDigital(PIN_MODE.PULLUP));
        return;
      case "DIGITAL_IN_PULLDOWN":
        out("pulldown", () => {
          this.emit(this.now(), "bridge", {
            port: map.port,
            state: "note",
            message: `${map.impPin}: the real pin ${map.pin} has no pull-down; it is a plain input`,
          });
          this.readDigital(PIN_MODE.INPUT);
        });
        return;
      case "DIGITAL_IN":
      case "DIGITAL_IN_WAKEUP":
        out("in", () => this.readDigital(PIN_MODE.INPUT));
        return;
      default:
        out("off", () => {
          board.setMode(map.pin, PIN_MODE.INPUT);
          pin.drive(null);
        });
    }
  }

  private readDigital(mode: number): void {
    const { board, map } = this;
    board.setMode(map.pin, mode as (typeof PIN_MODE)[keyof typeof PIN_MODE]);
    board.reportDigital(map.pin);
    const known = board.digitalLevel(map.pin);
    if (known !== null) this.pin.drive(known);
  }

  private now(): number {
    return this.world.scheduler.now;
  }
}
