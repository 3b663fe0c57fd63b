// What the impCloud keeps, and keeping it on disk with `--state DIR` (issue 4, "State that
// lasts"; issue 13, "Nothing lost"): products, groups, deployments, devices, tokens, webhooks,
// webhook deliveries not yet made, and logs.
//
// On disk: `cloud.json`, a snapshot, and `journal.jsonl`, one line per change since it. A change
// is appended (one synchronous write of one whole line, newline included) before the cloud
// acknowledges it — before a DUT hears that it is blessed — so a process killed at any point
// has on disk everything it acknowledged. A line is a change only once its newline is written:
// a last line without one was cut short by a kill, never acknowledged, and is dropped and cut
// away before anything is appended. Any other line that does not read is damage, reported by
// its line number; nothing is skipped silently.
//
// Every line carries a sequence number, and the snapshot the number of the last line it holds.
// The snapshot is replaced whole (temporary file, fsync, rename, fsync of the directory) and
// only then is the journal emptied; after a kill between the two, the lines the snapshot
// already holds are recognised by their numbers and not replayed a second time.
//
// Power loss: journal lines are written but not fsynced (chosen: an fsync per change would
// make a 1,000-DUT line wait on the disk thousands of times), so changes since the last
// snapshot may be lost with the operating system's unwritten pages; a snapshot, once renamed,
// survives. Each `vimp` run ends with a snapshot.

import {
  accessSync,
  appendFileSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { CloudDevice } from "./cloud-device.ts";
import type { Deployment } from "./deployment.ts";
import type { DeviceGroup } from "./device-group.ts";
import type { LogEntry } from "./device-log.ts";
import type { EnrollmentToken } from "./enrollment-token.ts";
import type { Product } from "./product.ts";
import type { Webhook } from "./webhook.ts";

import type { PendingDelivery } from "./webhook-delivery.ts";

/** The account-wide values (the impt Production Guide "Unblessing"; the production plan id of /resources/imp-boot-procedure). */
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
  /** Webhook deliveries fired and not yet answered 2xx (resumed by the next run). */
  deliveries: Map<string, PendingDelivery>;
}

export type CollectionName = keyof CloudCollections;

export const COLLECTIONS: readonly CollectionName[] = [
  "products",
  "groups",
  "deployments",
  "devices",
  "tokens",
  "webhooks",
  "deliveries",
];

export interface CloudState extends CloudCollections {
  account: Account;
  logs: LogEntry[];
}

type JournalRecord =
  | { c: CollectionName; id: string; v: unknown }
  | { c: "deleted"; of: CollectionName; id: string }
  | { c: "log"; v: LogEntry }
  | { c: "account"; v: Account };

/** A journal line: a record and its sequence number. */
type JournalLine = JournalRecord & { n: number };

export function emptyState(account: Account): CloudState {
  return {
    account,
    products: new Map(),
    groups: new Map(),
    deployments: new Map(),
    devices: new Map(),
    tokens: new Map(),
    webhooks: new Map(),
    deliveries: new Map(),
    logs: [],
  };
}

export const SNAPSHOT = "cloud.json";
export const JOURNAL = "journal.jsonl";

/** A state directory that cannot be used as it is: names the file and what is wrong with it. */
export class CloudStateError extends Error {
  override name = "CloudStateError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isAccount(value: unknown): value is Account {
  return (
    isObject(value) &&
    typeof value.unblessingKey === "string" &&
    typeof value.planId === "string" &&
    Number.isSafeInteger(value.counter)
  );
}

/** What is wrong with one parsed journal line, or null when it is a change this file can apply. */
function journalLineProblem(line: unknown): string | null {
  if (!isObject(line)) return "not a JSON object";
  if (!Number.isSafeInteger(line.n) || (line.n as number) < 1) return 'no sequence number "n"';
  const c = line.c;
  if (c === "account") return isAccount(line.v) ? null : "an account change without an account";
  if (c === "log") return isObject(line.v) ? null : "a log change without a log entry";
  if (c === "deleted")
    return COLLECTIONS.includes(line.of as CollectionName) && typeof line.id === "string"
      ? null
      : "a deletion without a collection and id";
  if (COLLECTIONS.includes(c as CollectionName))
    return typeof line.id === "string" && isObject(line.v)
      ? null
      : `a ${String(c)} change without an id and value`;
  return `an unknown kind of change ${JSON.stringify(c)}`;
}

function errnoMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "ENOENT") return "does not exist";
  return error instanceof Error ? error.message : String(error);
}

export interface StateDirOptions {
  /**
   * Create the state when the directory holds none (`vimp factory`): a new directory, whose
   * parent must exist, or an empty one. Otherwise (`vimp cloud`) the state must be there.
   */
  readonly create: boolean;
}

export class CloudStateFile {
  private readonly snapshot: string;
  private readonly journal: string;
  /** The sequence number of the last change written. */
  private seq = 0;
  /** Set once the directory has been checked for writing (before the first change). */
  private writable = false;

  /**
   * Checks the directory before anything is created or written (a typo, a file, a directory
   * of something else, a place that is not writable): each is a CloudStateError. Nothing is
   * created unless `create`; the path is never created recursively (a path under /proc made
   * Node's recursive mkdir spin).
   */
  constructor(
    readonly dir: string,
    { create }: StateDirOptions = { create: true },
  ) {
    this.snapshot = path.join(dir, SNAPSHOT);
    this.journal = path.join(dir, JOURNAL);
    let entries: string[] | null;
    try {
      if (!statSync(dir).isDirectory())
        throw new CloudStateError(`--state ${dir}: is a file, not a directory`);
      entries = readdirSync(dir);
    } catch (error) {
      if (error instanceof CloudStateError) throw error;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new CloudStateError(`--state ${dir}: cannot be read (${errnoMessage(error)})`);
      entries = null;
    }
    const hasState = entries !== null && (entries.includes(SNAPSHOT) || entries.includes(JOURNAL));
    if (!hasState) this.createIn(entries, create);
    if (create) this.checkWritable();
  }

  private createIn(entries: string[] | null, create: boolean): void {
    const { dir } = this;
    if (!create) {
      throw new CloudStateError(
        entries === null
          ? `--state ${dir}: no such directory (a 'vimp factory --state ${dir}' run creates it)`
          : `--state ${dir}: holds no impCloud state (no ${SNAPSHOT} or ${JOURNAL}; a 'vimp factory --state ${dir}' run creates them)`,
      );
    }
    if (entries === null) {
      const parent = path.dirname(path.resolve(dir));
      let parentIsDir: boolean;
      try {
        parentIsDir = statSync(parent).isDirectory();
      } catch {
        parentIsDir = false;
      }
      if (!parentIsDir)
        throw new CloudStateError(
          `--state ${dir}: cannot be created: ${parent} is not a directory`,
        );
      try {
        mkdirSync(dir);
      } catch (error) {
        throw new CloudStateError(`--state ${dir}: cannot be created (${errnoMessage(error)})`);
      }
    } else if (entries.some((name) => !/^cloud\.json\.\d+\.tmp$/.test(name))) {
      throw new CloudStateError(
        `--state ${dir}: holds other files and no impCloud state; give an empty or new directory`,
      );
    }
  }

  /** The state on disk, or null when the directory holds none yet. Damage is a CloudStateError; nothing is written. */
  load(): CloudState | null {
    const snapshotText = this.read(this.snapshot)?.toString("utf8") ?? null;
    const journalText = this.read(this.journal);
    if (snapshotText === null && journalText === null) return null;
    let state: CloudState | null = null;
    let snapshotSeq = 0;
    if (snapshotText !== null) {
      const raw = this.parseSnapshot(snapshotText);
      state = emptyState(raw.account as Account);
      for (const c of COLLECTIONS) {
        for (const [id, v] of Object.entries((raw[c] ?? {}) as Record<string, unknown>))
          (state[c] as Map<string, unknown>).set(id, v);
      }
      state.logs = (raw.logs ?? []) as LogEntry[];
      snapshotSeq = (raw.seq as number | undefined) ?? 0;
    }
    this.seq = snapshotSeq;
    if (journalText !== null) {
      const { lines, tornAt } = this.parseJournal(journalText);
      for (const line of lines) {
        if (line.n <= snapshotSeq) continue; // already in the snapshot (a kill before the journal was emptied)
        this.seq = Math.max(this.seq, line.n);
        if (line.c === "account") {
          state ??= emptyState(line.v);
          state.account = line.v;
          continue;
        }
        if (state === null)
          throw new CloudStateError(
            `${this.journal}: changes before the account line: the state is damaged`,
          );
        if (line.c === "log") state.logs.push(line.v);
        else if (line.c === "deleted") state[line.of].delete(line.id);
        else (state[line.c] as Map<string, unknown>).set(line.id, line.v);
      }
      if (state === null)
        throw new CloudStateError(`${this.journal}: holds no account line: the state is damaged`);
      // The torn line goes before anything is appended after it.
      if (tornAt !== null) this.cutJournal(tornAt);
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
    this.checkWritable();
    const out: Record<string, unknown> = {
      seq: this.seq,
      account: state.account,
      logs: state.logs,
    };
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
    this.syncDir();
    truncateSync(this.journal, 0);
  }

  private append(line: JournalRecord): void {
    this.checkWritable();
    this.seq += 1;
    appendFileSync(this.journal, JSON.stringify({ n: this.seq, ...line }) + "\n");
  }

  private checkWritable(): void {
    if (this.writable) return;
    try {
      accessSync(this.dir, constants.W_OK);
    } catch (error) {
      throw new CloudStateError(`--state ${this.dir}: cannot be written (${errnoMessage(error)})`);
    }
    // Leftovers of a snapshot a kill interrupted before its rename.
    for (const name of readdirSync(this.dir))
      if (/^cloud\.json\.\d+\.tmp$/.test(name)) rmSync(path.join(this.dir, name), { force: true });
    this.writable = true;
  }

  private read(file: string): Buffer | null {
    try {
      return readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new CloudStateError(`${file}: cannot be read (${errnoMessage(error)})`);
    }
  }

  private parseSnapshot(text: string): Record<string, unknown> {
    if (text.trim() === "")
      throw new CloudStateError(
        `${this.snapshot}: is empty: the state is damaged (nothing was changed)`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new CloudStateError(
        `${this.snapshot}: is not JSON (${(error as Error).message}): the state is damaged (nothing was changed)`,
      );
    }
    if (!isObject(raw) || !isAccount(raw.account))
      throw new CloudStateError(
        `${this.snapshot}: is not an impCloud snapshot (no account): the state is damaged (nothing was changed)`,
      );
    if (raw.seq !== undefined && !Number.isSafeInteger(raw.seq))
      throw new CloudStateError(
        `${this.snapshot}: "seq" is not a whole number: the state is damaged`,
      );
    for (const c of COLLECTIONS) {
      if (raw[c] !== undefined && !isObject(raw[c]))
        throw new CloudStateError(
          `${this.snapshot}: "${c}" is not an object: the state is damaged`,
        );
    }
    if (raw.logs !== undefined && !Array.isArray(raw.logs))
      throw new CloudStateError(`${this.snapshot}: "logs" is not a list: the state is damaged`);
    return raw;
  }

  /** The journal's lines; `tornAt` is the byte length to cut it to when the last line was cut short. */
  private parseJournal(bytes: Buffer): { lines: JournalLine[]; tornAt: number | null } {
    // Everything after the final newline is a line a kill cut short (possibly mid-character).
    const whole = bytes.lastIndexOf(0x0a) + 1;
    const parts = bytes.subarray(0, whole).toString("utf8").split("\n");
    parts.pop();
    const lines: JournalLine[] = [];
    parts.forEach((part, i) => {
      let parsed: unknown;
      let problem: string | null;
      try {
        parsed = JSON.parse(part);
        problem = journalLineProblem(parsed);
      } catch {
        problem = "not JSON";
      }
      if (problem !== null)
        throw new CloudStateError(
          `${this.journal}: line ${i + 1}: ${problem}: the state is damaged (nothing was changed)`,
        );
      lines.push(parsed as JournalLine);
    });
    return { lines, tornAt: whole === bytes.length ? null : whole };
  }

  private cutJournal(length: number): void {
    try {
      truncateSync(this.journal, length);
    } catch (error) {
      throw new CloudStateError(
        `${this.journal}: cannot drop the line a kill cut short (${errnoMessage(error)})`,
      );
    }
  }

  /** A rename is durable once the directory is flushed (best effort: not every system can). */
  private syncDir(): void {
    let fd: number | null = null;
    try {
      fd = openSync(this.dir, "r");
      fsyncSync(fd);
    } catch {
      // Some file systems refuse fsync on a directory; the rename still happened.
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
}
