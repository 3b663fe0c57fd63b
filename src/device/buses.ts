// The host side of a device's I²C, SPI and UART buses (/api/hardware, bus objects; model tables in
// models/*.ts): whether firmware has configured each bus, the peripheral models attached to it
// (peripherals.ts), and a UART's receive FIFO. Peripherals are hardware: they stay attached
// across VM restarts and power cycles; configuration and FIFOs belong to the running VM.
//
// chosen: configuring a bus does not change its pins' modes (the pins do not model bus
// ownership yet), and a UART's receive FIFO has no size limit.

import type { BusSpec, ImpModel, UartSpec } from "./models/model.ts";
import { I2C_ERRORS, I2C_OK } from "./shared/i2c-errors.ts";
import type {
  I2cPeripheral,
  PeripheralContext,
  SpiPeripheral,
  UartPeripheral,
  UartPort,
} from "./peripherals.ts";

/** A bus error a firmware can meet; the device layer throws its message into Squirrel. */
export class BusError extends Error {
  override name = "BusError";
}

export interface BusesOptions {
  /** Virtual time now, in µs, for peripherals. */
  now: () => number;
  /** Bytes reached a UART's FIFO and firmware set a callback with id `callbackId`. */
  onUartData: (bus: string, callbackId: number) => void;
}

function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function stringOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b & 0xff);
  return s;
}

interface BusState {
  readonly spec: BusSpec;
  configured: boolean;
  callbackId: number;
  readError: number;
  readonly rx: number[];
  readonly i2c: Map<number, I2cPeripheral>;
  spi: SpiPeripheral | null;
  uart: UartPeripheral | null;
}

export class Buses {
  private readonly byName = new Map<string, BusState>();

  constructor(
    readonly model: ImpModel,
    private readonly options: BusesOptions,
  ) {
    for (const spec of model.buses) {
      this.byName.set(spec.name, {
        spec,
        configured: false,
        callbackId: 0,
        readError: I2C_OK,
        rx: [],
        i2c: new Map(),
        spi: null,
        uart: null,
      });
    }
  }

  /** Attaches an I²C peripheral at its 7-bit address (0x48, not 0x90). */
  attachI2C(bus: string, address: number, peripheral: I2cPeripheral): void {
    const state = this.bus(bus, "i2c");
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new RangeError(
        `an I²C address is 7 bits (0x00–0x7f), got ${address}; firmware shifts it left by one itself`,
      );
    }
    if (state.i2c.has(address))
      throw new Error(`${bus} already has a peripheral at 0x${address.toString(16)}`);
    state.i2c.set(address, peripheral);
    peripheral.attach?.(this.context());
  }

  attachSpi(bus: string, peripheral: SpiPeripheral): void {
    const state = this.bus(bus, "spi");
    state.spi = peripheral;
    peripheral.attach?.(this.context());
  }

  attachUart(bus: string, peripheral: UartPeripheral): void {
    const state = this.bus(bus, "uart");
    state.uart = peripheral;
    const port: UartPort = { now: this.options.now, send: (bytes) => this.receive(state, bytes) };
    peripheral.attach?.(port);
  }

  /** `configure(...)` of any bus kind: `args` as the guest passes them (host-calls.ts busConfigure). */
  configure(bus: string, args: readonly unknown[], callbackId: number): void {
    const state = this.bus(bus);
    if (state.spec.kind === "uart") this.checkUart(state.spec, args);
    state.configured = true;
    state.callbackId = state.spec.kind === "uart" ? callbackId : 0;
    state.readError = I2C_OK;
  }

  disable(bus: string): void {
    const state = this.bus(bus);
    state.configured = false;
    state.callbackId = 0;
    state.rx.length = 0;
  }

  /** `i2c.write(address8, data)`: 0 or the imp's error code. */
  i2cWrite(bus: string, address8: number, data: string): number {
    const state = this.bus(bus, "i2c");
    if (!state.configured) return I2C_ERRORS.NOT_ENABLED;
    const peripheral = state.i2c.get((address8 >> 1) & 0x7f);
    if (peripheral === undefined || peripheral.write(bytesOf(data)) === false)
      return I2C_ERRORS.ADDRESS_NOT_ACKNOWLEDGED;
    return I2C_OK;
  }

  /** `i2c.read(address8, register, n)`: the bytes, or null (then `i2cReadError` says why). */
  i2cRead(bus: string, address8: number, register: string, count: number): string | null {
    const state = this.bus(bus, "i2c");
    if (!state.configured) {
      state.readError = I2C_ERRORS.NOT_ENABLED;
      return null;
    }
    const peripheral = state.i2c.get((address8 >> 1) & 0x7f);
    const got = peripheral?.read(bytesOf(register), Math.max(0, count)) ?? null;
    if (got === null) {
      state.readError = I2C_ERRORS.READ_ADDRESS_NOT_ACKNOWLEDGED;
      return null;
    }
    state.readError = I2C_OK;
    // A model that answers short leaves the rest of the bytes as the bus floats them: 0xff.
    const out = new Uint8Array(Math.max(0, count)).fill(0xff);
    out.set(got.subarray(0, out.length));
    return stringOf(out);
  }

  i2cReadError(bus: string): number {
    return this.bus(bus, "i2c").readError;
  }

  /** One SPI transfer; with no peripheral attached MISO floats high, so 0xff comes back. */
  spiWriteRead(bus: string, data: string): string {
    const state = this.bus(bus, "spi");
    if (!state.configured)
      throw new BusError(`hardware.${bus} is not configured; call configure() before writing`);
    const got = state.spi?.transfer(bytesOf(data));
    const out = new Uint8Array(data.length).fill(0xff);
    if (got !== undefined) out.set(got.subarray(0, out.length));
    return stringOf(out);
  }

  uartWrite(bus: string, data: string): void {
    const state = this.bus(bus, "uart");
    if (!state.configured)
      throw new BusError(`hardware.${bus} is not configured; call configure() before write()`);
    state.uart?.receive(bytesOf(data));
  }

  /** The next received byte, or -1 when the FIFO is empty. */
  uartRead(bus: string): number {
    const state = this.bus(bus, "uart");
    return state.rx.length > 0 ? state.rx.shift()! : -1;
  }

  /** The VM is gone: every bus back to unconfigured, FIFOs emptied; peripherals stay attached. */
  reset(): void {
    for (const state of this.byName.values()) {
      state.configured = false;
      state.callbackId = 0;
      state.readError = I2C_OK;
      state.rx.length = 0;
    }
  }

  private receive(state: BusState, bytes: Uint8Array | string): void {
    // A UART that is not configured (or a sleeping imp) does not listen: the bytes are lost.
    if (!state.configured) return;
    const data = typeof bytes === "string" ? bytesOf(bytes) : bytes;
    if (data.length === 0) return;
    for (const b of data) state.rx.push(b & 0xff);
    if (state.callbackId !== 0) this.options.onUartData(state.spec.name, state.callbackId);
  }

  private checkUart(spec: UartSpec, args: readonly unknown[]): void {
    const baud = args[0];
    if (typeof baud !== "number" || !(baud > 0)) {
      throw new BusError(
        `hardware.${spec.name}.configure(): the baud rate must be a number above 0, got ${String(baud)}`,
      );
    }
    // chosen: the documentation gives the limits (/api/hardware) but not the imp's text for breaking them.
    if (baud > spec.maxBaud || (spec.minBaud !== null && baud < spec.minBaud)) {
      const range =
        spec.minBaud === null ? `up to ${spec.maxBaud}` : `${spec.minBaud} to ${spec.maxBaud}`;
      throw new BusError(
        `hardware.${spec.name}.configure(): ${baud} baud is out of range; the ${this.model.type}'s ${spec.name} runs at ${range} baud`,
      );
    }
    // The imp's UARTs take 7 or 8 data bits, PARITY_NONE, PARITY_EVEN or PARITY_ODD (0–2, the
    // guest's constants) and 1 or 2 stop bits (developer.electricimp.com /api/hardware/uart/configure).
    const [, dataBits, parity, stopBits] = args;
    if (dataBits !== undefined && dataBits !== 7 && dataBits !== 8) {
      throw new BusError(
        `hardware.${spec.name}.configure(): ${String(dataBits)} data bits is not a word size; use 7 or 8`,
      );
    }
    if (parity !== undefined && parity !== 0 && parity !== 1 && parity !== 2) {
      throw new BusError(
        `hardware.${spec.name}.configure(): ${String(parity)} is not a parity; use PARITY_NONE, PARITY_EVEN or PARITY_ODD`,
      );
    }
    if (stopBits !== undefined && stopBits !== 1 && stopBits !== 2) {
      throw new BusError(
        `hardware.${spec.name}.configure(): ${String(stopBits)} stop bits; use 1 or 2`,
      );
    }
  }

  private context(): PeripheralContext {
    return { now: this.options.now };
  }

  private bus(name: string, kind?: BusSpec["kind"]): BusState {
    const state = this.byName.get(name);
    if (state === undefined || (kind !== undefined && state.spec.kind !== kind)) {
      const names = this.model.buses
        .filter((b) => kind === undefined || b.kind === kind)
        .map((b) => b.name);
      throw new BusError(
        `the ${this.model.type} has no ${kind === undefined ? "bus" : `${kind} bus`} ${name}; it has ${names.join(", ")}`,
      );
    }
    return state;
  }
}
