// The imp's time functions (/squirrel), on the host's clocks: time() and date() read the RTC,
// clock() the time since boot. All of them run on the scheduler's virtual time.

import { tableSet } from "../../runtime/access.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { float, SqFloat, SqTable } from "../../runtime/values.ts";
import type { SqNative } from "../../runtime/values.ts";
import { host, rethrowHostFailure } from "./device-host.ts";

/** date() gives an all-zero table outside 2000-01-01 … 2099-12-31 (/squirrel). */
export const DATE_RANGE = { first: 946_684_800, last: 4_102_444_799 } as const;

const DATE_FIELDS = [
  "sec",
  "min",
  "hour",
  "day",
  "month",
  "year",
  "wday",
  "yday",
  "time",
  "usec",
] as const;

function rtc(): number {
  try {
    return host.rtcSeconds();
  } catch (e) {
    return rethrowHostFailure(e);
  }
}

/** The date() table of Unix time `ts` (UTC; month 0–11, wday 0 = Sunday, yday 0–365; usec 0 on the device). */
export function dateTable(ts: number): SqTable {
  const t = new SqTable();
  if (!(ts >= DATE_RANGE.first && ts <= DATE_RANGE.last)) {
    for (const f of DATE_FIELDS) tableSet(t, f, 0);
    return t;
  }
  const seconds = Math.floor(ts);
  const d = new Date(seconds * 1000);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1) / 1000;
  const values: Record<(typeof DATE_FIELDS)[number], number> = {
    sec: d.getUTCSeconds(),
    min: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    day: d.getUTCDate(),
    month: d.getUTCMonth(),
    year: d.getUTCFullYear(),
    wday: d.getUTCDay(),
    yday: Math.floor((seconds - yearStart) / 86_400),
    time: seconds | 0,
    usec: 0,
  };
  for (const f of DATE_FIELDS) tableSet(t, f, values[f]);
  return t;
}

export function timeFunctions(): SqNative[] {
  return [
    // UTC Unix seconds, 1 s resolution (/squirrel).
    native("time", 1, null, () => Math.floor(rtc()) | 0),
    native("date", -1, ".n", (_self, args) => {
      // The format-string second argument is not supported on the imp (/squirrel).
      if (args.length > 1) sqError("wrong number of parameters");
      const a = args[0];
      const ts = a === undefined ? Math.floor(rtc()) : a instanceof SqFloat ? a.v : (a as number);
      return dateTable(ts);
    }),
    // chosen: the imp's clock() specifics are unknown (/squirrel); it is the seconds since boot,
    // as a float, which is the processor time of a device that runs only this VM.
    native("clock", 1, null, () => {
      try {
        return float(host.uptimeMicros() / 1e6);
      } catch (e) {
        return rethrowHostFailure(e);
      }
    }),
  ];
}
