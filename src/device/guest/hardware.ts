// The `hardware` object (/api/hardware): one pin object per model pin and one bus object per model
// bus, named as the host's DeviceBootInfo lists them, plus the imp's clocks and sensors.

import { native } from "../../runtime/native.ts";
import { float } from "../../runtime/values.ts";
import type { SqNative, SqTable } from "../../runtime/values.ts";
import type { DeviceBootInfo } from "../shared/host-calls.ts";
import { addMember, apiTable } from "./api-object.ts";
import { makeBus } from "./buses.ts";
import { host } from "./device-host.ts";
import { identity } from "./identity-info.ts";
import { makePin } from "./pins.ts";
import { HARDWARE_NOT_EMULATED, MODEL_SPECIFIC, notEmulatedOn } from "./not-emulated.ts";

/** chosen: hardware.voltage() is the nominal 3.3 V supply; the emulator has no power model. */
export const SUPPLY_VOLTAGE = 3.3;

export function makeHardware(info: DeviceBootInfo): SqTable {
  const id = identity();
  const members: SqNative[] = [
    native("wakereason", 1, null, () => info.wakeReason),
    native("getdeviceid", 1, null, () => id.deviceId),
    // µs and ms since boot as signed 32-bit integers: negative after 2^31 µs (~36 min), wrapping
    // after ~72 min (/api/hardware, micros; millis ≈ the same rule).
    native("micros", 1, null, () => host.uptimeMicros() | 0),
    native("millis", 1, null, () => Math.floor(host.uptimeMicros() / 1000) | 0),
    native("voltage", 1, null, () => float(SUPPLY_VOLTAGE)),
  ];
  const light = info.lightLevel;
  if (light !== null) members.push(native("lightlevel", 1, null, () => light));
  const notEmulated = notEmulatedOn(
    HARDWARE_NOT_EMULATED,
    MODEL_SPECIFIC.hardware,
    info.apiMembers.hardware,
  );
  const hardware = apiTable("hardware", members, {
    notEmulated: light === null ? [...notEmulated, "lightlevel"] : notEmulated,
  });
  for (const pin of info.pins) addMember(hardware, pin, makePin(pin));
  for (const bus of info.buses) addMember(hardware, bus.name, makeBus(bus.name, bus.kind));
  return hardware;
}
