// The flags of imp.clearconfiguration(flags): the guest installs the names, the host reads the
// bits when it erases what secure storage holds.

/** imp.clearconfiguration's argument (/api/imp): bits. chosen values. */
export const CLEAR_CONFIGURATION_FLAGS = {
  CONFIG_WIFI: 0x01,
  CONFIG_STATIC_NETWORK: 0x02,
  CONFIG_PROXY: 0x04,
  CONFIG_ALL: 0xff, // everything, enrolment included: the default
} as const;
