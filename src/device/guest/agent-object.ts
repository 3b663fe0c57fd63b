// The `agent` object on the device (/api/agent/send): messages to this device's agent and handlers for
// the agent's messages. Payloads cross in the wire form of message-codec.ts, which holds what
// survives a message (developer.electricimp.com /resources/serialisablesquirrel).

import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import type { SqTable } from "../../runtime/values.ts";
import { apiTable } from "./api-object.ts";
import { callbacks } from "./callbacks.ts";
import { host, rethrowHostFailure } from "./device-host.ts";
import { encodeOutgoingMessage, UnsendableValue } from "./message-codec.ts";

/** The handler id of each message name: one handler per name (/api/agent/send ≈). */
const handlers = new Map<string, number>();

export function makeAgent(): SqTable {
  return apiTable("agent", [
    native("send", 3, ".s.", (_self, args) => {
      const name = args[0] as string;
      let json: string;
      try {
        json = encodeOutgoingMessage("agent.send", name, args[1]);
      } catch (e) {
        // chosen text: the imp's is not known.
        if (e instanceof UnsendableValue) sqError(e.message);
        throw e;
      }
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
      const old = handlers.get(name);
      if (old !== undefined) callbacks.remove(old);
      const id = args[1] === null ? 0 : callbacks.register(args[1], false, "message");
      if (id === 0) handlers.delete(name);
      else handlers.set(name, id);
      try {
        host.agentOn(name, id);
      } catch (e) {
        rethrowHostFailure(e);
      }
      return null;
    }),
  ]);
}
