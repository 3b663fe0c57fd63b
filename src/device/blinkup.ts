// BlinkUp on the device, both ways. Receiving: settings from a phone (the Electric Imp app) or a
// factory fixture's LED stream read by the light sensor, accepted only while BlinkUp sensing is
// on (/api/imp/enableblinkup); new settings make a cold boot with WAKEREASON_BLINKUP after 3 s of green (seed
// 004, /troubleshooting/blinkup), and a plan id and enrolment token make the imp Pending Activation. Sending:
// a fixture's server.factoryblinkup drives its LED pin with the stream (/manufacturing/factoryfirmware). The stream's
// format is in blinkup-stream.ts.

import type { Scheduler } from "../sim/scheduler.ts";
import type { Emit } from "../sim/trace.ts";
import {
  BlinkUpReceiver,
  bitPeriodMicros,
  encodeBlinkUp,
  type BlinkUpPayload,
} from "./blinkup-stream.ts";
import type { EventLoop } from "./event-loop.ts";
import type { SquirrelRun } from "./host/squirrel-run.ts";
import type { Pin, Pins } from "./pins.ts";
import type { SecureStorage } from "./secure-storage.ts";

/** What `device.blinkUp()` delivers: WiFi credentials and, for activation, a plan id and enrolment token. */
export interface BlinkUpSettings {
  readonly ssid: string;
  readonly password?: string;
  readonly planId?: string;
  readonly enrolmentToken?: string;
}

/** What BlinkUp needs of its device. */
export interface BlinkUpDevice {
  readonly scheduler: Scheduler;
  readonly emit: Emit;
  readonly storage: SecureStorage;
  readonly pins: Pins;
  readonly loop: EventLoop;
  /** Whether settings can be taken now: powered, awake, BlinkUp sensing on. */
  canReceive(): boolean;
  /** New settings were stored: the boot process acts on them. */
  received(): void;
}

export class BlinkUp {
  /** The light sensor's decoders, one per bit rate the imp recognises. */
  private readonly receivers = [
    new BlinkUpReceiver(bitPeriodMicros(false)),
    new BlinkUpReceiver(bitPeriodMicros(true)),
  ];

  constructor(private readonly device: BlinkUpDevice) {}

  /**
   * Settings arrive (from a phone, or decoded from a factory fixture's stream when `factory`).
   * Returns whether they were taken.
   */
  receive(settings: BlinkUpSettings, factory: boolean): boolean {
    const { storage } = this.device;
    const ok = this.device.canReceive();
    this.device.emit(this.device.scheduler.now, "blinkup", { ok, factory });
    if (!ok) return false;
    storage.wifi = { ssid: settings.ssid, password: settings.password ?? "" };
    if (settings.planId !== undefined && settings.enrolmentToken !== undefined) {
      storage.planId = settings.planId;
      storage.enrolmentToken = settings.enrolmentToken;
      storage.activated = false;
    }
    // The factory's stream marks the configuration as a fixture's (/api/server/bless: such imp001 DUTs may be blessed).
    if (factory) storage.factoryConfigured = true;
    this.device.received();
    return true;
  }

  /** Light on the sensor at virtual time `t`; a complete stream carries a factory enrolment (/manufacturing/factoryfirmware). */
  senseLight(lit: boolean, t: number): void {
    for (const receiver of this.receivers) {
      const payload: BlinkUpPayload | null = receiver.feed(lit ? 1 : 0, t);
      if (payload !== null) this.receive(payload, true);
    }
  }

  /**
   * A fixture's side of factory BlinkUp (/manufacturing/factoryfirmware): impOS drives the LED pin with the stream,
   * one scheduler event per change of the light, with Squirrel suspended until the last bit.
   * chosen: the pin is left disabled (tri-stated) afterwards, as impOS found it for firmware
   * that never configured it.
   */
  flash(
    run: SquirrelRun,
    pinName: string,
    payload: BlinkUpPayload,
    fast: boolean,
    done: () => void,
  ): void {
    const { scheduler, emit, loop } = this.device;
    const pin = this.device.pins.get(pinName);
    const period = bitPeriodMicros(fast);
    const bits = encodeBlinkUp(payload);
    loop.suspend();
    emit(scheduler.now, "factory-blinkup", { phase: "flashing", pin: pinName });
    pin.configure("DIGITAL_OUT", { initial: 0 });
    const start = scheduler.now;
    let i = 0;
    const next = () => {
      if (run.ended || !pin.mode) return this.finishFlash(run, pin, done);
      const level = bits[i]!;
      pin.write(level);
      let j = i + 1;
      while (j < bits.length && bits[j] === level) j++;
      i = j;
      if (i >= bits.length) {
        scheduler.after(period, () => this.finishFlash(run, pin, done), "factory BlinkUp ends");
        return;
      }
      scheduler.at(start + i * period, next, "factory BlinkUp bit");
    };
    next();
  }

  private finishFlash(run: SquirrelRun, pin: Pin, done: () => void): void {
    if (run.ended) return;
    pin.disable();
    this.device.emit(this.device.scheduler.now, "factory-blinkup", {
      phase: "done",
      pin: pin.name,
    });
    this.device.loop.resume();
    done();
  }
}
