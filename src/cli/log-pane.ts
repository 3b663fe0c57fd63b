// The trace as impCentral's device log pane shows it: one line per event, a timestamp, then
// `[Device]` for what the firmware logged, `[Agent]` for what its agent logged, and `[Status]`
// for what the imp and the cloud did (boot, wake reason, connection, LED, sleep, restarts,
// "Agent restarted: reload."); errors as `[Device] ERROR: …` / `[Agent] ERROR: …`. It only reads the trace
// (docs/architecture.md, principle 2): nothing observable is printed from inside the emulator.
//
// chosen: timestamps are UTC in ISO 8601 with milliseconds (`2025-01-01T00:00:01.300Z`): the
// simulation's start time plus virtual time, which is also what the device's RTC says once the
// cloud has synced it — the same clock impCentral stamps lines with. Pin, PWM and analog events
// are not shown (impCentral does not either): --vcd and --trace-json have them. Cloud events that
// belong to no device (deployments, webhooks) are not shown either.
//
// chosen: LED changes at one instant are shown as the state they end in, and not at all when
// that is the state already shown (a warm boot lights the LED and darkens it in the same
// microsecond), so the pane shows what a person would see.

import type { PartEventData } from "../board/trace-kinds.ts";
import "../bridge/trace-kinds.ts";
import { LED_PATTERNS, type LedState } from "../device/led.ts";
import { SHUTDOWN_REASONS } from "../device/shared/shutdown-reasons.ts";
import type { WakeReasonName } from "../device/shared/wake-reasons.ts";
import { MICROS_PER_MILLI } from "../sim/scheduler.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { formatDuration } from "../sim/duration.ts";

/**
 * Each wake reason in words, after the imp's own descriptions of hardware.wakereason()
 * (/api/hardware/wakereason): "power on" for WAKEREASON_POWER_ON, and so on.
 */
export const WAKE_REASON_WORDS: Readonly<Record<WakeReasonName, string>> = {
  WAKEREASON_POWER_ON: "power on",
  WAKEREASON_TIMER: "timer (deep sleep ended)",
  WAKEREASON_SW_RESET: "software reset (imp.reset() or out of memory)",
  WAKEREASON_PIN: "wake pin",
  WAKEREASON_NEW_SQUIRREL: "new Squirrel code",
  WAKEREASON_SQUIRREL_ERROR: "Squirrel run-time error",
  WAKEREASON_NEW_FIRMWARE: "new impOS",
  WAKEREASON_SNOOZE: "snooze-and-retry",
  WAKEREASON_HW_RESET: "hardware reset (RESET_L pin)",
  WAKEREASON_BLINKUP: "BlinkUp",
  WAKEREASON_SW_RESTART: "server.restart()",
  WAKEREASON_POWER_RESTORED: "power restored",
};

export interface LogPaneOptions {
  /** Where lines go, each without its newline. */
  readonly write: (line: string) => void;
  /** UTC at virtual time 0, in Unix seconds. */
  readonly startTime: number;
}

/** Where a line of the log comes from, as the pane labels it. */
function paneSource(source: "device" | "agent" | "status"): "Device" | "Agent" | "Status" {
  return source === "device" ? "Device" : source === "agent" ? "Agent" : "Status";
}

export class LogPane {
  /** An LED change held back until it is known to be the last at its instant. */
  private pendingLed: TraceEvent<"led"> | null = null;
  private shownLed: string = "off";

  constructor(private readonly options: LogPaneOptions) {}

  /** Shows one trace event (or nothing, for kinds the pane leaves out). */
  show(event: TraceEvent): void {
    if (event.kind === "led") {
      if (this.pendingLed !== null && this.pendingLed.t !== event.t) this.flush();
      this.pendingLed = event;
      return;
    }
    const line = this.describe(event);
    if (line === null) return;
    this.flush();
    this.print(event.t, line[0], line[1]);
  }

  /** Shows an LED change still held back; call at the end of a run. */
  flush(): void {
    const led = this.pendingLed;
    if (led === null) return;
    this.pendingLed = null;
    if (led.data.state === this.shownLed) return;
    this.shownLed = led.data.state;
    this.print(led.t, "Status", ledText(led.data.state as LedState));
  }

  /** A timestamp as the pane prints it. */
  timestamp(t: number): string {
    return new Date(this.options.startTime * 1000 + Math.floor(t / MICROS_PER_MILLI)).toISOString();
  }

  /**
   * chosen: a message with line breaks is shown a line at a time, each with the entry's own
   * timestamp and source, so a newline inside a server.log string can never make a line that
   * looks like the imp's ([Status]) or another moment's.
   */
  private print(
    t: number,
    source: "Device" | "Agent" | "Status" | "Board" | "Bridge",
    text: string,
  ): void {
    const prefix = `${this.timestamp(t)} [${source}] `;
    for (const line of text.replace(/(\r\n|\r|\n)$/, "").split(/\r\n|\r|\n/))
      this.options.write(prefix + line);
  }

  private describe(
    event: TraceEvent,
  ): ["Device" | "Agent" | "Status" | "Board" | "Bridge", string] | null {
    if (event.device === null) return null;
    switch (event.kind) {
      case "power":
        return ["Status", event.data.on ? "Power on" : "Power off"];
      case "boot":
        return [
          "Status",
          event.data.boot === "cold"
            ? `Cold boot (${event.data.model})`
            : `Warm boot from deep sleep (${event.data.model})`,
        ];
      case "wake": {
        const words =
          WAKE_REASON_WORDS[event.data.name as WakeReasonName] ?? `unknown (${event.data.reason})`;
        return ["Status", `Device booting; wake reason: ${words} (${event.data.name})`];
      }
      case "restart":
        return ["Status", `Squirrel VM restarting: ${event.data.reason}`];
      case "sleep": {
        const { wakeAt } = event.data;
        if (wakeAt === null)
          return ["Status", "Device going to deep sleep until its wake pin goes high"];
        return [
          "Status",
          `Device going to deep sleep for ${formatDuration(wakeAt - event.t)} (until ${this.timestamp(wakeAt)})`,
        ];
      }
      case "shutdown": {
        const name =
          Object.entries(SHUTDOWN_REASONS).find(([, value]) => value === event.data.reason)?.[0] ??
          String(event.data.reason);
        return [
          "Status",
          event.data.deferred
            ? `Restart requested (${name}); server.onshutdown() handler called`
            : `Restart requested (${name})`,
        ];
      }
      case "log":
        return [paneSource(event.data.source), event.data.message];
      case "error":
        return [paneSource(event.data.source), `ERROR: ${event.data.message}`];
      case "connect":
        return ["Status", "Device connected"];
      case "disconnect":
        return ["Status", "Device disconnected"];
      case "message":
        return [
          "Status",
          event.data.direction === "to-agent"
            ? `Message to the agent: "${event.data.name}"`
            : `Message from the agent: "${event.data.name}"`,
        ];
      case "blinkup":
        return [
          "Status",
          event.data.ok ? "BlinkUp received" : "BlinkUp not received (BlinkUp sensing is off)",
        ];
      case "enroll":
        return ["Status", event.data.ok ? "Device enrolled" : "Enrolment failed"];
      case "bless":
        return [
          "Status",
          event.data.ok
            ? "Device blessed"
            : `Blessing failed (${event.data.pass ? "tests passed" : "tests failed"})`,
        ];
      case "part":
        return ["Board", partText(event.data)];
      case "bridge":
        return ["Bridge", `${event.data.port}: ${event.data.message}`];
      default:
        // pin, pin-mode, analog, pwm: see --vcd and --trace-json; deployment and webhook belong to the cloud.
        return null;
    }
  }
}

/** What a board part did, in words: "LED warning on", "button pressed", "terminal got \"OK\"". */
function partText(data: PartEventData): string {
  if (data.type === "led") return `LED ${data.part} ${data.state}`;
  if (data.type === "button") return `button ${data.part} ${data.state}`;
  return `${data.part} got ${JSON.stringify(data.text ?? "")}`;
}

/** "LED flashing green: connected to the server". */
function ledText(state: LedState): string {
  if (state === "off") return "LED off";
  const pattern = LED_PATTERNS[state];
  const colours = [...new Set(pattern.segments.map((s) => s.colour).filter((c) => c !== "off"))];
  const how = pattern.segments.length > 1 ? "flashing " : "solid ";
  // Descriptions that name their colour ("flashing green: connected…") keep only the words after it.
  const words = pattern.description.replace(/^[^:]*: /, "");
  return `LED ${how}${colours.join("/")}: ${words}`;
}
