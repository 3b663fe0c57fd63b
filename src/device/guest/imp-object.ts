// The `imp` object (/api/imp): timers, idle callbacks, blocking sleep, deep sleep, reset, the
// imp's identity and configuration, and the unhandled-exception handler.

import { rawNewMember } from "../../runtime/classes.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { toFloatValue } from "../../runtime/stdlib/clib.ts";
import { truthy } from "../../runtime/ops.ts";
import { SqClass } from "../../runtime/values.ts";
import type { SqInstance, SqTable } from "../../runtime/values.ts";
import type { NetworkInfo } from "../shared/host-calls.ts";
import { addMember, apiClass, apiInstance, apiTable } from "./api-object.ts";
import { callbacks } from "./callbacks.ts";
import { CLEAR_CONFIGURATION_FLAGS } from "../shared/clear-configuration-flags.ts";
import { deepSleep, deepSleepUntil } from "./deep-sleep.ts";
import { host, rethrowHostFailure, viaHost } from "./device-host.ts";
import type { DeviceBootInfo } from "../shared/host-calls.ts";
import { identity } from "./identity-info.ts";
import { byteString, fromHostJson, hostJsonValue } from "./squirrel-json.ts";
import { setUnhandledExceptionHandler } from "./uncaught-error.ts";
import { leaveVm } from "./vm-exit.ts";
import {
  IMP_NET_NOT_EMULATED,
  IMP_NOT_EMULATED,
  MODEL_SPECIFIC,
  notEmulatedOn,
} from "./not-emulated.ts";

/** The longest imp.wakeup interval, in seconds (/api/imp). */
export const MAX_WAKEUP_SECONDS = 10_737_418;

// ---- timers: imp.wakeup returns a timer object that imp.cancelwakeup takes

const timerIds = new WeakMap<object, number>();
let timerClass: SqClass | undefined;

function newTimer(id: number): SqInstance {
  timerClass ??= apiClass(() => "timer", []);
  const t = apiInstance(timerClass);
  timerIds.set(t, id);
  return t;
}

// ---- imp.info(): "a meta object, not a table" (/api/imp), so an instance with a `type` field

let infoClass: SqClass | undefined;

function info(): SqInstance {
  if (infoClass === undefined) {
    infoClass = apiClass(() => "imp.info()", []);
    rawNewMember(infoClass, "type", "", null, false);
  }
  const o = apiInstance(infoClass);
  o.$type = identity().type;
  return o;
}

// ---- imp.configparams: filled by the host once the cloud has spoken (/api/imp/configparams), so read
// each time; the same table comes back while the host's JSON is unchanged.

const configparams = hostJsonValue(() => viaHost(() => host.configParamsJson()));

// ---- the WiFi network (src/device/wifi-network.ts): asked at each call, since the
// connection comes and goes

function network(): NetworkInfo {
  return JSON.parse(viaHost(() => host.networkJson())) as NetworkInfo;
}

/**
 * imp.net.info() (developer.electricimp.com/api/imp/net/info): `interface`, an array of one
 * table per interface (a WiFi imp has one: type "wifi" and its MAC, as FactoryTools reads an
 * imp001's MAC from it; ssid, bssid, channel and rssi are chosen extras); `active`, the index of
 * the interface connected to the server, and `ipv4`, that connection's addresses, only while
 * connected; `lasterror`, the last connect reason, only while not connected.
 */
function netInfo(): unknown {
  const n = network();
  const wifi = {
    type: "wifi",
    macaddress: n.macAddress,
    ssid: n.ssid,
    bssid: n.bssid,
    channel: n.channel,
    rssi: n.rssi,
  };
  const info: Record<string, unknown> = { interface: [wifi] };
  if (n.connected) {
    info.active = 0;
    if (n.ipv4 !== undefined) info.ipv4 = n.ipv4;
  } else if (n.lastError !== undefined) {
    info.lasterror = n.lastError;
  }
  return fromHostJson(info);
}

/**
 * imp.net.getwifihints() (developer.electricimp.com/api/imp/net/getwifihints): the access
 * point and channel of the last WiFi connection, kept to speed the next; "" and -1 before any.
 * chosen: an imp with WiFi configured has connected to the virtual access point before.
 */
function wifiHints(): unknown {
  const n = network();
  return fromHostJson(
    n.ssid === "" ? { bssid: "", channel: -1 } : { bssid: n.bssid, channel: n.channel },
  );
}

let idleId = 0;

export function makeImp(boot: DeviceBootInfo): SqTable {
  const imp = apiTable(
    "imp",
    [
      native("wakeup", -3, ".nc", (_self, args) => {
        const seconds = toFloatValue(args[0]);
        // chosen: an interval out of range is a named error rather than the documented null of a
        // timer that could not be set, which firmware rarely checks (a wakeup lost in silence).
        // A third argument (a timer name) is agent-only and ignored here.
        if (!(seconds >= 0 && seconds <= MAX_WAKEUP_SECONDS))
          sqError(
            `imp.wakeup(): ${seconds} s is not an interval from 0 to ${MAX_WAKEUP_SECONDS} s`,
          );
        const id = callbacks.register(args[1], true, "none");
        try {
          host.wakeup(seconds, id);
        } catch (e) {
          callbacks.remove(id);
          rethrowHostFailure(e);
        }
        return newTimer(id);
      }),
      native("cancelwakeup", 2, null, (_self, args) => {
        const t = args[0];
        // chosen: null is ignored (firmware often cancels a timer it may never have set).
        if (t === null) return null;
        const id = typeof t === "object" ? timerIds.get(t as object) : undefined;
        if (id === undefined)
          sqError("imp.cancelwakeup(): expected a timer returned by imp.wakeup()");
        // A timer that already fired is gone from the registry: cancelling it does nothing.
        if (callbacks.has(id)) {
          callbacks.remove(id);
          viaHost(() => host.cancelWakeup(id));
        }
        return null;
      }),
      native("onidle", 2, ".c|o", (_self, args) => {
        // One slot, one shot (/api/imp/onidle): a new callback replaces the waiting one; null clears it.
        if (idleId !== 0) callbacks.remove(idleId);
        idleId = args[0] === null ? 0 : callbacks.register(args[0], true, "none");
        const id = idleId;
        viaHost(() => host.onIdle(id));
        return null;
      }),
      native("sleep", 2, ".n", (_self, args) => {
        const seconds = toFloatValue(args[0]);
        // chosen: as long as the longest imp.wakeup at most; beyond, a named error (not decades of blocking).
        if (!(seconds >= 0 && seconds <= MAX_WAKEUP_SECONDS))
          sqError(
            `imp.sleep(): ${seconds} s is not a time to sleep from 0 to ${MAX_WAKEUP_SECONDS} s`,
          );
        viaHost(() => host.sleep(seconds));
        return null;
      }),
      native("deepsleepfor", 2, ".n", (_self, args) =>
        deepSleep("imp.deepsleepfor", toFloatValue(args[0]), false),
      ),
      native("deepsleepuntil", -3, ".iiii", (_self, args) =>
        deepSleepUntil("imp.deepsleepuntil", args, false),
      ),
      native("reset", 1, null, () => {
        viaHost(() => host.reset());
        return leaveVm("imp.reset");
      }),
      native("onunhandledexception", 2, ".c|o", (_self, args) => {
        setUnhandledExceptionHandler(args[0]);
        return null;
      }),
      native("getmacaddress", 1, null, () => identity().macAddress),
      native("getmemoryfree", 1, null, () => viaHost(() => host.memoryFree()) | 0),
      native("info", 1, null, () => info()),
      native("environment", 1, null, () => boot.environment),
      native("getsoftwareversion", 1, null, () => identity().softwareVersion ?? ""),
      native("enableblinkup", 2, ".b|i", (_self, args) => {
        const on = truthy(args[0]);
        viaHost(() => host.enableBlinkUp(on));
        return null;
      }),
      native("setpowersave", 2, ".b|i", (_self, args) => {
        const on = truthy(args[0]);
        viaHost(() => host.setPowerSave(on));
        return null;
      }),
      native("clearconfiguration", -1, ".i", (_self, args) => {
        const flags = args.length > 0 ? (args[0] as number) : CLEAR_CONFIGURATION_FLAGS.CONFIG_ALL;
        viaHost(() => host.clearConfiguration(flags));
        return null;
      }),
      native("getssid", 1, null, () => byteString(network().ssid)),
      native("getbssid", 1, null, () => network().bssid),
      native("rssi", 1, null, () => network().rssi),
      native("getrssi", 1, null, () => network().rssi),
      native("getchannel", 1, null, () => network().channel),
    ],
    {
      notEmulated: notEmulatedOn(IMP_NOT_EMULATED, MODEL_SPECIFIC.imp, boot.apiMembers.imp),
      computed: { configparams },
    },
  );
  addMember(
    imp,
    "net",
    apiTable(
      "imp.net",
      [
        native("info", 1, null, () => netInfo()),
        native("getwifihints", 1, null, () => wifiHints()),
      ],
      {
        notEmulated: notEmulatedOn(
          IMP_NET_NOT_EMULATED,
          MODEL_SPECIFIC.impNet,
          boot.apiMembers.impNet,
        ),
      },
    ),
  );
  return imp;
}
