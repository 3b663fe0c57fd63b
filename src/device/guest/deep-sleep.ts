// The deep-sleep family (/api/imp/deepsleepfor): server.sleepfor/sleepuntil (flush first) and
// imp.deepsleepfor/deepsleepuntil (no flush). None returns: `nv` is saved, the host is told, and
// the running event ends. The wake re-runs the firmware from the top.

import { sqError } from "../../runtime/errors.ts";
import { vm } from "../../runtime/state.ts";
import { host, rethrowHostFailure } from "./device-host.ts";
import { saveNv } from "./nv-table.ts";
import { leaveVm } from "./vm-exit.ts";

/** The longest deep sleep: 28 days less 2 s (/api/imp/deepsleepfor). */
export const MAX_DEEP_SLEEP_SECONDS = 2_419_198;

const DAY = 86_400;

/** Sleeps `seconds`, never returning. chosen: a time out of range is a Squirrel error naming the call. */
export function deepSleep(call: string, seconds: number, flush: boolean): never {
  if (!(seconds >= 0 && seconds <= MAX_DEEP_SLEEP_SECONDS)) {
    sqError(
      `${call}(): ${seconds} s is out of range; a deep sleep lasts 0 to ${MAX_DEEP_SLEEP_SECONDS} s`,
    );
  }
  const image = saveNv(vm.root);
  try {
    host.deepSleep(seconds, flush, image);
  } catch (e) {
    rethrowHostFailure(e);
  }
  return leaveVm(call);
}

/**
 * Seconds from `now` (Unix seconds, UTC) to the next hour:minute:second UTC, on weekday `dow`
 * (0 = Sunday, as date().wday) when given. chosen: a time equal to now means the next occurrence.
 */
export function secondsUntil(
  now: number,
  hour: number,
  minute: number,
  second: number,
  dow: number | null,
): number {
  const today = Math.floor(now / DAY) * DAY;
  let target = today + hour * 3600 + minute * 60 + second;
  if (dow === null) {
    if (target <= now) target += DAY;
  } else {
    // 1970-01-01 was a Thursday (4).
    const wday = (Math.floor(today / DAY) + 4) % 7;
    target += ((dow - wday + 7) % 7) * DAY;
    if (target <= now) target += 7 * DAY;
  }
  return target - now;
}

/** sleepuntil(hour, minute[, second][, dayOfWeek]) for server.* and imp.deepsleepuntil. */
export function deepSleepUntil(call: string, args: readonly unknown[], flush: boolean): never {
  const [hour, minute, second = 0, dow = null] = args as (number | null)[];
  const bad = (what: string) => sqError(`${call}(): ${what}`);
  if (!(hour! >= 0 && hour! <= 23)) bad(`the hour must be 0 to 23, not ${hour}`);
  if (!(minute! >= 0 && minute! <= 59)) bad(`the minute must be 0 to 59, not ${minute}`);
  if (!(second! >= 0 && second! <= 59)) bad(`the second must be 0 to 59, not ${second}`);
  if (dow !== null && !(dow >= 0 && dow <= 6))
    bad(`the day of the week must be SUNDAY (0) to SATURDAY (6), not ${dow}`);
  let now: number;
  try {
    now = host.rtcSeconds();
  } catch (e) {
    rethrowHostFailure(e);
  }
  return deepSleep(call, secondsUntil(now, hour!, minute!, second!, dow), flush);
}
