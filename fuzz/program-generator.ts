// A seeded generator of random Squirrel programs for the differential fuzzer (fuzz/main.ts).
//
// Every program is deterministic and terminates: loops have constant bounds, recursion has a
// constant depth, and nothing reads the clock, rand() or an object's address. A program is a
// short preamble (show(), which prints any value without addresses and with a table's keys
// sorted) and a list of blocks; each block is one topic (integers, strings, classes, ...) in its
// own `try`, so an error in one is printed and the next still runs, and each starts by printing
// `#<n> <topic>` so a mismatch can be traced to its block. The minimiser (minimise.ts) deletes
// blocks and statements, so statements are kept as separate entries.
//
// Things the generator avoids because the reference's result is undefined or a listed
// deviation, not a bug: integer `% 0`, `-2147483648 / -1`, object addresses, weak references,
// recursion deep enough to overflow, rand() and time.

import { RandomSource } from "./random-source.ts";

/** One block: its topic and its statements (each one or more complete lines). */
export interface ProgramBlock {
  topic: string;
  statements: string[];
}

export interface GeneratedProgram {
  seed: number;
  blocks: ProgramBlock[];
}

/** Defines show(): the one way every generated program prints a value. */
export const PRELUDE = `function show(v) {
  switch (typeof v) {
    case "array": {
      local s = "[";
      foreach (i, x in v) s += (i > 0 ? "," : "") + show(x);
      return s + "]";
    }
    case "table": {
      local keys = [];
      foreach (k, x in v) keys.push(typeof k + ":" + k + "=" + show(x));
      keys.sort();
      local s = "{";
      foreach (i, k in keys) s += (i > 0 ? "," : "") + k;
      return s + "}";
    }
    case "string": return "\\"" + v + "\\"";
    case "instance": return "instance";
    case "class": case "function": case "generator": case "null": case "thread": case "native function":
      return typeof v;
    default: return "" + v;
  }
}
function sdiv(a, b) { return (b == 0 || b == -1) ? a : a / b; }
function smod(a, b) { return (b == 0 || b == -1) ? a : a % b; }
`;

/** The program's text: the prelude, then each block in a try/catch that prints what it caught. */
export function renderProgram(program: GeneratedProgram): string {
  let text = `// fuzz program, seed ${program.seed}\n${PRELUDE}`;
  program.blocks.forEach((block, i) => {
    text += `try {\n  print("#${i} ${block.topic}\\n");\n`;
    for (const s of block.statements) text += indent(s) + "\n";
    text += `} catch (e) { print("caught " + show(e) + "\\n"); }\n`;
  });
  return text;
}

function indent(s: string): string {
  return s
    .split("\n")
    .map((line) => "  " + line)
    .join("\n");
}

type ValueType = "int" | "float" | "string" | "bool" | "array" | "table";

interface Variable {
  name: string;
  type: ValueType;
  /** A loop counter: read, never assigned (the loop must end). */
  counter?: boolean;
}

const INT_EDGES = [
  "0",
  "1",
  "-1",
  "2",
  "3",
  "7",
  "10",
  "31",
  "32",
  "33",
  "100",
  "127",
  "128",
  "255",
  "256",
  "1000",
  "32767",
  "32768",
  "65535",
  "65536",
  "16777216",
  "16777217",
  "2147483647",
  "(-2147483647 - 1)",
  "-2147483647",
  "0x7fffffff",
  "0x80000000",
  "0xffffffff",
  "0xff",
  "0x10",
  "'a'",
  "'z'",
  "'0'",
  "'\\n'",
  "017",
  "1000000",
  "-100",
  "123456789",
];

const FLOAT_LITERALS = [
  "0.0",
  "1.0",
  "-1.0",
  "0.5",
  "1.5",
  "-2.25",
  "3.14159",
  "0.1",
  "0.2",
  "1e3",
  "1.5e-3",
  "1e10",
  "1e38",
  "2147483647.0",
  "16777216.0",
  "16777217.0",
  "-0.0",
  "100.0",
  "1e-5",
  "123.456",
  "0.333",
  "2.5",
  "-7.75",
  "1e20",
  "65536.0",
];

const STRING_PIECES = [
  "",
  "a",
  "abc",
  "Hello",
  "hello world",
  "x y z",
  "123",
  "-42",
  "3.5",
  "0x1f",
  "  pad  ",
  "MiXeD",
  "a,b,,c",
  "tab\\there",
  "new\\nline",
  'quote\\"d',
  "back\\\\slash",
  "\\x41\\x42",
  "semi;colon",
  "1e5",
  "007",
  "true",
  "null",
  "%d",
  "A",
  "zz",
];

export class ProgramGenerator {
  readonly rng: RandomSource;
  private vars: Variable[] = [];
  private counter = 0;
  private classCount = 0;

  constructor(readonly seed: number) {
    this.rng = new RandomSource(seed);
  }

  generate(blockCount?: number): GeneratedProgram {
    const n = blockCount ?? this.rng.between(4, 9);
    const blocks: ProgramBlock[] = [];
    for (let i = 0; i < n; i++) {
      this.vars = [];
      const [topic, make] = this.rng.pick(BLOCK_KINDS);
      blocks.push({ topic, statements: make(this) });
    }
    return { seed: this.seed, blocks };
  }

  // ---- names and variables

  fresh(prefix = "v"): string {
    return `${prefix}${this.counter++}`;
  }

  className(): string {
    return `C${this.seed % 1000}_${this.classCount++}`;
  }

  declare(type: ValueType, depth = 2): string {
    const name = this.fresh();
    const init = this.expr(type, depth);
    this.vars.push({ name, type });
    return `local ${name} = ${init};`;
  }

  varOf(type: ValueType): string | undefined {
    const candidates = this.vars.filter((v) => v.type === type);
    return candidates.length === 0 ? undefined : this.rng.pick(candidates).name;
  }

  printed(expr: string): string {
    return `print(show(${expr}) + "\\n");`;
  }

  // ---- expressions, by type

  expr(type: ValueType, depth: number): string {
    switch (type) {
      case "int":
        return this.int(depth);
      case "float":
        return this.float(depth);
      case "string":
        return this.string(depth);
      case "bool":
        return this.bool(depth);
      case "array":
        return this.array(depth);
      case "table":
        return this.table(depth);
    }
  }

  intLiteral(): string {
    return this.rng.chance(0.6) ? this.rng.pick(INT_EDGES) : String(this.rng.between(-50, 50));
  }

  int(depth: number): string {
    const r = this.rng;
    const v = this.varOf("int");
    if (depth <= 0 || r.chance(0.25))
      return v !== undefined && r.chance(0.5) ? v : this.intLiteral();
    const a = () => this.int(depth - 1);
    switch (r.below(16)) {
      case 0:
      case 1:
      case 2:
        return `(${a()} ${r.pick(["+", "-", "*"])} ${a()})`;
      case 3:
        return `sdiv(${a()}, ${a()})`;
      case 4:
        return `smod(${a()}, ${a()})`;
      case 5:
        return `(${a()} / ${r.pick(["2", "3", "7", "-2", "10", "256", "65536"])})`;
      case 6:
        return `(${a()} % ${r.pick(["2", "3", "7", "-3", "10", "256"])})`;
      case 7:
        return `(${a()} ${r.pick(["&", "|", "^"])} ${a()})`;
      case 8:
        return `(${a()} ${r.pick(["<<", ">>", ">>>"])} ${r.pick(["0", "1", "4", "8", "16", "31", "32", "33", a()])})`;
      case 9:
        return r.chance(0.5) ? `(-(${a()}))` : `(~(${a()}))`;
      case 10:
        return `(${this.compareOperands()})`.replace(
          /^\((.*) (<|>|<=|>=|==|!=) (.*)\)$/,
          "($1 <=> $3)",
        );
      case 11:
        return `(${this.float(depth - 1)}).tointeger()`;
      case 12:
        return `(${this.bool(depth - 1)} ? ${a()} : ${a()})`;
      case 13:
        return r.chance(0.5)
          ? `(${this.string(depth - 1)}).len()`
          : `(${this.array(depth - 1)}).len()`;
      case 14:
        return r.pick([
          `"${r.between(-999, 99999)}".tointeger()`,
          `"0x${r.between(0, 0xffff).toString(16)}".tointeger()`,
          `(${a()}).tofloat().tointeger()`,
          `abs(${a()})`,
          `"abc"[${r.below(3)}]`,
        ]);
      default:
        return `(${a()} ${r.pick(["+", "-"])} ${a()})`;
    }
  }

  float(depth: number): string {
    const r = this.rng;
    const v = this.varOf("float");
    if (depth <= 0 || r.chance(0.25))
      return v !== undefined && r.chance(0.5) ? v : r.pick(FLOAT_LITERALS);
    const f = () => this.float(depth - 1);
    switch (r.below(10)) {
      case 0:
      case 1:
        return `(${f()} ${r.pick(["+", "-", "*", "/"])} ${f()})`;
      case 2:
        return `(${this.int(depth - 1)} ${r.pick(["+", "-", "*", "/"])} ${f()})`;
      case 3:
        return `(${f()} ${r.pick(["+", "-", "*", "/"])} ${this.int(depth - 1)})`;
      case 4:
        return `(${this.int(depth - 1)}).tofloat()`;
      case 5:
        return `${r.pick(["sqrt", "floor", "ceil", "fabs", "sin", "cos", "exp", "atan"])}(${r.chance(0.5) ? `fabs(${f()})` : f()})`;
      case 6:
        return `pow(${r.pick(["2.0", "1.5", "10.0", "-2.0"])}, ${r.between(-3, 12)})`;
      case 7:
        return `${r.pick(['"1.5"', '"-0.25"', '"1e3"', '"3"', '"0.1"', '"2.5e-2"'])}.tofloat()`;
      case 8:
        return `(-(${f()}))`;
      default:
        return `(${f()} % ${r.pick(["2.0", "0.5", "3", "1.5"])})`;
    }
  }

  stringLiteral(): string {
    if (this.rng.chance(0.08)) return `@"verbatim ""q"" \\n"`;
    return `"${this.rng.pick(STRING_PIECES)}"`;
  }

  string(depth: number): string {
    const r = this.rng;
    const v = this.varOf("string");
    if (depth <= 0 || r.chance(0.3))
      return v !== undefined && r.chance(0.5) ? v : this.stringLiteral();
    const s = () => this.string(depth - 1);
    switch (r.below(12)) {
      case 0:
      case 1:
        return `(${s()} + ${s()})`;
      case 2:
        return `(${s()} + ${this.int(depth - 1)})`;
      case 3:
        return `(${s()} + ${this.float(depth - 1)})`;
      case 4:
        return `(${this.int(depth - 1)} + ${s()})`;
      case 5:
        return `(${s()}).${r.pick(["toupper", "tolower", "tostring"])}()`;
      case 6:
        return `(${this.int(depth - 1)}).tostring()`;
      case 7:
        return `(${this.float(depth - 1)}).tostring()`;
      case 8: {
        const lit = r.pick(["abcdef", "hello world", "0123456789", "xy"]);
        const a = r.between(-lit.length, lit.length);
        return r.chance(0.5)
          ? `"${lit}".slice(${a})`
          : `"${lit}".slice(${Math.min(a, 0) + lit.length >= 0 ? 0 : a}, ${r.between(0, lit.length)})`;
      }
      case 9:
        return `${r.pick(["strip", "lstrip", "rstrip"])}(${s()})`;
      case 10:
        return `(${s()} + ${r.pick(["true", "false", "null"])})`;
      default:
        return `format("${r.pick(["%d", "%5d", "%-4d|", "%x", "%X", "%o", "%c", "%08d", "%+d"])}", ${this.int(depth - 1)})`;
    }
  }

  compareOperands(): string {
    const r = this.rng;
    const op = r.pick(["<", ">", "<=", ">=", "==", "!="]);
    switch (r.below(4)) {
      case 0:
        return `${this.int(1)} ${op} ${this.int(1)}`;
      case 1:
        return `${this.float(1)} ${op} ${this.float(1)}`;
      case 2:
        return `${this.int(1)} ${op} ${this.float(1)}`;
      default:
        return `${this.string(1)} ${op} ${this.string(1)}`;
    }
  }

  bool(depth: number): string {
    const r = this.rng;
    const v = this.varOf("bool");
    if (depth <= 0 || r.chance(0.2))
      return v !== undefined && r.chance(0.5) ? v : r.pick(["true", "false"]);
    switch (r.below(8)) {
      case 0:
      case 1:
      case 2:
        return `(${this.compareOperands()})`;
      case 3:
        return `(!${this.bool(depth - 1)})`;
      case 4:
        return `(${this.bool(depth - 1)} ${r.pick(["&&", "||"])} ${this.bool(depth - 1)})`;
      case 5:
        return `(${this.string(0)} in ${this.table(1)})`;
      case 6:
        return `(typeof ${this.expr(r.pick(["int", "float", "string", "bool"] as const), depth - 1)} == "${r.pick(["integer", "float", "string", "bool"])}")`;
      default:
        return `(${this.int(depth - 1)} ${r.pick(["==", "!="])} ${this.int(depth - 1)})`;
    }
  }

  element(depth: number): string {
    return this.expr(this.rng.pick(["int", "int", "float", "string", "bool"] as const), depth);
  }

  array(depth: number): string {
    const r = this.rng;
    const v = this.varOf("array");
    if (v !== undefined && r.chance(0.4)) return v;
    if (depth <= 0 || r.chance(0.5)) {
      const n = r.below(6);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(this.element(Math.max(0, depth - 1)));
      return `[${items.join(", ")}]`;
    }
    switch (r.below(5)) {
      case 0:
        return `array(${r.below(5)}, ${this.element(0)})`;
      case 1:
        return `split(${r.pick(['"a,b,,c"', '"x y z"', '"1;2;3"'])}, ${r.pick(['","', '" "', '";"', '",; "'])})`;
      case 2:
        return `(${this.array(depth - 1)}).map(function (x) { return show(x) + "!"; })`;
      case 3:
        return `(${this.array(depth - 1)}).filter(function (i, x) { return i % 2 == 0; })`;
      default:
        return `(${this.array(depth - 1)}).slice(${r.below(2)})`;
    }
  }

  table(depth: number): string {
    const r = this.rng;
    const v = this.varOf("table");
    if (v !== undefined && r.chance(0.4)) return v;
    const n = r.below(6);
    const slots: string[] = [];
    for (let i = 0; i < n; i++)
      slots.push(`${this.tableKey()} = ${this.element(Math.max(0, depth - 1))}`);
    return `{${slots.join(", ")}}`;
  }

  /** A key in a table literal: a name, or a string, integer, float or bool in brackets. */
  tableKey(): string {
    const r = this.rng;
    switch (r.below(6)) {
      case 0:
      case 1:
        return r.pick([
          "a",
          "b",
          "c",
          "name",
          "value",
          "x",
          "y",
          "key",
          "id",
          "count",
          "alpha",
          "beta",
        ]);
      case 2:
        return `[${this.rng.pick(['"s"', '"k1"', '"k2"', '""', '"long key name"', '"Z"'])}]`;
      case 3:
        return `[${r.between(-20, 300)}]`;
      case 4:
        return `[${r.pick(["1.5", "0.0", "-2.0", "1e3", "3.0"])}]`;
      default:
        return `[${r.pick(["true", "false"])}]`;
    }
  }

  // ---- helpers for statement-level code

  statement(depth: number): string {
    const r = this.rng;
    const t = r.pick(["int", "int", "float", "string", "bool", "array", "table"] as const);
    switch (r.below(6)) {
      case 0:
      case 1:
        return this.declare(t);
      case 2: {
        const assignable = this.vars.filter((x) => x.counter !== true);
        const v = assignable.length > 0 ? r.pick(assignable) : undefined;
        if (v === undefined) return this.printed(this.expr(t, 2));
        if (v.type === "int" && r.chance(0.5))
          return `${v.name} ${r.pick(["+=", "-=", "*="])} ${this.int(1)};`;
        if (v.type === "int" && r.chance(0.3)) return `${v.name}${r.pick(["++", "--"])};`;
        return `${v.name} = ${this.expr(v.type, 2)};`;
      }
      case 3:
        if (depth > 0) return this.control(depth - 1);
      // falls through
      default:
        return this.printed(this.expr(t, 3));
    }
  }

  body(depth: number, count = this.rng.between(1, 3)): string {
    const saved = this.vars.length;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(this.statement(depth));
    this.vars.length = saved;
    return lines.join("\n");
  }

  control(depth: number): string {
    const r = this.rng;
    const saved = this.vars.length;
    let text: string;
    switch (r.below(7)) {
      case 0:
        text = `if (${this.bool(2)}) {\n${indent(this.body(depth))}\n} else {\n${indent(this.body(depth))}\n}`;
        break;
      case 1: {
        const i = this.fresh("i");
        const lines = [this.printed(`${i}`)];
        if (r.chance(0.3))
          lines.push(`if (${i} == ${r.between(1, 3)}) ${r.pick(["continue", "break"])};`);
        this.vars.push({ name: i, type: "int", counter: true });
        lines.push(this.body(depth));
        text = `for (local ${i} = ${r.between(-2, 2)}; ${i} < ${r.between(0, 5)}; ${i}${r.pick(["++", " += 2"])}) {\n${indent(lines.join("\n"))}\n}`;
        break;
      }
      case 2: {
        const n = this.fresh("n");
        text = `local ${n} = ${r.between(0, 4)};\nwhile (${n} > 0) {\n  ${n}--;\n${indent(this.body(depth))}\n}`;
        break;
      }
      case 3: {
        const n = this.fresh("n");
        text = `local ${n} = 0;\ndo {\n  ${n}++;\n${indent(this.body(depth, 1))}\n} while (${n} < ${r.between(1, 3)});`;
        break;
      }
      case 4: {
        const k = this.fresh("k");
        const x = this.fresh("x");
        const source = r.pick([this.array(2), this.string(1), this.table(2)]);
        text = `foreach (${k}, ${x} in ${source}) {\n  print(show(${k}) + ":" + show(${x}) + " ");\n}\nprint("\\n");`;
        break;
      }
      case 5:
        text = this.switchStatement(depth);
        break;
      default:
        text = this.printed(`${this.bool(2)} ? ${this.element(1)} : ${this.element(1)}`);
    }
    this.vars.length = saved;
    return text;
  }

  switchStatement(depth: number): string {
    const r = this.rng;
    const useStrings = r.chance(0.3);
    const caseValues = useStrings
      ? ['"a"', '"abc"', '""', '"x"']
      : ["0", "1", "2", "-1", "7", "'a'"];
    const subject = useStrings ? r.pick(['"a"', '"abc"', '"zz"', this.string(1)]) : this.int(2);
    let text = `switch (${subject}) {\n`;
    const used = new Set<string>();
    for (let i = r.between(1, 4); i > 0; i--) {
      const v = r.pick(caseValues);
      if (used.has(v)) continue;
      used.add(v);
      text += `  case ${v}:\n${indent(indent(this.printed(`"case " + ${JSON.stringify(v)}`)))}\n`;
      if (r.chance(0.3)) text += `${indent(indent(this.body(depth, 1)))}\n`;
      if (r.chance(0.7)) text += "    break;\n";
    }
    if (r.chance(0.6)) text += `  default:\n${indent(indent(this.printed('"default"')))}\n`;
    return text + "}";
  }
}

type BlockMaker = (g: ProgramGenerator) => string[];

function many(_g: ProgramGenerator, n: number, make: () => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(make());
  return out;
}

/** Each topic the generator covers, with how it makes a block's statements. */
const BLOCK_KINDS: readonly (readonly [string, BlockMaker])[] = [
  [
    "integers",
    (g) => many(g, 6, () => (g.rng.chance(0.3) ? g.declare("int", 3) : g.printed(g.int(4)))),
  ],
  [
    "floats",
    (g) => many(g, 6, () => (g.rng.chance(0.3) ? g.declare("float", 3) : g.printed(g.float(3)))),
  ],
  ["strings", stringBlock],
  ["escapes", escapeBlock],
  ["mixed", (g) => many(g, 6, () => g.statement(2))],
  ["control", (g) => many(g, 4, () => g.control(2))],
  ["arrays", arrayBlock],
  ["tables", tableBlock],
  ["closures", closureBlock],
  ["classes", classBlock],
  ["metamethods", metamethodBlock],
  ["exceptions", exceptionBlock],
  ["generators", generatorBlock],
  ["foreach", (g) => many(g, 3, () => g.control(1))],
  ["switch", (g) => many(g, 2, () => g.switchStatement(1))],
  ["format", formatBlock],
  ["edges", edgeBlock],
];

function stringBlock(g: ProgramGenerator): string[] {
  const s = g.fresh("s");
  const out = [`local ${s} = ${g.string(2)};`];
  const methods = [
    `${s}.len()`,
    `${s}.toupper()`,
    `${s}.tolower()`,
    `${s}.find(${g.stringLiteral()})`,
    `${s}.find("a", ${g.rng.between(0, 3)})`,
    `${s}.slice(${g.rng.between(0, 2)})`,
    `split(${s}, ${g.rng.pick(['" "', '","', '"a"', '""'])})`,
    `${s} + ${s}`,
    `${s} == ${g.stringLiteral()}`,
    `${s} < ${g.stringLiteral()}`,
    `${s} <=> ${g.stringLiteral()}`,
    `${s}.tointeger()`,
    `${s}.tofloat()`,
    `${s}.len() > 0 ? ${s}[0] : -1`,
    `strip(${s})`,
    `${s}.len() > 1 ? ${s}.slice(1, -1) : ${s}`,
    `escape(${s})`,
    `typeof ${s}`,
    `${s}.len() > 0 ? ${s}[${s}.len() - 1].tochar() : "none"`,
  ];
  for (let i = g.rng.between(3, 7); i > 0; i--) out.push(g.printed(g.rng.pick(methods)));
  out.push(`foreach (i, c in ${s}) print(c + " ");\nprint("\\n");`);
  return out;
}

function escapeBlock(g: ProgramGenerator): string[] {
  const escapes = [
    "\\n",
    "\\t",
    "\\\\",
    '\\"',
    "\\'",
    "\\x41",
    "\\x7e",
    "\\a",
    "\\b",
    "\\f",
    "\\r",
    "\\v",
    "\\x20",
  ];
  return many(g, 4, () => {
    let lit = "";
    for (let i = g.rng.between(1, 5); i > 0; i--)
      lit += g.rng.chance(0.5) ? g.rng.pick(escapes) : g.rng.pick(["a", "Z", "1", " ", "~"]);
    return g.rng.pick([
      `print("${lit}" + "|\\n");`,
      g.printed(`"${lit}".len()`),
      g.printed(`escape("${lit}")`),
      `foreach (c in "${lit}") print(c + ",");\nprint("\\n");`,
    ]);
  });
}

function arrayBlock(g: ProgramGenerator): string[] {
  const a = g.fresh("a");
  const out = [`local ${a} = ${g.array(2)};`];
  const ops = [
    `${a}.push(${g.element(1)});`,
    `${a}.append(${g.element(1)});`,
    `if (${a}.len() > 0) print(show(${a}.pop()) + "\\n");`,
    `${a}.insert(0, ${g.element(1)});`,
    `if (${a}.len() > 1) ${a}.remove(1);`,
    `${a}.reverse();`,
    `${a}.resize(${g.rng.between(0, 6)}, ${g.element(0)});`,
    `${a}.extend(${g.array(1)});`,
    g.printed(`${a}.len()`),
    g.printed(`${a}.find(${g.element(0)})`),
    g.printed(`${a}.top()`),
    g.printed(`${a}.slice(${g.rng.between(0, 2)})`),
    g.printed(`${a}.map(@(x) typeof x)`),
    g.printed(`${a}.reduce(@(acc, x) show(acc) + show(x))`),
    `${a}.apply(@(x) typeof x == "integer" ? x * 2 : x);`,
    `${a} = ${a}.filter(@(i, x) typeof x != "float");`,
    `local ints = [${g.int(0)}, ${g.int(0)}, ${g.int(0)}, ${g.int(0)}];\nints.sort();\nprint(show(ints) + "\\n");`,
    `local ints = [${g.int(0)}, ${g.int(0)}, ${g.int(0)}, ${g.int(0)}, ${g.int(0)}];\nints.sort(@(x, y) y <=> x);\nprint(show(ints) + "\\n");`,
    `local strs = [${g.stringLiteral()}, ${g.stringLiteral()}, ${g.stringLiteral()}];\nstrs.sort();\nprint(show(strs) + "\\n");`,
    `foreach (i, x in ${a}) print(i + "=" + show(x) + " ");\nprint("\\n");`,
    g.printed(`${a}.len() > 0 ? ${a}[0] : null`),
    g.printed(`${a}.len() > 0 ? ${a}[-1] : null`),
  ];
  for (let i = g.rng.between(3, 8); i > 0; i--) out.push(g.rng.pick(ops));
  out.push(g.printed(a));
  return out;
}

function tableBlock(g: ProgramGenerator): string[] {
  const t = g.fresh("t");
  const out = [`local ${t} = ${g.table(2)};`];
  const ops = [
    () =>
      `${t}[${g
        .tableKey()
        .replace(/^\[|\]$/g, "")
        .replace(/^([a-z]+)$/, '"$1"')}] <- ${g.element(1)};`,
    () => `${t}.${g.rng.pick(["a", "b", "name", "extra"])} <- ${g.element(1)};`,
    () =>
      `if (${g.rng.pick(['"a"', '"b"', '"name"', "1", '"x"'])} in ${t}) delete ${t}[${g.rng.pick(['"a"', '"b"', '"name"', "1", '"x"'])}];`,
    () => g.printed(`${t}.len()`),
    () => g.printed(`${g.rng.pick(['"a"', '"b"', '"x"', "1", "1.5", "true"])} in ${t}`),
    () => g.printed(`${t}.rawin(${g.rng.pick(['"a"', '"y"', "3"])})`),
    () => g.printed(`"a" in ${t} ? ${t}.a : "none"`),
    () => `foreach (k, v in ${t}) print(show(k) + "=" + show(v) + " ");\nprint("\\n");`,
    () => g.printed(`${t}.rawget(${g.rng.pick(['"a"', '"y"', "3"])})`),
    () => `${t}.rawset("r", ${g.element(1)});`,
    () => g.printed(`clone ${t}`),
    () =>
      `local d = { fallback = ${g.element(1)} };\n${t}.setdelegate(d);\nprint(show(${t}.fallback) + "\\n");`,
    () => g.printed(`${t}.x`),
    () => `${t}.clear();`,
  ];
  for (let i = g.rng.between(3, 8); i > 0; i--) out.push(g.rng.pick(ops)());
  out.push(g.printed(t));
  return out;
}

function closureBlock(g: ProgramGenerator): string[] {
  const f = g.fresh("f");
  const c = g.fresh("c");
  const out = [
    `local ${c} = ${g.int(1)};`,
    `local ${f} = function (a, b = ${g.int(0)}) {\n  ${c} += 1;\n  return a * ${g.rng.between(1, 5)} + b + ${c};\n};`,
    g.printed(`${f}(${g.int(1)})`),
    g.printed(`${f}(${g.int(1)}, ${g.int(1)})`),
  ];
  const more = [
    () =>
      `local make = function (start) {\n  local n = start;\n  return function () { n += ${g.rng.between(1, 3)}; return n; };\n};\nlocal counter = make(${g.int(1)});\ncounter();\nprint(show(counter()) + "\\n");`,
    () =>
      `local fact = null;\nfact = function (n) { return n <= 1 ? 1 : n * fact(n - 1); };\nprint(show(fact(${g.rng.between(0, 14)})) + "\\n");`,
    () =>
      `local va = function (first, ...) {\n  local s = show(first);\n  foreach (x in vargv) s += "," + show(x);\n  return s + "/" + vargv.len();\n};\nprint(va(${g.element(0)}, ${g.element(0)}, ${g.element(0)}) + "\\n");`,
    () => g.printed(`${f}.call(this, ${g.int(1)}, ${g.int(1)})`),
    () => g.printed(`${f}.acall([this, ${g.int(1)}])`),
    () => g.printed(`${f}.pcall(this, ${g.int(1)})`),
    () =>
      `local obj = { k = ${g.int(1)} };\nlocal getk = function () { return this.k; };\nprint(show(getk.bindenv(obj)()) + "\\n");`,
    () => g.printed(`(@(x, y) x + y)(${g.int(1)}, ${g.int(1)})`),
    () => g.printed(`${f}.getinfos().parameters`),
    () =>
      `local fs = [];\nfor (local i = 0; i < 3; i++) fs.push(@() i);\nprint(show(fs.map(@(h) h())) + "\\n");`,
    () => g.printed(`${f}()`),
  ];
  for (let i = g.rng.between(1, 4); i > 0; i--) out.push(g.rng.pick(more)());
  return out;
}

function classBlock(g: ProgramGenerator): string[] {
  const base = g.className();
  const derived = g.className();
  const out = [
    `class ${base} {\n  x = ${g.int(0)};\n  static tag = ${g.stringLiteral()};\n  constructor(v) { x = v; }\n  function get() { return x; }\n  function add(n) { x += n; return this; }\n}`,
    `class ${derived} extends ${base} {\n  y = ${g.element(0)};\n  constructor(v, w) { base.constructor(v); y = w; }\n  function get() { return base.get() * 2; }\n}`,
    `local o = ${base}(${g.int(1)});`,
    `local d = ${derived}(${g.int(1)}, ${g.element(0)});`,
  ];
  const more = [
    g.printed("o.get()"),
    g.printed("d.get()"),
    g.printed(`o.add(${g.int(1)}).get()`),
    g.printed("d.y"),
    g.printed(`${base}.tag`),
    g.printed(`d.tag`),
    g.printed(`d instanceof ${base}`),
    g.printed(`o instanceof ${derived}`),
    g.printed("typeof o"),
    g.printed(`d.getclass() == ${derived}`),
    g.printed(`${derived}.getbase() == ${base}`),
    g.printed(`"get" in o`),
    g.printed(`"zz" in d`),
    `${base}.extra <- ${g.element(0)};`,
    g.printed("o.missing"),
    `o.x = ${g.element(0)};\nprint(show(o.x) + "\\n");`,
    `local c = clone d;\nc.y = ${g.element(0)};\nprint(show(c.y) + show(d.y) + "\\n");`,
    `foreach (k, v in ${base}) if (typeof v != "function") print(k + " ");\nprint("\\n");`,
  ];
  for (let i = g.rng.between(2, 6); i > 0; i--) out.push(g.rng.pick(more));
  return out;
}

function metamethodBlock(g: ProgramGenerator): string[] {
  const v = g.className();
  const out = [
    `class ${v} {\n  n = 0;\n  constructor(k) { n = k; }\n  function _add(o) { return ${v}(n + (typeof o == "instance" ? o.n : o)); }\n  function _sub(o) { return ${v}(n - o.n); }\n  function _mul(o) { return ${v}(n * (typeof o == "instance" ? o.n : o)); }\n  function _unm() { return ${v}(-n); }\n  function _cmp(o) { return n <=> o.n; }\n  function _tostring() { return "${v}(" + n + ")"; }\n  function _get(k) { if (k == "double") return n * 2; throw null; }\n  function _call(env, a) { return n + a; }\n  function _typeof() { return "vec"; }\n  function _modulo(o) { return ${v}(n % 7); }\n}`,
    `local p = ${v}(${g.int(1)});`,
    `local q = ${v}(${g.int(1)});`,
  ];
  const more = [
    `print((p + q).tostring() + "\\n");`,
    `print((p - q).tostring() + "\\n");`,
    `print((p * ${g.rng.between(-3, 3)}).tostring() + "\\n");`,
    `print((-p).tostring() + "\\n");`,
    g.printed("p < q"),
    g.printed("p >= q"),
    g.printed("p <=> q"),
    g.printed("p == q"),
    g.printed("p.double"),
    g.printed("p.nothing"),
    g.printed(`p(${g.int(1)})`),
    g.printed("typeof p"),
    `print("" + p + "\\n");`,
    `print((p % q).tostring() + "\\n");`,
    `local arr = [${v}(3), ${v}(-1), ${v}(2)];\narr.sort();\nprint(show(arr.map(@(e) e.n)) + "\\n");`,
  ];
  for (let i = g.rng.between(2, 6); i > 0; i--) out.push(g.rng.pick(more));
  return out;
}

function exceptionBlock(g: ProgramGenerator): string[] {
  const errors = [
    `throw ${g.element(1)};`,
    `throw { code = ${g.int(0)} };`,
    `local z = null; z.field = 1;`,
    `local z = [1, 2]; print(z[${g.rng.pick(["2", "-3", "10"])}]);`,
    `local z = {}; print(z.nope);`,
    `local z = ${g.int(0)}; z();`,
    `print(null + 1);`,
    `print(1 < "a");`,
    `print("x" - 1);`,
    `print("abc".nosuch());`,
    `local z = []; z.pop();`,
    `print("x1".tointeger());`,
    `print(::undefined_global_name);`,
    `print(sdiv(1, 0) + 1 / 0);`,
    `print(${g.int(1)} / 0);`,
    `print({} + 1);`,
    `local z = "s"; z.len = 3;`,
    `assert(${g.bool(1)});`,
    `print(${g.float(1)} % 0);`,
    `print(typeof (${g.int(1)}).nosuch);`,
    `local z = [1]; z.remove(5);`,
    `local z = [1]; z.insert(9, 2);`,
    `print("abc".slice(2, 1));`,
    `print(format("%d", "str"));`,
    `print(format("%s"));`,
    `print((${g.int(0)}).tochar() + 1);`,
    `throw "plain string";`,
    `error("via error()");`,
    `print((${g.element(0)} in ${g.rng.pick(["5", "1.5", "true", "null", "print", "@() 1"])}) + "\\n");`,
    `print(show(clone ${g.element(0)}));`,
    `local z = [1, 2]; delete z[0];`,
    `print(${g.element(0)} instanceof ${g.rng.pick(["3", '"s"', "{}", "null"])});`,
    `print(typeof (${g.element(0)}).weakref() + "\\n");`,
  ];
  const out: string[] = [];
  for (let i = g.rng.between(2, 5); i > 0; i--) {
    const thrown = g.rng.pick(errors);
    switch (g.rng.between(0, 3)) {
      case 0:
        out.push(
          `try {\n  ${thrown}\n  print("not thrown\\n");\n} catch (err) {\n  print("caught " + show(err) + "\\n");\n}`,
        );
        break;
      case 1:
        out.push(
          `local thrower = function () { ${thrown} };\ntry { thrower(); } catch (err) { print("from function: " + show(err) + "\\n"); }`,
        );
        break;
      case 2:
        out.push(
          `try {\n  try { ${thrown} } catch (inner) { print("inner " + show(inner) + "\\n"); throw "re-" + typeof inner; }\n} catch (outer) {\n  print("outer " + show(outer) + "\\n");\n}`,
        );
        break;
      default:
        out.push(
          `local r = (function () { try { ${thrown} return "no"; } catch (err) { return "ret " + show(err); } })();\nprint(r + "\\n");`,
        );
    }
  }
  return out;
}

function generatorBlock(g: ProgramGenerator): string[] {
  const gen = g.fresh("gen");
  const out = [
    `local ${gen} = function (n) {\n  for (local i = 0; i < n; i++) {\n    if (i == ${g.rng.between(1, 6)}) ${g.rng.pick(["break", "continue", 'return "early"'])};\n    yield i * ${g.rng.between(-3, 5)} + ${g.rng.between(0, 3)};\n  }\n  return ${g.element(0)};\n};`,
  ];
  const more = [
    () =>
      `foreach (i, v in ${gen}(${g.rng.between(0, 6)})) print(i + ":" + show(v) + " ");\nprint("\\n");`,
    () =>
      `local it = ${gen}(${g.rng.between(0, 4)});\nprint(show(resume it) + " " + it.getstatus() + "\\n");\nprint(show(resume it) + " " + it.getstatus() + "\\n");`,
    () =>
      `local it = ${gen}(1);\nresume it; resume it;\nprint(it.getstatus() + "\\n");\nresume it;`,
    () => g.printed(`typeof ${gen}(2)`),
    () =>
      `local fib = function (limit) { local a = 0, b = 1; while (a < limit) { yield a; local t = a + b; a = b; b = t; } };\nforeach (v in fib(${g.rng.between(1, 200)})) print(v + " ");\nprint("\\n");`,
  ];
  for (let i = g.rng.between(1, 4); i > 0; i--) out.push(g.rng.pick(more)());
  return out;
}

function formatBlock(g: ProgramGenerator): string[] {
  return many(g, 5, () => {
    const r = g;
    switch (r.rng.between(0, 4)) {
      case 0:
        return `print(format("${r.rng.pick(["%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%i", "%x", "%X", "%#x", "%o", "%c", "%u"])}|\\n", ${g.int(2)}));`;
      case 1:
        return `print(format("${r.rng.pick(["%f", "%.2f", "%8.3f", "%-8.1f|", "%e", "%.3e", "%E", "%g", "%.3g", "%G", "%10.4g", "%+.1f"])}|\\n", ${g.float(2)}));`;
      case 2:
        return `print(format("${r.rng.pick(["%s", "%10s", "%-10s|", "%.2s", "%5.1s"])}|\\n", ${g.string(1)}));`;
      case 3:
        return `print(format("%d %s %.1f %%|\\n", ${g.int(1)}, ${g.string(1)}, ${g.float(1)}));`;
      default:
        return `print(format("${r.rng.pick(["%d", "%f", "%s", "%x"])}|\\n", ${g.element(1)}));`;
    }
  });
}

function edgeBlock(g: ProgramGenerator): string[] {
  const edges = [
    "2147483647 + 1",
    "(-2147483647 - 1) - 1",
    "2147483647 * 2",
    "65536 * 65536",
    "0x7fffffff << 1",
    "1 << 31",
    "1 << 32",
    "-1 >> 31",
    "-1 >>> 1",
    "-1 >>> 28",
    "0x80000000 >> 4",
    "~0",
    "(-2147483647 - 1) / 2",
    "-7 / 2",
    "-7 % 3",
    "7 % -3",
    "2147483647.0",
    "16777217.0",
    "16777217 + 0.5",
    "2147483647 % 100.0",
    "(1e10).tointeger()",
    "(-1e10).tointeger()",
    "(3.99).tointeger()",
    "(-3.99).tointeger()",
    "0.1 + 0.2",
    "1.0 / 3",
    "2.0 / 3.0 * 3.0",
    "100000000.0 + 1",
    "1e38 * 10",
    "-(1e38 * 10)",
    "123456789.0",
    "0.000001",
    "1e-7",
    "1.0e15",
    "12345678.9",
    "0.1 * 3",
    '"2147483648".tointeger()',
    '"-2147483649".tointeger()',
    '"1.5e3".tofloat()',
    '"12abc".tointeger()',
    "3 <=> 3.0",
    "3 == 3.0",
    "(0x7fffffff).tofloat()",
    "(0x7fffffff).tofloat().tointeger()",
    "'\\xff'",
    "(0xff).tochar()",
    "(-1).tochar()",
    "(65).tochar()",
    "256 * 256 * 256 * 128",
    "-(-2147483647 - 1)",
    "abs(-2147483647 - 1)",
    "5 / 2 * 2.0",
    "5 / 2.0",
    "(1.5).tostring()",
    "floor(-0.5)",
    "ceil(-0.5)",
    "sqrt(2.0)",
    "pow(2, 31)",
    "pow(2, 0.5)",
    "exp(1)",
    "log(10)",
  ];
  return many(g, 6, () => g.printed(g.rng.pick(edges)));
}

/** The `count` programs of a run, regenerated from `seed` (programSeed gives each its own). */
export function generateProgram(seed: number): GeneratedProgram {
  return new ProgramGenerator(seed).generate();
}
