// bootDevice(): one virtual imp with firmware, in a simulation of its own, powered on at virtual
// time 0 with its peripheral models already attached (firmware often reads a sensor in its
// top-level code). No virtual time has passed when it resolves: the test advances the clock or
// waits for something.

import { readFile } from "node:fs/promises";
import { Board } from "../board/board.ts";
import { loadBoard, type BoardSpec } from "../board/board-file.ts";
import type { Fault } from "../board/faults.ts";
import type { I2cPeripheral, SpiPeripheral, UartPeripheral } from "../device/peripherals.ts";
import { DEFAULT_MODEL, modelNamed, type ImpModel } from "../device/models/index.ts";
import { Simulation } from "../world/simulation.ts";
import type { Engine } from "../sandbox/engine.ts";
import { createV8Engine } from "../sandbox/v8-engine.ts";
import { VirtualImp } from "./virtual-imp.ts";

/** A peripheral model and where it sits: a bus of the device's model, and for I²C its 7-bit address. */
export type PeripheralAttachment =
  | { readonly i2c: string; readonly address: number; readonly model: I2cPeripheral }
  | { readonly spi: string; readonly model: SpiPeripheral }
  | { readonly uart: string; readonly model: UartPeripheral };

export interface BootDeviceOptions {
  /** The device firmware's Squirrel source (it runs as "device_code", as on the imp). Give this or `firmwareFile`. */
  readonly firmware?: string;
  /** A file of device firmware, read as bytes; its path names it in error messages. */
  readonly firmwareFile?: string;
  /** The agent code's Squirrel source: the device gets an agent (`imp.agent`). Or `agentFile`. */
  readonly agent?: string;
  /** A file of agent code, read as bytes. */
  readonly agentFile?: string;
  /**
   * Wall-clock ms the clock waits for the answer to an agent's outgoing HTTP request before it
   * runs on (default 30 s); the request's own timeout still counts in virtual time.
   */
  readonly httpHoldMs?: number;
  /** The module: "imp001" (the default, or the board's module), "imp003", … */
  readonly model?: ImpModel["type"];
  /** A board file (path) or a loaded board: the parts wired to the device's pins and buses. */
  readonly board?: string | BoardSpec;
  /** Hardware faults the board is built with (an open wire, a missing sensor, …). */
  readonly faults?: readonly Fault[];
  /** Seeds the device id, MAC address and math.rand, so runs repeat exactly (default "virtual-imp"). */
  readonly seed?: string | number;
  /** Peripheral models to attach before power is applied. */
  readonly peripherals?: readonly PeripheralAttachment[];
  /** UTC at virtual time 0 (default 2025-01-01T00:00:00Z): what date() and time() count from. */
  readonly startTime?: Date;
  /** Apply power at once (default true); false leaves it to `powerOn()`. */
  readonly powerOn?: boolean;
  /** Wall-clock ms one event may run before it counts as a runaway loop (default 10 s). */
  readonly sliceTimeoutMs?: number;
  /**
   * The engine the firmware runs in: "quickjs" (the default, sandboxed) or "v8" (faster, for
   * firmware you trust; see the README), or an Engine of your own.
   */
  readonly engine?: "quickjs" | "v8" | Engine;
}

let v8: Engine | undefined;

function engineOf(choice: BootDeviceOptions["engine"]): Engine | undefined {
  if (choice === undefined || choice === "quickjs") return undefined;
  if (choice === "v8") return (v8 ??= createV8Engine());
  if (typeof choice === "object" && choice !== null && typeof choice.createVm === "function")
    return choice;
  throw new TypeError(
    `bootDevice(): engine must be "quickjs", "v8" or an Engine, not ${JSON.stringify(choice)}`,
  );
}

/**
 * Boots a virtual imp running `firmware`. Firmware that does not compile rejects with the
 * compiler's CompileError (file, line and column).
 */
export async function bootDevice(options: BootDeviceOptions): Promise<VirtualImp> {
  const firmware = await firmwareOf(options);
  const agent = await agentOf(options);
  const boardSpec =
    typeof options.board === "string" ? loadBoard(options.board) : (options.board ?? null);
  if (boardSpec !== null && options.model !== undefined && options.model !== boardSpec.model.type) {
    throw new Error(
      `bootDevice(): model ${options.model} does not match the board, whose module is ${boardSpec.model.type} (${boardSpec.file}); leave \`model\` out`,
    );
  }
  if (boardSpec === null && options.faults !== undefined && options.faults.length > 0)
    throw new Error("bootDevice(): faults need a board");
  const model = boardSpec?.model ?? modelNamed(options.model ?? DEFAULT_MODEL);
  const simulation = new Simulation({
    seed: options.seed === undefined ? undefined : String(options.seed),
    startTime: options.startTime,
    sliceTimeoutMs: options.sliceTimeoutMs,
    engine: engineOf(options.engine),
    httpHoldMs: options.httpHoldMs,
  });
  const device = simulation.addDevice({ model, firmware, agent });
  for (const peripheral of options.peripherals ?? []) {
    if ("i2c" in peripheral) device.attachI2C(peripheral.i2c, peripheral.address, peripheral.model);
    else if ("spi" in peripheral) device.attachSpi(peripheral.spi, peripheral.model);
    else device.attachUart(peripheral.uart, peripheral.model);
  }
  const board =
    boardSpec === null
      ? null
      : await Board.attach(boardSpec, device, simulation, options.faults ?? []);
  if (options.powerOn !== false) device.powerOn();
  return new VirtualImp(simulation, device, board);
}

async function agentOf(
  options: BootDeviceOptions,
): Promise<{ source: string; file?: string } | undefined> {
  const { agent, agentFile } = options;
  if (agent !== undefined && agentFile !== undefined)
    throw new TypeError(
      "bootDevice() takes one of `agent` (Squirrel source) and `agentFile` (a path), not both",
    );
  if (agent !== undefined) return { source: agent };
  if (agentFile === undefined) return undefined;
  try {
    return { source: await readFile(agentFile, "latin1"), file: agentFile };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read the agent file '${agentFile}': ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}

async function firmwareOf(options: BootDeviceOptions): Promise<{ source: string; file?: string }> {
  const { firmware, firmwareFile } = options;
  if ((firmware === undefined) === (firmwareFile === undefined)) {
    throw new TypeError(
      "bootDevice() needs exactly one of `firmware` (Squirrel source) and `firmwareFile` (a path)",
    );
  }
  if (firmware !== undefined) return { source: firmware };
  try {
    return { source: await readFile(firmwareFile!, "latin1"), file: firmwareFile };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read the firmware file '${firmwareFile}': ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}
