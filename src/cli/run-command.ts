// `vimp run firmware.device.nut`: boots a virtual imp with the firmware, assigned to the
// development device group whose deployment it is, and runs it in virtual time, printing the
// log pane impCentral would show (log-pane.ts) until the firmware goes quiet or --for has passed
// (run-until-quiet.ts). The trace can be written as JSON Lines and its pin levels as VCD.

import { existsSync, writeFileSync } from "node:fs";
import { AgentHttpServer } from "../cloud/agent-http-server.ts";
import { Board } from "../board/board.ts";
import { BoardError } from "../board/board-file.ts";
import { HardwareBridge } from "../bridge/hardware-bridge.ts";
import { SerialLinkError } from "../bridge/serial-link.ts";
import { WallClockRun } from "../bridge/wall-clock-run.ts";
import type { Device } from "../device/device.ts";
import { WAKE_REASONS } from "../device/shared/wake-reasons.ts";
import { Simulation } from "../world/simulation.ts";
import type { TraceEvent } from "../sim/trace.ts";
import { toVcd } from "../sim/vcd.ts";
import { CompileError } from "../squirrel/compile-error.ts";
import { firmwareTooLarge } from "../device/cloud-link.ts";
import { compile } from "../squirrel/index.ts";
import { formatDuration, formatVirtualTime } from "../sim/duration.ts";
import { STALL_EVENT_LIMIT } from "../sim/stall-guard.ts";
import { UsageError, type Command } from "./command.ts";
import { setHostInterrupt } from "../sandbox/host-interrupt.ts";
import { watchInterrupt } from "./interrupt-watch.ts";
import { LogPane } from "./log-pane.ts";
import { checkOutputFiles } from "./output-file.ts";
import { DEFAULT_RUN_FOR, parseRunArgs, type RunOptions } from "./run-options.ts";
import { runUntilQuiet, WallInbox, type RunEnd } from "./run-until-quiet.ts";
import { readSourceFile } from "./source-file.ts";

/** Exit statuses of `vimp run` (2 and 70 are every command's: a usage mistake, an internal error). */
export const RunExitStatus = {
  /** The run ended (quiet, or at --for) and the firmware never crashed. */
  ok: 0,
  /** The firmware crashed at least once: an uncaught Squirrel error, a runaway event, or out of memory. */
  crashed: 1,
  usage: 2,
  /** The virtual clock stalled: endless events at one instant (an imp.wakeup(0) chain). */
  stalled: 3,
  /** A bridged serial port was lost during the run (the run went on with its pins floating). */
  portLost: 4,
  /** Stopped with Ctrl-C. */
  interrupted: 130,
} as const;

export const runCommand: Command = {
  name: "run",
  help: `usage: vimp run [options] firmware.device.nut

Boots a virtual imp running the firmware and runs it in virtual time (hours pass in
seconds), printing the device log as impCentral's log pane shows it: a UTC timestamp, then
[Device] for server.log() and print(), [Status] for boots, wake reasons, the connection, LED
changes, deep sleep and restarts, and "ERROR:" for errors. The run ends when the firmware
goes quiet (nothing is scheduled any more: no timer, no wake, no --set still to come) or
when the --for time has passed.

  --model MODEL           the imp to run on: imp001 (the default, or the board's module),
                          imp002, imp003, imp004m, imp005 or imp006
  --board FILE            a board file: the buttons, LEDs, analog sources, wires and
                          bus peripherals wired to the imp (see README, "Boards")
  --for TIME              virtual time to run for at most, e.g. 500ms, 10s, 10m, 2h
                          (default ${DEFAULT_RUN_FOR}; with --realtime, until stopped)
  --realtime              pace virtual time to the wall clock
  --set PIN=LEVEL@TIME    drive an input from outside at a virtual time, e.g. pin7=1@5s;
                          LEVEL is 0, 1 or z (let go); repeat for more. With --board,
                          also BUTTON=pressed@TIME and BUTTON=released@TIME
  --trace-json FILE       write every trace event as JSON Lines (t in µs, device, kind, data)
  --vcd FILE              write pin levels as a VCD file for a logic-analyser viewer
  --seed TEXT             seed the device id, MAC and math.rand (default virtual-imp)
  --engine NAME           quickjs (default: sandboxed) or v8 (faster; for firmware you trust)
  --agent FILE            agent code to run beside the device (default: the .agent.nut
                          beside a .device.nut, when there is one)
  --agent-only            the file given is agent code; no device firmware runs
  --http-port PORT        serve the agent's URL on 127.0.0.1:PORT (default: any free port)
  --state DIR             keep the impCloud, and what agents server.save, in DIR between runs

With an agent the log shows [Agent] lines beside the device's, and the agent's URL is served
on 127.0.0.1 (printed at the start) so curl and a browser can reach http.onrequest. Such a run
is paced to the wall clock (as --realtime), since HTTP clients live in wall time: a request
arrives at the virtual time matching the moment it came, and the answer goes back the moment
the agent sends it (the cloud answers 504 after 60 s without one).

Exit status: 0 when the run ended and the firmware never crashed; 1 when it crashed at
least once (an uncaught error, a runaway event or out of memory: the imp restarts it, the run
goes on); 3 when the virtual clock stalled (more than ${STALL_EVENT_LIMIT} events at one instant, an
endless imp.wakeup(0) chain); 4 when a bridged serial port was lost during the run; 130 when
stopped with Ctrl-C; 2 for a mistake on the command line, a missing file, firmware that does
not compile, or a bridged port that cannot be opened or does not answer.

A board with a "bridge" section maps imp pins to a real board running StandardFirmata and
imp UARTs to serial ports; such a run is paced to the wall clock and goes on until --for
has passed or Ctrl-C (see README, "Hardware in the loop").`,

  async run(args) {
    let options = parseRunArgs(args);
    // Started now, so the watcher gets ready while the firmware is read and compiled.
    const watching = watchInterrupt();
    const source = readSourceFile(options.file);
    const agentFile = options.agentOnly
      ? options.file
      : (options.agent ?? besideFirmware(options.file));
    const agentSource =
      agentFile === null ? null : options.agentOnly ? source : readSourceFile(agentFile);
    checkOutputFiles([
      ["--trace-json", options.traceJson],
      ["--vcd", options.vcd],
    ]);

    const keep = options.traceJson !== null || options.vcd !== null;
    const sim = new Simulation({
      seed: options.seed,
      trace: { retain: keep },
      stateDir: options.stateDir,
      engine: options.engine,
    });
    const realtime = options.realtime || agentSource !== null;
    // An agent serving HTTP runs until stopped unless --for says otherwise.
    if (agentSource !== null && !options.limitGiven) options = { ...options, limit: Infinity };
    const out = new LineOutput(realtime);
    // At virtual time 0 the cloud's clock reads the simulation's start time.
    const pane = new LogPane({ write: out.line, startTime: sim.cloud.time() });
    const crashes = new CrashCount();
    const stopListening = sim.trace.addListener((event) => {
      pane.show(event);
      crashes.see(event);
    });

    const tooLarge = firmwareTooLarge(source.length);
    if (tooLarge !== null)
      throw new UsageError(`${options.file}: ${tooLarge} on an imp`, { helpHint: false });
    let device: Device;
    try {
      // The file name goes in as bytes, as `vimp sq` passes it.
      const bytesOfName = (f: string) => Buffer.from(f, "utf8").toString("latin1");
      // Compiled here first so an error names the agent's file (the cloud knows it as "agent_code").
      if (agentSource !== null) compile(agentSource, bytesOfName(agentFile!));
      device = sim.addDevice({
        model: options.model,
        firmware: options.agentOnly ? undefined : { source, file: bytesOfName(options.file) },
        agent:
          agentSource === null ? undefined : { source: agentSource, file: bytesOfName(agentFile!) },
      });
    } catch (error) {
      if (error instanceof CompileError) {
        const where = Buffer.from(`${error.file}:${error.line}:${error.col}`, "latin1").toString(
          "utf8",
        );
        const what =
          agentFile !== null && error.file === Buffer.from(agentFile, "utf8").toString("latin1")
            ? "agent code"
            : "firmware";
        throw new UsageError(`${where}: ${error.reason} (the ${what} does not compile)`, {
          helpHint: false,
        });
      }
      throw error;
    }
    let board: Board | null = null;
    if (options.board !== null) {
      try {
        board = await Board.attach(options.board, device, sim);
      } catch (error) {
        if (error instanceof BoardError) throw new UsageError(error.message, { helpHint: false });
        throw error;
      }
    }
    for (const setting of options.settings) {
      const apply = (): void => {
        if (setting.button === true) {
          if (setting.level === 1) board!.press(setting.pin);
          else board!.release(setting.pin);
        } else if (board?.manages(setting.pin)) board.drive(setting.pin, setting.level);
        else device.drivePin(setting.pin, setting.level);
      };
      sim.scheduler.at(setting.at, apply, `--set ${setting.text}`);
    }
    // Real hardware: every port opened and every Firmata board answering before the run starts.
    let bridge: HardwareBridge | null = null;
    const paced = new WallClockRun(sim);
    if (options.board !== null && options.board.bridges.length > 0) {
      try {
        bridge = await HardwareBridge.open(options.board, device, sim, {
          input: (fn) => paced.input(fn),
        });
      } catch (error) {
        board?.dispose();
        if (error instanceof SerialLinkError)
          throw new UsageError(error.message, { helpHint: false });
        throw error;
      }
    }
    const limit = { ...options, realtime };
    const running = options.agentOnly
      ? `the agent ${options.file}`
      : agentFile !== null
        ? `${options.file} with the agent ${agentFile}`
        : options.file;
    process.stderr.write(
      `vimp: running ${running} on a virtual ${options.model.type} (device id ${device.id}) ${limitText(limit)}\n`,
    );
    // A run with a hardware bridge is paced by the bridge's own loop, which takes the requests then.
    const inbox = agentSource === null || bridge !== null ? undefined : new WallInbox();
    let server: AgentHttpServer | null = null;
    if (agentSource !== null) {
      try {
        server = await AgentHttpServer.start(sim.agents, {
          port: options.httpPort,
          deliver: (work) => (inbox !== undefined ? inbox.post(work) : paced.input(work)),
        });
      } catch (error) {
        await sim.dispose();
        throw new UsageError((error as Error).message, { helpHint: false });
      }
      process.stderr.write(`vimp: the agent's URL is ${sim.agents.urlOf(device.id)}\n`);
    }

    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.on("SIGINT", interrupt);
    // Ctrl-C during a runaway event: heard by another thread, and the event stopped at once.
    const watch = await watching;
    setHostInterrupt(watch.requested);
    const wallStart = performance.now();
    let end: RunEnd;
    // Everything at this instant has happened: an LED change held back can show now.
    const beforeWait = () => {
      pane.flush();
      out.flush();
    };
    try {
      device.powerOn();
      if (bridge !== null) {
        const ended = await paced.run(options.limit, stop.signal, beforeWait);
        end = ended === "stopped" ? "interrupted" : ended;
      } else
        end = await runUntilQuiet(sim, {
          limit: options.limit,
          realtime,
          inbox,
          signal: stop.signal,
          interrupted: watch.requested,
          beforeWait,
        });
    } finally {
      process.off("SIGINT", interrupt);
      setHostInterrupt(null);
      await watch.stop();
      pane.flush();
      out.flush();
      await bridge?.close();
      await server?.close();
    }
    const wallSeconds = ((performance.now() - wallStart) / 1000).toFixed(1);
    process.stderr.write(
      `vimp: ${endText(end, sim.now, limit)}, after ${wallSeconds} s of wall time\n`,
    );
    if (crashes.count > 0)
      process.stderr.write(
        `vimp: the firmware crashed ${crashes.count} time${crashes.count === 1 ? "" : "s"}\n`,
      );

    if (options.traceJson !== null) writeFileSync(options.traceJson, sim.trace.toJSONLines());
    if (options.vcd !== null) writeFileSync(options.vcd, toVcd(sim.trace.events));
    stopListening(); // powering off at the end is not the firmware's doing
    board?.dispose();
    await sim.dispose();

    if (end === "interrupted") return RunExitStatus.interrupted;
    if (bridge !== null && bridge.lost.length > 0) {
      process.stderr.write(
        `vimp: lost during the run: ${bridge.lost.map((e) => e.message).join("; ")}\n`,
      );
      return RunExitStatus.portLost;
    }
    if (end === "stalled") return RunExitStatus.stalled;
    return crashes.count > 0 ? RunExitStatus.crashed : RunExitStatus.ok;
  },
};

/** Counts the crashes the trace shows: restarts after an error or a runaway, and out-of-memory resets. */
class CrashCount {
  count = 0;

  see(event: TraceEvent): void {
    if (
      event.kind === "restart" &&
      event.data.wakeReason === WAKE_REASONS.WAKEREASON_SQUIRREL_ERROR
    )
      this.count++;
    // Out of memory is a cold boot (SW_RESET) like imp.reset(); only the imp's report tells them apart.
    if (
      event.kind === "error" &&
      event.data.source === "status" &&
      /out of memory/i.test(event.data.message)
    )
      this.count++;
  }
}

/** Lines to stdout, gathered into large writes when fast-forwarded (many come at once); each at once in real time. */
class LineOutput {
  private pending: string[] = [];

  constructor(private readonly immediate: boolean) {}

  readonly line = (text: string): void => {
    this.pending.push(text);
    if (this.immediate || this.pending.length >= 256) this.flush();
  };

  flush(): void {
    if (this.pending.length === 0) return;
    // Log lines are byte strings (server.log of UTF-8 source text gives its bytes): written back as those bytes.
    process.stdout.write(Buffer.from(this.pending.join("\n") + "\n", "latin1"));
    this.pending = [];
  }
}

function limitText(options: RunOptions): string {
  const pace = options.realtime ? "in real time" : "in virtual time";
  return Number.isFinite(options.limit)
    ? `${pace} for up to ${formatDuration(options.limit)}`
    : `${pace} until stopped (Ctrl-C)`;
}

function endText(end: RunEnd, now: number, options: RunOptions): string {
  switch (end) {
    case "quiet":
      return `the firmware went quiet at ${formatVirtualTime(now)} (nothing more is scheduled)`;
    case "time-limit":
      return `stopped at ${formatVirtualTime(now)}: ${formatDuration(options.limit)} of virtual time have passed`;
    case "stalled":
      return `stopped at ${formatVirtualTime(now)}: the virtual clock stalled (more than ${STALL_EVENT_LIMIT} events at one instant: an endless imp.wakeup(0) chain?)`;
    case "interrupted":
      return `interrupted at ${formatVirtualTime(now)}`;
  }
}

/** `app.agent.nut` beside `app.device.nut`, if it exists. */
function besideFirmware(file: string): string | null {
  if (!file.endsWith(".device.nut")) return null;
  const agent = file.slice(0, -".device.nut".length) + ".agent.nut";
  return existsSync(agent) ? agent : null;
}
