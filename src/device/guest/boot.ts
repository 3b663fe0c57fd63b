// Setting up a device VM before its firmware runs (host-calls.ts, DeviceGuestEntry.boot): the
// imp's constants (as the bundle loads) and API objects (at boot) in the root table, math.rand seeded for a reproducible run,
// and `nv` re-created when this boot keeps it (/api/nv).

import { tableGet, tableSet } from "../../runtime/access.ts";
import { call } from "../../runtime/call.ts";
import { vm } from "../../runtime/state.ts";
import type { SqTable } from "../../runtime/values.ts";
import type { DeviceBootInfo } from "../shared/host-calls.ts";
import { makeAgent } from "./agent-object.ts";
import { installConstants } from "./constants.ts";
import { makeCrypto } from "./crypto-object.ts";
import { host, viaHost } from "./device-host.ts";
import { installDeviceGlobals } from "./device-globals.ts";
import { makeHardware } from "./hardware.ts";
import { makeImp } from "./imp-object.ts";
import { restoreNv } from "./nv-table.ts";
import { makeServer } from "./server-object.ts";

/** blob.ts's installBlob, passed in by the bundle entry. */
export type InstallBlob = (root: SqTable) => void;

/**
 * What every device has, whatever its model and identity: the imp's constants and the globals
 * the device adds. Run as the bundle loads, so a VM started from the runtime's snapshot
 * (sandbox/quickjs-snapshot.ts) has them already; bootDevice adds the rest in the same order.
 */
export function prepareDevice(): void {
  installConstants(vm.root);
  installDeviceGlobals(vm.root);
}

export function bootDevice(json: string, installBlob: InstallBlob): void {
  const info = JSON.parse(json) as DeviceBootInfo;
  const root = vm.root;
  // rand() and math.rand() are one generator (stdlib/globals.ts): seeding it through srand()
  // makes every run with the same seed draw the same numbers.
  call(tableGet(root, "srand"), root, [info.randomSeed | 0]);
  tableSet(root, "hardware", makeHardware(info));
  tableSet(root, "imp", makeImp(info));
  tableSet(root, "server", makeServer());
  tableSet(root, "agent", makeAgent());
  tableSet(
    root,
    "crypto",
    makeCrypto((algorithm, data, key) => viaHost(() => host.digest(algorithm, data, key))),
  );
  installBlob(root);
  restoreNv(root, info.nv);
}
