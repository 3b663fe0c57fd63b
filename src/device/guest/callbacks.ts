// Squirrel functions the host will call back later (host-calls.ts: "callbacks are identified by
// integers the guest allocates; the host only stores ids"). Timers, onidle, server.connect and
// server.bless callbacks fire once; pin, UART, agent.on, onshutdown and onunexpecteddisconnect
// handlers stay until replaced or removed.

/**
 * What a callback is called with. The imp calls timers, onidle, pin and UART callbacks with no
 * arguments (/api/imp/onidle), so those ignore whatever the host's event carries.
 */
export type ArgumentKind =
  | "none"
  /** Plain JSON from the host (connect reasons, bless results, shutdown reasons). */
  | "host"
  /** One message payload in the tagged form of squirrel-json.ts (agent.on handlers). */
  | "message";

export interface Callback<Kind extends string = ArgumentKind> {
  readonly fn: unknown;
  readonly once: boolean;
  readonly args: Kind;
}

/** Callbacks by id; `Kind` names what each is called with (the agent has kinds of its own). */
export class CallbackRegistry<Kind extends string = ArgumentKind> {
  private readonly entries = new Map<number, Callback<Kind>>();
  private nextId = 1;

  /** A new id for `fn`; never 0, which the host calls take as "none". */
  register(fn: unknown, once: boolean, args: Kind): number {
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

  /** The callback to run for `id` (a one-shot one is forgotten first, so it may re-arm itself). */
  take(id: number): Callback<Kind> | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.once) this.entries.delete(id);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * One handler per message name (agent.on on the device, device.on on the agent): a name's new
 * handler replaces its last, and null removes it. `set` gives the id for the host, 0 for none.
 */
export class MessageHandlers<Kind extends string> {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly registry: CallbackRegistry<Kind>,
    private readonly kind: Kind,
  ) {}

  set(name: string, handler: unknown): number {
    const old = this.ids.get(name);
    if (old !== undefined) this.registry.remove(old);
    const id = handler === null ? 0 : this.registry.register(handler, false, this.kind);
    if (id === 0) this.ids.delete(name);
    else this.ids.set(name, id);
    return id;
  }
}

/** The one registry of this VM. */
export const callbacks = new CallbackRegistry();
