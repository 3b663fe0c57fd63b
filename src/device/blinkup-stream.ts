// The optical BlinkUp stream: what a BlinkUp LED flashes and what an imp's light sensor decodes
// (/manufacturing/factoryfirmware, "Factory Fixture Firmware": factory BlinkUp "is an optical process that transmits
// device-enrollment tokens and, if required, network access credentials"). The real stream's
// format is not public; this one is chosen, and only its shape matters to the emulator:
//
//   start: light on for START_BITS bit periods, then off for one
//   frame: one length byte, then that many payload bytes, then a CRC-8; each bit one period,
//          light on = 1, most significant bit first
//   stop:  light on for one period, then off (the falling edge ends the frame)
//
// The bit rate is the fixture's (/api/server server.factoryblinkup flags): 60 Hz, or 142 Hz with
// BLINKUP_FAST. The payload is the settings as NUL-separated fields. A receiver that loses sync
// or sees a bad CRC drops the frame (the Connected Factory quick start: a DUT placed badly "fails BlinkUp").

import { MICROS_PER_SECOND } from "../sim/scheduler.ts";

/** What a BlinkUp stream carries. */
export interface BlinkUpPayload {
  readonly ssid: string;
  readonly password: string;
  readonly planId: string;
  readonly enrolmentToken: string;
}

/** Bit periods in µs: 60 Hz normally, 142 Hz with BLINKUP_FAST (/api/server/factoryblinkup). */
export function bitPeriodMicros(fast: boolean): number {
  return Math.round(MICROS_PER_SECOND / (fast ? 142 : 60));
}

const START_BITS = 8;

function crc8(bytes: readonly number[]): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function payloadBytes(payload: BlinkUpPayload): number[] {
  const text = [payload.ssid, payload.password, payload.planId, payload.enrolmentToken].join("\0");
  const bytes = Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  if (bytes.length > 255) throw new RangeError("BlinkUp payload longer than 255 bytes");
  return bytes;
}

/** The stream as light levels, one per bit period, ending dark. */
export function encodeBlinkUp(payload: BlinkUpPayload): (0 | 1)[] {
  const bytes = payloadBytes(payload);
  const frame = [bytes.length, ...bytes, crc8(bytes)];
  const bits: (0 | 1)[] = [];
  for (let i = 0; i < START_BITS; i++) bits.push(1);
  bits.push(0);
  for (const byte of frame) for (let b = 7; b >= 0; b--) bits.push(((byte >> b) & 1) as 0 | 1);
  bits.push(1, 0);
  return bits;
}

/** Decodes light edges into a payload; `feed` returns it when a good frame ends. */
export class BlinkUpReceiver {
  private level: 0 | 1 = 0;
  private lastEdge = 0;
  /** When the next data bit is sampled (its middle), or -1 while waiting for a start. */
  private nextSample = -1;
  private bits: (0 | 1)[] = [];

  constructor(private readonly period: number) {}

  /** The light went to `level` at time `t` (µs). */
  feed(level: 0 | 1, t: number): BlinkUpPayload | null {
    if (level === this.level) return null;
    const previous = this.level;
    const since = this.lastEdge;
    this.level = level;
    this.lastEdge = t;
    if (this.nextSample < 0) {
      // A start is a long light followed by one dark period; data begins at the next period.
      if (
        previous === 1 &&
        level === 0 &&
        Math.abs(t - since - START_BITS * this.period) < this.period / 2
      ) {
        this.nextSample = t + this.period + this.period / 2;
        this.bits = [];
      }
      return null;
    }
    while (this.nextSample < t) {
      this.bits.push(previous);
      this.nextSample += this.period;
    }
    return this.tryFrame(level);
  }

  private tryFrame(level: 0 | 1): BlinkUpPayload | null {
    if (this.bits.length < 8) return null;
    const length = this.byteAt(0);
    const needed = (length + 2) * 8;
    if (this.bits.length < needed || level !== 0) return null;
    // The stop bit was sampled high just now and the light fell: the frame is complete.
    this.nextSample = -1;
    const bytes: number[] = [];
    for (let i = 1; i <= length; i++) bytes.push(this.byteAt(i));
    if (crc8(bytes) !== this.byteAt(length + 1)) return null;
    const fields = String.fromCharCode(...bytes).split("\0");
    if (fields.length !== 4) return null;
    const [ssid, password, planId, enrolmentToken] = fields as [string, string, string, string];
    return { ssid, password, planId, enrolmentToken };
  }

  private byteAt(index: number): number {
    let byte = 0;
    for (let b = 0; b < 8; b++) byte = (byte << 1) | this.bits[index * 8 + b]!;
    return byte;
  }
}
