// The imp's identity as the host reports it (host-calls.ts identityJson, DeviceIdentityInfo):
// asked once per VM, since a device's id, MAC and model never change while it runs.

import type { DeviceIdentityInfo } from "../shared/host-calls.ts";
import { host } from "./device-host.ts";

/**
 * chosen: what imp.getsoftwareversion() shows when the host gives no version, in the imp's
 * "<commit> - <release> - <build date>" shape.
 */
export const DEFAULT_SOFTWARE_VERSION = "0000000 - release-43.0 - virtual-imp";

let cached: DeviceIdentityInfo | undefined;

function field(o: Record<string, unknown>, names: readonly string[]): string {
  for (const n of names) if (typeof o[n] === "string") return o[n];
  throw new Error(`the host's identityJson() has no ${names[0]}: ${JSON.stringify(o)}`);
}

export function identity(): DeviceIdentityInfo {
  if (cached !== undefined) return cached;
  const o = JSON.parse(host.identityJson()) as Record<string, unknown>;
  cached = {
    deviceId: field(o, ["deviceId"]),
    // host-calls.ts first spelled these "mac" and "model type"; both spellings are read.
    macAddress: field(o, ["macAddress", "mac"]),
    type: field(o, ["type", "model"]),
    softwareVersion:
      typeof o.softwareVersion === "string" ? o.softwareVersion : DEFAULT_SOFTWARE_VERSION,
  };
  return cached;
}
