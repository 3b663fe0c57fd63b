#!/usr/bin/env node
// Builds dist/: the runtime bundle that runs inside each QuickJS VM, and the Node entries
// (CLI, library, testing API). Each entry builds on its own, so one broken part does not
// hide the others; an entry whose source does not exist yet is skipped.
import { existsSync, rmSync, mkdirSync, readdirSync, writeFileSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");

/** Every bundle dist/ holds: where it starts, where it goes, and how it is built. */
export const entries = [
  {
    // Evaluated as a plain script inside QuickJS: no Node, no module system.
    source: "src/runtime/index.ts",
    output: "dist/runtime.js",
    options: {
      format: "iife",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
    },
  },
  {
    // The device VM's script: the runtime plus the guest side of the imp API (src/device/guest/).
    source: "src/device/guest/index.ts",
    output: "dist/device-runtime.js",
    options: {
      format: "iife",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
    },
  },
  {
    // The agent VM's script: the runtime plus the agent API (src/agent/guest/).
    source: "src/agent/guest/index.ts",
    output: "dist/agent-runtime.js",
    options: {
      format: "iife",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
    },
  },
  // Each command is a chunk of its own (dist/cli-chunks/), loaded when it runs: `vimp sq` does
  // not load the factory, the serial ports or the HTTP server.
  {
    source: "src/cli/main.ts",
    output: "dist/cli.js",
    chunks: "cli-chunks",
    options: nodeOptions(),
  },
  { source: "src/index.ts", output: "dist/index.js", options: nodeOptions() },
  { source: "src/testing/index.ts", output: "dist/testing.js", options: nodeOptions() },
  // A worker thread of `vimp test --jobs N`: runs test sessions.
  {
    source: "src/test-runner/session-worker.ts",
    output: "dist/session-worker.js",
    options: nodeOptions(),
  },
];

function nodeOptions() {
  return { format: "esm", platform: "node", target: "node20", packages: "external" };
}

function removeOutput(output) {
  rmSync(output, { force: true });
  rmSync(output + ".map", { force: true });
}

/** Removes the chunks an earlier build left that this one no longer names. */
function removeStaleChunks(folder, files) {
  const written = new Set(files.map((f) => f.path));
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (!written.has(file)) rmSync(file, { force: true });
  }
}

/** Builds every entry; returns the list of failures (empty when all went well). */
export async function build({ log = console.error } = {}) {
  mkdirSync(dist, { recursive: true });
  const failures = [];
  for (const entry of entries) {
    const source = path.join(root, entry.source);
    const output = path.join(root, entry.output);
    if (!existsSync(source)) {
      // A stale bundle must never stand in for one whose source is gone.
      removeOutput(output);
      log(`build: skipped ${entry.output} (${entry.source} does not exist yet)`);
      continue;
    }
    try {
      const where = entry.chunks
        ? {
            outdir: dist,
            entryNames: path.basename(entry.output, ".js"),
            chunkNames: `${entry.chunks}/[name]-[hash]`,
            splitting: true,
          }
        : { outfile: output };
      const result = await esbuild.build({
        entryPoints: [source],
        ...where,
        bundle: true,
        write: false,
        sourcemap: entry.output === "dist/runtime.js" ? false : "linked",
        logLevel: "silent",
        ...entry.options,
      });
      // Write then rename, so a test run reading dist/ at the same moment never sees half a file;
      // the entry last, so it never names a chunk not yet written.
      const files = [...result.outputFiles].sort(
        (a, b) => (a.path === output) - (b.path === output),
      );
      for (const file of files) {
        mkdirSync(path.dirname(file.path), { recursive: true });
        const temporary = `${file.path}.${process.pid}.tmp`;
        writeFileSync(temporary, file.contents);
        renameSync(temporary, file.path);
      }
      if (entry.chunks) removeStaleChunks(path.join(dist, entry.chunks), files);
    } catch (error) {
      removeOutput(output);
      const messages = error.errors?.length
        ? (await esbuild.formatMessages(error.errors, { kind: "error" })).join("")
        : String(error);
      log(`build: ${entry.output} failed:\n${messages}`);
      failures.push(entry.output);
    }
  }
  return failures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const failures = await build();
  if (failures.length > 0) {
    console.error(`build: ${failures.length} bundle(s) failed: ${failures.join(", ")}`);
    process.exitCode = 1;
  }
}
