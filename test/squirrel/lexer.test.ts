// The lexer: tables of `source → tokens` and `source → error`, the error texts and
// positions being those of the reference lexer (squirrel/sqlexer.cpp, 3.2).

import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/squirrel/compile-error.ts";
import { Lexer } from "../../src/squirrel/lexer.ts";
import { T, type Token } from "../../src/squirrel/tokens.ts";

function lex(source: string): Token[] {
  const lx = new Lexer(source, "t.nut");
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    if (t.type === T.EOF) return out;
    out.push(t);
  }
}

/** Tokens as [type, value] pairs (value omitted when null). */
function brief(source: string): unknown[] {
  return lex(source).map((t) => (t.value === null ? t.type : [t.type, t.value]));
}

function lexError(source: string): string {
  try {
    lex(source);
  } catch (e) {
    if (e instanceof CompileError) return e.message;
    throw e;
  }
  return "no error";
}

const ch = (c: string) => c.charCodeAt(0);
const id = (name: string) => [T.IDENTIFIER, name];
const int = (v: number) => [T.INTEGER, v];
const flt = (v: number) => [T.FLOAT, Math.fround(v)];
const str = (v: string) => [T.STRING_LITERAL, v];

describe("tokens", () => {
  const table: [string, unknown[]][] = [
    // comments and whitespace
    ["a // comment\nb", [id("a"), id("b")]],
    ["a # comment\nb", [id("a"), id("b")]],
    ["a /* x \n y */ b", [id("a"), id("b")]],
    ["/**/ a /***/ b /* * / ** */ c", [id("a"), id("b"), id("c")]],
    ["a\t\r\n b", [id("a"), id("b")]],
    ["", []],
    // identifiers and keywords
    ["_x x_1 CamelCase __dunder__", [id("_x"), id("x_1"), id("CamelCase"), id("__dunder__")]],
    ["rawcall", [id("rawcall")]],
    ["constructor", [[T.CONSTRUCTOR, "constructor"]]],
    [
      "base break case catch class clone continue const default delete do else enum extends",
      [
        T.BASE,
        T.BREAK,
        T.CASE,
        T.CATCH,
        T.CLASS,
        T.CLONE,
        T.CONTINUE,
        T.CONST,
        T.DEFAULT,
        T.DELETE,
        T.DO,
        T.ELSE,
        T.ENUM,
        T.EXTENDS,
      ],
    ],
    [
      "for foreach function if in instanceof local null resume return static switch this throw",
      [
        T.FOR,
        T.FOREACH,
        T.FUNCTION,
        T.IF,
        T.IN,
        T.INSTANCEOF,
        T.LOCAL,
        T.NULL,
        T.RESUME,
        T.RETURN,
        T.STATIC,
        T.SWITCH,
        T.THIS,
        T.THROW,
      ],
    ],
    [
      "true false try typeof while yield __LINE__ __FILE__",
      [T.TRUE, T.FALSE, T.TRY, T.TYPEOF, T.WHILE, T.YIELD, T.LINE, T.FILE],
    ],
    ["While NULL", [id("While"), id("NULL")]],
    // integers
    ["0 42 2147483647", [int(0), int(42), int(2147483647)]],
    [
      "2147483648 4294967295 4294967296 9999999999",
      [int(-2147483648), int(-1), int(0), int(1410065407)],
    ],
    [
      "0x10 0xff 0XfF 0x7fffffff 0x80000000 0xffffffff",
      [int(16), int(255), int(255), int(2147483647), int(-2147483648), int(-1)],
    ],
    ["0x", [int(0)]],
    ["0xfg", [int(15), id("g")]],
    ["010 0777 00", [int(8), int(511), int(0)]],
    ["09 08.5", [int(9), flt(8.5)]], // a 0 followed by 8 or 9 is read as decimal, as in the reference
    ["07.5", [int(7), ch("."), int(5)]],
    ["'a' '\\n' '\\0' '\\x41' '\"'", [int(97), int(10), int(0), int(65), int(34)]],
    ["'\\xff' '\\x80'", [int(-1), int(-128)]], // char is signed on the reference's x86
    // floats
    [
      "1.5 3. 0.25 1e3 5e-1 2E2 1.0e+2",
      [flt(1.5), flt(3), flt(0.25), flt(1000), flt(0.5), flt(200), flt(100)],
    ],
    ["0.1 6.02e23 1e400", [flt(0.1), flt(6.02e23), [T.FLOAT, Infinity]]],
    ["1.2.3 1e5e3 1..2", [flt(1.2), flt(1e5), flt(1)]], // strtod reads a prefix of the greedy token
    ["0.1.tostring", [flt(0.1), id("tostring")]],
    [".5", [ch("."), int(5)]],
    // strings
    ['"abc" "" "a\'b"', [str("abc"), str(""), str("a'b")]],
    ['"\\t\\a\\b\\n\\r\\v\\f\\0\\\\\\"\\\'"', [str("\t\x07\b\n\r\v\f\0\\\"'")]],
    ['"\\x41\\x4a\\x414"', [str("AJA4")]],
    [
      '"\\u00e9" "\\u20AC" "\\U0001F600" "\\u41"',
      [str("\xc3\xa9"), str("\xe2\x82\xac"), str("\xf0\x9f\x98\x80"), str("A")],
    ],
    ['"\\U00110000x"', [str("x")]], // past U+10FFFF: nothing
    ['"\\ud800"', [str("\xed\xa0\x80")]],
    ['"caf\xc3\xa9"', [str("caf\xc3\xa9")]], // UTF-8 bytes pass through
    ['@"C:\\path\\n"', [str("C:\\path\\n")]],
    ['@"She said ""hi"""', [str('She said "hi"')]],
    ['@"a\nb" x', [str("a\nb"), id("x")]],
    ['@""', [str("")]],
    ['"a\x01\x7f\xff"', [str("a\x01\x7f\xff")]],
    // operators
    [
      "= == != < <= > >= <=> <- << >> >>> && || ! ~ & | ^",
      [
        ch("="),
        T.EQ,
        T.NE,
        ch("<"),
        T.LE,
        ch(">"),
        T.GE,
        T.THREEWAYSCMP,
        T.NEWSLOT,
        T.SHIFTL,
        T.SHIFTR,
        T.USHIFTR,
        T.AND,
        T.OR,
        ch("!"),
        ch("~"),
        ch("&"),
        ch("|"),
        ch("^"),
      ],
    ],
    [
      "+= -= *= /= %= ++ -- + - * / %",
      [
        T.PLUSEQ,
        T.MINUSEQ,
        T.MULEQ,
        T.DIVEQ,
        T.MODEQ,
        T.PLUSPLUS,
        T.MINUSMINUS,
        ch("+"),
        ch("-"),
        ch("*"),
        ch("/"),
        ch("%"),
      ],
    ],
    // no compound bitwise assignments in Squirrel: the operator and a separate `=`
    [
      "<<= >>= >>>= &= |= ^=",
      [
        T.SHIFTL,
        ch("="),
        T.SHIFTR,
        ch("="),
        T.USHIFTR,
        ch("="),
        ch("&"),
        ch("="),
        ch("|"),
        ch("="),
        ch("^"),
        ch("="),
      ],
    ],
    [
      ":: : ... . @ </ />",
      [T.DOUBLE_COLON, ch(":"), T.VARPARAMS, ch("."), ch("@"), T.ATTR_OPEN, T.ATTR_CLOSE],
    ],
    [
      "{}()[];,?",
      [ch("{"), ch("}"), ch("("), ch(")"), ch("["), ch("]"), ch(";"), ch(","), ch("?")],
    ],
    ["a<-1 a < -1", [id("a"), T.NEWSLOT, int(1), id("a"), ch("<"), ch("-"), int(1)]],
    ["$ ` \\ \x80 \xff", [ch("$"), ch("`"), ch("\\"), 0x80, 0xff]], // unknown bytes are tokens of their own
    // a NUL byte ends the input, as in the reference
    ["a\0 b c", [id("a")]],
  ];
  it.each(table)("%j", (source, expected) => {
    expect(brief(source)).toEqual(expected);
  });
});

describe("positions", () => {
  it("gives each token its true 1-based start", () => {
    const toks = lex('a  bc\n  d /* x\n y */ e\n@"v\nw" f');
    expect(toks.map((t) => [t.line, t.col])).toEqual([
      [1, 1],
      [1, 4],
      [2, 3],
      [3, 7],
      [4, 1],
      [5, 4],
    ]);
  });

  it("marks tokens preceded by a newline outside block comments", () => {
    const toks = lex("a\nb /* \n */ c // x\nd #y\n\ne");
    expect(toks.map((t) => t.nlBefore)).toEqual([false, true, false, true, true]);
  });

  it("records the reference lexer's column after each token", () => {
    // On line 1 the reference column is 0-based; after a newline it is 1-based.
    expect(lex("ab cd\nef").map((t) => [t.endLine, t.endCol])).toEqual([
      [1, 2],
      [1, 5],
      [2, 3],
    ]);
    // A newline inside a block comment does not reset it.
    expect(lex("x\n/* abc\nde */ f").map((t) => [t.endLine, t.endCol])).toEqual([
      [1, 1],
      [3, 15],
    ]);
  });
});

describe("lexical errors", () => {
  const table: [string, string][] = [
    ['x = "abc\n"', "t.nut line = (1) column = (8) : error newline in a constant"],
    ['\nx = "abc', "t.nut line = (2) column = (9) : error unfinished string"],
    ['\nx = "abc\0def"', "t.nut line = (2) column = (9) : error unfinished string"],
    ['\nx = "', "t.nut line = (2) column = (6) : error error parsing the string"],
    ["\nx = '", "t.nut line = (2) column = (6) : error error parsing the string"],
    ['\nx = @"', "t.nut line = (2) column = (7) : error error parsing the string"],
    ['\nx = @"a\nbc', "t.nut line = (3) column = (11) : error unfinished string"],
    ["\n/* abc\n", 't.nut line = (3) column = (8) : error missing "*/" in comment'],
    ["\nx = 'ab'", "t.nut line = (2) column = (9) : error constant too long"],
    ["\nx = ''", "t.nut line = (2) column = (7) : error empty constant"],
    ["\nx = '\\u00e9'", "t.nut line = (2) column = (13) : error constant too long"],
    ['\nx = "\\q"', "t.nut line = (2) column = (7) : error unrecognised escaper char"],
    ['\nx = "\\', "t.nut line = (2) column = (7) : error unrecognised escaper char"],
    ['\nx = "\\xg"', "t.nut line = (2) column = (8) : error hexadecimal number expected"],
    ['\nx = "\\u"', "t.nut line = (2) column = (8) : error hexadecimal number expected"],
    ["\nx = 0129", "t.nut line = (2) column = (8) : error invalid octal number"],
    [
      "\nx = 0x123456789",
      "t.nut line = (2) column = (16) : error too many digits for an Hex number",
    ],
    ["\nx = 1e", "t.nut line = (2) column = (7) : error exponent expected"],
    ["\nx = 1.5e+z", "t.nut line = (2) column = (10) : error exponent expected"],
    ["\nx = a..b", "t.nut line = (2) column = (8) : error invalid token '..'"],
    ["\nx = \x01", "t.nut line = (2) column = (5) : error unexpected character(control)"],
    ["\nx = \x7f", "t.nut line = (2) column = (5) : error unexpected character(control)"],
    ["\n\x0b", "t.nut line = (2) column = (1) : error unexpected character(control)"],
    ["\n\x0c", "t.nut line = (2) column = (1) : error unexpected character(control)"],
    // The reference says column 0 here; columns are kept at least 1.
    ["\x01", "t.nut line = (1) column = (1) : error unexpected character(control)"],
  ];
  it.each(table)("%j", (source, message) => {
    expect(lexError(source)).toBe(message);
  });

  it("fills CompileError's fields", () => {
    const e = (() => {
      try {
        lex("\n\n  'ab'");
      } catch (err) {
        return err;
      }
    })() as CompileError;
    expect(e).toBeInstanceOf(CompileError);
    expect([e.file, e.line, e.col, e.reason]).toEqual(["t.nut", 3, 7, "constant too long"]);
  });
});
