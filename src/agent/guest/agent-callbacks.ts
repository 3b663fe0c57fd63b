// Squirrel functions the agent's host calls back later, by integer id (as on the device,
// src/device/guest/callbacks.ts), with what each is called with.
import { CallbackRegistry } from "../../device/guest/callbacks.ts";

export type AgentArgumentKind =
  /** Timers: no arguments. */
  | "none"
  /** Plain JSON from the host (device.ondisconnect's empty table). */
  | "host"
  /** One device message in the wire form of src/messages/message-codec.ts. */
  | "message"
  /** http.onrequest: an IncomingRequest and its id (the guest builds request and response). */
  | "request"
  /** sendasync's done callback: an HttpResponse. */
  | "response";

/** The one registry of this agent VM: the device's registry, with the agent's kinds. */
export const callbacks = new CallbackRegistry<AgentArgumentKind>();

/** A replaceable handler slot (device.onconnect, http.onrequest, ...): the id the host holds, 0 for none. */
export class HandlerSlot {
  private id = 0;
  constructor(private readonly args: AgentArgumentKind) {}
  replace(fn: unknown): number {
    if (this.id !== 0) callbacks.remove(this.id);
    this.id = fn === null ? 0 : callbacks.register(fn, false, this.args);
    return this.id;
  }
}
