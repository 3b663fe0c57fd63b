// The NVRAM that holds the `nv` table across deep sleep (/api/nv, /resources/imp-boot-procedure). impOS saves the
// global `nv` just before deep sleep and re-creates it on wake; every other kind of boot starts
// without it, and power loss wipes it. The image is the `nv` table already serialised by the
// runtime, as a byte string (one char per byte, as everywhere in the emulator).
//
// Because impOS only saves at deep-sleep entry, a VM restart (server.restart(), an error, new
// Squirrel) has nothing to restore even while the NVRAM still holds an older image; hence the
// table below is applied at every boot. Seed 001 says factory firmware cannot use `nv` at all:
// the device layer does not save for it.

import { WAKE_REASONS } from "./shared/wake-reasons.ts";

/**
 * How many bytes of serialised `nv` fit: "just under 4 KB" (/api/nv).
 * chosen: 4,000 bytes, since the exact figure is not published.
 */
export const NV_CAPACITY = 4000;

/** Whether a boot with this wake reason gets the `nv` table back (/api/nv). */
export const NV_KEPT_BY_WAKE_REASON: Readonly<Record<number, boolean>> = {
  [WAKE_REASONS.WAKEREASON_POWER_ON]: false,
  [WAKE_REASONS.WAKEREASON_TIMER]: true,
  [WAKE_REASONS.WAKEREASON_SW_RESET]: false,
  [WAKE_REASONS.WAKEREASON_PIN]: true,
  [WAKE_REASONS.WAKEREASON_NEW_SQUIRREL]: false,
  [WAKE_REASONS.WAKEREASON_SQUIRREL_ERROR]: false,
  [WAKE_REASONS.WAKEREASON_NEW_FIRMWARE]: false,
  [WAKE_REASONS.WAKEREASON_SNOOZE]: true,
  [WAKE_REASONS.WAKEREASON_HW_RESET]: false,
  // chosen: 9–11 are not listed (/api/nv ⚠, no published value); none is a deep-sleep wake, and
  // only a deep-sleep wake restores what impOS saved, so none keeps it.
  [WAKE_REASONS.WAKEREASON_BLINKUP]: false,
  [WAKE_REASONS.WAKEREASON_SW_RESTART]: false,
  [WAKE_REASONS.WAKEREASON_POWER_RESTORED]: false,
};

/** Thrown when the serialised `nv` table does not fit. */
export class NvramFullError extends Error {
  override name = "NvramFullError";
}

export class Nvram {
  private image: string | null = null;
  private imageSize = 0;

  constructor(readonly capacity = NV_CAPACITY) {}

  /** The bytes held now. */
  get size(): number {
    return this.image === null ? 0 : this.imageSize;
  }

  /**
   * Keeps the serialised `nv` table, at deep-sleep entry; `size` is what it takes in the imp's
   * NVRAM (nv-size.ts; by default its length).
   * chosen: an image that does not fit throws (the documentation does not say what the imp does) and
   * leaves the old image in place; the device layer reports it as a Squirrel error.
   */
  save(image: string, size = image.length): void {
    for (let i = 0; i < image.length; i++) {
      if (image.charCodeAt(i) > 0xff)
        throw new TypeError("the nv image must be a byte string (char codes 0–255)");
    }
    if (size > this.capacity) {
      throw new NvramFullError(
        `the nv table needs ${size} bytes but the imp keeps only ${this.capacity} across deep sleep; store less in nv`,
      );
    }
    this.image = image;
    this.imageSize = size;
  }

  /** The image held now, or null. */
  peek(): string | null {
    return this.image;
  }

  /** Deep sleep with no `nv` table: nothing to keep (the wake finds no `nv`). */
  clear(): void {
    this.image = null;
  }

  /**
   * Applies a boot with `wakeReason`: returns the image the new VM re-creates `nv` from, or
   * null (and forgets the image) when this kind of boot does not keep it.
   */
  boot(wakeReason: number): string | null {
    if (NV_KEPT_BY_WAKE_REASON[wakeReason] === true) return this.image;
    this.image = null;
    return null;
  }

  /** Power removed: everything is lost (/resources/imp-boot-procedure). */
  powerLoss(): void {
    this.image = null;
  }
}
