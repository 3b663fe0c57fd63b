#!/usr/bin/env node
// The installed `vimp` command: everything lives in the bundled CLI.
import "../dist/cli.js";
