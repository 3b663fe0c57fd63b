import { describe, expect, it } from "vitest";
import { CONNECT_REASONS, connectReasonName } from "../../src/device/shared/connect-reasons.ts";
import { PIN_MODES, pinModeName } from "../../src/device/shared/pin-modes.ts";
import { SEND_ERRORS, SEND_OK } from "../../src/device/shared/send-errors.ts";
import { SHUTDOWN_REASONS } from "../../src/device/shared/shutdown-reasons.ts";
import { WAKE_REASONS, wakeReasonName } from "../../src/device/shared/wake-reasons.ts";

describe("imp constants", () => {
  it("should give the wake reasons their values from /api/hardware/wakereason", () => {
    expect(WAKE_REASONS).toEqual({
      WAKEREASON_POWER_ON: 0,
      WAKEREASON_TIMER: 1,
      WAKEREASON_SW_RESET: 2,
      WAKEREASON_PIN: 3,
      WAKEREASON_NEW_SQUIRREL: 4,
      WAKEREASON_SQUIRREL_ERROR: 5,
      WAKEREASON_NEW_FIRMWARE: 6,
      WAKEREASON_SNOOZE: 7,
      WAKEREASON_HW_RESET: 8,
      WAKEREASON_BLINKUP: 9,
      WAKEREASON_SW_RESTART: 10,
      WAKEREASON_POWER_RESTORED: 11,
    });
    expect(wakeReasonName(5)).toBe("WAKEREASON_SQUIRREL_ERROR");
    expect(wakeReasonName(12)).toBeUndefined();
  });

  it("should give shutdown reasons and send errors their values from /api/server/log, /api/server/onshutdown", () => {
    expect(SHUTDOWN_REASONS).toEqual({
      SHUTDOWN_NEWSQUIRREL: 1,
      SHUTDOWN_NEWFIRMWARE: 2,
      SHUTDOWN_OTHER: 3,
    });
    expect(SEND_OK).toBe(0);
    expect(SEND_ERRORS).toEqual({
      SEND_ERROR_NOT_CONNECTED: 1,
      SEND_ERROR_TIMEOUT: 2,
      SEND_ERROR_DISCONNECTED: 3,
      SEND_ERROR_WOULDBLOCK: 4,
    });
  });

  it("should give connect reasons their values from /api/server/connect, NO_WIFI and NO_LINK sharing 1", () => {
    expect(CONNECT_REASONS.SERVER_CONNECTED).toBe(5);
    expect(CONNECT_REASONS.NO_LINK).toBe(CONNECT_REASONS.NO_WIFI);
    expect(CONNECT_REASONS.REGISTRATION_DENIED).toBe(11);
    expect(connectReasonName(1)).toBe("NO_WIFI");
    expect(connectReasonName(7)).toBe("NOT_AUTHORISED");
  });

  it("should give every pin mode a distinct value and find its name again", () => {
    const values = Object.values(PIN_MODES);
    expect(new Set(values).size).toBe(values.length);
    for (const [name, value] of Object.entries(PIN_MODES)) expect(pinModeName(value)).toBe(name);
    expect(pinModeName(0)).toBeUndefined();
  });
});
