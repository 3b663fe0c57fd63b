// The runtime bundles evaluated in every VM before a program: dist/runtime.js (the Squirrel
// runtime, built from src/runtime/) for `vimp sq`, dist/device-runtime.js (the runtime plus the
// guest side of the imp API, built from src/device/guest/) for virtual imps. Each is read once
// per process.
import { readFileSync } from "node:fs";

/** A bundle's text and the name it runs under in guest stack traces (the runtime leaves those frames out). */
export interface RuntimeBundle {
  code: string;
  filename: string;
}

const cache = new Map<string, RuntimeBundle>();

/**
 * `dist/<file>`: next to the bundled library in dist/, or two levels up from src/sandbox/ and
 * from the CLI's chunks in dist/cli-chunks/.
 */
export function loadBundle(file: string, filename: string): RuntimeBundle {
  const known = cache.get(file);
  if (known !== undefined) return known;
  for (const url of [
    new URL(`./${file}`, import.meta.url),
    new URL(`../../dist/${file}`, import.meta.url),
  ]) {
    try {
      const bundle = { code: readFileSync(url, "utf8"), filename };
      cache.set(file, bundle);
      return bundle;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new Error(`the runtime bundle dist/${file} is missing: run \`npm run build\``);
}

export const RUNTIME_BUNDLE_FILENAME = "vimp-runtime.js";
