// `#require "Name.lib.nut:1.2.3"`, resolved from local directories as impCentral resolves it
// from its library catalogue (developer.electricimp.com/libraries, "How To Use Electric Imp Code
// Libraries"): the library's code is put before the application's, once.
//
// chosen: what matches. In each directory, in order, the file named exactly as the library
// (case-insensitive: `Promise.lib.nut`), either in a folder named for the version
// (`<dir>/4.0.0/Promise.lib.nut`) or directly in the directory (`<dir>/Promise.lib.nut`). A file
// that declares `VERSION = "x.y.z"` (every Electric Imp library does) matches only that version;
// one that declares none matches any. The same library required twice at one version is loaded
// once; at two versions it is an error. The directories are the --lib ones, then `libraries/`
// beside .impt.test, then the ones virtual-imp ships (Promise 4.0.0, also required as
// `promise.class.nut`, and JSONEncoder 2.0.0, which impUnit requires).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { SourceMap, type SourcePosition } from "../builder/source-map.ts";

/** A library that is not there, or a #require that is not well formed. */
export class LibraryError extends Error {}

/** Old names impCentral still answers to. */
const ALIASES: Record<string, string> = { "promise.class.nut": "Promise.lib.nut" };

const REQUIRE = /^\s*#require\s+"([^"]*)"\s*$/;

interface Found {
  readonly file: string;
  readonly text: string;
}

export class LibraryStore {
  constructor(readonly directories: readonly string[]) {}

  /** The library's file, or an error naming the library, the version and where it looked. */
  find(name: string, version: string): Found {
    const seen: string[] = [];
    const names = [name, ALIASES[name.toLowerCase()]].filter((n): n is string => n !== undefined);
    for (const dir of this.directories) {
      for (const wanted of names) {
        for (const where of [path.join(dir, version), dir]) {
          const file = fileNamed(where, wanted);
          if (file === null) continue;
          const text = readFileSync(file, "utf8");
          const declared = /\bVERSION\s*=\s*"([^"]*)"/.exec(text)?.[1];
          if (declared === undefined || declared === version) return { file, text };
          seen.push(`${file} is version ${declared}`);
        }
      }
    }
    const also = seen.length > 0 ? `; ${seen.join("; ")}` : "";
    throw new LibraryError(
      `library "${name}" version ${version} is not available: looked in ${this.directories.join(", ")} (for ${names.join(" or ")}, in <dir>/${version}/ or <dir>/)${also}`,
    );
  }

  /**
   * Takes the #require lines out of built code (each becomes a comment, so lines keep their
   * numbers) and puts the libraries' code before it, with their origins in the map.
   */
  link(code: string, map: SourceMap): { code: string; map: SourceMap } {
    const loaded = new Map<string, string>();
    const prefix: string[] = [];
    const origins: (SourcePosition | null)[] = [];
    const lines = code.split("\n");
    const load = (name: string, version: string): void => {
      const key = (ALIASES[name.toLowerCase()] ?? name).toLowerCase();
      const already = loaded.get(key);
      if (already === version) return;
      if (already !== undefined)
        throw new LibraryError(
          `library "${name}" is required at two versions, ${already} and ${version}`,
        );
      loaded.set(key, version);
      const found = this.find(name, version);
      const libLines = found.text.replace(/\r\n/g, "\n").split("\n");
      // A library's own #require lines load first.
      libLines.forEach((line, i) => {
        const request = REQUIRE.exec(line);
        if (request !== null) {
          const [n, v] = parse(request[1]!, `${found.file}:${i + 1}`);
          load(n, v);
          libLines[i] = `// ${line.trim()}`;
        }
      });
      libLines.forEach((line, i) => {
        prefix.push(line);
        origins.push({ file: found.file, line: i + 1 });
      });
    };
    lines.forEach((line, i) => {
      const request = REQUIRE.exec(line);
      if (request === null) return;
      const origin = map.originOf(i + 1);
      const [name, version] = parse(
        request[1]!,
        origin === null ? `line ${i + 1}` : `${origin.file}:${origin.line}`,
      );
      load(name, version);
      lines[i] = `// ${line.trim()} (loaded above)`;
    });
    if (prefix.length === 0) return { code, map };
    return { code: prefix.join("\n") + "\n" + lines.join("\n"), map: map.prepend(origins) };
  }
}

/** "Name.lib.nut:1.2.3" → [name, version]; an error naming the place otherwise. */
function parse(text: string, where: string): [string, string] {
  const m = /^([^:]+):(\d+\.\d+\.\d+)$/.exec(text);
  if (m === null) {
    const why = text.includes(":")
      ? "the version must be three numbers, x.y.z, without wildcards"
      : 'the version is missing (write it as "Name.lib.nut:x.y.z")';
    throw new LibraryError(`#require "${text}" at ${where}: ${why}`);
  }
  return [m[1]!, m[2]!];
}

/** The file in `dir` named `name`, compared without case, or null. */
function fileNamed(dir: string, name: string): string | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return null;
  const wanted = name.toLowerCase();
  const entry = readdirSync(dir).find((e) => e.toLowerCase() === wanted);
  if (entry === undefined) return null;
  const file = path.join(dir, entry);
  return statSync(file).isFile() ? file : null;
}
