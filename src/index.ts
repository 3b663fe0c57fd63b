// virtual-imp as a library: what a program embedding the emulator imports.

// Squirrel -> JavaScript
export { compile } from "./squirrel/index.ts";
export { CompileError } from "./squirrel/compile-error.ts";

// Running Squirrel in the sandbox
export { runSquirrel, DEFAULT_TIMEOUT_MS } from "./sandbox/squirrel-vm.ts";
export type { RunSquirrelOptions, RunSquirrelResult, RunOutcome } from "./sandbox/squirrel-vm.ts";
export { ExitStatus } from "./sandbox/exit-status.ts";

// The engine underneath
export { createQuickJSEngine, QUICKJS_MIN_MEMORY_LIMIT } from "./sandbox/quickjs-engine.ts";
export type { QuickJSEngineOptions } from "./sandbox/quickjs-engine.ts";
export { createV8Engine, V8_MIN_MEMORY_LIMIT } from "./sandbox/v8-engine.ts";
export {
  DEFAULT_MEMORY_LIMIT,
  DEFAULT_STACK_LIMIT,
  MAX_STACK_LIMIT,
  PreloadError,
} from "./sandbox/engine.ts";
export type {
  Engine,
  EvaluateOptions,
  EvaluateResult,
  HostCall,
  HostValue,
  Preload,
  Vm,
  VmFailure,
  VmOptions,
} from "./sandbox/engine.ts";

// The virtual imp: a simulation of devices, the impCloud, one clock and one trace
export { Simulation, DEFAULT_SLICE_TIMEOUT_MS, DEFAULT_DEVICE_GROUP } from "./world/simulation.ts";
export type { SimulationOptions, AddDeviceOptions, Firmware } from "./world/simulation.ts";
export { Device } from "./device/device.ts";
export { SNOOZE_SECONDS } from "./device/squirrel-lifecycle.ts";
export { DEFAULT_IMPOS_VERSION } from "./device/cloud-link.ts";
export type { DeviceOptions, DevicePhase } from "./device/device.ts";
export type { BlinkUpSettings } from "./device/blinkup.ts";
export { bootState } from "./device/boot.ts";
export type { BootState } from "./device/boot.ts";
export type {
  CloudLink,
  CloudSession,
  CloudInbox,
  CodeCheckAnswer,
  DeviceCode,
  DeviceHello,
  DeviceStateReport,
  ReloadReason,
} from "./device/cloud-link.ts";
export type {
  I2cPeripheral,
  SpiPeripheral,
  UartPeripheral,
  UartPort,
  PeripheralContext,
} from "./device/peripherals.ts";
export { FakeTemperatureSensor, TMP102_ADDRESS } from "./device/i2c-temperature-sensor.ts";
export { WAKE_REASONS, wakeReasonName } from "./device/shared/wake-reasons.ts";
export { MODELS, modelNamed, imp001, imp003 } from "./device/models/index.ts";
export type { ImpModel } from "./device/models/index.ts";
export type { LedReading, LedState, LedColour } from "./device/led.ts";
export { Scheduler, MICROS_PER_MILLI, MICROS_PER_SECOND } from "./sim/scheduler.ts";
export { Trace, toJSONLine } from "./sim/trace.ts";
export type { TraceEvent, TraceKind, TraceKinds } from "./sim/trace.ts";

// The Connected Factory (issue 4): the impCloud, production lines and their reports.
export { ImpCloud, impId, type ImpCloudOptions, type AgentMessage } from "./cloud/imp-cloud.ts";
export {
  CloudAccount,
  CloudError,
  DEVELOPMENT_PRODUCT,
  type CloudAccountOptions,
} from "./cloud/cloud-account.ts";
export { DEVICE_CODE_FILE } from "./cloud/deployment.ts";
export type { DeviceGroup, DeviceGroupType } from "./cloud/device-group.ts";
export type { Deployment, Deployment as CloudDeployment } from "./cloud/deployment.ts";
export type { CloudDevice } from "./cloud/cloud-device.ts";
export type { LogEntry } from "./cloud/device-log.ts";
export { CloudAgents, agentIdOf, DEFAULT_AGENT_URL_BASE } from "./cloud/cloud-agents.ts";
export { AgentHttpServer } from "./cloud/agent-http-server.ts";
export {
  Agent,
  CLOUD_ANSWERS,
  CLOUD_REQUEST_TIMEOUT_SECONDS,
  MAX_REQUEST_BODY_BYTES,
  type AgentCode,
  type AgentHttpAnswer,
} from "./agent/host/agent.ts";
export type {
  IncomingRequest,
  OutgoingRequest,
  HttpResponse,
} from "./agent/shared/agent-host-calls.ts";
export { MAX_MESSAGE_BYTES } from "./device/shared/message-limits.ts";
export { loadLine, parseLine, LineError, type LineSpec } from "./factory/line-file.ts";
export { ProductionLine, runLine, type LineRunOptions } from "./factory/production-line.ts";
export { dutLine, summaryTable, type DutRecord, type LineReport } from "./factory/dut-report.ts";

// Boards (issue 12): parts wired to a device's pins and buses, and their faults.
export { Board } from "./board/board.ts";
export { BoardError, loadBoard, parseBoard } from "./board/board-file.ts";
export type { BoardSpec, PartSpec } from "./board/board-file.ts";
export type { Fault } from "./board/faults.ts";
