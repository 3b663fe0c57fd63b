// A serial NOR flash of the W25Q family on SPI, the kind of part an imp board keeps data in. The
// commands firmware uses (Winbond W25Q80 datasheet, "Instructions"): 0x9F JEDEC ID, 0x03 read,
// 0x06 write enable, 0x04 write disable, 0x05 read status register 1, 0x02 page program (256-byte
// pages, wrapping inside the page), 0x20 sector erase (4 KB), 0xD8 block erase (64 KB), 0xC7 or
// 0x60 chip erase, 0xB9 power down, 0xAB release. Program and erase need write enable first and
// clear it; programming only turns 1 bits to 0. A command starts when chip select falls: the
// board ends a command when the chip-select pin goes high. Without one, each transfer is a command.
// chosen: program and erase finish at once (the status register's BUSY bit never shows).

import type { SpiPeripheral } from "../../device/peripherals.ts";

const PAGE = 256;
const SECTOR = 4096;
const BLOCK = 65536;

export class SpiFlash implements SpiPeripheral {
  readonly memory: Uint8Array;
  private writeEnabled = false;
  private poweredDown = false;
  /** Bytes of the command so far since chip select fell. */
  private command: number[] = [];

  constructor(
    readonly size: number,
    readonly jedecId: number,
  ) {
    this.memory = new Uint8Array(size).fill(0xff);
  }

  /** Chip select went high: the command ends (program and erase take effect here, as on the chip). */
  deselect(): void {
    const [op, a2 = 0, a1 = 0, a0 = 0] = this.command;
    const address = ((a2 << 16) | (a1 << 8) | a0) % this.size;
    const complete = this.command.length >= 4;
    if (this.writeEnabled && complete && (op === 0x20 || op === 0xd8)) {
      const span = op === 0x20 ? SECTOR : BLOCK;
      const start = address - (address % span);
      this.memory.fill(0xff, start, Math.min(this.size, start + span));
      this.writeEnabled = false;
    } else if (this.writeEnabled && (op === 0xc7 || op === 0x60)) {
      this.memory.fill(0xff);
      this.writeEnabled = false;
    } else if (op === 0x02 && this.writeEnabled && complete) this.writeEnabled = false;
    this.command = [];
  }

  transfer(out: Uint8Array): Uint8Array {
    const answer = new Uint8Array(out.length).fill(0xff);
    for (let i = 0; i < out.length; i++) answer[i] = this.clock(out[i]!);
    return answer;
  }

  /** One byte clocked in; returns the byte clocked out at the same time. */
  private clock(byte: number): number {
    const index = this.command.length;
    this.command.push(byte);
    const op = this.command[0]!;
    if (this.poweredDown && op !== 0xab) return 0xff;
    switch (op) {
      case 0x9f:
        return index >= 1 && index <= 3 ? (this.jedecId >> (8 * (3 - index))) & 0xff : 0xff;
      case 0x05:
        return index >= 1 ? (this.writeEnabled ? 0x02 : 0x00) : 0xff;
      case 0x06:
        this.writeEnabled = true;
        return 0xff;
      case 0x04:
        this.writeEnabled = false;
        return 0xff;
      case 0xb9:
        this.poweredDown = true;
        return 0xff;
      case 0xab:
        this.poweredDown = false;
        return 0xff;
      case 0x03:
        return index >= 4 ? this.memory[(this.address() + index - 4) % this.size]! : 0xff;
      case 0x02:
        if (index >= 4 && this.writeEnabled) {
          const start = this.address();
          const page = start - (start % PAGE);
          const at = page + (((start % PAGE) + index - 4) % PAGE);
          this.memory[at] = this.memory[at]! & byte;
        }
        return 0xff;
      default:
        return 0xff;
    }
  }

  private address(): number {
    const [, a2 = 0, a1 = 0, a0 = 0] = this.command;
    return ((a2 << 16) | (a1 << 8) | a0) % this.size;
  }
}
