import { describe, expect, it } from "vitest";
import { bootState } from "../../src/device/boot.ts";
import { CLEAR_CONFIGURATION_FLAGS as F } from "../../src/device/shared/clear-configuration-flags.ts";
import { Rtc } from "../../src/device/rtc.ts";
import { SecureStorage } from "../../src/device/secure-storage.ts";

const BITS = { wifi: F.CONFIG_WIFI, staticNetwork: F.CONFIG_STATIC_NETWORK, proxy: F.CONFIG_PROXY };
const CODE = { source: "server.log(1);", hash: "abc", file: "device_code" };

describe("bootState (/resources/imp-boot-procedure's four states)", () => {
  it("should read each state from secure storage", () => {
    const storage = new SecureStorage("v1");
    expect(bootState(storage)).toBe("unactivated");
    storage.planId = "plan";
    storage.enrolmentToken = "token";
    expect(bootState(storage)).toBe("pending-activation");
    storage.activated = true;
    expect(bootState(storage)).toBe("activated-no-squirrel");
    storage.code = CODE;
    expect(bootState(storage)).toBe("activated-with-squirrel");
  });

  it("should go back to Unactivated after imp.clearconfiguration(), keeping the code", () => {
    const storage = new SecureStorage("v1");
    Object.assign(storage, {
      wifi: { ssid: "s", password: "p" },
      planId: "plan",
      enrolmentToken: "t",
      activated: true,
      code: CODE,
    });
    storage.clearConfiguration(F.CONFIG_WIFI, BITS, F.CONFIG_ALL);
    expect(storage.wifi).toBeNull();
    expect(bootState(storage)).toBe("activated-with-squirrel");
    storage.clearConfiguration(F.CONFIG_ALL, BITS, F.CONFIG_ALL);
    expect(bootState(storage)).toBe("unactivated");
    expect(storage.code).toBe(CODE);
  });
});

describe("Rtc", () => {
  it("should start from the epoch at power-on, take the cloud's time and run on", () => {
    const rtc = new Rtc();
    rtc.powerOn(5_000_000);
    expect(rtc.seconds(7_000_000)).toBe(2);
    expect(rtc.isSynchronised).toBe(false);
    rtc.set(1_700_000_000, 7_000_000);
    expect(rtc.seconds(67_000_000)).toBe(1_700_000_060);
    expect(rtc.isSynchronised).toBe(true);
  });
});
