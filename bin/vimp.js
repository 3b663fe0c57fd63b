#!/usr/bin/env node
// The installed `vimp` command: everything lives in the bundled CLI (built by `npm run build`).
try {
  await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js")) throw error;
  process.stderr.write("vimp: dist/cli.js is missing: run `npm run build` first\n");
  process.exitCode = 70;
}
