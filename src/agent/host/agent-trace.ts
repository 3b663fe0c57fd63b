// Trace kinds the agent adds (sim/trace.ts, TraceKinds, by declaration merging): its lifecycle,
// every message's delivery, and every HTTP exchange in and out.

declare module "../../sim/trace.ts" {
  interface TraceKinds {
    /** An agent started (`reason` as its "Agent restarted: <reason>." line says) or stopped. */
    agent: { event: "start" | "stop"; reason: string };
    /**
     * What became of a message once it reached the other side: delivered to a handler, no
     * handler there ("no-handler"), or dropped because the device was offline ("dropped").
     */
    "message-delivery": {
      direction: "to-agent" | "to-device";
      name: string;
      outcome: "delivered" | "no-handler" | "dropped";
    };
    /** An HTTP request into the agent ("in") or out of it ("out"); `status` is null until answered. */
    http: { direction: "in" | "out"; method: string; url: string; status: number | null };
  }
}

export {};
