// The impCloud's state on disk (issue 13, "Nothing lost"): a torn last journal line is dropped
// and cut away, damage anywhere else is named by file and line and changes nothing, a kill
// between the snapshot's rename and the journal's truncation replays nothing twice, and a
// --state path that cannot hold state is refused before anything is created.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CloudStateError, CloudStateFile } from "../../src/cloud/cloud-state.ts";
import { ImpCloud } from "../../src/cloud/imp-cloud.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";
import { Trace } from "../../src/sim/trace.ts";

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vimp-state-"));
}

function cloud(stateDir: string, createState = true): ImpCloud {
  return new ImpCloud({ scheduler: new Scheduler(), trace: new Trace(), stateDir, createState });
}

/** A state with a product, a group and `n` devices, each change journalled. */
function populated(dir: string, n = 3): ImpCloud {
  const c = cloud(dir);
  const product = c.createProduct("Lamp");
  c.createDeviceGroup({ product: product.id, name: "dev", type: "development" });
  for (let i = 1; i <= n; i++)
    c.registerDevice({
      deviceId: `30000c2a6900000${i}`,
      macAddress: `0c2a6900000${i}`,
      model: "imp003",
    });
  return c;
}

function snapshotOfFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), "latin1")]),
  );
}

describe("the state journal", () => {
  it("drops a torn last line, cuts it away, and keeps what is appended after it", () => {
    const dir = scratch();
    populated(dir, 2);
    const journal = path.join(dir, "journal.jsonl");
    appendFileSync(journal, '{"n":99,"c":"devices","id":"30000c2a6900'); // a kill mid-write
    const b = cloud(dir);
    expect(b.devices().map((d) => d.id)).toEqual(["30000c2a69000001", "30000c2a69000002"]);
    expect(readFileSync(journal, "utf8").endsWith("\n")).toBe(true);
    // A change of the next run lands on a line of its own, and a third run sees it.
    b.registerDevice({ deviceId: "30000c2a69000009", macAddress: "0c2a69000009", model: "imp001" });
    expect(cloud(dir).device("30000c2a69000009").model).toBe("imp001");
  });

  it("drops a last line torn in the middle of a UTF-8 character", () => {
    const dir = scratch();
    const a = populated(dir, 1);
    a.createProduct("Lämpchen");
    const journal = path.join(dir, "journal.jsonl");
    const bytes = readFileSync(journal);
    const cut = bytes.indexOf(Buffer.from("ä")) + 1; // half of the two bytes of ä
    writeFileSync(journal, bytes.subarray(0, cut));
    const b = cloud(dir);
    expect(b.findProduct("Lämpchen")).toBeUndefined();
    expect(b.findProduct("Lamp")).toBeDefined();
    b.createProduct("Lämpchen");
    expect(cloud(dir).findProduct("Lämpchen")).toBeDefined();
  });

  it("names a damaged line in the middle by its line number and changes nothing", () => {
    const dir = scratch();
    populated(dir, 3);
    const journal = path.join(dir, "journal.jsonl");
    const lines = readFileSync(journal, "utf8").split("\n");
    lines[3] = lines[3]!.slice(0, 10) + "#" + lines[3]!.slice(11);
    writeFileSync(journal, lines.join("\n"));
    const before = snapshotOfFiles(dir);
    expect(() => cloud(dir)).toThrow(
      new CloudStateError(
        `${journal}: line 4: not JSON: the state is damaged (nothing was changed)`,
      ),
    );
    expect(() => cloud(dir, false)).toThrow(/line 4: not JSON/);
    expect(snapshotOfFiles(dir)).toEqual(before);
  });

  it("names a whole last line that is not a change (it ended with its newline, so no kill cut it)", () => {
    const dir = scratch();
    populated(dir, 1);
    const journal = path.join(dir, "journal.jsonl");
    const count = readFileSync(journal, "utf8").split("\n").length - 1;
    appendFileSync(journal, '{"n":50,"c":"gadgets","id":"x","v":{}}\n');
    expect(() => cloud(dir)).toThrow(
      `${journal}: line ${count + 1}: an unknown kind of change "gadgets"`,
    );
  });

  it("replays nothing twice after a kill between the snapshot's rename and the journal's truncation", () => {
    const dir = scratch();
    const a = populated(dir, 2);
    a.deviceLog("30000c2a69000001", "log", "hello");
    const journal = path.join(dir, "journal.jsonl");
    const saved = path.join(scratch(), "journal.jsonl");
    copyFileSync(journal, saved);
    a.save();
    expect(readFileSync(journal, "utf8")).toBe("");
    // The kill: the journal as it was before truncation, beside the new snapshot.
    copyFileSync(saved, journal);
    const b = cloud(dir);
    expect(b.logs().map((l) => l.message)).toEqual(["hello"]);
    expect(b.devices()).toHaveLength(2);
    // Ids go on from where they were, and a later change is kept after the stale lines.
    const g = b.createDeviceGroup({ product: "Lamp", name: "more", type: "development" });
    expect(a.groups.map((x) => x.id)).not.toContain(g.id);
    b.deviceLog("30000c2a69000002", "log", "again");
    expect(
      cloud(dir)
        .logs()
        .map((l) => l.message),
    ).toEqual(["hello", "again"]);
  });

  it.each([
    ["empty", "", "is empty"],
    ["cut short", '{"seq":3,"account":{"unblessingKey":"ab', "is not JSON"],
    ["of another program", "[1, 2, 3]", "is not an impCloud snapshot (no account)"],
  ])(
    "refuses a cloud.json that is %s, naming it, and overwrites nothing",
    (_what, text, message) => {
      const dir = scratch();
      populated(dir, 1).save();
      const snapshot = path.join(dir, "cloud.json");
      writeFileSync(snapshot, text);
      const before = snapshotOfFiles(dir);
      expect(() => cloud(dir)).toThrow(`${snapshot}: ${message}`);
      expect(snapshotOfFiles(dir)).toEqual(before);
    },
  );
});

describe("the --state directory", () => {
  it("is created when new (its parent exists) and refused when its parent does not", () => {
    const root = scratch();
    cloud(path.join(root, "state"));
    expect(readdirSync(path.join(root, "state"))).toEqual(["journal.jsonl"]);
    const typo = path.join(root, "no", "such", "state");
    expect(() => cloud(typo)).toThrow(
      `--state ${typo}: cannot be created: ${path.join(root, "no", "such")} is not a directory`,
    );
    expect(existsSync(path.join(root, "no"))).toBe(false);
  });

  it("refuses a file, and a directory of other files, creating nothing", () => {
    const root = scratch();
    const file = path.join(root, "notes.txt");
    writeFileSync(file, "mine");
    expect(() => cloud(file)).toThrow(`--state ${file}: is a file, not a directory`);
    mkdirSync(path.join(root, "src"));
    writeFileSync(path.join(root, "src", "main.nut"), "");
    expect(() => cloud(path.join(root, "src"))).toThrow(
      "holds other files and no impCloud state; give an empty or new directory",
    );
    expect(readdirSync(path.join(root, "src"))).toEqual(["main.nut"]);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it("for reading only (vimp cloud), says that a directory holds no state and creates nothing", () => {
    const root = scratch();
    expect(() => cloud(root, false)).toThrow(
      `--state ${root}: holds no impCloud state (no cloud.json or journal.jsonl;`,
    );
    expect(() => cloud(path.join(root, "typo"), false)).toThrow(
      `--state ${path.join(root, "typo")}: no such directory`,
    );
    expect(readdirSync(root)).toEqual([]);
  });

  it("under /proc and /sys: a named error, at once", () => {
    expect(() => new CloudStateFile("/proc/vimp-state/deeper/still")).toThrow(
      /cannot be created: \/proc\/vimp-state\/deeper is not a directory/,
    );
    expect(() => new CloudStateFile("/proc/vimp-state")).toThrow(
      /--state \/proc\/vimp-state: cannot be created \(/,
    );
    expect(() => new CloudStateFile("/proc/self")).toThrow(
      /holds other files and no impCloud state/,
    );
    expect(() => new CloudStateFile("/sys/vimp-state")).toThrow(
      /--state \/sys\/vimp-state: cannot be created/,
    );
  });
});
