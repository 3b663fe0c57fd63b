// What the impCloud keeps, and keeping it on disk with `--state DIR` (issue 4, "State that
// lasts"): products, groups, deployments, devices, tokens, webhooks and logs.
//
// On disk: `cloud.json`, a snapshot, and `journal.jsonl`, one line per change since it. A change
// is appended (one synchronous write of one line) before the cloud acknowledges it — before a
// DUT hears that it is blessed — so a process killed at any point has on disk everything it
// acknowledged. A line cut short by a kill is the one change not yet acknowledged, and loading
// drops it. The snapshot is replaced whole: written to a temporary file, flushed, renamed over
// the old one (rename is atomic), and only then is the journal emptied; a kill between the two
// replays changes the snapshot already has, which is harmless because each line is a whole
// record (an upsert), not a difference.

import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import type { CloudDevice } from "./cloud-device.ts";
import type { Deployment } from "./deployment.ts";
import type { DeviceGroup } from "./device-group.ts";
import type { LogEntry } from "./device-log.ts";
import type { EnrollmentToken } from "./enrollment-token.ts";
import type { Product } from "./product.ts";
import type { Webhook } from "./webhook.ts";

/** The account-wide values (seed 002 "Unblessing"; the production plan id of seed 004). */
export interface Account {
  readonly unblessingKey: string;
  readonly planId: string;
  /** Names issued so far, so ids stay unique across runs. */
  readonly counter: number;
}

/** Every collection the cloud keeps, by id. */
export interface CloudCollections {
  products: Map<string, Product>;
  groups: Map<string, DeviceGroup>;
  deployments: Map<string, Deployment>;
  devices: Map<string, CloudDevice>;
  tokens: Map<string, EnrollmentToken>;
  webhooks: Map<string, Webhook>;
}

export type CollectionName = keyof CloudCollections;

export const COLLECTIONS: readonly CollectionName[] = ["products", "groups", "deployments", "devices", "tokens", "webhooks"];

export interface CloudState extends CloudCollections {
  account: Account;
  logs: LogEntry[];
}

type JournalLine =
  | { c: CollectionName; id: string; v: unknown }
  | { c: "deleted"; of: CollectionName; id: string }
  | { c: "log"; v: LogEntry }
  | { c: "account"; v: Account };

export function emptyState(account: Account): CloudState {
  return {
    account,
    products: new Map(),
    groups: new Map(),
    deployments: new Map(),
    devices: new Map(),
    tokens: new Map(),
    webhooks: new Map(),
    logs: [],
  };
}

const SNAPSHOT = "cloud.json";
const JOURNAL = "journal.jsonl";

export class CloudStateFile {
  private readonly snapshot: string;
  private readonly journal: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.snapshot = path.join(dir, SNAPSHOT);
    this.journal = path.join(dir, JOURNAL);
  }

  /** The state on disk, or null when the directory holds none yet. */
  load(): CloudState | null {
    if (!existsSync(this.snapshot) && !existsSync(this.journal)) return null;
    let state: CloudState | null = null;
    if (existsSync(this.snapshot)) {
      const raw = JSON.parse(readFileSync(this.snapshot, "utf8")) as Record<string, unknown>;
      state = emptyState(raw.account as Account);
      for (const c of COLLECTIONS) {
        for (const [id, v] of Object.entries((raw[c] ?? {}) as Record<string, unknown>)) (state[c] as Map<string, unknown>).set(id, v);
      }
      state.logs = (raw.logs ?? []) as LogEntry[];
    }
    if (existsSync(this.journal)) {
      const lines = readFileSync(this.journal, "utf8").split("\n");
      for (const text of lines) {
        if (text === "") continue;
        let line: JournalLine;
        try {
          line = JSON.parse(text) as JournalLine;
        } catch {
          break; // cut short by a kill: never acknowledged
        }
        if (line.c === "account") {
          state ??= emptyState(line.v);
          state.account = line.v;
          continue;
        }
        if (state === null) continue;
        if (line.c === "log") state.logs.push(line.v);
        else if (line.c === "deleted") state[line.of].delete(line.id);
        else (state[line.c] as Map<string, unknown>).set(line.id, line.v);
      }
    }
    return state;
  }

  /** Appends one change; returns once the line is written. */
  put(collection: CollectionName, id: string, value: unknown): void {
    this.append({ c: collection, id, v: value });
  }

  remove(collection: CollectionName, id: string): void {
    this.append({ c: "deleted", of: collection, id });
  }

  log(entry: LogEntry): void {
    this.append({ c: "log", v: entry });
  }

  account(account: Account): void {
    this.append({ c: "account", v: account });
  }

  /** Writes a whole snapshot atomically and empties the journal. */
  compact(state: CloudState): void {
    const out: Record<string, unknown> = { account: state.account, logs: state.logs };
    for (const c of COLLECTIONS) out[c] = Object.fromEntries(state[c]);
    const temp = `${this.snapshot}.${process.pid}.tmp`;
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, JSON.stringify(out));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.snapshot);
    writeFileSync(this.journal, "");
  }

  private append(line: JournalLine): void {
    appendFileSync(this.journal, JSON.stringify(line) + "\n");
  }
}
