// The reference `sq` shell's system library (sqstdlib/sqstdsystem.cpp): clock(), time(),
// date(). Times come from the engine's Date; the virtual imp replaces all three with its
// own clocks (src/device/guest/system-time.ts).
import { tableSet } from "../access.ts";
import { native } from "../native.ts";
import { float, SqFloat, SqTable } from "../values.ts";
import type { SqNative } from "../values.ts";

const started = Date.now();

/** date([t [, 'l'|'u']]): the reference's table (month 0-11, wday 0 = Sunday, yday 0-365). */
function dateTable(seconds: number, utc: boolean): SqTable {
  const d = new Date(seconds * 1000);
  const t = new SqTable();
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const start = utc ? Date.UTC(year, 0, 1) : new Date(year, 0, 1).getTime();
  tableSet(t, "sec", utc ? d.getUTCSeconds() : d.getSeconds());
  tableSet(t, "min", utc ? d.getUTCMinutes() : d.getMinutes());
  tableSet(t, "hour", utc ? d.getUTCHours() : d.getHours());
  tableSet(t, "day", utc ? d.getUTCDate() : d.getDate());
  tableSet(t, "month", utc ? d.getUTCMonth() : d.getMonth());
  tableSet(t, "year", year);
  tableSet(t, "wday", utc ? d.getUTCDay() : d.getDay());
  tableSet(t, "yday", Math.floor((seconds * 1000 - start) / 86_400_000));
  return t;
}

export function systemFunctions(): SqNative[] {
  return [
    native("clock", 1, null, () => float((Date.now() - started) / 1000)),
    native("time", 1, null, () => Math.floor(Date.now() / 1000) | 0),
    native("date", -1, ".nn", (_self, args) => {
      const a = args[0];
      const seconds =
        a === undefined
          ? Math.floor(Date.now() / 1000)
          : a instanceof SqFloat
            ? a.v
            : (a as number);
      const utc = args.length > 1 && args[1] === "u".charCodeAt(0);
      return dateTable(seconds, utc);
    }),
  ];
}
