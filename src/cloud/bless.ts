// The cloud's side of server.bless() (/api/server/bless, /manufacturing/factoryfirmware "Product Testing", the Connected Factory quick start): whether a
// DUT may be blessed, and into which production group.
//
// Re-blessing — /api/server/bless and the Connected Factory quick start disagree: /api/server/bless says "production devices can be re-blessed
// at any time, provided the blessing targets a Production Device Group on the same account";
// the Connected Factory quick start says "blessed devices cannot be re-blessed". chosen: the Connected Factory quick start, the factory process
// page, because a blessed device "cannot undergo factory BlinkUp" (/manufacturing/factoryfirmware and the Connected Factory quick start), so it can
// never again run DUT firmware that would bless it; the cloud refuses a second blessing with
// "already blessed". To move a production device, reassign it between production groups
// (the impt Production Guide) or unbless it with the unblessing key.

import type { CloudDevice } from "./cloud-device.ts";
import { isDutGroupType, type DeviceGroup } from "./device-group.ts";

export type BlessDecision =
  | { readonly ok: true; readonly productionGroup: DeviceGroup }
  | { readonly ok: false; readonly reason: string };

export function decideBlessing(
  device: CloudDevice | undefined,
  pass: boolean,
  group: (id: string | null) => DeviceGroup | undefined,
): BlessDecision {
  if (!pass) return { ok: false, reason: "the DUT's tests failed (server.bless(false))" };
  if (device === undefined) return { ok: false, reason: "unknown device" };
  if (device.blessed)
    return {
      ok: false,
      reason: "already blessed: blessed devices cannot be re-blessed (seed 003)",
    };
  const current = group(device.groupId);
  if (current === undefined || !isDutGroupType(current.type))
    return { ok: false, reason: "not a device under test (not in a DUT device group)" };
  const fixtureGroup = group(device.fixtureGroupId);
  const production = group(fixtureGroup?.productionTarget ?? null);
  if (production === undefined)
    return { ok: false, reason: "the fixture's device group has no production target" };
  return { ok: true, productionGroup: production };
}
