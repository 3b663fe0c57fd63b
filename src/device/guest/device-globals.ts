// Root-table functions that behave differently on a device than in the plain `sq` runtime:
// print() and error() write to the impCentral log (print as server.log, error as server.error),
// type() calls imp API objects "meta", and compilestring() is only there when the host can
// compile.

import { tableSet } from "../../runtime/access.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { typeOf, type SqTable } from "../../runtime/values.ts";
import { isApiObject } from "./api-object.ts";
import { host } from "./device-host.ts";
import { logErrorValue, logValue } from "./server-object.ts";
import { timeFunctions } from "./system-time.ts";

export function installDeviceGlobals(root: SqTable): void {
  tableSet(
    root,
    "print",
    native("print", 2, null, (_self, args) => {
      logValue(args[0]);
      return null;
    }),
  );
  tableSet(
    root,
    "error",
    native("error", 2, null, (_self, args) => {
      logErrorValue(args[0]);
      return null;
    }),
  );
  tableSet(
    root,
    "type",
    native("type", 2, null, (_self, args) => (isApiObject(args[0]) ? "meta" : typeOf(args[0]))),
  );
  if (typeof (host as unknown as Record<string, unknown>).compile !== "function") {
    tableSet(
      root,
      "compilestring",
      native("compilestring", -2, ".ss", () => sqError("compilestring is not emulated yet")),
    );
  }
  for (const f of timeFunctions()) tableSet(root, f.nat.name, f);
}
