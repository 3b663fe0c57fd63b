// The package as another project gets it (issue 13): `npm pack` makes a tarball that holds the
// built dist/, and a project with that tarball installed runs `vimp`, imports virtual-imp and
// boots a device through virtual-imp/testing. No registry: the tarball is unpacked into the
// project's node_modules and its dependencies linked from this repository's own.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };

const root = fileURLToPath(new URL("..", import.meta.url));

describe("the npm package", () => {
  it("holds dist/ and works from another project", () => {
    const work = mkdtempSync(path.join(tmpdir(), "vimp-pack-"));
    // dist/ is built (the tests' global setup, or `npm install`'s prepare); pack it as it is.
    const out = execFileSync(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
      { cwd: root, encoding: "utf8" },
    );
    const [{ filename, files }] = JSON.parse(out) as [
      { filename: string; files: { path: string }[] },
    ];
    const paths = files.map((f) => f.path);
    for (const needed of [
      "bin/vimp.js",
      "dist/cli.js",
      "dist/index.js",
      "dist/testing.js",
      "dist/runtime.js",
      "dist/device-runtime.js",
      "dist/types/index.d.ts",
      "firmware-samples/factory/line.json",
      "README.md",
    ]) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.some((p) => p.startsWith("src/") || p.startsWith("test/"))).toBe(false);

    const project = path.join(work, "project");
    const modules = path.join(project, "node_modules");
    mkdirSync(path.join(modules, "virtual-imp"), { recursive: true });
    execFileSync("tar", [
      "-xzf",
      path.join(work, filename),
      "-C",
      path.join(modules, "virtual-imp"),
      "--strip-components=1",
    ]);
    for (const dep of Object.keys(packageJson.dependencies)) {
      const [scope, name] = dep.startsWith("@") ? dep.split("/") : [null, dep];
      if (scope !== null) mkdirSync(path.join(modules, scope), { recursive: true });
      symlinkSync(
        path.join(root, "node_modules", dep),
        path.join(modules, ...(scope !== null ? [scope, name!] : [name!])),
      );
    }
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "my-firmware", type: "module", private: true }),
    );
    writeFileSync(path.join(project, "hello.nut"), 'print("hello from " + "squirrel\\n");');
    writeFileSync(
      path.join(project, "check.mjs"),
      `import { runSquirrel } from "virtual-imp";
import { bootDevice } from "virtual-imp/testing";
let out = "";
await runSquirrel('print(6 * 7);', { stdout: (b) => (out += b) });
const imp = await bootDevice({ firmwareFile: "node_modules/virtual-imp/firmware-samples/blink.device.nut", model: "imp001" });
const line = await imp.waitForLog("blinked 10 times", "20s");
imp.dispose();
console.log(out + " " + line.message);
`,
    );
    const vimp = spawnSync(
      process.execPath,
      [path.join(modules, "virtual-imp", "bin", "vimp.js"), "sq", "hello.nut"],
      { cwd: project, encoding: "utf8" },
    );
    expect(vimp).toMatchObject({ status: 0, stdout: "hello from squirrel\n", stderr: "" });
    const library = spawnSync(process.execPath, ["check.mjs"], { cwd: project, encoding: "utf8" });
    expect(library.stderr).toBe("");
    expect(library.stdout).toBe("42 blinked 10 times\n");
    expect(readdirSync(project).sort()).toEqual([
      "check.mjs",
      "hello.nut",
      "node_modules",
      "package.json",
    ]);
  }, 60_000);
});
