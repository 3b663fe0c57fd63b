// Runs `npm run build` and builds the type declarations once before the tests (the package and
// type tests read them; building them in one of those tests raced the other). A failed bundle is
// reported here and removed from dist/, so the tests that need it fail with a clear message while
// the others still run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) {
    process.stderr.write(
      `\n[global setup] the build failed; tests that need dist/ will fail:\n${build.stderr}\n`,
    );
  }
  const types = spawnSync(process.execPath, ["scripts/build-types.mjs"], {
    cwd: root,
    encoding: "utf8",
  });
  if (types.status !== 0) {
    process.stderr.write(
      `\n[global setup] the type declarations failed to build:\n${types.stdout}${types.stderr}\n`,
    );
  }
}
