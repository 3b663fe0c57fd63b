// The real hardware a board file bridges a device to (its `bridge` section): one FirmataBoard
// per Firmata port, with a PinBridge per imp pin on it, and a UartBridge per imp UART mapped to a
// serial port. Opening checks everything before the run starts (a missing or busy port, a board
// that does not answer, each named by port); mid-run failures are reported in the trace and the
// bridged pins float.

import type { BoardSpec, FirmataPinBridge, SerialUartBridge } from "../board/board-file.ts";
import { FIRMATA_BAUD } from "../board/board-file.ts";
import type { Device } from "../device/device.ts";
import type { Scheduler } from "../sim/scheduler.ts";
import type { Trace } from "../sim/trace.ts";
import { FirmataBoard } from "./firmata-board.ts";
import { PinBridge } from "./pin-bridge.ts";
import { SerialLink, SerialLinkError } from "./serial-link.ts";
import "./trace-kinds.ts";
import { UartBridge } from "./uart-bridge.ts";

export interface BridgeWorld {
  readonly scheduler: Scheduler;
  readonly trace: Trace;
}

export interface HardwareBridgeOptions {
  /** Applies an input from a real port on the virtual clock (WallClockRun.input). */
  readonly input: (fn: () => void) => void;
  /** How long a Firmata board may take to answer (ms). */
  readonly answerTimeoutMs?: number;
  /** Called when a port is lost mid-run (after the trace has it). */
  readonly onLost?: (error: SerialLinkError) => void;
}

export class HardwareBridge {
  /** Ports lost during the run, with why. */
  readonly lost: SerialLinkError[] = [];
  private readonly boards: FirmataBoard[] = [];
  private readonly links: SerialLink[] = [];
  private readonly pins: PinBridge[] = [];

  private constructor(
    private readonly device: Device,
    private readonly world: BridgeWorld,
  ) {}

  /** Opens every port the board bridges; rejects with the first failure, having closed what it opened. */
  static async open(
    spec: BoardSpec,
    device: Device,
    world: BridgeWorld,
    options: HardwareBridgeOptions,
  ): Promise<HardwareBridge> {
    const bridge = new HardwareBridge(device, world);
    try {
      await bridge.openAll(spec, options);
    } catch (error) {
      await bridge.close();
      throw error;
    }
    return bridge;
  }

  get isEmpty(): boolean {
    return this.boards.length === 0 && this.links.length === 0;
  }

  /** The Firmata boards that answered, by port, with their firmware ("StandardFirmata.ino 2.5"). */
  get firmware(): { port: string; firmware: string }[] {
    return this.boards.map((b) => ({ port: b.path, firmware: b.firmware }));
  }

  async close(): Promise<void> {
    for (const pin of this.pins.splice(0)) pin.dispose();
    await Promise.all([
      ...this.boards.splice(0).map((b) => b.close()),
      ...this.links.splice(0).map((l) => l.close()),
    ]);
  }

  private emit(port: string, state: "ready" | "lost" | "garbage" | "note", message: string): void {
    this.world.trace.record(this.world.scheduler.now, this.device.id, "bridge", {
      port,
      state,
      message,
    });
  }

  private async openAll(spec: BoardSpec, options: HardwareBridgeOptions): Promise<void> {
    const byPort = new Map<string, FirmataPinBridge[]>();
    const uarts: SerialUartBridge[] = [];
    for (const b of spec.bridges) {
      if (b.kind === "firmata") byPort.set(b.port, [...(byPort.get(b.port) ?? []), b]);
      else uarts.push(b);
    }
    for (const [port, maps] of byPort) {
      const pins: PinBridge[] = [];
      const lose = (error: SerialLinkError) => {
        this.lost.push(error);
        options.input(() => {
          for (const p of pins) p.lost();
          this.emit(
            port,
            "lost",
            `${error.reason}; the pins bridged to it (${maps.map((m) => m.impPin).join(", ")}) now float`,
          );
        });
        options.onLost?.(error);
      };
      const board = await FirmataBoard.connect({
        path: port,
        baud: spec.firmataBaud.get(port) ?? FIRMATA_BAUD,
        answerTimeoutMs: options.answerTimeoutMs,
        onDigital: (pin, level) =>
          pins
            .filter((_, i) => maps[i]!.pin === pin && maps[i]!.analogChannel === null)
            .forEach((p) => p.digitalReport(level)),
        onAnalog: (channel, value) =>
          pins
            .filter((_, i) => maps[i]!.analogChannel === channel)
            .forEach((p) => p.analogReport(value)),
        onLost: lose,
        onGarbage: (count) =>
          options.input(() =>
            this.emit(port, "garbage", `${count} bytes that are not Firmata so far (dropped)`),
          ),
      });
      this.boards.push(board);
      for (const map of maps)
        pins.push(new PinBridge(this.device, board, map, this.world, options.input));
      this.pins.push(...pins);
      this.emit(
        port,
        "ready",
        `Firmata board ready (${board.firmware || "firmware name not reported yet"}): ${maps.map((m) => `${m.impPin} -> ${m.analogChannel === null ? `pin ${m.pin}` : `A${m.analogChannel}`}`).join(", ")}`,
      );
    }
    for (const u of uarts) {
      const peer = new UartBridge(options.input);
      const link = await SerialLink.open({
        path: u.port,
        baud: u.baud,
        onData: (bytes) => peer.fromPort(bytes),
        onLost: (error) => {
          this.lost.push(error);
          options.input(() =>
            this.emit(u.port, "lost", `${error.reason}; ${u.uart} now talks to nobody`),
          );
          options.onLost?.(error);
        },
      });
      this.links.push(link);
      peer.connect(link);
      this.device.attachUart(u.uart, peer);
      this.emit(u.port, "ready", `${u.uart} bridged at ${u.baud} baud`);
    }
  }
}
