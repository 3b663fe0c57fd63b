// The `agent` object on the device (/api/agent/send): messages to this device's agent and handlers for
// the agent's messages. Payloads cross in the wire form of message-codec.ts, which holds what
// survives a message (developer.electricimp.com /resources/serialisablesquirrel).

import { native } from "../../runtime/native.ts";
import type { SqTable } from "../../runtime/values.ts";
import { apiTable } from "./api-object.ts";
import { callbacks, MessageHandlers } from "./callbacks.ts";
import { host, rethrowHostFailure } from "./device-host.ts";
import { encodeOutgoingMessage } from "./message-codec.ts";

/** One handler per message name (/api/agent/send). */
const handlers = new MessageHandlers(callbacks, "message");

export function makeAgent(): SqTable {
  return apiTable("agent", [
    native("send", 3, ".s.", (_self, args) => {
      const name = args[0] as string;
      const json = encodeOutgoingMessage("agent.send", name, args[1]);
      try {
        const r = host.agentSend(name, json);
        return typeof r === "number" ? r | 0 : 0;
      } catch (e) {
        return rethrowHostFailure(e);
      }
    }),
    native("on", 3, ".sc|o", (_self, args) => {
      // on(name, handler): the handler gets exactly one argument, the payload (/api/agent/send);
      // chosen: a null handler removes the name's handler.
      const name = args[0] as string;
      const id = handlers.set(name, args[1]);
      try {
        host.agentOn(name, id);
      } catch (e) {
        rethrowHostFailure(e);
      }
      return null;
    }),
  ]);
}
