// A sample I²C peripheral model: a fake temperature sensor laid out like the TI TMP102, the
// kind of part firmware reads with `i2c.read(0x48 << 1, "\x00", 2)`. Register 0 holds the
// temperature as a 12-bit two's-complement count of 0.0625 °C, left-justified in two bytes
// (TMP102 datasheet, "Temperature Register"). Set `celsius` from a test to change what the
// firmware reads. Registers 1–3 (configuration and limits) read and write as plain storage.

import type { I2cPeripheral } from "./peripherals.ts";

/** The TMP102's address with ADD0 to ground (TMP102 datasheet, "Serial Bus Address"). */
export const TMP102_ADDRESS = 0x48;

/** °C per count of the temperature register (TMP102 datasheet). */
export const TMP102_RESOLUTION = 0.0625;

export class FakeTemperatureSensor implements I2cPeripheral {
  /** What the sensor measures now, in °C. */
  celsius: number;
  /** The register a plain write last pointed at (the TMP102's pointer register). */
  private pointer = 0;
  private readonly registers = new Map<number, number>([
    [1, 0x60a0], // configuration at power-up (TMP102 datasheet)
    [2, 0x4b00], // T_LOW, 75 °C
    [3, 0x5000], // T_HIGH, 80 °C
  ]);
  /** Every transaction, oldest first, for tests that check what the firmware sent. */
  readonly transactions: { kind: "write" | "read"; bytes: number[] }[] = [];

  constructor(celsius = 21.5) {
    this.celsius = celsius;
  }

  write(bytes: Uint8Array): boolean {
    this.transactions.push({ kind: "write", bytes: [...bytes] });
    if (bytes.length === 0) return true;
    this.pointer = bytes[0]! & 0x03;
    if (bytes.length >= 3 && this.pointer !== 0)
      this.registers.set(this.pointer, (bytes[1]! << 8) | bytes[2]!);
    return true;
  }

  read(register: Uint8Array, count: number): Uint8Array {
    this.transactions.push({ kind: "read", bytes: [...register] });
    if (register.length > 0) this.pointer = register[0]! & 0x03;
    const word = this.pointer === 0 ? this.temperatureWord() : this.registers.get(this.pointer)!;
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = i % 2 === 0 ? word >> 8 : word & 0xff;
    return out;
  }

  private temperatureWord(): number {
    const counts = Math.max(-2048, Math.min(2047, Math.round(this.celsius / TMP102_RESOLUTION)));
    return ((counts & 0xfff) << 4) & 0xffff;
  }
}
