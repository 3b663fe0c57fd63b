// TypeScript users import `virtual-imp/testing` with types: the declarations build, and a test
// written against them typechecks under strict mode, through the package's own exports.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("type declarations", () => {
  it("let a strict TypeScript test use virtual-imp/testing and the library", () => {
    // The declarations are built by the tests' global setup (test/global-setup.ts).
    expect(existsSync(path.join(root, "dist/types/testing/index.d.ts"))).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), "vimp-consumer-"));
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(root, path.join(dir, "node_modules", "virtual-imp"), "dir");
    symlinkSync(
      path.join(root, "node_modules", "@types"),
      path.join(dir, "node_modules", "@types"),
      "dir",
    );
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          types: ["node"],
        },
        include: ["*.ts"],
      }),
    );
    copyFileSync(
      path.join(root, "test/testing/fixtures/consumer/firmware.test-types.ts"),
      path.join(dir, "firmware.ts"),
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/typescript/bin/tsc"), "-p", dir],
      { encoding: "utf8" },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);
});
