// The `server` object on the device (/api/server, /api/imp/deepsleepfor, /api/server/setsendtimeoutpolicy): the log, the connection to the cloud
// and its policy, restart and deep sleep, polite deployment, and the factory calls.

import { toStr } from "../../runtime/convert.ts";
import { native } from "../../runtime/native.ts";
import { cString, toFloatValue } from "../../runtime/stdlib/clib.ts";
import { vm } from "../../runtime/state.ts";
import type { SqTable } from "../../runtime/values.ts";
import { SEND_OK } from "../shared/send-errors.ts";
import { apiTable } from "./api-object.ts";
import { callbacks } from "./callbacks.ts";
import { deepSleep, deepSleepUntil } from "./deep-sleep.ts";
import { host, rethrowHostFailure, viaHost } from "./device-host.ts";
import { nvForRestart } from "./nv-table.ts";
import { pinNameOf } from "./pins.ts";
import { leaveVm } from "./vm-exit.ts";
import { SERVER_NOT_EMULATED } from "./not-emulated.ts";

/** server.connect's default timeout, in seconds (/api/server/setsendtimeoutpolicy). */
export const DEFAULT_CONNECT_TIMEOUT = 60;

/** What a send-like host call returned, as the 0-or-Send-Error-Code the imp returns (/api/server/log). */
function sendResult(r: unknown): number {
  return typeof r === "number" ? r | 0 : SEND_OK;
}

/** server.log / print: any value, converted as print converts it. */
export function logValue(v: unknown): number {
  // a NUL byte ends the message, as it ends a C string (see README, Deviations from the imp)
  const text = cString(toStr(v));
  return sendResult(viaHost(() => host.log(text)));
}

/** server.error / error(): as logValue, shown as an error. */
export function logErrorValue(v: unknown): number {
  const text = cString(toStr(v));
  return sendResult(viaHost(() => host.logError(text)));
}

/** A replaceable handler slot: the callback id the host holds, 0 for none. */
class HandlerSlot {
  private id = 0;
  constructor(private readonly once: boolean) {}
  /** Registers `fn` (null clears) in place of the previous one; returns the id for the host. */
  replace(fn: unknown): number {
    if (this.id !== 0) callbacks.remove(this.id);
    this.id = fn === null ? 0 : callbacks.register(fn, this.once, "host");
    return this.id;
  }
}

const connectCallback = new HandlerSlot(true); // only one pending callback: a second call replaces it (/api/server/setsendtimeoutpolicy)
const shutdownHandler = new HandlerSlot(false);
const disconnectHandler = new HandlerSlot(false);

export function makeServer(): SqTable {
  return apiTable(
    "server",
    [
      native("log", 2, null, (_self, args) => logValue(args[0])),
      native("error", 2, null, (_self, args) => logErrorValue(args[0])),
      native("connect", -1, ".c|on", (_self, args) => {
        // Under SUSPEND_ON_ERROR the connection is made synchronously and the arguments are
        // ignored; under RETURN_ON_ERROR cb(reason) comes later. Which applies is the host's call.
        const cb = args.length > 0 ? args[0] : null;
        const timeout = args.length > 1 ? toFloatValue(args[1]) : DEFAULT_CONNECT_TIMEOUT;
        const id = connectCallback.replace(cb);
        viaHost(() => host.connect(id, timeout));
        return null;
      }),
      native("disconnect", 1, null, () => {
        viaHost(() => host.disconnect());
        return null;
      }),
      native("isconnected", 1, null, () => viaHost(() => host.isConnected()) === true),
      native("setsendtimeoutpolicy", 4, ".iin", (_self, args) => {
        const [errorPolicy, waitPolicy, timeout] = [
          args[0] as number,
          args[1] as number,
          toFloatValue(args[2]),
        ];
        viaHost(() => host.setSendTimeoutPolicy(errorPolicy, waitPolicy, timeout));
        return null;
      }),
      native("onunexpecteddisconnect", 2, ".c|o", (_self, args) => {
        const id = disconnectHandler.replace(args[0]);
        viaHost(() => host.onUnexpectedDisconnect(id));
        return null;
      }),
      native("onshutdown", 2, ".c|o", (_self, args) => {
        const id = shutdownHandler.replace(args[0]);
        viaHost(() => host.onShutdown(id));
        return null;
      }),
      native("flush", 2, ".n", (_self, args) => {
        const timeout = toFloatValue(args[0]);
        return viaHost(() => host.flush(timeout)) === true;
      }),
      native("restart", 1, null, () => {
        const image = nvForRestart(vm.root);
        viaHost(() => host.restart(image));
        return leaveVm("server.restart");
      }),
      native("sleepfor", 2, ".n", (_self, args) =>
        deepSleep("server.sleepfor", toFloatValue(args[0]), true),
      ),
      native("sleepuntil", -3, ".iiii", (_self, args) =>
        deepSleepUntil("server.sleepuntil", args, true),
      ),
      native("bless", -2, ".bc|o", (_self, args) => {
        const pass = args[0] as boolean;
        const cb = args.length > 1 ? args[1] : null;
        const id = cb === null ? 0 : callbacks.register(cb, true, "host");
        try {
          host.bless(pass, id);
        } catch (e) {
          if (id !== 0) callbacks.remove(id);
          rethrowHostFailure(e);
        }
        return null;
      }),
      native("factoryblinkup", -5, ".ss.is", (_self, args) => {
        // factoryblinkup(ssid, password, ledPin, flags[, apn]); the apn (impOS 47+, cellular) is ignored.
        const pin = pinNameOf(args[2], "server.factoryblinkup(): the LED pin");
        const [ssid, password, flags] = [args[0] as string, args[1] as string, args[3] as number];
        viaHost(() => host.factoryBlinkUp(ssid, password, pin, flags));
        return null;
      }),
    ],
    { notEmulated: SERVER_NOT_EMULATED },
  );
}
