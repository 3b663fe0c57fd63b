// A microcontroller board running StandardFirmata, over a serial port (serial-link.ts): the
// handshake (the version query, answered within a time limit or reported by port name), pin
// modes, digital writes by port, PWM, and the digital and analog reports the board sends back.

import { encode, FirmataParser, PIN_MODE, type FirmataMessage } from "./firmata-protocol.ts";
import { SerialLink, SerialLinkError } from "./serial-link.ts";

/** chosen: how long a board may take to answer the version query. An Arduino resets when its port opens and its bootloader waits about 2 s. */
export const FIRMATA_ANSWER_TIMEOUT_MS = 10_000;
/** chosen: how often the version query is repeated until answered (a board still booting misses the first). */
const QUERY_EVERY_MS = 500;
/** chosen: how often StandardFirmata samples analog inputs: 19 ms, its own default. */
export const FIRMATA_SAMPLING_MS = 19;

export interface FirmataBoardOptions {
  readonly path: string;
  readonly baud: number;
  readonly answerTimeoutMs?: number;
  /** A digital input pin changed (or its port was first reported). */
  readonly onDigital: (pin: number, level: 0 | 1) => void;
  /** An analog channel's new reading, 0–1023. */
  readonly onAnalog: (channel: number, value: number) => void;
  readonly onLost: (error: SerialLinkError) => void;
  /** Bytes that fit no Firmata message arrived (count so far). */
  readonly onGarbage?: (count: number) => void;
}

/** chosen: how long to wait for the firmware's name after the version answer. */
const NAME_WAIT_MS = 1_000;

export class FirmataBoard {
  /** The firmware's name and version, as the board reported them ("StandardFirmata.ino 2.5"). */
  firmware = "";
  /** The protocol version the board answered with. */
  version = { major: 0, minor: 0 };
  private readonly outputs = new Map<number, number>(); // port -> bits we drive
  private readonly inputs = new Map<number, number>(); // port -> bits last reported
  private readonly reportedPorts = new Set<number>();
  private readonly reportedChannels = new Set<number>();

  private constructor(
    private readonly link: SerialLink,
    private readonly parser: FirmataParser,
  ) {}

  /**
   * Opens the port and waits for the board's version answer. Rejects with a SerialLinkError
   * naming the port when it cannot be opened or no answer comes in time.
   */
  static async connect(options: FirmataBoardOptions): Promise<FirmataBoard> {
    let board: FirmataBoard | null = null;
    let answered: (() => void) | null = null;
    let garbageSeen = 0;
    let version: { major: number; minor: number } | null = null;
    let named: (() => void) | null = null;
    const parser = new FirmataParser((message) => {
      if (message.kind === "version") {
        version = message;
        answered?.();
      }
      if (message.kind === "firmware") named?.();
      board?.message(message);
    });
    const link = await SerialLink.open({
      path: options.path,
      baud: options.baud,
      onData: (bytes) => {
        parser.feed(bytes);
        if (parser.garbage > garbageSeen) {
          garbageSeen = parser.garbage;
          options.onGarbage?.(garbageSeen);
        }
      },
      onLost: options.onLost,
    });
    board = new FirmataBoard(link, parser);
    board.digitalListener = options.onDigital;
    board.analogListener = options.onAnalog;
    await link.setControlLines({ dtr: true, rts: true }); // optional: a pseudo-terminal refuses
    const timeout = options.answerTimeoutMs ?? FIRMATA_ANSWER_TIMEOUT_MS;
    try {
      await new Promise<void>((resolve, reject) => {
        const query = setInterval(() => link.write(encode.versionQuery()), QUERY_EVERY_MS);
        const give = setTimeout(() => {
          clearInterval(query);
          reject(
            new SerialLinkError(
              options.path,
              `no answer to the Firmata version query within ${timeout / 1000} s (is StandardFirmata running on the board, at ${options.baud} baud?)`,
            ),
          );
        }, timeout);
        answered = () => {
          answered = null;
          clearInterval(query);
          clearTimeout(give);
          resolve();
        };
        link.write(encode.versionQuery());
      });
    } catch (error) {
      await link.close();
      throw error;
    }
    board.version = version!;
    // The name is a courtesy: wait a moment for it, but a board that never sends it still works.
    await new Promise<void>((resolve) => {
      const give = setTimeout(resolve, NAME_WAIT_MS);
      named = () => {
        clearTimeout(give);
        resolve();
      };
      if (board!.firmware !== "") named();
      link.write([...encode.firmwareQuery(), ...encode.samplingInterval(FIRMATA_SAMPLING_MS)]);
    });
    return board;
  }

  private digitalListener: FirmataBoardOptions["onDigital"] = () => {};
  private analogListener: FirmataBoardOptions["onAnalog"] = () => {};

  get path(): string {
    return this.link.path;
  }

  get isLost(): boolean {
    return this.link.isLost;
  }

  /** Bytes dropped so far because they fit no Firmata message. */
  get garbage(): number {
    return this.parser.garbage;
  }

  setMode(pin: number, mode: (typeof PIN_MODE)[keyof typeof PIN_MODE]): void {
    if (mode === PIN_MODE.PULLUP && !this.hasPullupMode) {
      // Before protocol 2.5 there is no PULLUP mode; StandardFirmata writes a 1 to an INPUT pin, which turns on the AVR's pull-up.
      this.link.write(encode.pinMode(pin, PIN_MODE.INPUT));
      this.writeDigital(pin, 1);
      return;
    }
    if (mode === PIN_MODE.INPUT && ((this.outputs.get(pin >> 3) ?? 0) & (1 << (pin & 7))) !== 0)
      this.writeDigital(pin, 0); // pull-up off again
    this.link.write(encode.pinMode(pin, mode));
  }

  /** Whether the board knows the PULLUP pin mode (Firmata protocol 2.5 on). */
  get hasPullupMode(): boolean {
    return this.version.major > 2 || (this.version.major === 2 && this.version.minor >= 5);
  }

  /** Drives an OUTPUT pin; Firmata writes a whole port at a time, so the port's other bits are kept. */
  writeDigital(pin: number, level: 0 | 1): void {
    const port = pin >> 3;
    const bit = 1 << (pin & 7);
    const bits =
      level === 1 ? (this.outputs.get(port) ?? 0) | bit : (this.outputs.get(port) ?? 0) & ~bit;
    this.outputs.set(port, bits);
    this.link.write(encode.digitalPort(port, bits));
  }

  /** A PWM duty cycle, 0–1 (StandardFirmata takes 0–255). */
  writePwm(pin: number, duty: number): void {
    this.link.write(encode.analogWrite(pin, Math.round(Math.min(1, Math.max(0, duty)) * 255)));
  }

  /** Asks for change reports of the port holding `pin`; the board answers with the port at once. */
  reportDigital(pin: number): void {
    const port = pin >> 3;
    if (this.reportedPorts.has(port)) return;
    this.reportedPorts.add(port);
    this.link.write(encode.reportDigital(port, true));
  }

  reportAnalog(channel: number): void {
    if (this.reportedChannels.has(channel)) return;
    this.reportedChannels.add(channel);
    this.link.write(encode.reportAnalog(channel, true));
  }

  /** The level last reported for a digital input, or null before any report. */
  digitalLevel(pin: number): 0 | 1 | null {
    const bits = this.inputs.get(pin >> 3);
    return bits === undefined ? null : bits & (1 << (pin & 7)) ? 1 : 0;
  }

  close(): Promise<void> {
    for (const port of this.reportedPorts) this.link.write(encode.reportDigital(port, false));
    for (const channel of this.reportedChannels)
      this.link.write(encode.reportAnalog(channel, false));
    return this.link.close();
  }

  private message(message: FirmataMessage): void {
    switch (message.kind) {
      case "firmware":
        this.firmware = `${message.name} ${message.major}.${message.minor}`;
        return;
      case "digital": {
        const before = this.inputs.get(message.port);
        this.inputs.set(message.port, message.bits);
        for (let i = 0; i < 8; i++) {
          const level = message.bits & (1 << i) ? 1 : 0;
          const was = before === undefined ? null : before & (1 << i) ? 1 : 0;
          if (was !== level) this.digitalListener(message.port * 8 + i, level);
        }
        return;
      }
      case "analog":
        this.analogListener(message.channel, message.value);
        return;
      default:
        return;
    }
  }
}
