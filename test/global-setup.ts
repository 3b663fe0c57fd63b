// Runs `npm run build` once before the tests. A failed bundle is reported here and removed
// from dist/, so the tests that need it fail with a clear message while the others still run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) {
    process.stderr.write(`\n[global setup] the build failed; tests that need dist/ will fail:\n${build.stderr}\n`);
  }
}
