// Squirrel functions the agent's host calls back later, by integer id (as on the device,
// src/device/guest/callbacks.ts), with what each is called with.

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

export interface AgentCallback {
  readonly fn: unknown;
  readonly once: boolean;
  readonly args: AgentArgumentKind;
}

class AgentCallbacks {
  private readonly entries = new Map<number, AgentCallback>();
  private nextId = 1;

  register(fn: unknown, once: boolean, args: AgentArgumentKind): number {
    const id = this.nextId;
    this.nextId = id >= 0x7fffffff ? 1 : id + 1;
    this.entries.set(id, { fn, once, args });
    return id;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  remove(id: number): void {
    this.entries.delete(id);
  }

  take(id: number): AgentCallback | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.once) this.entries.delete(id);
    return entry;
  }
}

export const callbacks = new AgentCallbacks();

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
