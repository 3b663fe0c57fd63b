// A Silicon Labs Si7021-A20 relative humidity and temperature sensor on I²C, as its datasheet
// describes the commands firmware uses: measure humidity (0xE5 hold, 0xF5 no hold), measure
// temperature (0xE3, 0xF3), read the temperature taken with the last humidity measurement
// (0xE0), reset (0xFE), read and write user register 1 (0xE7, 0xE6) and the electronic serial
// number (0xFA 0x0F, 0xFC 0xC9). A read of three bytes gets the checksum too (CRC-8, x^8+x^5+x^4+1).
// chosen: measurements are ready at once (no-hold reads are never refused while converting).

import type { I2cPeripheral } from "../../device/peripherals.ts";

/** Si7021's fixed 7-bit address. */
export const SI7021_ADDRESS = 0x40;
/** User register 1 after reset: 12-bit RH / 14-bit temperature, heater off (datasheet). */
const USER_REGISTER_RESET = 0x3a;
/** SNB_3 of the electronic serial number: 0x15 identifies a Si7021 (datasheet, "Electronic Serial Number"). */
const DEVICE_ID = 0x15;

/** CRC-8 with polynomial 0x31, initial value 0, as the Si7021 appends it. */
export function si7021Crc(bytes: readonly number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The 16-bit code the sensor gives for a humidity in %RH (datasheet: RH = 125·code/65536 − 6). */
export function humidityCode(percent: number): number {
  return Math.max(0, Math.min(0xfffc, Math.round(((percent + 6) * 65536) / 125))) & 0xfffc;
}

/** The 16-bit code for a temperature in °C (datasheet: T = 175.72·code/65536 − 46.85). */
export function temperatureCode(celsius: number): number {
  return Math.max(0, Math.min(0xfffc, Math.round(((celsius + 46.85) * 65536) / 175.72))) & 0xfffc;
}

export class Si7021 implements I2cPeripheral {
  /** What it measures now; set them from a test or a fault. */
  celsius: number;
  humidity: number;
  private lastTemperature: number;
  private pending: number[] | null = null;
  private userRegister = USER_REGISTER_RESET;

  constructor(celsius = 21, humidity = 45) {
    this.celsius = celsius;
    this.humidity = humidity;
    this.lastTemperature = temperatureCode(celsius);
  }

  write(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return true;
    const answer = this.command([...bytes]);
    if (answer === undefined) return false; // an unknown command is not acknowledged
    this.pending = answer;
    return true;
  }

  read(register: Uint8Array, count: number): Uint8Array | null {
    let answer: number[] | null | undefined;
    if (register.length === 0) {
      // A no-hold measurement or a command written before: its result is read now.
      answer = this.pending;
      this.pending = null;
    } else answer = this.command([...register]);
    if (answer === undefined || answer === null) return null;
    return Uint8Array.from(answer.slice(0, count));
  }

  // The bytes a command answers with (null: nothing to read; undefined: not a command).
  private command(bytes: number[]): number[] | null | undefined {
    switch (bytes[0]) {
      case 0xe5:
      case 0xf5: {
        const code = humidityCode(this.humidity);
        this.lastTemperature = temperatureCode(this.celsius);
        return withCrc(code);
      }
      case 0xe3:
      case 0xf3:
        this.lastTemperature = temperatureCode(this.celsius);
        return withCrc(this.lastTemperature);
      case 0xe0:
        return [this.lastTemperature >> 8, this.lastTemperature & 0xff]; // no checksum for this one (datasheet)
      case 0xfe:
        this.userRegister = USER_REGISTER_RESET;
        return null;
      case 0xe7:
        return [this.userRegister];
      case 0xe6:
        if (bytes.length >= 2)
          this.userRegister = (bytes[1]! & 0xc5) | (USER_REGISTER_RESET & 0x3a);
        return null;
      case 0xfa:
        return bytes[1] === 0x0f ? [0x11, 0, 0x22, 0, 0x33, 0, 0x44, 0] : undefined;
      case 0xfc:
        return bytes[1] === 0xc9 ? [DEVICE_ID, 0xff, 0xff, 0, 0x55, 0, 0x66, 0] : undefined;
      default:
        return undefined;
    }
  }
}

function withCrc(code: number): number[] {
  const bytes = [code >> 8, code & 0xff];
  return [...bytes, si7021Crc(bytes)];
}
