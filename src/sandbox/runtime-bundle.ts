// The runtime bundle (dist/runtime.js, built from src/runtime/) is evaluated in every VM before
// a program. It is read once per process.
import { readFileSync } from "node:fs";

/** The bundle sits next to the bundled library in dist/, or two levels up from src/sandbox/. */
const CANDIDATES = [new URL("./runtime.js", import.meta.url), new URL("../../dist/runtime.js", import.meta.url)];

/** The name the bundle runs under in guest stack traces (the runtime leaves those frames out). */
export const RUNTIME_BUNDLE_FILENAME = "vimp-runtime.js";

let cached: string | undefined;

export function runtimeBundle(): string {
  if (cached !== undefined) return cached;
  for (const url of CANDIDATES) {
    try {
      cached = readFileSync(url, "utf8");
      return cached;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new Error("the Squirrel runtime bundle dist/runtime.js is missing: run `npm run build`");
}
