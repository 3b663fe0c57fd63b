// Where the Squirrel files virtual-imp ships for tests are: its impUnit and its library store
// (Promise, JSONEncoder). They live in src/test-runner/ and are found from the running module,
// whether that is the source (tests) or the bundle in dist/ (the CLI).

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "src", "test-runner", "impunit", "index.nut"))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(
        "virtual-imp's impUnit (src/test-runner/impunit) is missing from the installation",
      );
  }
}

export function bundledImpUnitDir(): string {
  return path.join(packageRoot(), "src", "test-runner", "impunit");
}

export function bundledLibraryDir(): string {
  return path.join(packageRoot(), "src", "test-runner", "libraries");
}
