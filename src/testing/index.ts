// virtual-imp/testing: what a firmware engineer's vitest (or any) test imports to boot a virtual
// imp with firmware, drive its pins and peripheral models, run its clock, wait for what it does
// and read what it did.
//
//   import { bootDevice } from "virtual-imp/testing";
//   const imp = await bootDevice({ firmwareFile: "src/sensor.device.nut", model: "imp001" });
//   const line = await imp.waitForLog(/temp=(\d+)/, "10s");

export { bootDevice } from "./boot-device.ts";
export { DEFAULT_MODEL } from "../device/models/index.ts";
export type { BootDeviceOptions, PeripheralAttachment } from "./boot-device.ts";
export { VirtualImp, DEFAULT_WAIT_TIMEOUT } from "./virtual-imp.ts";
export type { LedTarget, LogLine, LogPattern } from "./virtual-imp.ts";
export { parseDuration, formatDuration, DurationError } from "../sim/duration.ts";
export type { Duration } from "../sim/duration.ts";
export { WaitTimeoutError } from "./wait-timeout-error.ts";
export { VirtualAgent } from "./virtual-agent.ts";
export type { AgentRequest, AgentResponse, AgentMessageEvent } from "./virtual-agent.ts";
export type { StoredValue } from "./stored-value.ts";
export { ClockStalledError, STALL_EVENT_LIMIT } from "../sim/stall-guard.ts";
export type { NvValue } from "./nv-value.ts";

// What tests meet through the handle: peripheral models to write, the sample sensor, LED and trace types.
export type {
  I2cPeripheral,
  SpiPeripheral,
  UartPeripheral,
  UartPort,
  PeripheralContext,
} from "../device/peripherals.ts";
export { FakeTemperatureSensor, TMP102_ADDRESS } from "../device/i2c-temperature-sensor.ts";
export { WAKE_REASONS } from "../device/shared/wake-reasons.ts";
export type { WakeReasonName } from "../device/shared/wake-reasons.ts";
export type { LedChange, LedColour, LedReading, LedState } from "../device/led.ts";
export type { DigitalLevel } from "../device/pins.ts";
export type { DevicePhase } from "../device/device.ts";
export type { Device } from "../device/device.ts";
export type { Simulation } from "../world/simulation.ts";
export type { Engine } from "../sandbox/engine.ts";
export type { LineLevel, Trace, TraceEvent, TraceKind, TraceKinds } from "../sim/trace.ts";
export { MICROS_PER_MILLI, MICROS_PER_SECOND } from "../sim/scheduler.ts";
export { CompileError } from "../squirrel/compile-error.ts";

// Boards (issue 12): board files, the parts library and the faults a board can be built with.
export { Board } from "../board/board.ts";
export type { BoardWorld, LedLight, PreparedBoard } from "../board/board.ts";
export { BoardError, loadBoard, parseBoard, BOARD_SUPPLY_VOLTS } from "../board/board-file.ts";
export type { BoardSpec, PartSpec, PartType, BridgeSpec } from "../board/board-file.ts";
export type { Fault, FaultKind } from "../board/faults.ts";
export { Si7021, SI7021_ADDRESS } from "../board/parts/si7021.ts";
export { SpiFlash } from "../board/parts/spi-flash.ts";
export { I2cRegisterDevice } from "../board/parts/i2c-register-device.ts";
export { UartEcho, UartTerminal } from "../board/parts/uart-peer.ts";
