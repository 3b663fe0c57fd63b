// The values `hardware.wakereason()` returns: /api/hardware/wakereason (the page notes impOS may change them).
// Which boot gives which reason is /resources/imp-boot-procedure and /resources/imp-boot-procedure, /api/imp/deepsleepfor.

export const WAKE_REASONS = {
  WAKEREASON_POWER_ON: 0, // cold boot
  WAKEREASON_TIMER: 1, // deep-sleep timer expired
  WAKEREASON_SW_RESET: 2, // imp.reset() or out of memory
  WAKEREASON_PIN: 3, // the wake pin went high
  WAKEREASON_NEW_SQUIRREL: 4, // new Squirrel loaded
  WAKEREASON_SQUIRREL_ERROR: 5, // uncaught Squirrel error
  WAKEREASON_NEW_FIRMWARE: 6, // impOS upgrade
  WAKEREASON_SNOOZE: 7, // woken from a snooze-and-retry (the SUSPEND_ON_ERROR retry sleep)
  WAKEREASON_HW_RESET: 8, // RESET_L pin (imp003 and later)
  WAKEREASON_BLINKUP: 9, // reconfigured by BlinkUp
  WAKEREASON_SW_RESTART: 10, // server.restart()
  WAKEREASON_POWER_RESTORED: 11, // VBAT powered during a cold start
} as const;

export type WakeReasonName = keyof typeof WAKE_REASONS;
export type WakeReason = (typeof WAKE_REASONS)[WakeReasonName];

const NAMES = new Map<number, WakeReasonName>(
  Object.entries(WAKE_REASONS).map(([name, value]) => [value, name as WakeReasonName]),
);

/** The constant's name for a wake reason value, or undefined for a value the imp does not define. */
export function wakeReasonName(value: number): WakeReasonName | undefined {
  return NAMES.get(value);
}
