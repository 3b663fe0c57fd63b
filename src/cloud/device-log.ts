// Per-group logs (/manufacturing/factoryfirmware, "Logging From Factory Firmware"): "fixtures [log] within the Test
// Factory Device Group code editor's log pane; … DUTs within the Test DUT Device Group's";
// Test Production Devices to the Test Production group's. A line lands in the log of the group
// the device is in when the line arrives.

export interface LogEntry {
  /** Virtual time (µs) of this run. */
  readonly t: number;
  /** Cloud time, Unix seconds: comparable across runs that share a --state directory. */
  readonly time: number;
  readonly deviceId: string;
  readonly groupId: string | null;
  /** server.log, server.error, or the cloud's own line about the device (blessing, enrolment). */
  readonly kind: "log" | "error" | "status";
  readonly message: string;
}
