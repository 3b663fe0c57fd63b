// Root-table functions that differ on an agent: print() and error() write [Agent] log lines, and
// time(), date() and clock() read the cloud's clock — NTP-synchronised, so date().usec is real on
// an agent (developer.electricimp.com /squirrel/date), unlike on a device.

import { tableSet } from "../../runtime/access.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { float, SqFloat } from "../../runtime/values.ts";
import type { SqTable } from "../../runtime/values.ts";
import { dateTable } from "../../device/guest/system-time.ts";
import { ENVIRONMENTS } from "../../device/shared/environments.ts";
import { host, viaHost } from "./agent-host.ts";
import { NO_TIMEOUT } from "./http-object.ts";
import { logErrorValue, logValue } from "./server-object.ts";

export function installAgentGlobals(root: SqTable): void {
  tableSet(
    root,
    "print",
    native("print", 2, null, (_self, args) => (logValue(args[0]), null)),
  );
  tableSet(
    root,
    "error",
    native("error", 2, null, (_self, args) => (logErrorValue(args[0]), null)),
  );
  tableSet(
    root,
    "compilestring",
    native("compilestring", -2, ".ss", () => sqError("compilestring is not emulated yet")),
  );
  tableSet(
    root,
    "time",
    native("time", 1, null, () => Math.floor(viaHost(() => host.rtcSeconds())) | 0),
  );
  tableSet(
    root,
    "date",
    native("date", -1, ".n", (_self, args) => {
      if (args.length > 1) sqError("wrong number of parameters");
      const now = viaHost(() => host.rtcSeconds());
      const a = args[0];
      const ts = a === undefined ? Math.floor(now) : a instanceof SqFloat ? a.v : (a as number);
      const t = dateTable(ts);
      if (a === undefined) tableSet(t, "usec", Math.floor((now - Math.floor(now)) * 1e6) | 0);
      return t;
    }),
  );
  tableSet(
    root,
    "clock",
    native("clock", 1, null, () => float(viaHost(() => host.uptimeMicros()) / 1e6)),
  );
  for (const [name, value] of Object.entries(ENVIRONMENTS)) tableSet(root, name, value);
  tableSet(root, "NO_TIMEOUT", NO_TIMEOUT);
}
