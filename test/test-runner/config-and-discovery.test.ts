// .impt.test with impt's defaults, impt's discovery (patterns, sides, partners, selection) and
// the library store's matching rules, on files in a scratch folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SourceMap } from "../../src/builder/source-map.ts";
import { globToRegExp } from "../../src/test-runner/glob-pattern.ts";
import { LibraryError, LibraryStore } from "../../src/test-runner/library-store.ts";
import { readTestConfig, TestConfigError } from "../../src/test-runner/test-config.ts";
import { findTestFiles, parseSelection } from "../../src/test-runner/test-discovery.ts";

const work = mkdtempSync(path.join(tmpdir(), "vimp-test-config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe(".impt.test", () => {
  it("gets impt's defaults for every key left out, and notes keys impt does not read", () => {
    const dir = project("defaults", {
      ".impt.test": '{"deviceGroupId": "dg", "deviceGroupName": "old name"}',
    });
    const config = readTestConfig(path.join(dir, ".impt.test"));
    expect(config).toMatchObject({
      home: dir,
      deviceGroupId: "dg",
      deviceFile: null,
      agentFile: null,
      timeout: 30,
      stopOnFail: false,
      allowDisconnect: false,
      builderCache: false,
      testFiles: ["*.test.nut", "tests/**/*.test.nut"],
      githubConfig: null,
      builderVariables: {},
    });
    expect(config.notes).toEqual([
      '.impt.test: the key "deviceGroupName" is not one impt reads; ignored',
    ]);
  });

  it("resolves the device and agent files against the test home", () => {
    const dir = project("files", {
      ".impt.test":
        '{"deviceFile": "src/d.nut", "agentFile": "src/a.nut", "timeout": "12.5", "testFiles": "spec/*.nut"}',
      "src/d.nut": "",
      "src/a.nut": "",
    });
    const config = readTestConfig(path.join(dir, ".impt.test"));
    expect([config.deviceFile, config.agentFile, config.timeout, config.testFiles]).toEqual([
      path.join(dir, "src/d.nut"),
      path.join(dir, "src/a.nut"),
      12.5,
      ["spec/*.nut"],
    ]);
  });

  it("names the key that is wrong", () => {
    const bad = (text: string) => {
      const dir = project(`bad-${Math.random().toString(36).slice(2)}`, { ".impt.test": text });
      try {
        readTestConfig(path.join(dir, ".impt.test"));
      } catch (error) {
        if (error instanceof TestConfigError) return error.message.replace(`${dir}/`, "");
        throw error;
      }
      return "no error";
    };
    expect(bad('{"stopOnFail": "yes"}')).toBe(
      '.impt.test: "stopOnFail" must be true or false, not "yes"',
    );
    expect(bad('{"testFiles": [1]}')).toBe(
      '.impt.test: "testFiles" must be an array of glob patterns (strings), not [1]',
    );
    expect(bad('{"timeout": 0}')).toBe(
      '.impt.test: "timeout" must be a number of seconds greater than 0, not 0',
    );
    expect(bad('{"deviceFile": "nope.nut"}')).toMatch(
      /^\.impt\.test: "deviceFile" names nope\.nut, which does not exist/,
    );
    expect(bad('{"builderConfig": 3}')).toBe('.impt.test: "builderConfig" must be a string, not 3');
    expect(bad("{ not json")).toMatch(/^\.impt\.test is not valid JSON/);
  });
});

describe("discovery as impt does it", () => {
  const dir = project("discovery", {
    "top.test.nut": "",
    "tests/a.agent.test.nut": "",
    "tests/a.device.nut": "",
    "tests/b.device.test.nut": "",
    "tests/b.agent.nut": "",
    "tests/deep/c.test.nut": "",
    "tests/agent/d.test.nut": "",
    "tests/.hidden.test.nut": "",
    "node_modules/x/e.test.nut": "",
  });

  it("takes the patterns in order, decides the side by the word 'agent' and finds partner files", () => {
    const files = findTestFiles(
      dir,
      ["*.test.nut", "tests/**/*.test.nut"],
      parseSelection(undefined),
    );
    expect(
      files.map((f) => [f.name, f.side, f.partner === null ? null : path.relative(dir, f.partner)]),
    ).toEqual([
      ["top.test.nut", "device", null],
      ["tests/a.agent.test.nut", "agent", "tests/a.device.nut"],
      ["tests/agent/d.test.nut", "agent", null],
      ["tests/b.device.test.nut", "device", "tests/b.agent.nut"],
      ["tests/deep/c.test.nut", "device", null],
    ]);
  });

  it("runs a file twice when two patterns match it, as impt does", () => {
    expect(
      findTestFiles(dir, ["tests/*.test.nut", "**/a.agent.*.nut"], parseSelection(undefined)).map(
        (f) => f.name,
      ),
    ).toEqual(["tests/a.agent.test.nut", "tests/b.device.test.nut", "tests/a.agent.test.nut"]);
  });

  it("narrows by the file part of --tests, a regular expression searched in the path", () => {
    expect(
      findTestFiles(dir, ["**/*.test.nut"], parseSelection("b\\.device:Case::m")).map(
        (f) => f.name,
      ),
    ).toEqual(["tests/b.device.test.nut"]);
    expect(parseSelection("file:Case::method")).toEqual({
      file: "file",
      testClass: "Case",
      testMethod: "method",
    });
    expect(parseSelection(":Case")).toEqual({ file: "", testClass: "Case", testMethod: "" });
  });

  it("globs: *, ?, **, {a,b} and [..]; dot files only when the dot is written", () => {
    expect(globToRegExp("tests/**/*.test.nut").test("tests/x.test.nut")).toBe(true);
    expect(globToRegExp("tests/**/*.test.nut").test("tests/a/b/x.test.nut")).toBe(true);
    expect(globToRegExp("*.test.nut").test("tests/x.test.nut")).toBe(false);
    expect(globToRegExp("t?sts/{a,b}[0-9].nut").test("tests/b7.nut")).toBe(true);
    expect(globToRegExp("tests/*.nut").test("tests/.x.nut")).toBe(false);
  });
});

describe("#require from the library store", () => {
  const dir = project("libs", {
    "one/Thing.lib.nut": 'class Thing { static VERSION = "1.0.0"; }\n',
    "one/2.0.0/Thing.lib.nut": 'class Thing { static VERSION = "2.0.0"; }\n',
    "two/Other.class.nut": "class Other {}\n",
  });
  const store = new LibraryStore([path.join(dir, "one"), path.join(dir, "two")]);

  it("matches the name without case and the version the file declares; a folder per version keeps several", () => {
    expect(store.find("thing.LIB.nut", "1.0.0").file).toBe(path.join(dir, "one/Thing.lib.nut"));
    expect(store.find("Thing.lib.nut", "2.0.0").file).toBe(
      path.join(dir, "one/2.0.0/Thing.lib.nut"),
    );
    expect(store.find("Other.class.nut", "9.9.9").file).toBe(path.join(dir, "two/Other.class.nut"));
  });

  it("puts the library before the code, keeps line numbers, and maps the library's lines to its file", () => {
    const code =
      'local a = 1;\n#require "Thing.lib.nut:1.0.0"\n#require "Thing.lib.nut:1.0.0"\nlocal b = Thing();';
    const map = new SourceMap([1, 2, 3, 4].map((line) => ({ file: "/app.nut", line })));
    const linked = store.link(code, map);
    expect(linked.code.split("\n")).toEqual([
      'class Thing { static VERSION = "1.0.0"; }',
      "",
      "local a = 1;",
      '// #require "Thing.lib.nut:1.0.0" (loaded above)',
      '// #require "Thing.lib.nut:1.0.0" (loaded above)',
      "local b = Thing();",
    ]);
    expect(linked.map.originOf(1)).toEqual({ file: path.join(dir, "one/Thing.lib.nut"), line: 1 });
    expect(linked.map.originOf(6)).toEqual({ file: "/app.nut", line: 4 });
  });

  it("says what is wrong: a missing version, a library not there, two versions", () => {
    const link = (code: string) => () =>
      store.link(
        code,
        new SourceMap([
          { file: "/app.nut", line: 1 },
          { file: "/app.nut", line: 2 },
        ]),
      );
    expect(link('#require "Thing.lib.nut"')).toThrow(
      new LibraryError(
        '#require "Thing.lib.nut" at /app.nut:1: the version is missing (write it as "Name.lib.nut:x.y.z")',
      ),
    );
    expect(link('#require "Gone.lib.nut:1.0.0"')).toThrow(
      /^library "Gone\.lib\.nut" version 1\.0\.0 is not available: looked in .*one, .*two/,
    );
    expect(link('#require "Thing.lib.nut:1.0.0"\n#require "Thing.lib.nut:2.0.0"')).toThrow(
      'library "Thing.lib.nut" is required at two versions, 1.0.0 and 2.0.0',
    );
  });
});
