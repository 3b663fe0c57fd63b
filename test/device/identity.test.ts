import { describe, expect, it } from "vitest";
import { ELECTRIC_IMP_OUI, IdentitySequence, deriveIdentity } from "../../src/device/identity.ts";
import { imp001, imp003 } from "../../src/device/models/index.ts";

describe("device identity", () => {
  it("should give 16 hex digits of device id and 12 of MAC, lowercase, with Electric Imp's prefix", () => {
    for (const model of [imp001, imp003]) {
      const { deviceId, macAddress } = deriveIdentity(model, "seed");
      expect(deviceId).toMatch(/^[0-9a-f]{16}$/);
      expect(macAddress).toMatch(/^[0-9a-f]{12}$/);
      expect(macAddress.startsWith(ELECTRIC_IMP_OUI)).toBe(true);
    }
  });

  it("should make a module's device id 4 hex digits followed by its MAC, as FactoryTools expects", () => {
    const { deviceId, macAddress } = deriveIdentity(imp003, "dut-7");
    expect(deviceId.slice(4)).toBe(macAddress);
  });

  it("should make the imp001's id unrelated to its MAC", () => {
    const { deviceId, macAddress } = deriveIdentity(imp001, "card");
    expect(deviceId.slice(4)).not.toBe(macAddress);
  });

  it("should give the same identity for the same seed and another for another seed", () => {
    expect(deriveIdentity(imp003, "a")).toEqual(deriveIdentity(imp003, "a"));
    expect(deriveIdentity(imp003, "a")).not.toEqual(deriveIdentity(imp003, "b"));
  });

  // Seeds "run-1/3009" and "run-1/3286" share a MAC, so this also covers the sequence skipping one.
  it("should hand out the same sequence from the same seed, with no repeats over 5,000 devices", () => {
    const first = new IdentitySequence("run-1");
    const second = new IdentitySequence("run-1");
    const ids = new Set<string>();
    const macs = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const identity = first.next(i % 2 === 0 ? imp003 : imp001);
      expect(second.next(i % 2 === 0 ? imp003 : imp001)).toEqual(identity);
      ids.add(identity.deviceId);
      macs.add(identity.macAddress);
    }
    expect(ids.size).toBe(5000);
    expect(macs.size).toBe(5000);
  });
});
