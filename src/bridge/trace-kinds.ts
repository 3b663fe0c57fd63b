// What the bridge adds to the one trace: a real port opened, a Firmata board that answered, a
// port lost mid-run, garbage on the line, and notes on what a real pin cannot do.

export interface BridgeEventData {
  /** The port's path ("/dev/ttyACM0"). */
  port: string;
  state: "ready" | "lost" | "garbage" | "note";
  message: string;
}

declare module "../sim/trace.ts" {
  interface TraceKinds {
    bridge: BridgeEventData;
  }
}
