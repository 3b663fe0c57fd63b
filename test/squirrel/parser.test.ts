// The parser: tables of `source → expected AST fragment` and `source → error message`
// (texts and positions as the reference compiler reports them), the conformance corpus,
// and the guards against absurd input.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type {
  ExpressionStatement,
  FunctionExpression,
  Program,
  Statement,
} from "../../src/squirrel/ast.ts";
import { CompileError } from "../../src/squirrel/compile-error.ts";
import { parse, type ConstantValue } from "../../src/squirrel/parser.ts";

const p = (source: string): Program => parse(source, "t.nut");
const first = (source: string): Statement => p(source).body[0]!;
/** The expression `source` is (sources that would read as statements are put after `x <- `). */
const exprOf = (source: string) => {
  if (/^(\{|function|class)/.test(source))
    return ((first("x <- " + source) as ExpressionStatement).expression as { value: unknown })
      .value;
  return (first(source) as ExpressionStatement).expression;
};

function errorOf(source: string): string {
  try {
    p(source);
  } catch (e) {
    if (e instanceof CompileError) return e.message;
    throw e;
  }
  return "no error";
}

// Fragment builders, to keep the tables readable.
const id = (name: string) => ({ type: "Identifier", name });
const int = (value: number) => ({ type: "IntegerLiteral", value });
const flt = (value: number) => ({ type: "FloatLiteral", value: Math.fround(value) });
const str = (value: string) => ({ type: "StringLiteral", value });
const bool = (value: boolean) => ({ type: "BoolLiteral", value });
const bin = (operator: string, left: object, right: object) => ({
  type: "BinaryExpression",
  operator,
  left,
  right,
});
const logical = (operator: string, left: object, right: object) => ({
  type: "LogicalExpression",
  operator,
  left,
  right,
});
const member = (object: object, property: string) => ({
  type: "MemberExpression",
  object,
  property,
});
const index = (object: object, idx: object) => ({ type: "IndexExpression", object, index: idx });
const call = (callee: object, args: object[]) => ({ type: "CallExpression", callee, args });
const assign = (operator: string, target: object, value: object) => ({
  type: "AssignmentExpression",
  operator,
  target,
  value,
});
const newslot = (target: object, value: object) => ({ type: "NewSlotExpression", target, value });
const stmt = (expression: object) => ({ type: "ExpressionStatement", expression });
const block = (body: object[]) => ({ type: "BlockStatement", body });
const ret = (argument: object | null) => ({ type: "ReturnStatement", argument });

describe("expressions", () => {
  const table: [string, object][] = [
    // literals
    ["1", int(1)],
    ["-5", int(-5)],
    ["- -5", { type: "UnaryExpression", operator: "-", argument: int(-5) }],
    ["-2147483648", int(-2147483648)],
    ["~5", int(-6)],
    ["-1.5", flt(-1.5)],
    ["1.5", flt(1.5)],
    ["'a'", int(97)],
    ['"s"', str("s")],
    ["true", bool(true)],
    ["false", bool(false)],
    ["null", { type: "NullLiteral" }],
    ["__LINE__", int(1)],
    ["\n\n__LINE__", int(3)],
    ["__FILE__", str("t.nut")],
    // names
    ["x", id("x")],
    ["this", { type: "ThisExpression" }],
    ["base", { type: "BaseExpression" }],
    ["::x", { type: "RootExpression", property: "x" }],
    ["constructor", id("constructor")],
    ["rawcall", id("rawcall")],
    // precedence, from loosest to tightest
    ["a || b && c", logical("||", id("a"), logical("&&", id("b"), id("c")))],
    ["a || b || c", logical("||", id("a"), logical("||", id("b"), id("c")))],
    ["a && b || c", logical("||", logical("&&", id("a"), id("b")), id("c"))],
    ["a && b | c", logical("&&", id("a"), bin("|", id("b"), id("c")))],
    ["a | b ^ c", bin("|", id("a"), bin("^", id("b"), id("c")))],
    ["a ^ b & c", bin("^", id("a"), bin("&", id("b"), id("c")))],
    ["a & b == c", bin("&", id("a"), bin("==", id("b"), id("c")))],
    ["a == b != c", bin("!=", bin("==", id("a"), id("b")), id("c"))],
    ["a <=> b < c", bin("<=>", id("a"), bin("<", id("b"), id("c")))],
    ["a in b instanceof c", bin("instanceof", bin("in", id("a"), id("b")), id("c"))],
    ["a <= b >= c > d", bin(">", bin(">=", bin("<=", id("a"), id("b")), id("c")), id("d"))],
    ["a < b << c", bin("<", id("a"), bin("<<", id("b"), id("c")))],
    ["a >> b >>> c", bin(">>>", bin(">>", id("a"), id("b")), id("c"))],
    ["a << b + c", bin("<<", id("a"), bin("+", id("b"), id("c")))],
    ["a - b + c", bin("+", bin("-", id("a"), id("b")), id("c"))],
    ["a + b * c", bin("+", id("a"), bin("*", id("b"), id("c")))],
    ["a * b / c % d", bin("%", bin("/", bin("*", id("a"), id("b")), id("c")), id("d"))],
    ["-a * b", bin("*", { type: "UnaryExpression", operator: "-", argument: id("a") }, id("b"))],
    ["!a.b", { type: "UnaryExpression", operator: "!", argument: member(id("a"), "b") }],
    ["~a", { type: "UnaryExpression", operator: "~", argument: id("a") }],
    ["typeof a + b", bin("+", { type: "TypeofExpression", argument: id("a") }, id("b"))],
    ["typeof a.b(1)", { type: "TypeofExpression", argument: call(member(id("a"), "b"), [int(1)]) }],
    ["clone a.b", { type: "CloneExpression", argument: member(id("a"), "b") }],
    ["resume g", { type: "ResumeExpression", argument: id("g") }],
    ["delete a.b", { type: "DeleteExpression", argument: member(id("a"), "b") }],
    ["delete a[1]", { type: "DeleteExpression", argument: index(id("a"), int(1)) }],
    [
      "delete ::a",
      { type: "DeleteExpression", argument: { type: "RootExpression", property: "a" } },
    ],
    ["delete a", { type: "DeleteExpression", argument: id("a") }],
    ["(a + b) * c", bin("*", bin("+", id("a"), id("b")), id("c"))],
    ["(a, b)", { type: "SequenceExpression", expressions: [id("a"), id("b")] }],
    // assignment, new slot, ternary (right-associative)
    ["a = b = c", assign("=", id("a"), assign("=", id("b"), id("c")))],
    ["a.b <- 1", newslot(member(id("a"), "b"), int(1))],
    ["a <- b <- c", newslot(id("a"), newslot(id("b"), id("c")))],
    ["::a <- 1", newslot({ type: "RootExpression", property: "a" }, int(1))],
    ["a += 1", assign("+=", id("a"), int(1))],
    ["a -= 1", assign("-=", id("a"), int(1))],
    ["a *= 1", assign("*=", id("a"), int(1))],
    ["a /= 1", assign("/=", id("a"), int(1))],
    ["a %= 1", assign("%=", id("a"), int(1))],
    [
      "a ? b : c",
      { type: "ConditionalExpression", test: id("a"), consequent: id("b"), alternate: id("c") },
    ],
    [
      "a ? b : c ? d : e",
      {
        type: "ConditionalExpression",
        alternate: { type: "ConditionalExpression", test: id("c") },
      },
    ],
    ["a = b ? c : d", assign("=", id("a"), { type: "ConditionalExpression", test: id("b") })],
    ["a ? b : c = d", { type: "ConditionalExpression", alternate: assign("=", id("c"), id("d")) }],
    ["a || b ? c : d", { type: "ConditionalExpression", test: logical("||", id("a"), id("b")) }],
    [
      "a, b = 1, c",
      { type: "SequenceExpression", expressions: [id("a"), assign("=", id("b"), int(1)), id("c")] },
    ],
    // increments
    ["++a", { type: "UpdateExpression", operator: "++", prefix: true, argument: id("a") }],
    [
      "--a.b",
      { type: "UpdateExpression", operator: "--", prefix: true, argument: member(id("a"), "b") },
    ],
    ["a++", { type: "UpdateExpression", operator: "++", prefix: false, argument: id("a") }],
    [
      "a[0]--",
      { type: "UpdateExpression", operator: "--", prefix: false, argument: index(id("a"), int(0)) },
    ],
    ["-a++", { type: "UnaryExpression", argument: { type: "UpdateExpression", prefix: false } }],
    // member access, indexing, calls
    ["a.b.c", member(member(id("a"), "b"), "c")],
    ["a.constructor", member(id("a"), "constructor")],
    ["a[b][c]", index(index(id("a"), id("b")), id("c"))],
    ["f()", call(id("f"), [])],
    ["f(1, 2)(3)", call(call(id("f"), [int(1), int(2)]), [int(3)])],
    ["f(a b)", call(id("f"), [id("a"), id("b")])], // commas between arguments are optional
    ["a.b(1).c[2]", index(member(call(member(id("a"), "b"), [int(1)]), "c"), int(2))],
    ["f\n(1)", call(id("f"), [int(1)])], // a call may start on the next line
    ['"abc".len()', call(member(str("abc"), "len"), [])],
    ["(1).tostring()", call(member(int(1), "tostring"), [])],
    ["-5 .tostring()", call(member(int(-5), "tostring"), [])],
    ["base.f()", call(member({ type: "BaseExpression" }, "f"), [])],
    ["::print(1)", call({ type: "RootExpression", property: "print" }, [int(1)])],
    [
      "f() { a = 1, [b] = 2 }",
      {
        ...call(id("f"), []),
        initializers: [
          { key: str("a"), value: int(1) },
          { key: id("b"), value: int(2) },
        ],
      },
    ],
    // arrays and tables
    ["[]", { type: "ArrayExpression", elements: [] }],
    ["[1, 2,]", { type: "ArrayExpression", elements: [int(1), int(2)] }],
    ["[1 2\n3]", { type: "ArrayExpression", elements: [int(1), int(2), int(3)] }],
    ["{}", { type: "TableExpression", entries: [] }],
    [
      '{a = 1, "b": 2, [3] = 4, function f() {}, constructor() {}}',
      {
        type: "TableExpression",
        entries: [
          { key: str("a"), value: int(1) },
          { key: str("b"), value: int(2) },
          { key: int(3), value: int(4) },
          { key: str("f"), value: { type: "FunctionExpression", name: "f" } },
          { key: str("constructor"), value: { type: "FunctionExpression", name: "constructor" } },
        ],
      },
    ],
    [
      "{a = 1 b = 2\nc = 3,}",
      {
        type: "TableExpression",
        entries: [{ key: str("a") }, { key: str("b") }, { key: str("c") }],
      },
    ],
    [
      '{["x", "y"] = 1}',
      { type: "TableExpression", entries: [{ key: { type: "SequenceExpression" } }] },
    ],
    // functions
    [
      "function(a, b = 1, c = b) { return a }",
      {
        type: "FunctionExpression",
        name: null,
        params: [
          { name: "a", default: null },
          { name: "b", default: int(1) },
          { name: "c", default: id("b") },
        ],
        varargs: false,
        isGenerator: false,
        freeVars: null,
        isLambda: false,
        body: block([ret(id("a"))]),
      },
    ],
    ["function(a, ...) {}", { type: "FunctionExpression", params: [{ name: "a" }], varargs: true }],
    ["function(...) {}", { type: "FunctionExpression", params: [], varargs: true }],
    ["function(a,) {}", { type: "FunctionExpression", params: [{ name: "a" }] }],
    ["function() return 1", { type: "FunctionExpression", body: block([ret(int(1))]) }],
    ["function() { yield 1 }", { type: "FunctionExpression", isGenerator: true }],
    ["function() { function g() { yield 1 } }", { type: "FunctionExpression", isGenerator: false }],
    [
      "function(a) : (b, c) { return b }",
      {
        type: "FunctionExpression",
        freeVars: [
          { name: "b", init: null },
          { name: "c", init: null },
        ],
      },
    ],
    ["function[env](a) {}", { type: "FunctionExpression", bindEnv: id("env") }],
    [
      "@(a) a * 2",
      {
        type: "FunctionExpression",
        isLambda: true,
        params: [{ name: "a" }],
        body: block([ret(bin("*", id("a"), int(2)))]),
      },
    ],
    [
      "@(x, ...) vargv",
      {
        type: "FunctionExpression",
        isLambda: true,
        varargs: true,
        body: block([ret(id("vargv"))]),
      },
    ],
    ["@[e]() 1", { type: "FunctionExpression", isLambda: true, bindEnv: id("e") }],
    // classes
    ["class {}", { type: "ClassExpression", base: null, attributes: null, members: [] }],
    [
      "class extends B </ a = 1 /> { x = 1; static y = 2\n</ k = 3 /> function f() {} constructor(a) {} [4] = 5 }",
      {
        type: "ClassExpression",
        base: id("B"),
        attributes: { type: "TableExpression", entries: [{ key: str("a"), value: int(1) }] },
        members: [
          { key: str("x"), value: int(1), isStatic: false, attributes: null },
          { key: str("y"), value: int(2), isStatic: true, attributes: null },
          {
            key: str("f"),
            value: { type: "FunctionExpression", name: "f" },
            isStatic: false,
            attributes: { type: "TableExpression", entries: [{ key: str("k"), value: int(3) }] },
          },
          {
            key: str("constructor"),
            value: { type: "FunctionExpression", name: "constructor", params: [{ name: "a" }] },
          },
          { key: int(4), value: int(5) },
        ],
      },
    ],
    [
      "class { </ a = 1 /> static function f() {} }",
      {
        type: "ClassExpression",
        members: [{ isStatic: true, attributes: { type: "TableExpression" } }],
      },
    ],
  ];
  it.each(table)("%s", (source, expected) => {
    expect(exprOf(source)).toMatchObject(expected);
  });
});

describe("constants", () => {
  const table: [string, object][] = [
    ["const X = 5; X", int(5)],
    ["const X = -5; X", int(-5)],
    ["const X = 1.5; X", flt(1.5)],
    ["const X = -1.5; X", flt(-1.5)],
    ['const X = "s"; X', str("s")],
    ["const X = true; X", bool(true)],
    ["const X = 'a'; X", int(97)],
    ["const X = 1; X.tostring()", call(member(int(1), "tostring"), [])],
    ["enum E { A, B, C } E.C", int(2)],
    [
      'enum E { A = 5, B, C = "s", D } [E.A, E.B, E.C, E.D]',
      { elements: [int(5), int(0), str("s"), int(1)] },
    ],
    ["enum E { A = -1.5 B = true } [E.A, E.B]", { elements: [flt(-1.5), bool(true)] }],
    // a local hides a constant
    ["const X = 1; local X = 2; X", id("X")],
    ["const X = 1; function f(X) { return X }", { type: "FunctionStatement" }],
    // a constant is known from its statement on, wherever that is
    ["function f() { const Y = 1 } Y", int(1)],
  ];
  it.each(table)("%s", (source, expected) => {
    const body = p(source).body;
    const last = body[body.length - 1]!;
    const node = last.type === "ExpressionStatement" ? last.expression : last;
    expect(node).toMatchObject(expected);
  });

  it("is not known before its statement", () => {
    expect(p("Y; const Y = 1").body[0]).toMatchObject(stmt(id("Y")));
  });

  it("keeps the declarations in the tree", () => {
    expect(p("const X = -5; enum E { A, B = 7, C }").body).toMatchObject([
      { type: "ConstStatement", name: "X", value: { kind: "integer", value: -5 } },
      {
        type: "EnumStatement",
        name: "E",
        members: [
          { name: "A", value: { kind: "integer", value: 0 } },
          { name: "B", value: { kind: "integer", value: 7 } },
          { name: "C", value: { kind: "integer", value: 1 } },
        ],
      },
    ]);
  });

  it("uses constants given by the caller", () => {
    const constants = new Map<string, ConstantValue>([
      ["K", { kind: "integer", value: 3 } as const],
      ["E", new Map([["A", { kind: "string", value: "a" } as const]])],
    ]);
    expect(parse("[K, E.A]", "t.nut", { constants }).body[0]).toMatchObject(
      stmt({ elements: [int(3), str("a")] }),
    );
    expect(() => parse("K = 1", "t.nut", { constants })).toThrow("can't assign expression");
  });
});

describe("statements", () => {
  const table: [string, object[]][] = [
    [
      "local a = 1, b, c = a",
      [
        {
          type: "LocalStatement",
          declarations: [
            { name: "a", init: int(1) },
            { name: "b", init: null },
            { name: "c", init: id("a") },
          ],
        },
      ],
    ],
    [
      "local constructor = 1",
      [{ type: "LocalStatement", declarations: [{ name: "constructor" }] }],
    ],
    [
      "local function f(a) { return f }",
      [
        {
          type: "LocalFunctionStatement",
          name: "f",
          func: { type: "FunctionExpression", name: "f", body: block([ret(id("f"))]) },
        },
      ],
    ],
    ["local function f[e]() {}", [{ type: "LocalFunctionStatement", func: { bindEnv: id("e") } }]],
    [
      "function f() {}",
      [
        {
          type: "FunctionStatement",
          target: ["f"],
          func: { type: "FunctionExpression", name: "f" },
        },
      ],
    ],
    [
      "function a::b::c(x) {}",
      [
        {
          type: "FunctionStatement",
          target: ["a", "b", "c"],
          func: { name: "c", params: [{ name: "x" }] },
        },
      ],
    ],
    ["function f[e]() {}", [{ type: "FunctionStatement", func: { bindEnv: id("e") } }]],
    [
      "class A {}",
      [{ type: "ClassStatement", target: id("A"), cls: { type: "ClassExpression", base: null } }],
    ],
    [
      "class a.b.C extends D {}",
      [
        {
          type: "ClassStatement",
          target: member(member(id("a"), "b"), "C"),
          cls: { base: id("D") },
        },
      ],
    ],
    [
      "class ::C </ a = 1 /> {}",
      [
        {
          type: "ClassStatement",
          target: { type: "RootExpression", property: "C" },
          cls: { attributes: { type: "TableExpression" } },
        },
      ],
    ],
    ["class a[1] {}", [{ type: "ClassStatement", target: index(id("a"), int(1)) }]],
    ["{ a; b }", [block([stmt(id("a")), stmt(id("b"))])]],
    [
      "if (a) b",
      [{ type: "IfStatement", test: id("a"), consequent: stmt(id("b")), alternate: null }],
    ],
    [
      "if (a) b; else c",
      [{ type: "IfStatement", consequent: stmt(id("b")), alternate: stmt(id("c")) }],
    ],
    [
      "if (a) {b} else {c}",
      [
        {
          type: "IfStatement",
          consequent: block([stmt(id("b"))]),
          alternate: block([stmt(id("c"))]),
        },
      ],
    ],
    [
      "if (a) x; else if (b) y; else z",
      [
        {
          type: "IfStatement",
          alternate: { type: "IfStatement", test: id("b"), alternate: stmt(id("z")) },
        },
      ],
    ],
    [
      "if (a) if (b) c; else d",
      [
        {
          type: "IfStatement",
          alternate: null,
          consequent: { type: "IfStatement", alternate: stmt(id("d")) },
        },
      ],
    ],
    ["if (a, b) {}", [{ type: "IfStatement", test: { type: "SequenceExpression" } }]],
    ["while (a) b()", [{ type: "WhileStatement", test: id("a"), body: stmt(call(id("b"), [])) }]],
    [
      "do { a() } while (b)",
      [{ type: "DoWhileStatement", body: block([stmt(call(id("a"), []))]), test: id("b") }],
    ],
    ["do a++\nwhile (b)", [{ type: "DoWhileStatement", body: stmt({ type: "UpdateExpression" }) }]],
    [
      "for (local i = 0; i < 3; i++) {}",
      [
        {
          type: "ForStatement",
          init: { type: "LocalStatement" },
          test: bin("<", id("i"), int(3)),
          update: { type: "UpdateExpression" },
          body: block([]),
        },
      ],
    ],
    [
      "for (;;) break",
      [
        {
          type: "ForStatement",
          init: null,
          test: null,
          update: null,
          body: { type: "BreakStatement" },
        },
      ],
    ],
    [
      "for (i = 0, j = 1; ; i++, j++) {}",
      [
        {
          type: "ForStatement",
          init: { type: "SequenceExpression" },
          update: { type: "SequenceExpression" },
        },
      ],
    ],
    [
      "for (local function f() {}; ;) break",
      [
        {
          type: "ForStatement",
          init: {
            type: "LocalStatement",
            declarations: [{ name: "f", init: { type: "FunctionExpression", name: "f" } }],
          },
        },
      ],
    ],
    ["foreach (v in a) {}", [{ type: "ForeachStatement", key: null, value: "v", object: id("a") }]],
    [
      "foreach (k, v in a.b) continue",
      [
        {
          type: "ForeachStatement",
          key: "k",
          value: "v",
          object: member(id("a"), "b"),
          body: { type: "ContinueStatement" },
        },
      ],
    ],
    [
      "switch (x) { case 1: a; case 2: b; break; default: c }",
      [
        {
          type: "SwitchStatement",
          discriminant: id("x"),
          cases: [
            { test: int(1), body: [stmt(id("a"))] },
            { test: int(2), body: [stmt(id("b")), { type: "BreakStatement" }] },
            { test: null, body: [stmt(id("c"))] },
          ],
        },
      ],
    ],
    ["switch (x) {}", [{ type: "SwitchStatement", cases: [] }]],
    ["while (1) switch (x) { case 1: continue }", [{ type: "WhileStatement" }]],
    ["return", [ret(null)]],
    ["return 1", [ret(int(1))]],
    ["return a, b", [ret({ type: "SequenceExpression" })]],
    ["return\n1", [ret(null), stmt(int(1))]],
    ["yield", [{ type: "YieldStatement", argument: null }]],
    ["throw a", [{ type: "ThrowStatement", argument: id("a") }]],
    [
      "try { a } catch (e) { b }",
      [
        {
          type: "TryStatement",
          block: block([stmt(id("a"))]),
          param: "e",
          handler: block([stmt(id("b"))]),
        },
      ],
    ],
    [
      "try a()\ncatch (e) b()",
      [{ type: "TryStatement", block: stmt(call(id("a"), [])), handler: stmt(call(id("b"), [])) }],
    ],
    ["const A = 1", [{ type: "ConstStatement", name: "A", value: { kind: "integer", value: 1 } }]],
    ['const A = "x";', [{ type: "ConstStatement", value: { kind: "string", value: "x" } }]],
    ["enum E {}", [{ type: "EnumStatement", name: "E", members: [] }]],
    [";", [{ type: "EmptyStatement" }]],
    ["a = 1, b = 2", [stmt({ type: "SequenceExpression" })]],
    // separators
    ["a; b", [stmt(id("a")), stmt(id("b"))]],
    ["a\nb", [stmt(id("a")), stmt(id("b"))]],
    ["a\n++b", [stmt(id("a")), stmt({ type: "UpdateExpression", prefix: true })]],
    [
      "x = {} y = 1",
      [stmt(assign("=", id("x"), { type: "TableExpression" })), stmt(assign("=", id("y"), int(1)))],
    ],
    ["function f() {} f()", [{ type: "FunctionStatement" }, stmt(call(id("f"), []))]],
    ["{ a } b", [block([stmt(id("a"))]), stmt(id("b"))]],
    ["a;;b", [stmt(id("a")), { type: "EmptyStatement" }, stmt(id("b"))]],
  ];
  it.each(table)("%s", (source, expected) => {
    expect(p(source).body).toMatchObject(expected);
  });

  it("flags a top-level yield (the whole script becomes a generator)", () => {
    expect(p("yield 1").isGenerator).toBe(true);
    expect(p("function f() { yield 1 }").isGenerator).toBeUndefined();
  });

  it("wraps a function's non-block body in a block", () => {
    const f = (p("function f() return 1").body[0] as { func: FunctionExpression }).func;
    expect(f.body).toMatchObject({ type: "BlockStatement", body: [ret(int(1))] });
  });
});

describe("positions", () => {
  it("puts each node at its first character", () => {
    const prog = p("local x = 1\n  foo(a.b + 2)\nif (x) {\n  return\n}");
    expect(prog.loc).toEqual({ line: 1, col: 1 });
    expect(prog.body).toMatchObject([
      {
        loc: { line: 1, col: 1 },
        declarations: [{ loc: { line: 1, col: 7 }, init: { loc: { line: 1, col: 11 } } }],
      },
      {
        loc: { line: 2, col: 3 },
        expression: {
          loc: { line: 2, col: 3 },
          args: [
            {
              loc: { line: 2, col: 7 },
              left: { loc: { line: 2, col: 7 } },
              right: { loc: { line: 2, col: 13 } },
            },
          ],
        },
      },
      {
        loc: { line: 3, col: 1 },
        test: { loc: { line: 3, col: 5 } },
        consequent: { loc: { line: 3, col: 8 }, body: [{ loc: { line: 4, col: 3 } }] },
      },
    ]);
  });

  it("gives a function the position of its closing brace or last token", () => {
    expect(exprOf("function(a) {\n  return a\n  }")).toMatchObject({
      loc: { line: 1, col: 6 },
      endLoc: { line: 3, col: 3 },
    });
    expect(exprOf("@(a)\n a + 10")).toMatchObject({
      loc: { line: 1, col: 1 },
      endLoc: { line: 2, col: 6 },
    });
  });
});

describe("errors", () => {
  // Each of these was checked against the reference compiler.
  const table: [string, string][] = [
    ["local x = (1 + 2;", "t.nut line = (1) column = (17) : error expected ')'"],
    ["\nlocal x = (1 + 2;", "t.nut line = (2) column = (18) : error expected ')'"],
    ["\nx = a[1, 2]", "t.nut line = (2) column = (9) : error expected ']'"],
    ["\nx = 1 +", "t.nut line = (2) column = (8) : error expression expected"],
    ["\n}", "t.nut line = (2) column = (2) : error expression expected"],
    ["\n{ case 1: }", "t.nut line = (2) column = (7) : error expected '}'"],
    ["\nlocal class = 1", "t.nut line = (2) column = (12) : error expected 'IDENTIFIER'"],
    ["\nlocal in = 1", "t.nut line = (2) column = (9) : error expected 'IDENTIFIER'"],
    ["\nx = a.class", "t.nut line = (2) column = (12) : error expected 'IDENTIFIER'"],
    ["\nx <- {static a = 1}", "t.nut line = (2) column = (13) : error expected 'IDENTIFIER'"],
    ["\nx <- {resume = 1}", "t.nut line = (2) column = (13) : error expected 'IDENTIFIER'"],
    ['\nclass A { "b" = 2 }', "t.nut line = (2) column = (14) : error expected 'IDENTIFIER'"],
    [
      "\nlocal a = 1 b = 2",
      "t.nut line = (2) column = (14) : error end of statement expected (; or lf)",
    ],
    ["\nx = 1 y = 2", "t.nut line = (2) column = (8) : error end of statement expected (; or lf)"],
    [
      "\nif (a) b else c",
      "t.nut line = (2) column = (14) : error end of statement expected (; or lf)",
    ],
    ["\nreturn 1 2", "t.nut line = (2) column = (11) : error end of statement expected (; or lf)"],
    [
      "\nconst X = 1 2",
      "t.nut line = (2) column = (14) : error end of statement expected (; or lf)",
    ],
    ["\nbreak", "t.nut line = (2) column = (6) : error 'break' has to be in a loop block"],
    ["\ncontinue", "t.nut line = (2) column = (9) : error 'continue' has to be in a loop block"],
    [
      "\nif (true) continue;",
      "t.nut line = (2) column = (19) : error 'continue' has to be in a loop block",
    ],
    [
      "\nswitch (1) { case 1: continue }",
      "t.nut line = (2) column = (30) : error 'continue' has to be in a loop block",
    ],
    [
      "\nwhile (1) { function f() { break } }",
      "t.nut line = (2) column = (33) : error 'break' has to be in a loop block",
    ],
    ["\ntry {} x", "t.nut line = (2) column = (9) : error expected 'catch'"],
    ["\ntry foo(); catch (e) {}", "t.nut line = (2) column = (11) : error expected 'catch'"],
    ["\ntry {} catch (1) {}", "t.nut line = (2) column = (16) : error expected 'IDENTIFIER'"],
    ["\ndo x++; while (1)", "t.nut line = (2) column = (8) : error expected 'while'"],
    ["\nforeach (a b in c) {}", "t.nut line = (2) column = (13) : error expected 'in'"],
    ["\nswitch (a) { default: case 1: }", "t.nut line = (2) column = (27) : error expected '}'"],
    // assignment targets
    ["\nconst A = 1; A = 2", "t.nut line = (2) column = (17) : error can't assign expression"],
    ["\nenum E { A } E.A = 1", "t.nut line = (2) column = (19) : error can't assign expression"],
    [
      "\nconst A = 1; A++",
      "t.nut line = (2) column = (17) : error can't '++' or '--' an expression",
    ],
    ["\n1 += 1", "t.nut line = (2) column = (5) : error can't assign expression"],
    ["\n(a) = 1", "t.nut line = (2) column = (6) : error can't assign expression"],
    ["\na() = 1", "t.nut line = (2) column = (6) : error can't assign expression"],
    ["\nx = a || b = 1", "t.nut line = (2) column = (13) : error can't assign expression"],
    ["\nbase = 1", "t.nut line = (2) column = (7) : error 'base' cannot be modified"],
    ["\nbase.x = 1", "t.nut line = (2) column = (9) : error can't assign expression"],
    ["\nlocal x; x <- 1", "t.nut line = (2) column = (16) : error can't 'create' a local slot"],
    [
      "\nlocal a; function f() { a <- 1 }",
      "t.nut line = (2) column = (33) : error can't 'create' a local slot",
    ],
    ["\nthis <- 1", "t.nut line = (2) column = (10) : error can't 'create' a local slot"],
    ["\nvargv <- 1", "t.nut line = (2) column = (11) : error can't 'create' a local slot"],
    [
      "\nif (1) local a = 1; a <- 2",
      "t.nut line = (2) column = (27) : error can't 'create' a local slot",
    ],
    ["\n1++", "t.nut line = (2) column = (4) : error can't '++' or '--' an expression"],
    ["\n++1", "t.nut line = (2) column = (4) : error can't '++' or '--' an expression"],
    ["\nbase++", "t.nut line = (2) column = (7) : error 'base' cannot be modified"],
    ["\n++base", "t.nut line = (2) column = (7) : error can't '++' or '--' a base"],
    ["\n++a.b++", "t.nut line = (2) column = (8) : error can't '++' or '--' an expression"],
    ["\ndelete 1", "t.nut line = (2) column = (9) : error can't delete an expression"],
    ["\ndelete base", "t.nut line = (2) column = (12) : error can't delete 'base'"],
    [
      "\nlocal x; delete x",
      "t.nut line = (2) column = (18) : error cannot delete an (outer) local",
    ],
    ["\ndelete this", "t.nut line = (2) column = (12) : error cannot delete an (outer) local"],
    ["\nclass 1 {}", "t.nut line = (2) column = (10) : error invalid class name"],
    ["\nclass a() {}", "t.nut line = (2) column = (13) : error invalid class name"],
    ["\nclass base {}", "t.nut line = (2) column = (14) : error invalid class name"], // the reference aborts
    ["\nclass base x", "t.nut line = (2) column = (13) : error expected '{'"],
    [
      "\nlocal x; class x {}",
      "t.nut line = (2) column = (19) : error cannot create a class in a local with the syntax(class <local>)",
    ],
    // constants
    ["\nenum E { A } print(E)", "t.nut line = (2) column = (22) : error expected '.'"],
    ["\nenum E { A } x = E.B", "t.nut line = (2) column = (21) : error invalid constant [E.B]"],
    [
      "\nenum E { A = [1] }",
      "t.nut line = (2) column = (15) : error scalar expected : integer, float, or string",
    ],
    [
      "\nconst X = null",
      "t.nut line = (2) column = (15) : error scalar expected : integer, float, or string",
    ],
    ["\nconst X = -x", "t.nut line = (2) column = (13) : error scalar expected : integer, float"],
    ["\nconst X = 1; const X = 2", "no error"],
    // functions
    ["\nfunction f(a = 1, b) {}", "t.nut line = (2) column = (21) : error expected '='"],
    [
      "\nfunction f(a = 1, ...) {}",
      "t.nut line = (2) column = (22) : error function with default parameters cannot have variable number of parameters",
    ],
    ["\nfunction f(..., a) {}", "t.nut line = (2) column = (16) : error expected ')'"],
    ["\nfunction f(a b) {}", "t.nut line = (2) column = (15) : error expected ')' or ','"],
    ["\nfunction a.b() {}", "t.nut line = (2) column = (12) : error expected '('"],
    ["\nfunction () {}", "t.nut line = (2) column = (11) : error expected 'IDENTIFIER'"],
    ["\nx = function f() {}", "t.nut line = (2) column = (15) : error expected '('"],
    ["\nf(a, )", "t.nut line = (2) column = (7) : error expression expected, found ')'"],
    ["\nf()\n{ local a = 1 }", "t.nut line = (3) column = (8) : error expected 'IDENTIFIER'"],
    [
      "\nx <- {a = b\n[1] = 2}",
      "t.nut line = (3) column = (2) : error cannot break deref/or comma needed after [exp]=exp slot declaration",
    ],
    [
      "\nx = a\n[1]",
      "t.nut line = (3) column = (2) : error cannot break deref/or comma needed after [exp]=exp slot declaration",
    ],
    ["\nx = ...", "t.nut line = (2) column = (8) : error expression expected"],
    ["\nx = .5", "t.nut line = (2) column = (6) : error expression expected"],
    ["\nx = a::b", "t.nut line = (2) column = (8) : error end of statement expected (; or lf)"],
    ["\nx = @", "t.nut line = (2) column = (6) : error expected '('"],
    ["\nx = a ? b", "t.nut line = (2) column = (10) : error expected ':'"],
    ["\nx = $", "t.nut line = (2) column = (6) : error expression expected"],
    ["\nx = rawcall(f, this)", "no error"],
    // Squirrel has no compound bitwise assignments (sq32 reports the `=` after the operator)
    ["\na <<= 1", "t.nut line = (2) column = (6) : error expression expected"],
    ["\na >>= 1", "t.nut line = (2) column = (6) : error expression expected"],
    ["\na >>>= 1", "t.nut line = (2) column = (7) : error expression expected"],
    ["\na &= 1", "t.nut line = (2) column = (5) : error expression expected"],
    ["\na |= 1", "t.nut line = (2) column = (5) : error expression expected"],
    ["\na ^= 1", "t.nut line = (2) column = (5) : error expression expected"],
  ];
  it.each(table)("%j", (source, message) => {
    expect(errorOf(source)).toBe(message);
  });
});

describe("conformance corpus", () => {
  const dir = "/work/shared/conformance/programs";
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".nut"))
    .sort();

  it("has the 122 programs", () => {
    expect(names).toHaveLength(122);
  });

  it.each(names.filter((n) => !n.includes("_cerr_")))("%s parses", (name) => {
    const source = readFileSync(join(dir, name), "latin1");
    expect(parse(source, name).type).toBe("Program");
  });

  it.each(names.filter((n) => n.includes("_cerr_")))("%s fails as the reference does", (name) => {
    const source = readFileSync(join(dir, name), "latin1");
    const expected = readFileSync(join(dir, name.replace(/\.nut$/, ".err")), "latin1").trim();
    let message = "no error";
    try {
      parse(source, name);
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      message = e.message;
    }
    expect(message).toBe(expected);
  });
});

describe("absurd input", () => {
  const tooDeep = /too deeply nested/;
  const nested: [string, string][] = [
    ["parentheses", "x <- " + "(".repeat(20000) + "1" + ")".repeat(20000)],
    ["brackets", "x <- " + "[".repeat(20000) + "]".repeat(20000)],
    ["blocks", "{".repeat(20000) + "}".repeat(20000)],
    ["tables", "x <- " + "{a = ".repeat(20000) + "1" + "}".repeat(20000)],
    ["calls", "x <- " + "f(".repeat(20000) + ")".repeat(20000)],
    ["indexes", "x <- " + "a[".repeat(20000) + "0" + "]".repeat(20000)],
    ["unary minus", "x <- " + "- ".repeat(20000) + "a"],
    ["typeof", "x <- " + "typeof ".repeat(20000) + "a"],
    ["assignments", "a = ".repeat(20000) + "1"],
    ["ternaries", "x <- " + "a ? b : ".repeat(20000) + "c"],
    ["lambdas", "x <- " + "@() ".repeat(20000) + "1"],
    ["functions", "x <- " + "function() { return ".repeat(20000)],
    ["ifs", "if (1) ".repeat(20000) + "x"],
    ["whiles", "while (1) ".repeat(20000) + "x"],
  ];
  it.each(nested)("20,000 nested %s give a CompileError", (_, source) => {
    expect(() => parse(source, "t.nut")).toThrow(CompileError);
    expect(() => parse(source, "t.nut")).toThrow(tooDeep);
  });

  it("accepts nesting a real program may have", () => {
    expect(() => parse("x <- " + "(".repeat(200) + "1" + ")".repeat(200), "t.nut")).not.toThrow();
    expect(() => parse("{".repeat(200) + "}".repeat(200), "t.nut")).not.toThrow();
  });

  it("reads long flat constructs without recursion", () => {
    expect(() => parse("x <- 1" + " + 1".repeat(100000), "t.nut")).not.toThrow();
    expect(() => parse("x <- a" + " || a".repeat(100000), "t.nut")).not.toThrow();
    expect(() => parse("if (a) {}" + " else if (a) {}".repeat(50000), "t.nut")).not.toThrow();
    expect(() => parse("x <- [" + "1, ".repeat(100000) + "]", "t.nut")).not.toThrow();
  });

  it("parses a 10 MB program in linear time", () => {
    const dir = "/work/shared/conformance/programs";
    const programs = readdirSync(dir)
      .filter((n) => n.endsWith(".nut") && !n.includes("_cerr_"))
      .map(
        (n) =>
          `function wrapped_${n.slice(0, 3)}() {\n${readFileSync(join(dir, n), "latin1")}\n}\n`,
      );
    const build = (size: number) => {
      const parts: string[] = [];
      let length = 0;
      for (let i = 0; length < size; i++) {
        const s = programs[i % programs.length]!;
        parts.push(s);
        length += s.length;
      }
      return parts.join("");
    };
    const big = build(10_000_000);
    const t0 = performance.now();
    const prog = parse(big, "big.nut");
    const elapsed = performance.now() - t0;
    expect(prog.body.length).toBeGreaterThan(10000);
    // Generous bound: it takes about 1.5 s on a loaded two-core machine.
    expect(elapsed).toBeLessThan(15000);
  }, 30000);
});
