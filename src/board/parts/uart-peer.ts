// Two things a board puts on the other end of an imp UART: an echo (a loop-back plug: every byte
// the imp sends comes straight back) and a terminal (it records what the imp sends, line by line,
// and types the text the board file gives at the times it gives).

import type { UartPeripheral, UartPort } from "../../device/peripherals.ts";

export class UartEcho implements UartPeripheral {
  private port: UartPort | null = null;

  attach(port: UartPort): void {
    this.port = port;
  }

  receive(bytes: Uint8Array): void {
    this.port?.send(bytes);
  }
}

export class UartTerminal implements UartPeripheral {
  /** Every complete line the imp sent (bytes as latin1 text, without the line end). */
  readonly lines: string[] = [];
  private partial = "";
  private port: UartPort | null = null;

  constructor(private readonly onLine: (line: string) => void = () => {}) {}

  attach(port: UartPort): void {
    this.port = port;
  }

  /** Types text at the imp now. */
  type(text: string): void {
    this.port?.send(text);
  }

  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 0x0a) {
        const line = this.partial.replace(/\r$/, "");
        this.partial = "";
        this.lines.push(line);
        this.onLine(line);
      } else this.partial += String.fromCharCode(b);
    }
  }
}
