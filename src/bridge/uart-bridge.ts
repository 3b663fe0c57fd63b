// An imp UART bridged to a real serial port (issue 12: `"uart57": { "serial": "/dev/ttyUSB0",
// "baud": 115200 }`): what firmware writes goes out of the port, what the port receives lands in
// the UART's receive FIFO at the wall-clock moment it arrived. Bytes are bytes: no framing, so
// garbage reaches firmware as it would on a real imp. When the port is lost, writes go nowhere.

import type { UartPeripheral, UartPort } from "../device/peripherals.ts";
import type { SerialLink } from "./serial-link.ts";

export class UartBridge implements UartPeripheral {
  private port: UartPort | null = null;
  private link: SerialLink | null = null;
  /** Bytes sent to the real port so far, and received from it. */
  sent = 0;
  received = 0;

  constructor(private readonly input: (fn: () => void) => void) {}

  /** The real port, once open. */
  connect(link: SerialLink): void {
    this.link = link;
  }

  attach(port: UartPort): void {
    this.port = port;
  }

  receive(bytes: Uint8Array): void {
    this.sent += bytes.length;
    this.link?.write(bytes);
  }

  /** Bytes from the real port. */
  fromPort(bytes: Uint8Array): void {
    this.received += bytes.length;
    const copy = Uint8Array.from(bytes);
    this.input(() => this.port?.send(copy));
  }
}
