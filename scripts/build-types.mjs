#!/usr/bin/env node
// Type declarations for the library and the testing API (dist/types/), so a TypeScript test
// can `import { bootDevice } from "virtual-imp/testing"` under strict mode. The sources import
// each other as `./x.ts`; declarations must say `./x.js` to find `./x.d.ts`.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "types");
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.types.json")], {
  stdio: "inherit",
});

function rewrite(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) rewrite(file);
    else if (name.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8");
      writeFileSync(
        file,
        text
          .replace(/(from\s+["']\.{1,2}\/[^"']*)\.ts(["'])/g, "$1.js$2")
          .replace(/(import\(["']\.{1,2}\/[^"']*)\.ts(["']\))/g, "$1.js$2"),
      );
    }
  }
}
rewrite(out);
