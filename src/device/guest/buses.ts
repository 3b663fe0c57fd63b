// The bus objects, `hardware.i2c89`, `hardware.spi257`, `hardware.uart12` …: one class per kind,
// one instance per model bus, named as in the model. What a bus does (baud limits, the peripheral
// models on it, error codes) is the host's; here the calls are checked the Squirrel way and the
// data is turned into byte strings and back (/api/hardware, bus objects).

import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { toFloatValue } from "../../runtime/stdlib/clib.ts";
import { float } from "../../runtime/values.ts";
import type { SqClass, SqInstance, SqNative } from "../../runtime/values.ts";
import type { DeviceBootInfo } from "../shared/host-calls.ts";
import { apiClass, apiInstance } from "./api-object.ts";
import { bytesOf, isBlob, newBlob } from "./byte-data.ts";
import { callbacks } from "./callbacks.ts";
import { host, rethrowHostFailure, viaHost } from "./device-host.ts";
import { BUS_NOT_EMULATED } from "./not-emulated.ts";

export type BusKind = DeviceBootInfo["buses"][number]["kind"];

const names = new WeakMap<object, string>();
/** The UART callback id of each bus that has one. */
const busCallbacks = new Map<string, number>();

function busName(self: unknown): string {
  const name = typeof self === "object" && self !== null ? names.get(self) : undefined;
  if (name === undefined) sqError("this is not a bus of hardware");
  return name;
}

function forgetCallback(bus: string): void {
  const old = busCallbacks.get(bus);
  if (old !== undefined) {
    callbacks.remove(old);
    busCallbacks.delete(bus);
  }
}

const disable = native("disable", 1, null, (self) => {
  const bus = busName(self);
  viaHost(() => host.busDisable(bus));
  forgetCallback(bus);
  return null;
});

// ---- I²C: addresses are 8-bit (the 7-bit address shifted left), as on the imp

const i2cMethods: SqNative[] = [
  native("configure", 2, ".i", (self, args) => {
    const bus = busName(self);
    viaHost(() => host.busConfigure(bus, JSON.stringify([args[0]]), 0));
    return null;
  }),
  native("write", 3, ".i.", (self, args) => {
    const bus = busName(self);
    const data = bytesOf(args[1], `hardware.${bus}.write(): the data`);
    return viaHost(() => host.i2cWrite(bus, args[0] as number, data)) | 0;
  }),
  native("read", 4, ".i.i", (self, args) => {
    const bus = busName(self);
    const register = bytesOf(args[1], `hardware.${bus}.read(): the register`);
    return viaHost(() => host.i2cRead(bus, args[0] as number, register, args[2] as number));
  }),
  native("readerror", 1, null, (self) => {
    const bus = busName(self);
    return viaHost(() => host.i2cReadError(bus)) | 0;
  }),
  disable,
];

// ---- SPI

const spiMethods: SqNative[] = [
  native("configure", 3, ".in", (self, args) => {
    const bus = busName(self);
    const speed = toFloatValue(args[1]);
    viaHost(() => host.busConfigure(bus, JSON.stringify([args[0], speed]), 0));
    // chosen: the actual speed (kHz) is the one asked for; the host's bus has no clock divider model.
    return float(speed);
  }),
  native("write", 2, ".s|x|u", (self, args) => {
    const bus = busName(self);
    const data = bytesOf(args[0], `hardware.${bus}.write(): the data`);
    viaHost(() => host.spiWriteRead(bus, data));
    return data.length;
  }),
  native("writeread", 2, ".s|x|u", (self, args) => {
    const bus = busName(self);
    const data = bytesOf(args[0], `hardware.${bus}.writeread(): the data`);
    const got = viaHost(() => host.spiWriteRead(bus, data));
    // What comes back has the type of what went out (a string for a string, a blob for a blob).
    return isBlob(args[0]) ? newBlob(got) : got;
  }),
  native("readstring", 2, ".i", (self, args) => {
    const bus = busName(self);
    return viaHost(() => host.spiWriteRead(bus, "\0".repeat(Math.max(0, args[0] as number))));
  }),
  native("readblob", 2, ".i", (self, args) => {
    const bus = busName(self);
    const got = viaHost(() => host.spiWriteRead(bus, "\0".repeat(Math.max(0, args[0] as number))));
    return newBlob(got);
  }),
  disable,
];

// ---- UART

/** Reads up to `max` bytes (all there are when max < 0) from the receive FIFO. */
function readBytes(bus: string, max: number): string {
  let out = "";
  while (max < 0 || out.length < max) {
    const b = viaHost(() => host.uartRead(bus));
    if (b < 0) break;
    out += String.fromCharCode(b & 0xff);
  }
  return out;
}

const uartMethods: SqNative[] = [
  native("configure", -6, ".iiiiic|o", (self, args) => {
    const bus = busName(self);
    const cb = args.length > 5 ? args[5] : null;
    const id = cb === null ? 0 : callbacks.register(cb, false, "none");
    try {
      host.busConfigure(bus, JSON.stringify(args.slice(0, 5)), id);
    } catch (e) {
      if (id !== 0) callbacks.remove(id);
      rethrowHostFailure(e);
    }
    forgetCallback(bus);
    if (id !== 0) busCallbacks.set(bus, id);
    // chosen: the actual baud rate is the one asked for (the host checks the model's limits).
    return args[0];
  }),
  native("write", 2, ".i|s|x|u", (self, args) => {
    const bus = busName(self);
    const a = args[0];
    const data =
      typeof a === "number"
        ? String.fromCharCode(a & 0xff)
        : bytesOf(a, `hardware.${bus}.write(): the data`);
    viaHost(() => host.uartWrite(bus, data));
    return null;
  }),
  native("read", 1, null, (self) => {
    const bus = busName(self);
    return viaHost(() => host.uartRead(bus)) | 0;
  }),
  native("readstring", -1, ".i", (self, args) => {
    const bus = busName(self);
    return readBytes(bus, args.length > 0 ? (args[0] as number) : -1);
  }),
  native("readblob", -1, ".i", (self, args) => {
    const bus = busName(self);
    return newBlob(readBytes(bus, args.length > 0 ? (args[0] as number) : -1));
  }),
  // The host takes each write at once, so there is never anything left to wait for.
  native("flush", 1, null, (self) => {
    busName(self);
    return null;
  }),
  disable,
];

const METHODS: Readonly<Record<BusKind, readonly SqNative[]>> = {
  i2c: i2cMethods,
  spi: spiMethods,
  uart: uartMethods,
};

const classes = new Map<BusKind, SqClass>();

export function makeBus(name: string, kind: BusKind): SqInstance {
  let cls = classes.get(kind);
  if (cls === undefined) {
    cls = apiClass((self) => `hardware.${busName(self)}`, METHODS[kind], BUS_NOT_EMULATED[kind]);
    classes.set(kind, cls);
  }
  const bus = apiInstance(cls);
  names.set(bus, name);
  return bus;
}
