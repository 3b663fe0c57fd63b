// The device runtime bundle (dist/device-runtime.js): the Squirrel runtime plus the guest side
// of the imp API, evaluated once in every device VM after the host has installed `__host`. It
// defines `globalThis.__imp`, the entry points the host calls (host-calls.ts, DeviceGuestEntry).

import { rt } from "../../runtime/index.ts";
import type { ProgramFactory } from "../../runtime/program.ts";
import type { DeviceGuestEntry } from "../shared/host-calls.ts";
import { installBlob } from "./blob.ts";
import { bootDevice, prepareDevice } from "./boot.ts";
import { dispatch, runFirmware } from "./firmware-run.ts";

const entry: DeviceGuestEntry = {
  boot: (json) => bootDevice(json, installBlob),
  dispatch,
  runFirmware: (factory) => runFirmware(factory as ProgramFactory, rt),
};

prepareDevice();
(globalThis as { __imp?: DeviceGuestEntry }).__imp = entry;
