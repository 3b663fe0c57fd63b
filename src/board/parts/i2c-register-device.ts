// A generic I²C device of byte registers, as many simple chips are (EEPROMs, port expanders, ID
// chips): a write's first byte sets the register pointer and later bytes are stored from there;
// a read returns bytes from the pointer on. The pointer advances with every byte and wraps at 256.
// The board file sets the registers' first contents; the rest read 0.

import type { I2cPeripheral } from "../../device/peripherals.ts";

export class I2cRegisterDevice implements I2cPeripheral {
  readonly registers = new Uint8Array(256);
  private pointer = 0;

  constructor(initial: ReadonlyMap<number, readonly number[]> = new Map()) {
    for (const [start, bytes] of initial)
      bytes.forEach((b, i) => (this.registers[(start + i) & 0xff] = b));
  }

  write(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return true;
    this.pointer = bytes[0]!;
    for (const b of bytes.subarray(1)) {
      this.registers[this.pointer] = b;
      this.pointer = (this.pointer + 1) & 0xff;
    }
    return true;
  }

  read(register: Uint8Array, count: number): Uint8Array {
    if (register.length > 0) this.pointer = register[0]!;
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.registers[this.pointer]!;
      this.pointer = (this.pointer + 1) & 0xff;
    }
    return out;
  }
}
