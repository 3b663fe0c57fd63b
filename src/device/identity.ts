// A device's permanent identity — device id and MAC address — derived from a seed, so the same
// run gives the same devices (docs/architecture.md, principle 1). Formats from /api/hardware, /api/imp:
// `hardware.getdeviceid()` is 16 hex digits; `imp.getmacaddress()` is 12 lowercase hex digits
// with no separators. A module's id is 4 hex digits followed by its MAC (FactoryTools takes
// the MAC as `deviceid.slice(4)`); the imp001's id comes from an ID chip, unrelated to the MAC.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { ImpModel } from "./models/model.ts";

/** Electric Imp's MAC prefix: /api/imp's example MAC "0c2a690xxxxx". */
export const ELECTRIC_IMP_OUI = "0c2a69";

/**
 * The 4 hex digits before the MAC in a module's device id.
 * chosen: the documentation does not give them; public imp003 ids look like "30000c2a69xxxxxx".
 */
export const MODULE_ID_PREFIX = "3000";

export interface DeviceIdentity {
  /** What `hardware.getdeviceid()` gives: 16 lowercase hex digits. */
  readonly deviceId: string;
  /** What `imp.getmacaddress()` gives: 12 lowercase hex digits. */
  readonly macAddress: string;
}

/** The identity a seed gives a device of `model`; the same seed always gives the same identity. */
export function deriveIdentity(model: ImpModel, seed: string): DeviceIdentity {
  const hex = bytesToHex(sha256(utf8ToBytes(`virtual-imp identity\u0000${seed}`)));
  const macAddress = ELECTRIC_IMP_OUI + hex.slice(0, 6);
  // chosen: an imp001's ID-chip id is 16 more hex digits of the same hash.
  const deviceId = model.deviceIdFromMac ? MODULE_ID_PREFIX + macAddress : hex.slice(6, 22);
  return { deviceId, macAddress };
}

/**
 * Hands out identities for the devices of one run, in order, from one seed. A MAC has only 24
 * bits of its own, so with 1,000 devices two seeds could share one; the sequence skips any
 * identity it has already handed out, and stays deterministic while doing so.
 */
export class IdentitySequence {
  private count = 0;
  private readonly usedIds = new Set<string>();
  private readonly usedMacs = new Set<string>();

  constructor(readonly seed: string) {}

  next(model: ImpModel): DeviceIdentity {
    for (;;) {
      const identity = deriveIdentity(model, `${this.seed}/${this.count++}`);
      if (this.usedIds.has(identity.deviceId) || this.usedMacs.has(identity.macAddress)) continue;
      this.usedIds.add(identity.deviceId);
      this.usedMacs.add(identity.macAddress);
      return identity;
    }
  }
}
