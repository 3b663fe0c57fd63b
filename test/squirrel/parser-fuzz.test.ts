// Fuzzing the lexer and parser: on any input, `parse` returns a Program or throws a
// CompileError with a sane position (line >= 1, col >= 1, within the source), never
// any other exception.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Program } from "../../src/squirrel/ast.ts";
import { CompileError } from "../../src/squirrel/compile-error.ts";
import { Lexer } from "../../src/squirrel/lexer.ts";
import { parse } from "../../src/squirrel/parser.ts";
import { T } from "../../src/squirrel/tokens.ts";

const bytes = (a: Uint8Array): string => Buffer.from(a).toString("latin1");

/** Lines the reference can be on: up to the last one before the first NUL (which ends the input). */
function lineCount(source: string): number {
  const end = source.indexOf("\0");
  const text = end < 0 ? source : source.slice(0, end);
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Every `loc` in the tree is a real position. */
function checkLocs(node: unknown, lines: number): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      stack.push(...n);
    } else if (n !== null && typeof n === "object") {
      for (const [k, v] of Object.entries(n)) {
        if (k === "loc" || k === "endLoc") {
          const { line, col } = v as { line: number; col: number };
          if (!(line >= 1 && line <= lines && col >= 1))
            throw new Error(`bad ${k} ${JSON.stringify(v)}`);
        } else {
          stack.push(v);
        }
      }
    }
  }
}

/** The property: a Program with sane positions, or a well-formed CompileError. */
function parsesOrFailsCleanly(source: string): void {
  let program: Program;
  try {
    program = parse(source, "f.nut");
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    expect(e.file).toBe("f.nut");
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lineCount(source));
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.message).toBe(`f.nut line = (${e.line}) column = (${e.col}) : error ${e.reason}`);
    expect(e.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(program.type).toBe("Program");
  checkLocs(program, lineCount(source));
}

const VOCABULARY = [
  "a",
  "b",
  "x",
  "f",
  "E",
  "X",
  "vargv",
  "this",
  "base",
  "constructor",
  "rawcall",
  "0",
  "1",
  "42",
  "2.5",
  "1e3",
  "0x1F",
  "017",
  "'c'",
  '"s"',
  '@"v"',
  "null",
  "true",
  "false",
  "__LINE__",
  "__FILE__",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ";",
  ",",
  ".",
  "::",
  ":",
  "?",
  "@",
  "...",
  "</",
  "/>",
  "=",
  "<-",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "<<=",
  ">>=",
  ">>>=",
  "&=",
  "|=",
  "^=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "++",
  "--",
  "==",
  "!=",
  "<",
  ">",
  "<=",
  ">=",
  "<=>",
  "&&",
  "||",
  "!",
  "~",
  "&",
  "|",
  "^",
  "<<",
  ">>",
  ">>>",
  "in",
  "instanceof",
  "typeof",
  "clone",
  "delete",
  "resume",
  "local",
  "function",
  "class",
  "extends",
  "static",
  "if",
  "else",
  "while",
  "do",
  "for",
  "foreach",
  "switch",
  "case",
  "default",
  "break",
  "continue",
  "return",
  "yield",
  "try",
  "catch",
  "throw",
  "enum",
  "const",
  "const X = 1\n",
  "enum E { A, B }\n",
];
const SEPARATORS = [" ", " ", "", "\n", "\t", " /* c */ ", "/*\n*/", "// c\n", "# c\n"];

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(...SEPARATORS)), {
    maxLength: 60,
  })
  .map((parts) => parts.map(([t, s]) => t + s).join(""));

const CORPUS = (() => {
  const dir = "/work/shared/conformance/programs";
  return readdirSync(dir)
    .filter((n) => n.endsWith(".nut"))
    .sort()
    .map((n) => readFileSync(join(dir, n), "latin1"));
})();

/** A corpus program with a few bytes deleted, inserted or replaced, or cut short. */
const mutatedProgram = fc
  .tuple(
    fc.nat({ max: CORPUS.length - 1 }),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom("delete", "insert", "token", "cut"),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(...VOCABULARY),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
  )
  .map(([i, edits]) => {
    let s = CORPUS[i]!;
    for (const [at0, kind, byte, token] of edits) {
      const at = at0 % (s.length + 1);
      if (kind === "delete") s = s.slice(0, at) + s.slice(at + 1 + (byte % 8));
      else if (kind === "insert") s = s.slice(0, at) + String.fromCharCode(byte) + s.slice(at);
      else if (kind === "token") s = s.slice(0, at) + token + s.slice(at);
      else s = s.slice(0, at);
    }
    return s;
  });

describe("fuzzing", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => parsesOrFailsCleanly(bytes(a))),
      { numRuns: 3000 },
    );
  });

  it("random bytes from a Squirrel-ish alphabet", () => {
    const alphabet = fc.constantFrom(
      ..."x = \"'@\\/*#\n\r\t0123456789.eExXabuU+-_;{}()[]<>=!&|:,?^~%\x00\x01\x80\xff",
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (chars) =>
        parsesOrFailsCleanly(chars.join("")),
      ),
      { numRuns: 3000 },
    );
  });

  it("random token soups", () => {
    fc.assert(fc.property(tokenSoup, parsesOrFailsCleanly), { numRuns: 4000 });
  });

  it("mutated conformance programs", () => {
    fc.assert(fc.property(mutatedProgram, parsesOrFailsCleanly), { numRuns: 1500 });
  });

  it("the lexer alone on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
        const source = bytes(a);
        const lexer = new Lexer(source, "f.nut");
        try {
          for (let n = 0; n <= source.length + 1; n++) {
            const t = lexer.next();
            expect(t.line).toBeGreaterThanOrEqual(1);
            expect(t.col).toBeGreaterThanOrEqual(1);
            expect(t.endCol).toBeGreaterThanOrEqual(1);
            if (t.type === T.EOF) return;
          }
          throw new Error("the lexer did not reach the end");
        } catch (e) {
          if (!(e instanceof CompileError)) throw e;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.col).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("deeply nested random brackets", () => {
    const opener = fc.constantFrom(
      "(",
      "[",
      "{",
      "{a = ",
      "f(",
      "a[",
      "- ",
      "!",
      "@() ",
      "function() { return ",
    );
    fc.assert(
      fc.property(
        fc.array(opener, { minLength: 400, maxLength: 1500 }),
        fc.constantFrom("x <- ", "", "if (1) "),
        (openers, prefix) => parsesOrFailsCleanly(prefix + openers.join("") + "1"),
      ),
      { numRuns: 60 },
    );
  });
});
