// Facts about device⇄agent messages that both the guests and the host need (developer.electricimp.com
// /api/agent/send, /api/device/send, /resources/serialisablesquirrel). Plain constants, no imports,
// so the guest bundles (device and agent) and the host can all take them.

/** A message (its name plus its encoded payload) must be smaller than this, in bytes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * chosen: the wire form nests at most this deep (a cycle is found long before). The imp's limit
 * is not published; 32 levels is far beyond any real payload.
 */
export const MAX_MESSAGE_DEPTH = 32;
