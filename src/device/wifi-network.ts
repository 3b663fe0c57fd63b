// The WiFi network a virtual imp is on, as imp.getssid(), imp.getbssid(), imp.rssi() and
// imp.net.info() report it (developer.electricimp.com/api/imp/net/info). The SSID is the one
// the imp was configured with — by BlinkUp, a fixture's factory BlinkUp, or the device's
// options — so firmware that checks `imp.getssid()` against its factory network sees the
// truth. The rest is chosen: one access point, a /24 network with the router at .1 serving
// DHCP and DNS, and an address for the imp derived from its MAC, so two devices differ.

import type { NetworkInfo } from "./shared/host-calls.ts";

/** chosen: the access point every virtual imp hears (its BSSID is a locally administered MAC). */
export const VIRTUAL_ACCESS_POINT = { bssid: "020000000001", channel: 6, rssi: -55 } as const;

/** chosen: the network's first three octets; the router is .1. */
const SUBNET = "192.168.1";

/** The imp's address on the virtual network: .2 to .251, from the MAC's last byte. */
export function virtualIpAddress(macAddress: string): string {
  const last = Number.parseInt(macAddress.slice(-2), 16) || 0;
  return `${SUBNET}.${2 + (last % 250)}`;
}

export function networkInfo(
  macAddress: string,
  ssid: string | undefined,
  connected: boolean,
  lastError?: number,
): NetworkInfo {
  const info: NetworkInfo = { ssid: ssid ?? "", ...VIRTUAL_ACCESS_POINT, macAddress, connected };
  if (!connected && lastError !== undefined) info.lastError = lastError;
  if (connected) {
    info.ipv4 = {
      address: virtualIpAddress(macAddress),
      netmask: "255.255.255.0",
      broadcast: `${SUBNET}.255`,
      gateway: `${SUBNET}.1`,
      dhcpserver: `${SUBNET}.1`,
      dnsserver: [`${SUBNET}.1`],
    };
  }
  return info;
}
