// The README tells the truth (issue 13): every `vimp` command in its `sh` blocks runs as shown,
// in the order written, from a folder that has the repository's firmware-samples/ and test/
// (as the repository's root has), and exits 0; every block that starts with `$ vimp …` prints
// what the block shows (times of the wall clock aside); the line.json it shows is the shipped
// one. The commands are read from the README itself, whatever section they are in, so the
// README cannot drift from what vimp does.
import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(path.join(root, "README.md"), "utf8");

interface Block {
  readonly lang: string;
  readonly text: string;
}

const blocks: Block[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  text: m[2]!,
}));

/** A `vimp` command as written (`npx vimp …` is the same command). */
function vimpCommand(line: string): string | null {
  const m = /^(?:npx )?vimp(?: .*)?$/.exec(line.trim());
  return m === null ? null : m[0].replace(/^npx /, "");
}

/** A scratch folder laid out like the repository's root, with `vimp` on the PATH. */
function scratch(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(path.join(tmpdir(), "vimp-readme-"));
  for (const dir of ["firmware-samples", "test"])
    symlinkSync(path.join(root, dir), path.join(cwd, dir));
  const bin = path.join(cwd, ".bin");
  mkdirSync(bin);
  writeFileSync(
    path.join(bin, "vimp"),
    `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, "bin", "vimp.js")}" "$@"\n`,
  );
  chmodSync(path.join(bin, "vimp"), 0o755);
  return { cwd, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` } };
}

function shell(
  command: string,
  where: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd: where.cwd, env: where.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Times of the wall clock differ from run to run. */
function steady(line: string): string {
  return line
    .replace(/after [\d.]+ s of wall time/, "after N s of wall time")
    .replace(/in [\d.]+ s \(\d+x real time\)/, "in N s (Nx real time)");
}

describe("the README", () => {
  it("has vimp commands to check (the test reads the README itself)", () => {
    const commands = blocks
      .filter((b) => b.lang === "sh")
      .flatMap((b) =>
        b.text
          .split("\n")
          .map(vimpCommand)
          .filter((c) => c !== null),
      );
    expect(commands.length).toBeGreaterThan(10);
  });

  it("every vimp command in a sh block runs as shown and exits 0", async () => {
    const where = scratch();
    for (const block of blocks.filter((b) => b.lang === "sh")) {
      for (const line of block.text.split("\n")) {
        const command = vimpCommand(line);
        if (command === null) continue;
        const r = await shell(command, where);
        expect({ command, status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({
          command,
          status: 0,
          stderr: "",
        });
      }
    }
  }, 180_000);

  it("every `$ vimp …` example prints what it shows", async () => {
    const where = scratch();
    const examples = blocks.filter((b) => /^\$ (npx )?vimp /.test(b.text));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const [first, ...shown] = example.text.trimEnd().split("\n");
      const command = vimpCommand(first!.slice(2))!;
      const r = await shell(command, where);
      const stderr = r.stderr.split("\n").filter((l) => l !== "");
      // The first stderr line (what is being run) comes before the output, the rest after it.
      const printed = [
        ...stderr.slice(0, 1),
        ...r.stdout.trimEnd().split("\n"),
        ...stderr.slice(1),
      ];
      const expected = shown.map(steady);
      expect({
        command,
        lines: (r.stderr === "" ? r.stdout.trimEnd().split("\n") : printed).map(steady),
      }).toEqual({ command, lines: expected });
    }
  }, 120_000);

  it("shows the shipped sample line.json", () => {
    const shown = blocks.find((b) => b.lang === "json" && b.text.includes('"deviceGroups"'));
    expect(shown).toBeDefined();
    const shipped: unknown = JSON.parse(
      readFileSync(path.join(root, "firmware-samples", "factory", "line.json"), "utf8"),
    );
    expect(JSON.parse(shown!.text)).toEqual(shipped);
  });
});
