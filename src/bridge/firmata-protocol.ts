// The subset of the Firmata 2.5 protocol the bridge speaks (firmata/protocol, protocol.md on
// GitHub: "Message Types", "Sysex Message Format"): version and firmware queries, pin modes,
// digital port messages, analog reports and PWM writes, digital and analog reporting, the
// sampling interval. A MIDI-like framing: a command byte (high bit set) then 7-bit data bytes;
// sysex between 0xF0 and 0xF7.

export const FIRMATA = {
  DIGITAL_MESSAGE: 0x90, // | port: lsb (pins 0–6), msb (pin 7)
  ANALOG_MESSAGE: 0xe0, // | pin or channel: lsb, msb (14 bits)
  REPORT_ANALOG: 0xc0, // | channel: 0 or 1
  REPORT_DIGITAL: 0xd0, // | port: 0 or 1
  SET_PIN_MODE: 0xf4, // pin, mode
  REPORT_VERSION: 0xf9, // major, minor
  SYSTEM_RESET: 0xff,
  START_SYSEX: 0xf0,
  END_SYSEX: 0xf7,
  REPORT_FIRMWARE: 0x79,
  SAMPLING_INTERVAL: 0x7a,
  STRING_DATA: 0x71,
} as const;

/** Pin modes of SET_PIN_MODE (protocol.md, "Pin Modes"). */
export const PIN_MODE = {
  INPUT: 0x00,
  OUTPUT: 0x01,
  ANALOG: 0x02,
  PWM: 0x03,
  PULLUP: 0x0b,
} as const;

/** What the board sent, decoded. */
export type FirmataMessage =
  | { readonly kind: "version"; readonly major: number; readonly minor: number }
  | {
      readonly kind: "firmware";
      readonly major: number;
      readonly minor: number;
      readonly name: string;
    }
  | { readonly kind: "digital"; readonly port: number; readonly bits: number }
  | { readonly kind: "analog"; readonly channel: number; readonly value: number }
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "sysex"; readonly command: number; readonly data: readonly number[] };

/** chosen: a sysex longer than this is garbage (StandardFirmata's own input buffer is 64 bytes). */
const MAX_SYSEX = 1024;

/**
 * Turns the byte stream from a board into messages. Bytes that fit no message (line noise, a
 * sketch that is not Firmata printing text) are dropped and counted in `garbage`.
 */
export class FirmataParser {
  /** Bytes dropped because they fit no message. */
  garbage = 0;
  private command = 0;
  private data: number[] = [];
  private sysex = false;

  constructor(private readonly onMessage: (message: FirmataMessage) => void) {}

  feed(bytes: Uint8Array): void {
    for (const b of bytes) this.byte(b);
  }

  private byte(b: number): void {
    if (this.sysex) {
      if (b === FIRMATA.END_SYSEX) {
        this.sysex = false;
        this.endSysex();
      } else if (b & 0x80) {
        // A command inside a sysex: the sysex was cut short.
        this.garbage += this.data.length + 1;
        this.sysex = false;
        this.startCommand(b);
      } else if (this.data.length >= MAX_SYSEX) {
        this.garbage += this.data.length;
        this.sysex = false;
        this.data = [];
      } else this.data.push(b);
      return;
    }
    if (b & 0x80) {
      if (this.command !== 0) this.garbage += this.data.length + 1; // an unfinished message
      this.startCommand(b);
      return;
    }
    if (this.command === 0) {
      this.garbage++;
      return;
    }
    this.data.push(b);
    if (this.data.length === 2) {
      const [lsb, msb] = this.data as [number, number];
      const command = this.command;
      this.command = 0;
      this.data = [];
      const high = command & 0xf0;
      if (high === FIRMATA.DIGITAL_MESSAGE)
        this.onMessage({ kind: "digital", port: command & 0x0f, bits: lsb | (msb << 7) });
      else if (high === FIRMATA.ANALOG_MESSAGE)
        this.onMessage({ kind: "analog", channel: command & 0x0f, value: lsb | (msb << 7) });
      else if (command === FIRMATA.REPORT_VERSION)
        this.onMessage({ kind: "version", major: lsb, minor: msb });
    }
  }

  private startCommand(b: number): void {
    this.data = [];
    if (b === FIRMATA.START_SYSEX) {
      this.command = 0;
      this.sysex = true;
      return;
    }
    const high = b & 0xf0;
    if (
      high === FIRMATA.DIGITAL_MESSAGE ||
      high === FIRMATA.ANALOG_MESSAGE ||
      b === FIRMATA.REPORT_VERSION
    )
      this.command = b;
    else {
      this.command = 0;
      this.garbage++;
    }
  }

  private endSysex(): void {
    const [command = 0, ...data] = this.data;
    this.data = [];
    if (command === FIRMATA.REPORT_FIRMWARE && data.length >= 2) {
      this.onMessage({
        kind: "firmware",
        major: data[0]!,
        minor: data[1]!,
        name: sevenBitText(data.slice(2)),
      });
    } else if (command === FIRMATA.STRING_DATA)
      this.onMessage({ kind: "string", text: sevenBitText(data) });
    else this.onMessage({ kind: "sysex", command, data });
  }
}

/** Text sent as pairs of 7-bit bytes (lsb, msb) per character. */
function sevenBitText(data: readonly number[]): string {
  let s = "";
  for (let i = 0; i + 1 < data.length; i += 2)
    s += String.fromCharCode(data[i]! | (data[i + 1]! << 7));
  return s;
}

/** Messages to the board, as bytes. */
export const encode = {
  versionQuery: (): number[] => [FIRMATA.REPORT_VERSION],
  firmwareQuery: (): number[] => [FIRMATA.START_SYSEX, FIRMATA.REPORT_FIRMWARE, FIRMATA.END_SYSEX],
  pinMode: (pin: number, mode: number): number[] => [FIRMATA.SET_PIN_MODE, pin & 0x7f, mode & 0x7f],
  digitalPort: (port: number, bits: number): number[] => [
    FIRMATA.DIGITAL_MESSAGE | (port & 0x0f),
    bits & 0x7f,
    (bits >> 7) & 0x7f,
  ],
  /** PWM (and servo) output: pins 0–15 only in this short form. */
  analogWrite: (pin: number, value: number): number[] => [
    FIRMATA.ANALOG_MESSAGE | (pin & 0x0f),
    value & 0x7f,
    (value >> 7) & 0x7f,
  ],
  reportDigital: (port: number, on: boolean): number[] => [
    FIRMATA.REPORT_DIGITAL | (port & 0x0f),
    on ? 1 : 0,
  ],
  reportAnalog: (channel: number, on: boolean): number[] => [
    FIRMATA.REPORT_ANALOG | (channel & 0x0f),
    on ? 1 : 0,
  ],
  samplingInterval: (ms: number): number[] => [
    FIRMATA.START_SYSEX,
    FIRMATA.SAMPLING_INTERVAL,
    ms & 0x7f,
    (ms >> 7) & 0x7f,
    FIRMATA.END_SYSEX,
  ],
};
