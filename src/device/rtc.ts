// The imp's real-time clock: what time() and date() read (/squirrel). It runs on through deep
// sleep and is lost with power (/resources/imp-boot-procedure, "Communicating With The impCloud After A Warm Boot");
// the cloud sets it in its answer to the code hash (/resources/imp-boot-procedure step 4).
//
// chosen: a clock that lost power starts again from 0 (1 January 1970) until the cloud sets it;
// the documentation does not say what an unsynchronised imp reads. A software reset keeps it running:
// only power loss stops the RTC's oscillator.

import { MICROS_PER_SECOND } from "../sim/scheduler.ts";

export class Rtc {
  // Unix seconds at virtual time 0 of the clock's current run; time = offset + now.
  private offsetSeconds = 0;
  private synced = false;

  /** Unix seconds (with a fraction) at virtual time `now` (µs). */
  seconds(now: number): number {
    return this.offsetSeconds + now / MICROS_PER_SECOND;
  }

  /** True once the cloud has set the clock since power was applied. */
  get isSynchronised(): boolean {
    return this.synced;
  }

  /** The cloud's RTC sync: at virtual time `now` it is `unixSeconds`. */
  set(unixSeconds: number, now: number): void {
    this.offsetSeconds = unixSeconds - now / MICROS_PER_SECOND;
    this.synced = true;
  }

  /** Power applied after a loss: the clock starts again from the epoch at virtual time `now`. */
  powerOn(now: number): void {
    this.offsetSeconds = -now / MICROS_PER_SECOND;
    this.synced = false;
  }
}
