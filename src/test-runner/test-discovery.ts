// Which test files a run has, and how each runs, as impt decides (imp-central-impt TestHelper
// `_findTestFiles`): the testFiles patterns in order (a file two patterns match is run twice,
// as impt does), the file part of `--tests` as a regular-expression search, the side (agent
// when the path has the word "agent"), and the partner file: `x.agent.test.nut` runs with
// `x.device.nut` on the device, `x.device.test.nut` with `x.agent.nut` on the agent.

import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { globToRegExp } from "./glob-pattern.ts";
import type { Side } from "./session-code.ts";

export interface TestFile {
  /** As impt prints it: relative to the test home, with `/`. */
  readonly name: string;
  readonly file: string;
  readonly side: Side;
  /** The partner file (absolute), or null. */
  readonly partner: string | null;
}

/** impt's `--tests [file][:Case][::method]`. */
export interface TestSelection {
  readonly file: string;
  readonly testClass: string;
  readonly testMethod: string;
}

export function parseSelection(text: string | undefined): TestSelection {
  if (text === undefined || text === "") return { file: "", testClass: "", testMethod: "" };
  const colon = text.indexOf(":");
  if (colon < 0) return { file: text, testClass: "", testMethod: "" };
  const rest = text.slice(colon + 1);
  const methodAt = rest.lastIndexOf("::");
  return methodAt < 0
    ? { file: text.slice(0, colon), testClass: rest, testMethod: "" }
    : {
        file: text.slice(0, colon),
        testClass: rest.slice(0, methodAt),
        testMethod: rest.slice(methodAt + 2),
      };
}

/** Directories never searched for tests. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".builder-cache", ".build"]);

/** Every file below `home`, relative with `/`, in sorted order. */
function allFiles(home: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name))
          walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      } else if (entry.isFile()) out.push(`${prefix}${entry.name}`);
    }
  };
  walk(home, "");
  return out;
}

/**
 * The test files of a run: from the patterns, or the files given on the command line
 * (relative to the current directory), then narrowed by the selection's file part.
 */
export function findTestFiles(
  home: string,
  patterns: readonly string[],
  selection: TestSelection,
  given: readonly string[] = [],
): TestFile[] {
  let names: string[];
  if (given.length > 0) {
    names = given.map((g) => path.relative(home, path.resolve(g)).split(path.sep).join("/"));
  } else {
    const files = allFiles(home);
    names = patterns.flatMap((p) => {
      const re = globToRegExp(p);
      return files.filter((f) => re.test(f));
    });
  }
  if (selection.file !== "") {
    let filter: RegExp;
    try {
      filter = new RegExp(selection.file);
    } catch {
      filter = new RegExp(selection.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    }
    names = names.filter((n) => n.search(filter) >= 0);
  }
  return names.map((name) => {
    const file = path.resolve(home, name);
    const side: Side = /\bagent\b/i.test(name) ? "agent" : "device";
    let partner: string | null = null;
    const m = /\.(agent|device)\.test\.nut$/i.exec(name);
    if (m !== null) {
      const candidate =
        file.slice(0, file.length - m[0].length) +
        (m[1]!.toLowerCase() === "agent" ? ".device.nut" : ".agent.nut");
      if (existsSync(candidate)) partner = candidate;
    }
    return { name, file, side, partner };
  });
}

/**
 * impt's check that a selected case or method is in the built code: `class[ s]*<Case>` (the
 * `\s` of impt's source is lost in a plain string, so a space or an "s") and `function[ ]*<method>`.
 */
export function selectionMissing(code: string, selection: TestSelection): boolean {
  if (selection.testClass !== "" && !new RegExp(`class[ s]*${selection.testClass}`).test(code))
    return true;
  if (selection.testMethod !== "" && !new RegExp(`function[ ]*${selection.testMethod}`).test(code))
    return true;
  return false;
}
