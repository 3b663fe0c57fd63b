// The pin objects, `hardware.pin1` …: instances of one class (issue 3: pins are instances), each
// standing for a model pin by name. The pin's behaviour (modes it supports, levels, the imp's
// error texts) lives on the host (src/device/pins.ts); here the calls are checked the Squirrel
// way and passed on (/api/hardware, pin object).

import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { SqFloat } from "../../runtime/values.ts";
import type { SqClass, SqInstance } from "../../runtime/values.ts";
import { apiClass, apiInstance } from "./api-object.ts";
import { callbacks } from "./callbacks.ts";
import { host, rethrowHostFailure } from "./device-host.ts";
import { PIN_NOT_EMULATED } from "./not-emulated.ts";

const names = new WeakMap<object, string>();
/** The state-change callback id of each pin that has one. */
const pinCallbacks = new Map<string, number>();

function pinName(self: unknown): string {
  const name = typeof self === "object" && self !== null ? names.get(self) : undefined;
  if (name === undefined) sqError("this is not a pin of hardware");
  return name;
}

/** The host's name of a pin object passed as an argument (server.factoryblinkup's LED pin). */
export function pinNameOf(v: unknown, what: string): string {
  const name = typeof v === "object" && v !== null ? names.get(v) : undefined;
  if (name === undefined) sqError(`${what} must be a pin of hardware, such as hardware.pin1`);
  return name;
}

function numberValue(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof SqFloat) return v.v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

function forgetCallback(pin: string): void {
  const old = pinCallbacks.get(pin);
  if (old !== undefined) {
    callbacks.remove(old);
    pinCallbacks.delete(pin);
  }
}

const configure = native("configure", -2, ".i", (self, args) => {
  const pin = pinName(self);
  // configure(mode, ...): numbers go to the host as they are (initial level, PWM period and duty,
  // pulse-counter window); a function is the state-change callback, called with no arguments
  // (/api/imp/onidle). Whether the mode takes them is the host's check, with the imp's texts.
  const extra: number[] = [];
  let callback: unknown = null;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "function") {
      if (callback !== null) sqError(`hardware.${pin}.configure(): only one callback can be given`);
      callback = a;
      continue;
    }
    if (a === null && i === args.length - 1) continue; // configure(DIGITAL_IN, null): no callback
    const n = numberValue(a);
    if (n === undefined)
      sqError(`hardware.${pin}.configure(): parameter ${i + 1} must be a number or a function`);
    extra.push(n);
  }
  const id = callback === null ? 0 : callbacks.register(callback, false, "none");
  try {
    host.pinConfigure(pin, args[0] as number, JSON.stringify(extra), id);
  } catch (e) {
    if (id !== 0) callbacks.remove(id);
    rethrowHostFailure(e);
  }
  forgetCallback(pin);
  if (id !== 0) pinCallbacks.set(pin, id);
  return null;
});

const read = native("read", 1, null, (self) => {
  const pin = pinName(self);
  let v: number;
  try {
    v = host.pinRead(pin);
  } catch (e) {
    rethrowHostFailure(e);
  }
  // Digital levels, ADC values and pulse counts are all integers (/api/hardware).
  return Math.trunc(v) | 0;
});

const write = native("write", 2, ".n|b", (self, args) => {
  const pin = pinName(self);
  try {
    host.pinWrite(pin, numberValue(args[0])!);
  } catch (e) {
    rethrowHostFailure(e);
  }
  return null;
});

const disable = native("disable", 1, null, (self) => {
  const pin = pinName(self);
  try {
    host.pinDisable(pin);
  } catch (e) {
    rethrowHostFailure(e);
  }
  forgetCallback(pin);
  return null;
});

let pinClass: SqClass | undefined;

export function makePin(name: string): SqInstance {
  pinClass ??= apiClass(
    (self) => `hardware.${pinName(self)}`,
    [configure, read, write, disable],
    PIN_NOT_EMULATED,
  );
  const pin = apiInstance(pinClass);
  names.set(pin, name);
  return pin;
}
