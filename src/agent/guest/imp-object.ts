// The agent's `imp` object (developer.electricimp.com /api/imp): timers — named ones too, an
// agent-only feature (/api/imp/wakeup, /api/imp/cancelwakeup) — configuration, memory and the
// unhandled-exception handler. The device-only members (onidle, deep sleep, networking, BlinkUp)
// are not there: reading one gives "the index '...' does not exist", as on a real agent.

import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { toFloatValue } from "../../runtime/stdlib/clib.ts";
import type { SqClass, SqInstance, SqTable } from "../../runtime/values.ts";
import { apiClass, apiInstance, apiTable } from "../../device/guest/api-object.ts";
import { ENVIRONMENTS } from "../../device/shared/environments.ts";
import { hostJsonValue } from "../../device/guest/squirrel-json.ts";
import { setUnhandledExceptionHandler } from "../../device/guest/uncaught-error.ts";
import { callbacks } from "./agent-callbacks.ts";
import { host, viaHost } from "./agent-host.ts";

/** The longest imp.wakeup interval, in seconds (/api/imp/wakeup). */
export const MAX_WAKEUP_SECONDS = 10_737_418;

const timerIds = new WeakMap<object, number>();
const named = new Map<string, number>();
let timerClass: SqClass | undefined;

function newTimer(id: number): SqInstance {
  timerClass ??= apiClass(() => "timer", []);
  const t = apiInstance(timerClass);
  timerIds.set(t, id);
  return t;
}

const configparams = hostJsonValue(() => viaHost(() => host.configParamsJson()));

function cancel(id: number): void {
  if (!callbacks.has(id)) return;
  callbacks.remove(id);
  viaHost(() => host.cancelWakeup(id));
}

export function makeImp(): SqTable {
  return apiTable(
    "imp",
    [
      native("wakeup", -3, ".nc s", (_self, args) => {
        const seconds = toFloatValue(args[0]);
        if (!(seconds >= 0 && seconds <= MAX_WAKEUP_SECONDS)) return null;
        const name = args.length > 2 ? (args[2] as string) : null;
        // A named timer replaces a pending one of the same name. chosen: the docs do not say.
        if (name !== null) {
          const old = named.get(name);
          if (old !== undefined) cancel(old);
        }
        let id = 0;
        const fn = args[1];
        id = callbacks.register(fn, true, "none");
        if (name !== null) named.set(name, id);
        viaHost(() => host.wakeup(seconds, id));
        return newTimer(id);
      }),
      native("cancelwakeup", 2, null, (_self, args) => {
        const t = args[0];
        if (t === null) return null;
        if (typeof t === "string") {
          // An agent may cancel by name; a name that is not set (or already fired or cancelled) throws.
          const id = named.get(t);
          if (id === undefined || !callbacks.has(id))
            sqError(`imp.cancelwakeup(): there is no active timer named '${t}'`);
          named.delete(t);
          cancel(id);
          return null;
        }
        const id = typeof t === "object" ? timerIds.get(t as object) : undefined;
        if (id === undefined)
          sqError(
            "imp.cancelwakeup(): expected a timer returned by imp.wakeup() or a timer's name",
          );
        cancel(id);
        return null;
      }),
      native("sleep", 2, ".n", (_self, args) => {
        const seconds = toFloatValue(args[0]);
        if (!(seconds >= 0)) sqError(`imp.sleep(): ${seconds} s is not a time to sleep`);
        viaHost(() => host.sleep(seconds));
        return null;
      }),
      native("getmemoryfree", 1, null, () => viaHost(() => host.memoryFree()) | 0),
      native("environment", 1, null, () => ENVIRONMENTS.ENVIRONMENT_AGENT),
      native("onunhandledexception", 2, ".c|o", (_self, args) => {
        setUnhandledExceptionHandler(args[0]);
        return null;
      }),
    ],
    { computed: { configparams }, notEmulated: ["getsoftwareversion"] },
  );
}
