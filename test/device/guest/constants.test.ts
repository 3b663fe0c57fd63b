import { describe, expect, it } from "vitest";
import { DEVICE_CONSTANTS } from "../../../src/device/guest/constants.ts";
import { PIN_MODES } from "../../../src/device/shared/pin-modes.ts";
import { deviceTests } from "./guest-device.ts";

const { run } = deviceTests();

describe("the imp's constants on the device", () => {
  it("should put every constant in the root table with its value", async () => {
    const { host } = await run(`
local root = getroottable();
foreach (name in ${JSON.stringify(Object.keys(DEVICE_CONSTANTS))}) server.log(name + "=" + root[name]);
`);
    expect(host.logs).toEqual(Object.entries(DEVICE_CONSTANTS).map(([k, v]) => `${k}=${v}`));
  });

  it("should give the published values of /api to firmware", async () => {
    const { host } = await run(`
server.log([
  WAKEREASON_POWER_ON, WAKEREASON_TIMER, WAKEREASON_SW_RESET, WAKEREASON_PIN, WAKEREASON_NEW_SQUIRREL,
  WAKEREASON_SQUIRREL_ERROR, WAKEREASON_NEW_FIRMWARE, WAKEREASON_SNOOZE, WAKEREASON_HW_RESET,
  WAKEREASON_BLINKUP, WAKEREASON_SW_RESTART, WAKEREASON_POWER_RESTORED,
  SEND_ERROR_NOT_CONNECTED, SEND_ERROR_TIMEOUT, SEND_ERROR_DISCONNECTED, SEND_ERROR_WOULDBLOCK,
  SHUTDOWN_NEWSQUIRREL, SHUTDOWN_NEWFIRMWARE, SHUTDOWN_OTHER,
  NOT_CONNECTED, NO_WIFI, NO_LINK, NO_IP_ADDRESS, NOT_RESOLVED, NO_SERVER, SERVER_CONNECTED, NO_PROXY,
  NOT_AUTHORISED, NO_MODEM, SIM_ERROR, NO_REGISTRATION, REGISTRATION_DENIED,
  SUNDAY, SATURDAY,
].map(@(v) v.tostring()).reduce(@(a, b) a + " " + b));
server.log(DIGITAL_OUT == ${PIN_MODES.DIGITAL_OUT} && PULSE_COUNTER == ${PIN_MODES.PULSE_COUNTER});
server.log(SUSPEND_ON_ERROR != RETURN_ON_ERROR && WAIT_TIL_SENT != WAIT_FOR_ACK);
server.log(ENVIRONMENT_CARD != ENVIRONMENT_MODULE && ENVIRONMENT_MODULE != ENVIRONMENT_AGENT);
`);
    expect(host.logs).toEqual([
      "0 1 2 3 4 5 6 7 8 9 10 11 1 2 3 4 1 2 3 0 1 1 2 3 4 5 6 7 8 9 10 11 0 6",
      "true",
      "true",
      "true",
    ]);
  });

  it("should keep the bits of flag constants apart so they can be or-ed", () => {
    const flags = [
      ["BLINKUP_FAST", "BLINKUP_ACTIVEHIGH"],
      ["CONFIG_WIFI", "CONFIG_STATIC_NETWORK", "CONFIG_PROXY"],
      [
        "LSB_FIRST",
        "CLOCK_IDLE_HIGH",
        "CLOCK_2ND_EDGE",
        "USE_CS_L",
        "NO_SCLK",
        "SIMPLEX_TX",
        "SIMPLEX_RX",
        "NO_CTSRTS",
        "NO_TX",
        "NO_RX",
      ],
    ];
    for (const group of flags) {
      const values = group.map((n) => DEVICE_CONSTANTS[n]!);
      expect(values.every((v) => v > 0)).toBe(true);
      expect(values.reduce((a, b) => a | b)).toBe(values.reduce((a, b) => a + b));
    }
    for (const n of flags[1]!)
      expect(DEVICE_CONSTANTS.CONFIG_ALL! & DEVICE_CONSTANTS[n]!).toBe(DEVICE_CONSTANTS[n]);
  });
});
