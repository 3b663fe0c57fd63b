// The agent's `server` object (developer.electricimp.com /api/server): the log, persistent
// storage (server.save / server.load) and restarting the agent.
//
// server.save(table[, format]) (/api/server/save, /examples/agentdatapersistence): format 1 (the
// default) keeps what JSON can hold — a slot that cannot be encoded is left out and an error is
// logged, no exception; format 2 also keeps blobs, strings that are not UTF-8 and NaN. Either
// throws when the encoded table is over 64 KB, or for another format; it returns 0.
// server.save({}) clears the store; server.load() gives the saved table, {} when none.

import { tableKeys } from "../../runtime/access.ts";
import { toStr } from "../../runtime/convert.ts";
import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import { SqTable } from "../../runtime/values.ts";
import { apiTable } from "../../device/guest/api-object.ts";
import { leaveVm } from "../../device/guest/vm-exit.ts";
import {
  decodeMessageJson,
  encodeMessage,
  UnsendableValue,
} from "../../device/guest/message-codec.ts";
import { host, viaHost } from "./agent-host.ts";
import { jsonDecode, jsonEncode } from "./json-codec.ts";

/** The most server.save may store, in bytes of its encoded form. */
export const MAX_SAVE_BYTES = 64 * 1024;

export function logValue(v: unknown): number {
  const text = toStr(v);
  viaHost(() => host.log(text));
  return 0;
}

export function logErrorValue(v: unknown): number {
  const text = toStr(v);
  viaHost(() => host.logError(text));
  return 0;
}

function save(table: SqTable, format: number): number {
  if (format !== 1 && format !== 2)
    sqError(`server.save(): format ${format} is not 1 (JSON) or 2 (binary)`);
  if (tableKeys(table).length === 0) {
    viaHost(() => host.save(null));
    return 0;
  }
  let stored: string;
  if (format === 1) {
    const json = jsonEncode(table, true, (e) => {
      logErrorValue(
        `server.save(): ${e.path.replace(/^value/, "data")} ${e.problem}; left out of the saved table`,
      );
    });
    stored = `1:${json}`;
  } else {
    try {
      stored = `2:${encodeMessage(table, "data")}`;
    } catch (e) {
      if (e instanceof UnsendableValue) sqError(`server.save(): ${e.message}`);
      throw e;
    }
  }
  if (stored.length - 2 > MAX_SAVE_BYTES) {
    sqError(
      `server.save(): the table encodes to ${stored.length - 2} bytes; the most an agent may store is ${MAX_SAVE_BYTES}`,
    );
  }
  viaHost(() => host.save(stored));
  return 0;
}

function load(): unknown {
  const stored = viaHost(() => host.load());
  if (stored === null || stored === "") return new SqTable();
  if (stored.startsWith("2:")) return decodeMessageJson(JSON.parse(stored.slice(2)));
  return jsonDecode(stored.slice(2), Infinity);
}

export function makeServer(): SqTable {
  return apiTable(
    "server",
    [
      native("log", 2, null, (_self, args) => logValue(args[0])),
      native("error", 2, null, (_self, args) => logErrorValue(args[0])),
      native("save", -2, ".ti", (_self, args) =>
        save(args[0] as SqTable, args.length > 1 ? (args[1] as number) : 1),
      ),
      native("load", 1, null, () => load()),
      native("restart", 1, null, () => {
        viaHost(() => host.restart());
        return leaveVm("server.restart");
      }),
    ],
    { notEmulated: ["permanent"] },
  );
}
