#!/usr/bin/env node
// `npm run fuzz -- --sq PATH --count N [--seed S]`: the differential fuzzer (fuzz/main.ts),
// bundled with esbuild into a temporary file and run. Not part of `npm test` or CI.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(path.join(tmpdir(), "vimp-fuzz-build-"));
const outfile = path.join(scratch, "fuzz.mjs");
try {
  await esbuild.build({
    entryPoints: [path.join(root, "fuzz", "main.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  process.env.VIMP_FUZZ_ROOT = root;
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
