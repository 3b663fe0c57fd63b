// The agent's `device` object (developer.electricimp.com /api/device): messages to and from its
// device, and the device's connection as the cloud sees it.

import { native } from "../../runtime/native.ts";
import type { SqTable } from "../../runtime/values.ts";
import { apiTable } from "../../device/guest/api-object.ts";
import { fromHostJson } from "../../device/guest/squirrel-json.ts";
import { encodeOutgoingMessage } from "../../device/guest/message-codec.ts";
import { MessageHandlers } from "../../device/guest/callbacks.ts";
import { callbacks, HandlerSlot } from "./agent-callbacks.ts";
import { host, viaHost } from "./agent-host.ts";

const handlers = new MessageHandlers(callbacks, "message");
const connectHandler = new HandlerSlot("none");
const disconnectHandler = new HandlerSlot("host");

export function makeDevice(): SqTable {
  return apiTable("device", [
    native("send", 3, ".s.", (_self, args) => {
      const name = args[0] as string;
      const wire = encodeOutgoingMessage("device.send", name, args[1]);
      viaHost(() => host.deviceSend(name, wire));
      return null; // device.send returns nothing (developer.electricimp.com /api/device/send)
    }),
    native("on", 3, ".sc|o", (_self, args) => {
      const name = args[0] as string;
      const id = handlers.set(name, args[1]);
      viaHost(() => host.deviceOn(name, id));
      return null;
    }),
    native("isconnected", 1, null, () => viaHost(() => host.deviceIsConnected()) === true),
    native("info", 1, null, () => fromHostJson(JSON.parse(viaHost(() => host.deviceInfoJson())))),
    native("onconnect", 2, ".c|o", (_self, args) => {
      const id = connectHandler.replace(args[0]);
      viaHost(() => host.onDeviceConnect(id));
      return null;
    }),
    native("ondisconnect", 2, ".c|o", (_self, args) => {
      const id = disconnectHandler.replace(args[0]);
      viaHost(() => host.onDeviceDisconnect(id));
      return null;
    }),
  ]);
}
