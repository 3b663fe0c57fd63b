// `.impt.test`, the test configuration impt keeps in the test home (imp-central-impt
// CommandsManual, "Test Configuration Files"): every key impt reads, with the defaults
// `impt test create` writes. deviceGroupId, which impt needs to reach impCentral, is accepted
// and not needed; keys impt does not know are ignored with a note; a key of the wrong type is
// an error naming it.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const CONFIG_FILE_NAME = ".impt.test";
export const DEFAULT_TEST_FILES: readonly string[] = ["*.test.nut", "tests/**/*.test.nut"];
export const DEFAULT_TIMEOUT_S = 30;

export class TestConfigError extends Error {}

export interface TestConfig {
  /** The directory of .impt.test: test files, device and agent files are relative to it. */
  readonly home: string;
  /** The file read, or null for defaults (no .impt.test). */
  readonly file: string | null;
  readonly deviceGroupId: string | null;
  /** Absolute paths, or null. */
  readonly deviceFile: string | null;
  readonly agentFile: string | null;
  readonly timeout: number;
  readonly stopOnFail: boolean;
  readonly allowDisconnect: boolean;
  readonly builderCache: boolean;
  readonly testFiles: readonly string[];
  readonly githubConfig: string | null;
  /** The variables of the builderConfig file (empty when there is none). */
  readonly builderVariables: Readonly<Record<string, unknown>>;
  /** What was noticed and ignored, for the user to see. */
  readonly notes: readonly string[];
}

const KNOWN = new Set([
  "deviceGroupId",
  "deviceFile",
  "agentFile",
  "timeout",
  "stopOnFail",
  "allowDisconnect",
  "builderCache",
  "testFiles",
  "githubConfig",
  "builderConfig",
]);

/** The .impt.test of `dir` or of the nearest directory above it, or null. */
export function findTestConfig(dir: string): string | null {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, CONFIG_FILE_NAME);
    if (existsSync(file)) return file;
    if (path.dirname(at) === at) return null;
  }
}

/** The configuration impt would use when a directory has no .impt.test. */
export function defaultTestConfig(home: string): TestConfig {
  return {
    home,
    file: null,
    deviceGroupId: null,
    deviceFile: null,
    agentFile: null,
    timeout: DEFAULT_TIMEOUT_S,
    stopOnFail: false,
    allowDisconnect: false,
    builderCache: false,
    testFiles: DEFAULT_TEST_FILES,
    githubConfig: null,
    builderVariables: {},
    notes: [],
  };
}

export function readTestConfig(file: string): TestConfig {
  const home = path.dirname(path.resolve(file));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TestConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new TestConfigError(`${file} must hold a JSON object`);
  const raw = json as Record<string, unknown>;
  const bad = (key: string, what: string): never => {
    throw new TestConfigError(`${file}: "${key}" must be ${what}, not ${JSON.stringify(raw[key])}`);
  };
  const has = (key: string) => Object.hasOwn(raw, key) && raw[key] !== null;
  const string = (key: string): string | null => {
    if (!has(key) || raw[key] === false || raw[key] === "") return null;
    return typeof raw[key] === "string" ? raw[key] : bad(key, "a string");
  };
  const bool = (key: string): boolean => {
    if (!has(key)) return false;
    return typeof raw[key] === "boolean" ? raw[key] : bad(key, "true or false");
  };
  const file_ = (key: string): string | null => {
    const value = string(key);
    if (value === null) return null;
    const resolved = path.resolve(home, value);
    if (!existsSync(resolved))
      throw new TestConfigError(
        `${file}: "${key}" names ${value}, which does not exist (looked for ${resolved})`,
      );
    return resolved;
  };

  let timeout = DEFAULT_TIMEOUT_S;
  if (has("timeout")) {
    // impt passes the timeout through parseFloat, so "30" works as well as 30.
    const t =
      typeof raw.timeout === "number"
        ? raw.timeout
        : typeof raw.timeout === "string"
          ? Number.parseFloat(raw.timeout)
          : NaN;
    if (!(t > 0) || !Number.isFinite(t)) bad("timeout", "a number of seconds greater than 0");
    timeout = t;
  }
  let testFiles = DEFAULT_TEST_FILES;
  if (has("testFiles")) {
    const v = raw.testFiles;
    if (typeof v === "string") testFiles = [v];
    else if (Array.isArray(v) && v.every((p) => typeof p === "string")) testFiles = v as string[];
    else bad("testFiles", "an array of glob patterns (strings)");
  }
  let builderVariables: Record<string, unknown> = {};
  const builderConfig = file_("builderConfig");
  if (builderConfig !== null) {
    let vars: unknown;
    try {
      vars = JSON.parse(readFileSync(builderConfig, "utf8"));
    } catch (error) {
      throw new TestConfigError(
        `${file}: "builderConfig" names ${builderConfig}, which is not valid JSON: ${(error as Error).message}`,
      );
    }
    if (vars === null || typeof vars !== "object" || Array.isArray(vars))
      throw new TestConfigError(
        `${file}: "builderConfig" names ${builderConfig}, which must hold a JSON object of variables`,
      );
    builderVariables = vars as Record<string, unknown>;
  }
  const notes = Object.keys(raw)
    .filter((k) => !KNOWN.has(k))
    .map((k) => `${CONFIG_FILE_NAME}: the key "${k}" is not one impt reads; ignored`);
  return {
    home,
    file: path.resolve(file),
    deviceGroupId: string("deviceGroupId"),
    deviceFile: file_("deviceFile"),
    agentFile: file_("agentFile"),
    timeout,
    stopOnFail: bool("stopOnFail"),
    allowDisconnect: bool("allowDisconnect"),
    builderCache: bool("builderCache"),
    testFiles,
    githubConfig: string("githubConfig"),
    builderVariables,
    notes,
  };
}
