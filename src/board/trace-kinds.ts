// What a board adds to the one trace (sim/trace.ts invites other layers to extend its kinds):
// an LED part lighting or going dark, a button pressed or released, a line a UART terminal got.

export interface PartEventData {
  /** The part's name in the board file. */
  part: string;
  /** Its type ("led", "button", "uart-terminal"). */
  type: string;
  /** "on" | "off" | "dim" for an LED, "pressed" | "released" for a button, "line" for a terminal. */
  state: string;
  /** A terminal's line (bytes as latin1 text). */
  text?: string;
}

declare module "../sim/trace.ts" {
  interface TraceKinds {
    part: PartEventData;
  }
}
