// The flags of server.factoryblinkup(ssid, password, pin, flags): the guest installs the names,
// the host reads the bits when it flashes the BlinkUp pin.

/** server.factoryblinkup's flags (docs/sources.md, "Chosen values"): bits. chosen values. */
export const BLINKUP_FLAGS = {
  BLINKUP_FAST: 0x01, // 142 Hz instead of 60 Hz
  BLINKUP_ACTIVEHIGH: 0x02, // the LED is driven active-high
} as const;
