// Pluggable models of the chips on a device's buses, written in TypeScript by whoever tests
// the firmware (issue 3: "bus objects that accept configure and talk to pluggable peripheral
// models"). A model sees bytes, as the chip would; the imp API side (addresses, error codes,
// byte strings and blobs) is the bus's business (buses.ts). Attach one with
// `device.attachI2C(bus, address, model)`, `attachSpi` or `attachUart`.

/** What a peripheral may ask of the simulation it was attached to. */
export interface PeripheralContext {
  /** Virtual time now, in µs. */
  now(): number;
}

/**
 * A chip on an I²C bus, at one 7-bit address. A method that returns false (write) or null
 * (read) does not acknowledge, and firmware sees the imp's I²C error code.
 */
export interface I2cPeripheral {
  /** Called once when attached. */
  attach?(context: PeripheralContext): void;
  /** `i2c.write(address, data)`: the bytes after the address byte. */
  write(bytes: Uint8Array): boolean | void;
  /**
   * `i2c.read(address, register, n)`: the imp writes `register` (often one byte; may be empty),
   * then reads `count` bytes after a repeated start.
   */
  read(register: Uint8Array, count: number): Uint8Array | null;
}

/** A chip on an SPI bus. Chip select is firmware's to drive on a GPIO pin; the model sees transfers. */
export interface SpiPeripheral {
  attach?(context: PeripheralContext): void;
  /** One full-duplex transfer: the bytes clocked out; returns as many bytes clocked in. */
  transfer(out: Uint8Array): Uint8Array;
}

/** What a UART peripheral uses to send bytes to the imp. */
export interface UartPort extends PeripheralContext {
  /** Puts bytes in the imp's receive FIFO; firmware's UART callback runs for them. */
  send(bytes: Uint8Array | string): void;
}

/** A chip (or a terminal) on the other end of a UART. */
export interface UartPeripheral {
  attach?(port: UartPort): void;
  /** Bytes the imp wrote with `uart.write()`. */
  receive(bytes: Uint8Array): void;
}
