// A board built around one device: the parts of a board file (board-file.ts) wired to its pins
// and buses, with the faults it was built with (faults.ts). Parts are hardware: they stay across
// power cycles and VM restarts, until the board is taken apart (dispose).
//
// Pins joined by wires form a net. Each pin of a net is worked out from everything on the net
// but itself, strongest first (pins.ts then adds the imp's own drive and pull):
//   1. a push-pull or open-drain output of another pin of the net, a pressed button, a short or a
//      stuck line: the pin is driven (drive());
//   2. otherwise a pull resistor (a pull part, a released button's resistor, another pin's own
//      pull through a wire): the pin is pulled (pullExternally());
//   3. otherwise nothing: the pin's own pull, or it floats.
// chosen: when drivers of one strength disagree, low wins (a short to ground sinks more than an
// output or resistor can source); the emulator has no resistor-divider model.

import type { Device } from "../device/device.ts";
import { FakeTemperatureSensor } from "../device/i2c-temperature-sensor.ts";
import type { I2cPeripheral, SpiPeripheral, UartPeripheral } from "../device/peripherals.ts";
import type { DigitalLevel, Pin } from "../device/pins.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Emit, Trace } from "../sim/trace.ts";
import {
  BoardError,
  BOARD_SUPPLY_VOLTS,
  buttonNamed,
  type BoardSpec,
  type PartSpec,
} from "./board-file.ts";
import type { Fault } from "./faults.ts";
import { analogSignal } from "./parts/analog-signal.ts";
import { I2cRegisterDevice } from "./parts/i2c-register-device.ts";
import { Si7021 } from "./parts/si7021.ts";
import { SpiFlash } from "./parts/spi-flash.ts";
import { UartEcho, UartTerminal } from "./parts/uart-peer.ts";
import "./trace-kinds.ts";
import { userModelMaker } from "./user-model.ts";

export interface BoardWorld {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
}

/** What a part puts on a pin: a hard drive or a resistor, to a level. */
interface Contribution {
  readonly strong: Map<string, DigitalLevel>;
  readonly weak: Map<string, DigitalLevel>;
}

export type LedLight = "on" | "off" | "dim";

/** A board whose user models are loaded: attach() builds one around a device, synchronously. */
export interface PreparedBoard {
  readonly spec: BoardSpec;
  attach(device: Device, world: BoardWorld, faults?: readonly Fault[]): Board;
}

export class Board {
  /** The models on the buses, by part name (an Si7021, an SpiFlash, a user's model, …). */
  private readonly models = new Map<string, unknown>();
  private readonly contributions = new Map<string, Contribution>();
  /** The net of each pin the board touches: the pins joined to it by wires, itself included. */
  private readonly nets = new Map<string, Set<string>>();
  private readonly pressed = new Set<string>();
  private readonly leds = new Map<string, LedLight>();
  private readonly undo: (() => void)[] = [];
  private readonly emit: Emit;
  private resolving = false;
  private readonly dirty = new Set<Set<string>>();

  private constructor(
    readonly spec: BoardSpec,
    readonly device: Device,
    private readonly world: BoardWorld,
    readonly faults: readonly Fault[],
    makers: ReadonlyMap<string, () => unknown>,
  ) {
    this.emit = world.trace.emitter(device.id);
    for (const [name, make] of makers) this.models.set(name, make());
  }

  /**
   * Loads the user's models a board names (once), so that boards can then be built at once, as
   * many as needed (a factory line builds one per DUT): `(await Board.prepare(spec)).attach(…)`.
   */
  static async prepare(spec: BoardSpec): Promise<PreparedBoard> {
    const makers = new Map<string, () => unknown>();
    for (const part of spec.parts)
      if (part.type === "model") makers.set(part.name, await userModelMaker(spec.file, part));
    return {
      spec,
      attach: (device, world, faults = []) => {
        if (device.model.type !== spec.model.type) {
          throw new BoardError(
            spec.file,
            "module",
            `the board is for an ${spec.model.type}, but the device is an ${device.model.type}`,
          );
        }
        const board = new Board(spec, device, world, faults, makers);
        board.build();
        return board;
      },
    };
  }

  /** A board with no user models, built at once (a factory DUT that only has faults on its pins). */
  static bare(
    spec: BoardSpec,
    device: Device,
    world: BoardWorld,
    faults: readonly Fault[] = [],
  ): Board {
    if (spec.parts.some((p) => p.type === "model"))
      throw new Error(`${spec.file} has user models: use Board.prepare()`);
    const board = new Board(spec, device, world, faults, new Map());
    board.build();
    return board;
  }

  /** Builds the board around `device` (which must be the board's module) with `faults`. */
  static async attach(
    spec: BoardSpec,
    device: Device,
    world: BoardWorld,
    faults: readonly Fault[] = [],
  ): Promise<Board> {
    return (await Board.prepare(spec)).attach(device, world, faults);
  }

  // ------------------------------------------------------------------ using the board

  /** Whether a pin has anything of the board on it (then drive it through `drive`). */
  manages(pin: string): boolean {
    return this.nets.has(pin);
  }

  /** Presses a button part: its pin goes to the button's active level. */
  press(name: string): void {
    this.button(name);
    if (this.pressed.has(name)) return;
    this.pressed.add(name);
    this.emit(this.world.scheduler.now, "part", { part: name, type: "button", state: "pressed" });
    this.applyButton(name);
  }

  release(name: string): void {
    this.button(name);
    if (!this.pressed.delete(name)) return;
    this.emit(this.world.scheduler.now, "part", { part: name, type: "button", state: "released" });
    this.applyButton(name);
  }

  isPressed(name: string): boolean {
    this.button(name);
    return this.pressed.has(name);
  }

  /** Drives a pin from outside the board (a test, `--set`): like a probe held on it. null lets go. */
  drive(pin: string, level: DigitalLevel | null): void {
    this.device.pins.get(pin); // throws the device's message for a pin the module lacks
    this.ensurePin(pin);
    this.contribute(pin, "strong", "outside", level);
  }

  /** Whether an LED part is lit now ("dim" when its pin carries PWM or a DAC level). */
  led(name: string): LedLight {
    const light = this.leds.get(name);
    if (light === undefined)
      throw new Error(
        `${this.spec.file}: no LED part named "${name}"; its LEDs are ${[...this.leds.keys()].join(", ") || "none"}`,
      );
    return light;
  }

  /** The peripheral model of a bus part (Si7021, TMP102, SpiFlash, I2cRegisterDevice, UartTerminal, or the user's). */
  part<T = unknown>(name: string): T {
    if (!this.models.has(name)) {
      const names = [...this.models.keys()];
      throw new Error(
        `${this.spec.file}: no bus part named "${name}"${names.length > 0 ? `; its bus parts are ${names.join(", ")}` : ""}`,
      );
    }
    return this.models.get(name) as T;
  }

  /** Sets an analog part's level in volts (0 to the 3.3 V supply). */
  setVolts(name: string, volts: number): void {
    const part = this.spec.parts.find((p) => p.name === name && p.type === "analog");
    if (part === undefined || part.type !== "analog")
      throw new Error(`${this.spec.file}: no analog part named "${name}"`);
    if (!(volts >= 0 && volts <= BOARD_SUPPLY_VOLTS))
      throw new RangeError(`an analog level is 0 to ${BOARD_SUPPLY_VOLTS} V, not ${volts}`);
    this.device.pins.get(part.pin).driveAnalogSignal(analogSignal({ kind: "fixed", volts }));
  }

  /** Takes the board apart: every pin let go, every listener removed (the peripherals stay with the device's buses). */
  dispose(): void {
    for (const undo of this.undo.splice(0)) undo();
  }

  // ------------------------------------------------------------------ building

  private build(): void {
    const { spec, device, faults } = this;
    const open = new Set(faults.flatMap((f) => (f.kind === "wire-open" ? [f.part] : [])));
    const missing = new Set(faults.flatMap((f) => (f.kind === "sensor-missing" ? [f.part] : [])));
    for (const part of spec.parts) {
      if (part.type === "wire") {
        this.ensurePin(part.pins[0]);
        this.ensurePin(part.pins[1]);
        if (!open.has(part.name)) this.join(part.pins[0], part.pins[1]);
      } else if ("pin" in part) this.ensurePin(part.pin);
    }
    for (const fault of faults) if ("pin" in fault) this.ensurePin(fault.pin);
    for (const part of spec.parts) this.buildPart(part, missing.has(part.name));
    for (const fault of faults) {
      if (fault.kind === "short-to-ground") this.contribute(fault.pin, "strong", "fault", 0);
      if (fault.kind === "stuck") this.contribute(fault.pin, "strong", "fault", fault.level);
      if (fault.kind === "sensor-reading") {
        const model = this.models.get(fault.part) as
          { celsius?: number; humidity?: number } | undefined;
        if (model !== undefined) {
          if (fault.celsius !== undefined) model.celsius = fault.celsius;
          if (fault.humidity !== undefined) model.humidity = fault.humidity;
        }
      }
      if (fault.kind === "rail-low") this.setVolts(fault.part, fault.volts);
    }
    // A pin's configuration decides what it puts on its net: follow every configure and disable.
    const stop = this.world.trace.addListener((event) => {
      if (event.kind === "pin-mode" && event.device === device.id) this.changed(event.data.pin);
    });
    this.undo.push(stop);
    for (const net of new Set(this.nets.values())) this.resolve(net);
  }

  private buildPart(part: PartSpec, missing: boolean): void {
    const { device } = this;
    switch (part.type) {
      case "button":
        this.applyButton(part.name);
        return;
      case "pull":
        this.contribute(part.pin, "weak", part.name, part.to === "up" ? 1 : 0);
        return;
      case "led": {
        const pin = device.pins.get(part.pin);
        const show = () => {
          const line = pin.line;
          const light: LedLight =
            line === "x" ? "dim" : line === (part.active === "high" ? 1 : 0) ? "on" : "off";
          if (this.leds.get(part.name) === light) return;
          this.leds.set(part.name, light);
          this.emit(this.world.scheduler.now, "part", {
            part: part.name,
            type: "led",
            state: light,
          });
        };
        this.leds.set(part.name, "off");
        this.undo.push(pin.watch(show));
        show();
        return;
      }
      case "analog": {
        const pin = device.pins.get(part.pin);
        pin.driveAnalogSignal(analogSignal(part.level));
        this.undo.push(() => pin.driveAnalogSignal(null));
        return;
      }
      case "wire":
        return;
      case "i2c-device":
        return this.attachI2c(
          part.name,
          part.bus,
          part.address,
          new I2cRegisterDevice(part.registers),
          missing,
        );
      case "si7021":
        return this.attachI2c(
          part.name,
          part.bus,
          part.address,
          new Si7021(part.celsius, part.humidity),
          missing,
        );
      case "tmp102":
        return this.attachI2c(
          part.name,
          part.bus,
          part.address,
          new FakeTemperatureSensor(part.celsius),
          missing,
        );
      case "uart-echo":
        return this.attachUart(part.name, part.uart, new UartEcho(), missing);
      case "uart-terminal": {
        const terminal = new UartTerminal((text) =>
          this.emit(this.world.scheduler.now, "part", {
            part: part.name,
            type: "uart-terminal",
            state: "line",
            text,
          }),
        );
        this.attachUart(part.name, part.uart, terminal, missing);
        for (const { at, text } of part.send) {
          const timer = this.world.scheduler.at(
            Math.max(at, this.world.scheduler.now),
            () => terminal.type(text),
            `${part.name} types`,
          );
          this.undo.push(() => timer.cancel());
        }
        return;
      }
      case "spi-flash": {
        const flash = new SpiFlash(part.size, part.jedecId);
        this.models.set(part.name, flash);
        if (missing) return;
        const cs = part.cs;
        if (cs !== null) {
          this.undo.push(device.pins.get(cs).watch((line) => line === 1 && flash.deselect()));
          device.attachSpi(part.spi, flash);
        } else {
          // No chip-select pin on the board: each transfer is a whole command.
          device.attachSpi(part.spi, {
            transfer: (out) => {
              const r = flash.transfer(out);
              flash.deselect();
              return r;
            },
          });
        }
        return;
      }
      case "model": {
        const model = this.models.get(part.name);
        if (missing) return;
        if (part.bus.kind === "i2c")
          device.attachI2C(part.bus.name, part.bus.address, model as I2cPeripheral);
        else if (part.bus.kind === "spi") device.attachSpi(part.bus.name, model as SpiPeripheral);
        else device.attachUart(part.bus.name, model as UartPeripheral);
        return;
      }
    }
  }

  private attachI2c(
    name: string,
    bus: string,
    address: number,
    model: I2cPeripheral,
    missing: boolean,
  ): void {
    this.models.set(name, model);
    if (!missing) this.device.attachI2C(bus, address, model);
  }

  private attachUart(name: string, bus: string, model: UartPeripheral, missing: boolean): void {
    this.models.set(name, model);
    if (!missing) this.device.attachUart(bus, model);
  }

  private button(name: string): PartSpec & { type: "button" } {
    const part = buttonNamed(this.spec, name);
    if (part === undefined) {
      const buttons = this.spec.parts.filter((p) => p.type === "button").map((p) => p.name);
      throw new Error(
        `${this.spec.file}: no button named "${name}"; its buttons are ${buttons.join(", ") || "none"}`,
      );
    }
    return part;
  }

  private applyButton(name: string): void {
    const part = this.button(name);
    const active: DigitalLevel = part.active === "high" ? 1 : 0;
    const pressed = this.pressed.has(name);
    this.contribute(part.pin, "strong", name, pressed ? active : null, false);
    this.contribute(
      part.pin,
      "weak",
      name,
      part.pull === "none" ? null : part.pull === "up" ? 1 : 0,
    );
  }

  // ------------------------------------------------------------------ nets

  private ensurePin(pin: string): void {
    if (!this.nets.has(pin)) {
      this.nets.set(pin, new Set([pin]));
      this.contributions.set(pin, { strong: new Map(), weak: new Map() });
      const p = this.device.pins.get(pin);
      // A change of the line can mean a change of what the pin puts on its net (a write()).
      this.undo.push(p.watch(() => this.changed(pin)));
      this.undo.push(() => {
        p.drive(null);
        p.pullExternally(null);
      });
    }
  }

  private join(a: string, b: string): void {
    const netA = this.nets.get(a)!;
    const netB = this.nets.get(b)!;
    if (netA === netB) return;
    for (const pin of netB) {
      netA.add(pin);
      this.nets.set(pin, netA);
    }
  }

  private contribute(
    pin: string,
    strength: "strong" | "weak",
    source: string,
    level: DigitalLevel | null,
    resolve = true,
  ): void {
    const c = this.contributions.get(pin)![strength];
    if (level === null) c.delete(source);
    else c.set(source, level);
    if (resolve) this.changed(pin);
  }

  private changed(pin: string): void {
    const net = this.nets.get(pin);
    if (net === undefined) return;
    this.resolve(net);
  }

  // Re-entrant calls (a drive below changes a line, whose watcher calls back) only mark the net.
  private resolve(net: Set<string>): void {
    this.dirty.add(net);
    if (this.resolving) return;
    this.resolving = true;
    try {
      for (let rounds = 0; this.dirty.size > 0; rounds++) {
        if (rounds > 100) throw new Error(`${this.spec.file}: the board's wires do not settle`);
        const next = this.dirty.values().next().value!;
        this.dirty.delete(next);
        this.settle(next);
      }
    } finally {
      this.resolving = false;
    }
  }

  private settle(net: Set<string>): void {
    const pins = [...net].map((name) => this.device.pins.get(name));
    for (const pin of pins) {
      const strong: DigitalLevel[] = [];
      const weak: DigitalLevel[] = [];
      for (const other of pins) {
        const c = this.contributions.get(other.name)!;
        strong.push(...c.strong.values());
        weak.push(...c.weak.values());
        if (other === pin) continue;
        const drive = other.impDrive;
        if (drive === 0 || drive === 1) strong.push(drive);
        const pull = other.internalPull;
        if (pull !== null) weak.push(pull);
      }
      apply(pin, strong, weak);
    }
  }
}

function lowWins(levels: readonly DigitalLevel[]): DigitalLevel | null {
  return levels.length === 0 ? null : levels.includes(0) ? 0 : 1;
}

function apply(pin: Pin, strong: DigitalLevel[], weak: DigitalLevel[]): void {
  // In this order, so the line never passes through a level it does not end at.
  const driven = lowWins(strong);
  if (driven !== null) {
    pin.drive(driven);
    pin.pullExternally(null);
  } else {
    pin.pullExternally(lowWins(weak));
    pin.drive(null);
  }
}
