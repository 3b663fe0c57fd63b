// What a wait that ran out of virtual time throws: what was waited for, for how long, and what
// the device was last seen doing, so a failing test says why without a debugger.

import { formatDuration, formatVirtualTime } from "../sim/duration.ts";

export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";

  constructor(
    /** The wait, as called: `waitForLog(/temp=\d+/)`. */
    readonly waitedFor: string,
    /** How long it waited, in virtual µs. */
    readonly timeout: number,
    /** The virtual time (µs) it gave up at. */
    readonly at: number,
    /** What was seen last: "the last log line was ... at +1.300s". */
    readonly lastSeen: string,
  ) {
    super(
      `${waitedFor} timed out after ${formatDuration(timeout)} of virtual time (at ${formatVirtualTime(at)}); ${lastSeen}`,
    );
  }
}
