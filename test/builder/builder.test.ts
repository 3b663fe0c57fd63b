// Builder's documented behaviour (github.com/electricimp/Builder README), checked on files.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build, type BuildOptions } from "../../src/builder/builder.ts";
import { BuilderError } from "../../src/builder/builder-error.ts";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vimp-builder-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The output without line control, as lines. */
function lines(dir: string, file: string, options: BuildOptions = {}): string[] {
  return build(path.join(dir, file), { lineControl: false, env: {}, ...options })
    .code.trimEnd()
    .split("\n");
}

function errorOf(fn: () => unknown): BuilderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BuilderError) return error;
    throw error;
  }
  throw new Error("no error");
}

describe("Builder preprocessing", () => {
  it("includes local files relative to the including file, with __FILE__, __LINE__ and __PATH__", () => {
    const dir = project({
      "main.nut": 'server.log("main");\n@include "lib/a.nut"\nserver.log("end");\n',
      "lib/a.nut":
        '// a\n@include "b.nut"\nlocal f = "@{__FILE__}:@{__LINE__}";\nlocal p = "@{__PATH__}";\n',
      "lib/b.nut": "local b = 1;\n",
    });
    expect(lines(dir, "main.nut")).toEqual([
      'server.log("main");',
      "// a",
      "local b = 1;",
      'local f = "a.nut:3";',
      `local p = "${path.join(dir, "lib")}";`,
      'server.log("end");',
    ]);
  });

  it("@set (with or without =), @if/@elseif/@else/@endif, expressions and outside variables", () => {
    const dir = project({
      "m.nut": [
        "@set A 2",
        "@set B = A * 3 + 1",
        "@if B == 7 && !defined(C)",
        "seven",
        "@elseif B > 7",
        "more",
        "@else",
        "less",
        "@endif",
        "@if GIVEN == 'yes' // a comment",
        "given @{GIVEN}",
        "@end",
        '@{A < B ? "lt" : "ge"} @{[10, 20][1]} @{max(1, 5, 3)} @{min(4, 2)} @{abs(-3)} @{"Ab" | S.toUpperCase} @{S.repeat("x", 3)}',
        "@{ENVVAR} @{UNDEFINED_NAME}.",
      ].join("\n"),
    });
    expect(
      lines(dir, "m.nut", { variables: { GIVEN: "yes" }, env: { ENVVAR: "from-env" } }),
    ).toEqual(["seven", "given yes", "lt 20 5 2 3 AB xxx", "from-env ."]);
  });

  it("outside variables are found before @set ones, which are found before the environment", () => {
    const dir = project({ "m.nut": "@set X 1\n@set Y 2\n@{X} @{Y} @{Z}\n" });
    expect(lines(dir, "m.nut", { variables: { X: "given" }, env: { Y: "env", Z: "env" } })).toEqual(
      ["given 2 env"],
    );
  });

  it('@{…} works anywhere in a line, even inside string literals; Squirrel\'s @"…" strings pass through', () => {
    const dir = project({
      "m.nut": '@set NAME "imp"\nlocal s = "hello @{NAME}, {braces}";\nlocal v = @"verbatim\\n";\n',
    });
    expect(lines(dir, "m.nut")).toEqual([
      'local s = "hello imp, {braces}";',
      'local v = @"verbatim\\n";',
    ]);
  });

  it("a line of @ and a space is a Builder comment", () => {
    const dir = project({ "m.nut": "a\n@ this is a comment\n  @\nb\n" });
    expect(lines(dir, "m.nut")).toEqual(["a", "b"]);
  });

  it("macros: inline with trailing newlines trimmed, @include of a macro, missing arguments are undefined", () => {
    const dir = project({
      "m.nut": [
        "@macro greet(who, extra)",
        'server.log("hi @{who}");',
        "@if defined(extra)",
        "// extra @{extra}",
        "@endif",
        "@endmacro",
        "x @{greet('a')} y",
        "@include greet('b', 2)",
      ].join("\n"),
    });
    expect(lines(dir, "m.nut")).toEqual([
      'x server.log("hi a"); y',
      'server.log("hi b");',
      "// extra 2",
    ]);
  });

  it("a macro declared twice is an error", () => {
    const dir = project({ "m.nut": "@macro a()\n@endmacro\n@macro a()\n@end\n" });
    const error = errorOf(() => build(path.join(dir, "m.nut")));
    expect(error.message).toBe(
      `MacroIsAlreadyDeclared: Macro "a" is already declared (${path.join(dir, "m.nut")}:3)`,
    );
  });

  it("@include once, @repeat and @while with loop.index and loop.iteration", () => {
    const dir = project({
      "m.nut":
        '@include once "x.nut"\n@include once "x.nut"\n@repeat 2\nr@{loop.index}@{loop.iteration}\n@endrepeat\n@set i 0\n@while i < 2\nw@{i}\n@set i i + 1\n@endwhile\n',
      "x.nut": "x\n",
    });
    expect(lines(dir, "m.nut")).toEqual(["x", "r01", "r12", "w0", "w1"]);
  });

  it("line control marks each switch of file, and the map gives every line's origin", () => {
    const dir = project({ "m.nut": 'a\n@include "i.nut"\nb\n', "i.nut": "i1\ni2\n" });
    const main = path.join(dir, "m.nut");
    const inc = path.join(dir, "i.nut");
    const result = build(main, { env: {} });
    expect(result.code.split("\n").slice(0, 7)).toEqual([
      `#line 1 "${main}"`,
      "a",
      `#line 1 "${inc}"`,
      "i1",
      "i2",
      `#line 3 "${main}"`,
      "b",
    ]);
    expect(result.map.originOf(5)).toEqual({ file: inc, line: 2 });
    expect(result.map.originOf(7)).toEqual({ file: main, line: 3 });
    expect(result.map.rewrite("ERROR:   in f code:5", "code")).toBe(`ERROR:   in f ${inc}:2`);
  });

  it("errors name the kind, the reason and the file and line", () => {
    const dir = project({
      "bad-include.nut": 'a\n@include "nope.nut"\n',
      "user.nut": '\n\n@error "stop: " + 2\n',
      "fn.nut": "@{nosuch(1)}\n",
      "op.nut": "@if 1 === 1\n@endif\n",
      "unclosed.nut": "@if true\n",
      "cycle.nut": '@include "cycle.nut"\n',
      "remote.nut": '@include "https://example.com/x.nut"\n',
      "scheme.nut": '@include "ftp:x"\n',
    });
    const at = (f: string) => path.join(dir, f);
    expect(errorOf(() => build(at("bad-include.nut"))).message).toBe(
      `SourceInclusionError: Local file "nope.nut" not found (${at("bad-include.nut")}:2)`,
    );
    expect(errorOf(() => build(at("user.nut"))).message).toBe(
      `UserDefinedError: stop: 2 (${at("user.nut")}:3)`,
    );
    expect(errorOf(() => build(at("fn.nut"))).message).toMatch(
      /^ExpressionEvaluationError: function "nosuch" is not defined in "nosuch\(1\)" \(.*fn\.nut:1\)$/,
    );
    expect(errorOf(() => build(at("op.nut"))).message).toMatch(
      /ExpressionEvaluationError: the operator '===' is not supported .*op\.nut:1\)$/,
    );
    expect(errorOf(() => build(at("unclosed.nut"))).message).toMatch(/@if without @endif/);
    expect(errorOf(() => build(at("cycle.nut"))).message).toMatch(
      /^MaximumDepthError: Maximum execution depth reached, possible cyclic reference\? \(.*cycle\.nut:1\)$/,
    );
    expect(errorOf(() => build(at("remote.nut"))).message).toMatch(/not available offline/);
    expect(errorOf(() => build(at("scheme.nut"))).message).toMatch(
      /^SourceInclusionError: Source "ftp:x" is not supported/,
    );
  });

  it("github: includes come from the local cache, or fail saying where the copy should be", () => {
    const dir = project({
      "m.nut": '@include "github:electricimp/MessageManager/MessageManager.lib.nut@v2.4.0"\n',
      "cache/github/electricimp/MessageManager/v2.4.0/MessageManager.lib.nut":
        "class MessageManager {} // @{__FILE__}\n",
    });
    expect(lines(dir, "m.nut", { remoteCache: path.join(dir, "cache") })).toEqual([
      "class MessageManager {} // MessageManager.lib.nut",
    ]);
    const error = errorOf(() =>
      build(path.join(dir, "m.nut"), { remoteCache: path.join(dir, "elsewhere") }),
    );
    expect(error.message).toContain(
      `is not available offline: no copy at ${path.join(dir, "elsewhere/github/electricimp/MessageManager/v2.4.0/MessageManager.lib.nut")}`,
    );
  });
});
