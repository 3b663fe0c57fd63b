// The reason `server.onshutdown(cb)` passes to `cb`: /api/server/onshutdown and /api/server/onshutdown.

export const SHUTDOWN_REASONS = {
  SHUTDOWN_NEWSQUIRREL: 1, // new Squirrel deployed
  SHUTDOWN_NEWFIRMWARE: 2, // new impOS available
  SHUTDOWN_OTHER: 3,
} as const;

export type ShutdownReasonName = keyof typeof SHUTDOWN_REASONS;
export type ShutdownReason = (typeof SHUTDOWN_REASONS)[ShutdownReasonName];
