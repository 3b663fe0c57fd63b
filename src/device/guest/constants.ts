// Every named constant device firmware can use (/api), installed in the root table at boot.
// Values the documentation gives come from the device layer's own files (wake-reasons.ts, …); the
// rest have no published value (no published value): the emulator chooses them, and
// firmware should only ever use the names. Those the host side needs too live in ../shared/.

import { tableSet } from "../../runtime/access.ts";
import type { SqTable } from "../../runtime/values.ts";
import { CONNECT_REASONS } from "../shared/connect-reasons.ts";
import { PIN_MODES } from "../shared/pin-modes.ts";
import { SEND_ERRORS } from "../shared/send-errors.ts";
import { SHUTDOWN_REASONS } from "../shared/shutdown-reasons.ts";
import { BLINKUP_FLAGS } from "../shared/blinkup-flags.ts";
import { CLEAR_CONFIGURATION_FLAGS } from "../shared/clear-configuration-flags.ts";
import { ENVIRONMENTS } from "../shared/environments.ts";
import { SEND_TIMEOUT_POLICIES, WAIT_POLICIES } from "../shared/send-policies.ts";
import { WAKE_REASONS } from "../shared/wake-reasons.ts";

/** chosen: a legacy spelling seen in an old gist (/api/hardware/wakereason ⚠), kept as an alias of WAKEREASON_PIN. */
export const LEGACY_WAKE_REASONS = { WAKEREASON_PIN1: WAKE_REASONS.WAKEREASON_PIN } as const;

/** uart.configure's parity (/api/hardware). chosen values. */
export const PARITIES = {
  PARITY_NONE: 0,
  PARITY_EVEN: 1,
  PARITY_ODD: 2,
} as const;

/** i2c.configure's speed (/api/hardware names CLOCK_SPEED_400_KHZ; "others exist"). chosen: the speed in Hz. */
export const I2C_CLOCK_SPEEDS = {
  CLOCK_SPEED_10_KHZ: 10_000,
  CLOCK_SPEED_50_KHZ: 50_000,
  CLOCK_SPEED_100_KHZ: 100_000,
  CLOCK_SPEED_400_KHZ: 400_000,
} as const;

/**
 * spi.configure and uart.configure flags: not in the documentation, but firmware cannot configure a
 * bus without them. chosen: distinct bits, one namespace, as the imp shares NO_TX/NO_RX.
 */
export const BUS_FLAGS = {
  MSB_FIRST: 0,
  CLOCK_IDLE_LOW: 0,
  LSB_FIRST: 0x001,
  CLOCK_IDLE_HIGH: 0x002,
  CLOCK_2ND_EDGE: 0x004,
  USE_CS_L: 0x008,
  NO_SCLK: 0x010,
  SIMPLEX_TX: 0x020,
  SIMPLEX_RX: 0x040,
  NO_CTSRTS: 0x080,
  NO_TX: 0x100,
  NO_RX: 0x200,
} as const;

/** Days of the week for sleepuntil (/api/imp/deepsleepfor, docs/sources.md, "Chosen values"): as date().wday. */
export const DAYS = {
  SUNDAY: 0,
  MONDAY: 1,
  TUESDAY: 2,
  WEDNESDAY: 3,
  THURSDAY: 4,
  FRIDAY: 5,
  SATURDAY: 6,
} as const;

/** Every constant of the device's root table, by name. */
export const DEVICE_CONSTANTS: Readonly<Record<string, number>> = {
  ...WAKE_REASONS,
  ...LEGACY_WAKE_REASONS,
  ...PIN_MODES,
  ...SHUTDOWN_REASONS,
  ...SEND_ERRORS,
  ...CONNECT_REASONS,
  ...SEND_TIMEOUT_POLICIES,
  ...WAIT_POLICIES,
  ...ENVIRONMENTS,
  ...BLINKUP_FLAGS,
  ...CLEAR_CONFIGURATION_FLAGS,
  ...PARITIES,
  ...I2C_CLOCK_SPEEDS,
  ...BUS_FLAGS,
  ...DAYS,
};

export function installConstants(root: SqTable): void {
  for (const [name, value] of Object.entries(DEVICE_CONSTANTS)) tableSet(root, name, value);
}
