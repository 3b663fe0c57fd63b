import { describe, expect, it } from "vitest";
import {
  NV_CAPACITY,
  NV_KEPT_BY_WAKE_REASON,
  Nvram,
  NvramFullError,
} from "../../src/device/nvram.ts";
import { WAKE_REASONS } from "../../src/device/shared/wake-reasons.ts";

const IMAGE = "\u0001\u0002nv\u00ff";

describe("Nvram", () => {
  it("should give the nv image back after a timer, pin or snooze wake from deep sleep", () => {
    for (const reason of [
      WAKE_REASONS.WAKEREASON_TIMER,
      WAKE_REASONS.WAKEREASON_PIN,
      WAKE_REASONS.WAKEREASON_SNOOZE,
    ]) {
      const nvram = new Nvram();
      nvram.save(IMAGE);
      expect(nvram.boot(reason)).toBe(IMAGE);
    }
  });

  it("should lose the image on every other boot (/api/nv)", () => {
    const losing = Object.values(WAKE_REASONS).filter(
      (reason) => NV_KEPT_BY_WAKE_REASON[reason] !== true,
    );
    expect(losing).toEqual([0, 2, 4, 5, 6, 8, 9, 10, 11]);
    for (const reason of losing) {
      const nvram = new Nvram();
      nvram.save(IMAGE);
      expect(nvram.boot(reason)).toBeNull();
      expect(nvram.size).toBe(0);
      expect(nvram.boot(WAKE_REASONS.WAKEREASON_TIMER)).toBeNull();
    }
  });

  it("should keep the image across several deep sleeps, then lose it on server.restart()", () => {
    const nvram = new Nvram();
    nvram.save(IMAGE);
    expect(nvram.boot(WAKE_REASONS.WAKEREASON_TIMER)).toBe(IMAGE);
    nvram.save(IMAGE + "x");
    expect(nvram.boot(WAKE_REASONS.WAKEREASON_PIN)).toBe(IMAGE + "x");
    expect(nvram.boot(WAKE_REASONS.WAKEREASON_SW_RESTART)).toBeNull();
  });

  it("should lose the image on power loss", () => {
    const nvram = new Nvram();
    nvram.save(IMAGE);
    nvram.powerLoss();
    expect(nvram.boot(WAKE_REASONS.WAKEREASON_TIMER)).toBeNull();
  });

  it("should hold just under 4 KB and refuse more, keeping the old image", () => {
    const nvram = new Nvram();
    expect(NV_CAPACITY).toBeLessThan(4096);
    nvram.save("a".repeat(NV_CAPACITY));
    expect(nvram.size).toBe(NV_CAPACITY);
    expect(() => nvram.save("b".repeat(NV_CAPACITY + 1))).toThrow(NvramFullError);
    expect(() => nvram.save("b".repeat(NV_CAPACITY + 1))).toThrow(
      `the nv table needs ${NV_CAPACITY + 1} bytes but the imp keeps only ${NV_CAPACITY} across deep sleep; store less in nv`,
    );
    expect(nvram.boot(WAKE_REASONS.WAKEREASON_TIMER)).toBe("a".repeat(NV_CAPACITY));
  });

  it("should take only byte strings", () => {
    expect(() => new Nvram().save("\u0100")).toThrow(TypeError);
  });
});
