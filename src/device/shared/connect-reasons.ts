// The reason `server.connect(cb)` and `server.onunexpecteddisconnect(cb)` pass to `cb`: /api/server/connect.
// NO_WIFI and NO_LINK share 1 (NO_LINK is the imp005's Ethernet name). Further cellular codes
// (NO_PPP_CONNECTION, …) have no published value and are left out.

export const CONNECT_REASONS = {
  NOT_CONNECTED: 0,
  NO_WIFI: 1,
  NO_LINK: 1, // Ethernet (imp005)
  NO_IP_ADDRESS: 2,
  NOT_RESOLVED: 3,
  NO_SERVER: 4,
  SERVER_CONNECTED: 5,
  NO_PROXY: 6,
  NOT_AUTHORISED: 7,
  NO_MODEM: 8, // cellular
  SIM_ERROR: 9,
  NO_REGISTRATION: 10,
  REGISTRATION_DENIED: 11,
} as const;

export type ConnectReasonName = keyof typeof CONNECT_REASONS;
export type ConnectReason = (typeof CONNECT_REASONS)[ConnectReasonName];

// chosen: a reverse lookup of 1 gives NO_WIFI, since both emulated models are WiFi imps.
const NAMES = new Map<number, ConnectReasonName>();
for (const [name, value] of Object.entries(CONNECT_REASONS)) {
  if (!NAMES.has(value)) NAMES.set(value, name as ConnectReasonName);
}

/** The constant's name for a connect/disconnect reason, or undefined for an unknown value. */
export function connectReasonName(value: number): ConnectReasonName | undefined {
  return NAMES.get(value);
}
