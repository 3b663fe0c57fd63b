// Setting up an agent VM and running it (src/agent/host/agent-host-calls.ts, AgentGuestEntry):
// the agent API in the root table, then the agent code's top level, then one event at a time.

import { call } from "../../runtime/call.ts";
import { tableGet, tableSet } from "../../runtime/access.ts";
import type { ProgramFactory } from "../../runtime/program.ts";
import { vm } from "../../runtime/state.ts";
import { installBlob } from "../../device/guest/blob.ts";
import { fromHostJson } from "../../device/guest/squirrel-json.ts";
import { reportUncaught } from "../../device/guest/uncaught-error.ts";
import { decodeMessageJson } from "../../device/guest/message-codec.ts";
import type { AgentBootInfo, IncomingRequest } from "../shared/agent-host-calls.ts";
import { callbacks } from "./agent-callbacks.ts";
import { installAgentGlobals } from "./agent-globals.ts";
import { makeCrypto } from "../../device/guest/crypto-object.ts";
import { native } from "../../runtime/native.ts";
import { sqError } from "../../runtime/errors.ts";
import { digestCall } from "./http-object.ts";
import { makeDevice } from "./device-object.ts";
import { makeHttp, requestArguments, responseArgument } from "./http-object.ts";
import { makeImp } from "./imp-object.ts";
import { makeServer } from "./server-object.ts";

export function bootAgent(json: string): void {
  const info = JSON.parse(json) as AgentBootInfo;
  const root = vm.root;
  call(tableGet(root, "srand"), root, [info.randomSeed | 0]);
  installAgentGlobals(root);
  tableSet(root, "imp", makeImp());
  tableSet(root, "server", makeServer());
  tableSet(root, "device", makeDevice());
  tableSet(root, "http", makeHttp());
  // The device's crypto (src/device/guest/crypto-object.ts) plus the agent-only members, which
  // are not emulated and say so.
  const notEmulated = (name: string) =>
    native(name, -1, null, () => sqError(`crypto.${name} is not emulated yet`));
  tableSet(root, "crypto", makeCrypto(digestCall, [notEmulated("sign"), notEmulated("verify")]));
  installBlob(root);
}

export function runAgent(factory: ProgramFactory, rt: unknown): number {
  try {
    factory(rt)(vm.root, []);
    return 0;
  } catch (e) {
    return reportUncaught(e);
  }
}

export function dispatch(id: number, argsJson: string): number {
  const cb = callbacks.take(id);
  if (cb === undefined) return 0;
  const raw = JSON.parse(argsJson) as unknown[];
  let args: unknown[];
  switch (cb.args) {
    case "none":
      args = [];
      break;
    case "host":
      args = raw.map(fromHostJson);
      break;
    case "message":
      args = [decodeMessageJson(raw[0])];
      break;
    case "request":
      args = requestArguments(raw[0] as IncomingRequest, raw[1] as number);
      break;
    case "response":
      args = [responseArgument(raw[0])];
      break;
  }
  try {
    call(cb.fn, vm.root, args);
    return 0;
  } catch (e) {
    return reportUncaught(e);
  }
}
