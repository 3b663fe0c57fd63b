// Squirrel AST -> JavaScript text run by the runtime (src/runtime) inside QuickJS.
//
// The output is one function expression `(function($r){ ...; return function main$$($this, vargv){...} })`.
// Safety: names and literals from the source never reach the output unescaped: identifiers
// are checked against Squirrel's identifier syntax before use in JS names, strings go
// through JSON.stringify.
// Lines: statements are placed on the JS line of their Squirrel line (markers resolved at
// the end), so QuickJS's own stack traces give Squirrel line numbers.
// Speed: integer operations are emitted inline behind integer checks, slot reads try the
// "$key" property first, and calls go straight to the JS function when its arity matches.
import type * as A from "./ast.ts";
import { CompileError } from "./compile-error.ts";
import { lineMark, resolveLines } from "./line-markers.ts";
import { binaryType, join, type Ty } from "./static-types.ts";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The runtime members compiled code uses, bound once per program as `$name` locals. */
const RUNTIME = [
  "root", "SqTable", "SqWeakRef", "get", "set", "newSlot", "delSlot", "getVar", "setVar", "has",
  "add", "sub", "mul", "div", "mod", "concat", "unm", "bitop", "bitnot", "eq", "cmp",
  "lt", "le", "gt", "ge", "truthy", "callv", "newClass", "newMember", "iterate", "makeGenerator",
  "resume", "cocall", "typeofOp", "instanceOf", "cloneOp", "caught", "throwValue", "makeClosure",
  "makeTable", "setConst", "bindEnv",
];

interface Binding {
  js: string;
  id: number;
}

/** Inline code for a built-in method: given the generic call and the (simple) arguments. */
type Intrinsic = (generic: string, args: string[], argTypes: Ty[]) => string;

type ConstValue = A.ScalarValue | { kind: "enum"; members: Map<string, A.ScalarValue> };

class Scope {
  vars = new Map<string, Binding>();
  constructor(public parent: Scope | null, public fn: FunctionContext) {}
}

class FunctionContext {
  /** Temps in use by the statement being compiled; none lives from one statement to the next. */
  temps = 0;
  /** Most temps any statement used: what the function declares. */
  maxTemps = 0;
  constructor(
    public parent: FunctionContext | null,
    /** JS name of the function, to reach its `base`. */
    public jsName: string,
    /** Compiling the coroutine variant: calls may suspend. */
    public co: boolean,
  ) {}
  temp(): string {
    const t = `$${this.temps++}`;
    if (this.temps > this.maxTemps) this.maxTemps = this.temps;
    return t;
  }
  /** A variable that must outlive the statements nested in the construct that owns it. */
  blockVar(): string {
    return `$b${this.blockVars++}`;
  }
  blockVars = 0;
  declarations(): string {
    if (this.maxTemps === 0) return "";
    const names: string[] = [];
    for (let i = 0; i < this.maxTemps; i++) names.push(`$${i}`);
    return `var ${names.join(",")};`;
  }
}

export class Compiler {
  private hoisted: string[] = [];
  private uniq = 0;
  private consts = new Map<string, ConstValue>();
  private scope!: Scope;
  private fn!: FunctionContext;
  /** Programs that call suspend() get coroutine variants of their functions. */
  private threads: boolean;

  constructor(private file: string, source: string) {
    this.threads = /\bsuspend\b/.test(source);
  }

  /** Types of local bindings (by id) used by this pass, and those observed during it. */
  private types = new Map<number, Ty>();
  private observed = new Map<number, Ty>();

  /**
   * Local types are inferred by compiling until they settle: each pass records the type of
   * every value assigned to each local; a local all of whose values are integers is an int.
   */
  compileProgram(p: A.Program): string {
    for (let pass = 0; pass < 6; pass++) {
      const js = this.compilePass(p);
      let changed = false;
      for (const [id, t] of this.observed) if (this.types.get(id) !== t) changed = true;
      if (!changed) return js;
      this.types = this.observed;
    }
    // not settled: assume nothing
    this.types = new Map();
    for (const id of this.observed.keys()) this.types.set(id, "any");
    this.observed = new Map(this.types);
    return this.compilePass(p);
  }

  private compilePass(p: A.Program): string {
    this.hoisted = [];
    this.uniq = 0;
    this.consts = new Map();
    this.observed = new Map();
    this.fn = new FunctionContext(null, "main$$", false);
    this.scope = new Scope(null, this.fn);
    const vargv = this.declare("vargv", "any");
    const body = this.statements(p.body);
    // a top-level `yield` makes the whole script a generator, as in the reference
    const main = p.isGenerator
      ? `function main$$($this,${vargv}){return $makeGenerator((function*(){${this.fn.declarations()}${body}return null;})(),main$$);}`
      : `function main$$($this,${vargv}){${this.fn.declarations()}${body}}`;
    const header =
      `(function($r){"use strict";const ${RUNTIME.map((n) => `$${n}=$r.${n}`).join(",")};` +
      this.hoisted.join("") +
      "return ";
    return resolveLines(header + main + "})");
  }

  // ---------------------------------------------------------------- helpers

  private error(loc: A.Loc, reason: string): never {
    throw new CompileError(this.file, loc.line, loc.col, reason);
  }

  private jsIdent(name: string): string {
    if (!IDENT.test(name)) throw new Error(`not a Squirrel identifier: ${JSON.stringify(name)}`);
    return name;
  }

  /** Optional-chained slot read: `?.$name` when the name is an identifier, else `?.["$..."]`. */
  private slot(name: string): string {
    return IDENT.test(name) ? `?.$${name}` : `?.[${JSON.stringify("$" + name)}]`;
  }

  /** Declares a local; `init` is the type of its first value. */
  private declare(name: string, init: Ty): string {
    const id = this.uniq++;
    const js = `${this.jsIdent(name)}$${id}`;
    this.scope.vars.set(name, { js, id });
    this.assigned(id, init);
    return js;
  }

  private assigned(id: number, t: Ty): void {
    this.observed.set(id, join(this.observed.get(id) ?? "none", t));
  }

  private bindingType(b: Binding): Ty {
    return this.types.get(b.id) ?? "none";
  }

  /** The static type of an expression, from literals, operators and local types. */
  ty(e: A.Expression): Ty {
    switch (e.type) {
      case "IntegerLiteral": return "int";
      case "FloatLiteral": return "float";
      case "StringLiteral": return "string";
      case "BoolLiteral": return "bool";
      case "Identifier": {
        const b = this.lookup(e.name);
        if (b !== undefined) return this.bindingType(b);
        const c = this.consts.get(e.name);
        if (c === undefined || c.kind === "enum") return "any";
        return ({ integer: "int", float: "float", string: "string", bool: "bool" } as const)[c.kind];
      }
      case "UnaryExpression": {
        if (e.operator === "!") return "bool";
        const t = this.ty(e.argument);
        if (e.operator === "~") return t === "none" ? "none" : "int";
        return t === "int" || t === "float" || t === "none" ? t : "any";
      }
      case "UpdateExpression": {
        const t = this.ty(e.argument);
        return t === "int" || t === "none" ? t : "any";
      }
      case "BinaryExpression": return binaryType(e.operator, this.ty(e.left), this.ty(e.right));
      case "AssignmentExpression":
        if (e.operator === "=") return this.ty(e.value);
        return binaryType(e.operator.slice(0, -1), this.ty(e.target), this.ty(e.value));
      case "ConditionalExpression": return join(this.ty(e.consequent), this.ty(e.alternate));
      case "TypeofExpression": return "string";
      case "SequenceExpression": return this.ty(e.expressions[e.expressions.length - 1]);
      case "LogicalExpression": {
        const a = this.ty(e.left), b = this.ty(e.right);
        return a === b ? a : "any";
      }
      default: return "any";
    }
  }



  private lookup(name: string): Binding | undefined {
    for (let s: Scope | null = this.scope; s !== null; s = s.parent) {
      const b = s.vars.get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  private hoist(prefix: string, text: string): string {
    const name = `${prefix}${this.hoisted.length}`;
    this.hoisted.push(`const ${name}=${text};`);
    return name;
  }

  private mark(loc: A.Loc): string {
    return lineMark(loc.line);
  }

  private withScope<T>(f: () => T): T {
    const saved = this.scope;
    this.scope = new Scope(saved, this.fn);
    try {
      return f();
    } finally {
      this.scope = saved;
    }
  }

  /**
   * `o.key = v` for a simple `o` and a simple `v`: an instance field or an existing table
   * slot is written directly; everything else (metamethods, delegates, errors) goes to $set.
   */
  private writeSlot(o: string, key: string, v: string, tv: Ty): string {
    if (!IDENT.test(key)) return `$set(${o},${JSON.stringify(key)},${v})`;
    const s = `$${key}`;
    return `((${this.isField(o, s)}||(${o} instanceof $SqTable&&${o}.${s}!==undefined))${notWeak(v, tv)}?(${o}.${s}=${v}):$set(${o},${JSON.stringify(key)},${v}))`;
  }

  /**
   * "o is an instance and `slot` one of its fields". Written out rather than as an optional
   * chain: QuickJS runs `o?.fs?.k===1||...` several times slower.
   */
  private isField(o: string, slot: string): string {
    const t = this.fn.temp();
    return `(${o}!==null&&(${t}=${o}.fs)!==undefined&&${t}.${slot}===1)`;
  }

  /** `name = v` for a name that is not a local: a field of `this` directly, else $setVar. */
  private writeVar(name: string, v: string, tv: Ty): string {
    const set = `$setVar($this,${JSON.stringify(name)},${v},$root)`;
    if (!IDENT.test(name)) return set;
    return `(${this.isField("$this", "$" + name)}${notWeak(v, tv)}?($this.$${name}=${v}):${set})`;
  }

  /** An expression usable several times in the output: a name or a literal, else a temp. */
  private simple(e: A.Expression, out: string[]): string {
    const mark = this.fn.temps;
    const code = this.expr(e);
    if (isSimple(e, this)) return code;
    // the temps inside `code` are dead once its value is in `t` (JS evaluates the right side
    // first, so `t` may even be one of them)
    this.fn.temps = mark;
    const t = this.fn.temp();
    out.push(`${t}=${code}`);
    return t;
  }

  isLocal(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  // ---------------------------------------------------------------- statements

  private statements(list: A.Statement[]): string {
    let s = "";
    for (const st of list) s += this.statement(st);
    return s;
  }

  /** A statement as a braced block, so a `local` in it stays in it. */
  private body(st: A.Statement): string {
    return this.withScope(() => `{${this.statement(st)}}`);
  }

  private statement(st: A.Statement): string {
    const m = this.mark(st.loc);
    this.fn.temps = 0;
    switch (st.type) {
      case "ExpressionStatement":
        return `${m}${this.expr(st.expression)};`;
      case "LocalStatement": {
        let s = m;
        for (const d of st.declarations) {
          const init = d.init === null ? "null" : this.expr(d.init);
          const t = d.init === null ? "any" : this.ty(d.init);
          s += `let ${this.declare(d.name, t)}=${init};`;
        }
        return s;
      }
      case "LocalFunctionStatement": {
        // the name is bound after the body is compiled: the function cannot see itself
        const f = this.func(st.func, st.name);
        return `${m}let ${this.declare(st.name, "any")}=${f};`;
      }
      case "FunctionStatement": {
        const name = st.target[st.target.length - 1];
        const f = this.func(st.func, name);
        if (st.target.length === 1) return `${m}$newSlot($this,${JSON.stringify(name)},${f});`;
        let obj = this.identifier({ type: "Identifier", name: st.target[0], loc: st.loc });
        for (const part of st.target.slice(1, -1)) obj = `$get(${obj},${JSON.stringify(part)})`;
        return `${m}$newSlot(${obj},${JSON.stringify(name)},${f});`;
      }
      case "ClassStatement": {
        const cls = this.classExpr(st.cls);
        const t = st.target;
        if (t.type === "Identifier") return `${m}$newSlot($this,${JSON.stringify(t.name)},${cls});`;
        if (t.type === "MemberExpression") return `${m}$newSlot(${this.expr(t.object)},${JSON.stringify(t.property)},${cls});`;
        if (t.type === "RootExpression") return `${m}$newSlot($root,${JSON.stringify(t.property)},${cls});`;
        return this.error(st.loc, "invalid class name");
      }
      case "BlockStatement":
        return this.withScope(() => `${m}{${this.statements(st.body)}}`);
      case "IfStatement":
        return `${m}if(${this.test(st.test)})${this.body(st.consequent)}` +
          (st.alternate ? `else${this.body(st.alternate)}` : "");
      case "WhileStatement":
        return `${m}while(${this.test(st.test)})${this.body(st.body)}`;
      case "DoWhileStatement":
        return `${m}do${this.body(st.body)}while(${this.test(st.test)});`;
      case "ForStatement":
        return this.withScope(() => {
          // one binding for the whole loop: closures made in it share the counter, as in Squirrel
          let init = "";
          if (st.init !== null) {
            if (st.init.type === "LocalStatement") init = this.statement(st.init);
            else init = `${this.expr(st.init)};`;
          }
          const test = st.test === null ? "" : this.test(st.test);
          const update = st.update === null ? "" : this.expr(st.update);
          return `${m}{${init}for(;${test};${update})${this.body(st.body)}}`;
        });
      case "ForeachStatement":
        return this.withScope(() => {
          const obj = this.expr(st.object);
          const it = this.fn.blockVar();
          const k = st.key === null ? null : this.declare(st.key, "any");
          const v = this.declare(st.value, "any");
          const decl = k === null ? `let ${v};` : `let ${k},${v};`;
          const assign = (k === null ? "" : `${k}=${it}.k;`) + `${v}=${it}.v;`;
          return `${m}{${decl}for(let ${it}=$iterate(${obj});${it}.next();){${assign}${this.body(st.body)}}}`;
        });
      case "SwitchStatement": {
        const d = this.fn.blockVar();
        let s = `${m}{let ${d}=${this.expr(st.discriminant)};switch(true){`;
        this.withScope(() => {
          for (const c of st.cases) {
            s += c.test === null ? "default:" : `case ${this.equals(d, c.test)}:`;
            s += this.statements(c.body);
          }
        });
        return s + "}}";
      }
      case "BreakStatement":
        return `${m}break;`;
      case "ContinueStatement":
        return `${m}continue;`;
      case "ReturnStatement":
        return `${m}return ${st.argument === null ? "null" : `(${this.expr(st.argument)})`};`;
      case "YieldStatement":
        return `${m}yield ${st.argument === null ? "null" : `(${this.expr(st.argument)})`};`;
      case "ThrowStatement":
        return `${m}$throwValue(${this.expr(st.argument)});`;
      case "TryStatement": {
        const e = this.fn.blockVar();
        const block = this.body(st.block);
        const handler = this.withScope(() => {
          const p = this.declare(st.param, "any");
          return `{let ${p}=$caught(${e});${this.statement(st.handler)}}`;
        });
        return `${m}try${block}catch(${e}){${handler}}`;
      }
      case "EnumStatement": {
        const members = new Map<string, A.ScalarValue>();
        for (const mem of st.members) members.set(mem.name, mem.value);
        this.consts.set(st.name, { kind: "enum", members });
        return `${m}$setConst(${JSON.stringify(st.name)},${this.enumTable(members)});`;
      }
      case "ConstStatement":
        this.consts.set(st.name, st.value);
        return `${m}$setConst(${JSON.stringify(st.name)},${this.scalar(st.value)});`;
      case "EmptyStatement":
        return "";
    }
  }

  private enumTable(members: Map<string, A.ScalarValue>): string {
    const kv: string[] = [];
    for (const [k, v] of members) kv.push(JSON.stringify(k), this.scalar(v));
    return `$makeTable([${kv.join(",")}])`;
  }

  private scalar(v: A.ScalarValue): string {
    switch (v.kind) {
      case "integer": return v.value < 0 ? `(${v.value})` : String(v.value);
      case "float": return this.floatConst(v.value);
      case "string": return JSON.stringify(v.value);
      case "bool": return v.value ? "true" : "false";
    }
  }

  private floatConst(x: number): string {
    const text = Object.is(x, -0) ? "-0" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : x !== x ? "NaN" : String(x);
    return this.hoist("F", `new $r.SqFloat(${text})`);
  }

  /** A condition as a JS boolean. */
  private test(e: A.Expression): string {
    if (this.isBool(e) || this.ty(e) === "bool") return this.expr(e);
    if (this.ty(e) === "int") return `(${this.expr(e)}!==0)`;
    if (e.type === "LogicalExpression") {
      const op = e.operator;
      return `(${this.test(e.left)}${op}${this.test(e.right)})`;
    }
    return `$truthy(${this.expr(e)})`;
  }

  private isBool(e: A.Expression): boolean {
    switch (e.type) {
      case "BoolLiteral": return true;
      case "UnaryExpression": return e.operator === "!";
      case "BinaryExpression":
        return ["==", "!=", "<", "<=", ">", ">=", "in", "instanceof"].includes(e.operator);
      default: return false;
    }
  }

  /** Squirrel `==` between a temp/simple value and an expression. */
  private equals(a: string, e: A.Expression): string {
    if (e.type === "StringLiteral" || e.type === "NullLiteral" || e.type === "BoolLiteral") return `(${a}===${this.expr(e)})`;
    const out: string[] = [];
    const b = this.simple(e, out);
    return `(${out.length ? out.join(",") + "," : ""}${a}===${b}||$eq(${a},${b}))`;
  }

  // ---------------------------------------------------------------- functions and classes

  private func(f: A.FunctionExpression, name: string | null): string {
    const displayName = name !== null && IDENT.test(name) ? name : f.name !== null && IDENT.test(f.name) ? f.name : "unknown";
    const jsName = `${displayName}$$`;
    // defaults are evaluated where the closure is made, in the enclosing scope
    const defaults = f.params.filter((p) => p.default !== null).map((p) => this.expr(p.default!));
    const info = this.hoist("I", JSON.stringify({
      name: f.name,
      nparams: f.params.length,
      defaults: [],
      varargs: f.varargs,
      generator: f.isGenerator,
      src: this.file,
      line: f.loc.line,
      paramNames: f.params.map((p) => p.name),
    }));
    const plain = this.functionText(f, jsName, false);
    const co = this.threads && !f.isGenerator ? this.functionText(f, jsName, true) : null;
    const defs = defaults.length ? `[${defaults.join(",")}]` : "null";
    const made = `$makeClosure(${plain},${info},${defs}${co === null ? "" : "," + co})`;
    return f.bindEnv === undefined ? made : `$bindEnv(${made},${this.expr(f.bindEnv)})`;
  }

  private functionText(f: A.FunctionExpression, jsName: string, co: boolean): string {
    const savedFn = this.fn;
    const savedScope = this.scope;
    this.fn = new FunctionContext(savedFn, jsName, co);
    this.scope = new Scope(savedScope, this.fn);
    try {
      const params = f.params.map((p) => this.declare(p.name, "any"));
      if (f.varargs) params.push(this.declare("vargv", "any"));
      const body = this.statements(f.body.body);
      const decls = this.fn.declarations();
      const head = `($this${params.map((p) => "," + p).join("")})`;
      if (co) return `function*${jsName}${head}{${decls}${body}return null;}`;
      if (f.isGenerator) {
        return `function ${jsName}${head}{return $makeGenerator((function*(){${decls}${body}return null;})(),${jsName});}`;
      }
      return `function ${jsName}${head}{${decls}${body}return null;}`;
    } finally {
      this.fn = savedFn;
      this.scope = savedScope;
    }
  }

  private classExpr(c: A.ClassExpression): string {
    const t = this.fn.temp();
    const base = c.base === null ? "null" : this.expr(c.base);
    const attrs = c.attributes === null ? "null" : this.expr(c.attributes);
    let s = `(${t}=$newClass(${base},${attrs})`;
    for (const mem of c.members) {
      const key = mem.key.type === "StringLiteral" ? JSON.stringify(mem.key.value) : this.expr(mem.key);
      const name = mem.key.type === "StringLiteral" ? mem.key.value : null;
      const value = mem.value.type === "FunctionExpression" ? this.func(mem.value, name) : this.expr(mem.value);
      const attr = mem.attributes === null ? "null" : this.expr(mem.attributes);
      s += `,$newMember(${t},${key},${value},${attr},${mem.isStatic})`;
    }
    return s + `,${t})`;
  }

  // ---------------------------------------------------------------- expressions

  expr(e: A.Expression): string {
    switch (e.type) {
      case "IntegerLiteral": return e.value < 0 ? `(${e.value})` : String(e.value);
      case "FloatLiteral": return this.floatConst(e.value);
      case "StringLiteral": return JSON.stringify(e.value);
      case "BoolLiteral": return e.value ? "true" : "false";
      case "NullLiteral": return "null";
      case "Identifier": return this.identifier(e);
      case "ThisExpression": return "$this";
      case "BaseExpression": return `(${this.fn.jsName}.base??null)`;
      case "RootExpression": return this.read("$root", e.property);
      case "MemberExpression": return this.member(e);
      case "IndexExpression": return this.index(e);
      case "CallExpression": return this.call(e);
      case "UnaryExpression": return this.unary(e);
      case "UpdateExpression": return this.update(e);
      case "BinaryExpression": return this.binary(e.operator, e.left, e.right);
      case "LogicalExpression": {
        const t = this.fn.temp();
        const l = this.expr(e.left), r = this.expr(e.right);
        return e.operator === "&&"
          ? `($truthy(${t}=${l})?${r}:${t})`
          : `($truthy(${t}=${l})?${t}:${r})`;
      }
      case "AssignmentExpression": return this.assign(e);
      case "NewSlotExpression": return this.newSlot(e);
      case "DeleteExpression": return this.deleteExpr(e);
      case "ConditionalExpression":
        return `(${this.test(e.test)}?${this.expr(e.consequent)}:${this.expr(e.alternate)})`;
      case "SequenceExpression": return `(${e.expressions.map((x) => this.expr(x)).join(",")})`;
      case "ArrayExpression": return `[${e.elements.map((x) => this.expr(x)).join(",")}]`;
      case "TableExpression": {
        const kv: string[] = [];
        for (const en of e.entries) {
          const name = en.key.type === "StringLiteral" ? en.key.value : null;
          kv.push(this.expr(en.key), en.value.type === "FunctionExpression" ? this.func(en.value, name) : this.expr(en.value));
        }
        return `$makeTable([${kv.join(",")}])`;
      }
      case "FunctionExpression": return this.func(e, e.name);
      case "ClassExpression": return this.classExpr(e);
      case "ResumeExpression": return `$resume(${this.expr(e.argument)})`;
      case "CloneExpression": return `$cloneOp(${this.expr(e.argument)})`;
      case "TypeofExpression": return `$typeofOp(${this.expr(e.argument)})`;
    }
  }

  private constant(name: string): ConstValue | undefined {
    return this.lookup(name) === undefined ? this.consts.get(name) : undefined;
  }

  private identifier(e: A.Identifier): string {
    const b = this.lookup(e.name);
    if (b !== undefined) return b.js;
    const c = this.consts.get(e.name);
    if (c !== undefined) return c.kind === "enum" ? this.enumTable(c.members) : this.scalar(c);
    const t = this.fn.temp();
    return `((${t}=$this${this.slot(e.name)})!==undefined?${t}:$getVar($this,${JSON.stringify(e.name)},$root))`;
  }

  /** `obj.key` where obj is already a simple JS expression. */
  private read(obj: string, key: string): string {
    const t = this.fn.temp();
    return `((${t}=${obj}${this.slot(key)})!==undefined?${t}:$get(${obj},${JSON.stringify(key)}))`;
  }

  private member(e: A.MemberExpression): string {
    // enum members are constants
    if (e.object.type === "Identifier") {
      const c = this.constant(e.object.name);
      if (c !== undefined && c.kind === "enum") {
        const v = c.members.get(e.property);
        if (v !== undefined) return this.scalar(v);
      }
    }
    const out: string[] = [];
    const o = this.simple(e.object, out);
    const r = this.read(o, e.property);
    return out.length ? `(${out.join(",")},${r})` : r;
  }

  private index(e: A.IndexExpression): string {
    if (e.index.type === "StringLiteral") {
      return this.member({ type: "MemberExpression", object: e.object, property: e.index.value, loc: e.loc });
    }
    const out: string[] = [];
    const o = this.simple(e.object, out);
    const i = this.simple(e.index, out);
    const t = this.fn.temp();
    out.push(`(${o} instanceof Array&&${isInt(i)}&&(${t}=${o}[${i}])!==undefined)?${t}:$get(${o},${i})`);
    return `(${out.join(",")})`;
  }

  private call(e: A.CallExpression): string {
    const out: string[] = [];
    const c = e.callee;
    // callee(): the running closure, known where it is compiled (the reference's base function)
    if (c.type === "Identifier" && c.name === "callee" && e.args.length === 0 && !this.isLocal("callee") && !this.fn.co) {
      return this.withInitializers(e, [this.fn.jsName]);
    }
    let self: string;
    let f: string;
    let intrinsic: Intrinsic | null = null;
    if (c.type === "MemberExpression" || (c.type === "IndexExpression")) {
      const isBase = c.object.type === "BaseExpression";
      const o = this.simple(c.object, out);
      self = isBase ? "$this" : o;
      f = this.fn.temp();
      const lookup = c.type === "MemberExpression"
        ? `(${f}=${o}${this.slot(c.property)})===undefined&&(${f}=$get(${o},${JSON.stringify(c.property)}))`
        : `${f}=$get(${o},${this.expr(c.index)})`;
      if (c.type === "MemberExpression" && !isBase && !this.fn.co) intrinsic = this.intrinsic(o, c.property, e.args.length);
      if (intrinsic === null) out.push(lookup);
      else f = `(${lookup},${f})`;
    } else {
      self = "$this";
      f = this.simple(c, out);
    }
    const argTypes = e.args.map((a) => this.ty(a));
    const args = e.args.map((a) => this.simple(a, out));
    if (intrinsic !== null) {
      // the lookup happens only on the generic path: f is an expression there
      const fn = this.fn.temp();
      const list = [self, ...args].join(",");
      const generic = `(${fn}=${f},${fn}?.np===${args.length + 1}?${fn}(${list}):$callv(${fn},${list}))`;
      out.push(intrinsic(generic, args, argTypes));
      return this.withInitializers(e, out);
    }
    const n = args.length + 1;
    const list = [self, ...args].join(",");
    out.push(this.fn.co
      ? `(yield*$cocall(${f},${self},[${args.join(",")}]))`
      : `(${f}?.np===${n}?${f}(${list}):$callv(${f},${list}))`);
    return this.withInitializers(e, out);
  }

  /**
   * Default-delegate methods of arrays and strings done inline: neither can have slots of
   * its own or a delegate, so on them these names always mean the built-in method.
   */
  private intrinsic(o: string, name: string, argc: number): Intrinsic | null {
    if (name === "len" && argc === 0) {
      return (g) => `((${o} instanceof Array||typeof ${o}==="string")?${o}.length:${g})`;
    }
    if ((name === "append" || name === "push") && argc === 1) {
      return (g, [a], [ta]) => `(${o} instanceof Array${notWeak(a, ta)}?(${o}.push(${a}),${o}):${g})`;
    }
    return null;
  }

  /** `f(args) { k = v, ... }` sets each entry on the call's result. */
  private withInitializers(e: A.CallExpression, out: string[]): string {
    if (e.initializers !== undefined) {
      const r = this.fn.temp();
      out.push(`${r}=${out.pop()}`);
      for (const en of e.initializers) out.push(`$set(${r},${this.expr(en.key)},${this.expr(en.value)})`);
      out.push(r);
    }
    return `(${out.join(",")})`;
  }

  private unary(e: A.UnaryExpression): string {
    if (e.operator === "!") return `!${this.test(e.argument)}`;
    if (e.operator === "-" && e.argument.type === "IntegerLiteral") return `(${(-e.argument.value) | 0})`;
    if (e.operator === "-" && e.argument.type === "FloatLiteral") return this.floatConst(Math.fround(-e.argument.value));
    const out: string[] = [];
    const a = this.simple(e.argument, out);
    const pre = out.length ? out.join(",") + "," : "";
    if (e.operator === "-") return `(${pre}${isInt(a)}?(-${a})|0:$unm(${a}))`;
    return `(${pre}${isInt(a)}?~${a}:$bitnot(${a}))`;
  }

  /** Arithmetic/bitwise/comparison of two simple JS operands; only operands not known to be ints are checked. */
  private op(op: string, a: string, b: string, ta: Ty, tb: Ty): string {
    const checks = [ta === "int" ? "" : `${isInt(a)}`, tb === "int" ? "" : `${isInt(b)}`].filter((c) => c);
    const wrap = (fast: string, slow: string) => (checks.length === 0 ? `(${fast})` : `(${checks.join("&&")}?${fast}:${slow})`);
    switch (op) {
      case "+":
        // an integer prints as JS prints it; floats need %g, so they go through $concat
        if ((ta === "string" && (tb === "string" || tb === "int")) || (ta === "int" && tb === "string")) return `(${a}+${b})`;
        if (ta === "string") return `$concat(${a},${b})`;
        return wrap(`(${a}+${b})|0`, `$add(${a},${b})`);
      case "-": return wrap(`(${a}-${b})|0`, `$sub(${a},${b})`);
      case "*": {
        // exact while the product fits in a double's 53 bits; Math.imul (a C call in QuickJS) beyond
        const p = this.fn.temp();
        return wrap(`(${p}=${a}*${b},${p}>9007199254740991||${p}<-9007199254740991?Math.imul(${a},${b}):${p}|0)`, `$mul(${a},${b})`);
      }
      case "/": return `$div(${a},${b})`;
      case "%": return `$mod(${a},${b})`;
      case "&": case "|": case "^": case "<<": case ">>":
        return wrap(`${a}${op}${b}`, `$bitop("${op}",${a},${b})`);
      case ">>>": return wrap(`(${a}>>>${b})|0`, `$bitop(">>>",${a},${b})`);
      case "<": return wrap(`${a}<${b}`, `$lt(${a},${b})`);
      case "<=": return wrap(`${a}<=${b}`, `$le(${a},${b})`);
      case ">": return wrap(`${a}>${b}`, `$gt(${a},${b})`);
      case ">=": return wrap(`${a}>=${b}`, `$ge(${a},${b})`);
      case "<=>": return wrap(`${a}<${b}?-1:${a}>${b}?1:0`, `$cmp(${a},${b})`);
      case "==": return ta === "int" && tb === "int" ? `(${a}===${b})` : `(${a}===${b}||$eq(${a},${b}))`;
      case "!=": return ta === "int" && tb === "int" ? `(${a}!==${b})` : `!(${a}===${b}||$eq(${a},${b}))`;
      case "in": return `$has(${a},${b})`;
      case "instanceof": return `$instanceOf(${a},${b})`;
    }
    throw new Error(`unknown operator ${op}`);
  }

  private binary(op: string, left: A.Expression, right: A.Expression): string {
    if ((op === "==" || op === "!=") && (isPlainLiteral(right) || isPlainLiteral(left))) {
      const [x, lit] = isPlainLiteral(right) ? [left, right] : [right, left];
      const r = `(${this.expr(x)}===${this.expr(lit)})`;
      return op === "==" ? r : `!${r}`;
    }
    const ta = this.ty(left), tb = this.ty(right);
    const out: string[] = [];
    const a = this.simple(left, out);
    const b = this.simple(right, out);
    let r = this.op(op, a, b, ta, tb);
    // integer constants: exact native multiply, division and modulo without a call
    if (right.type === "IntegerLiteral" && right.value !== 0 && right.value !== -1) {
      const v = right.value;
      const fast = (x: string, slow: string) => (ta === "int" ? `(${x})` : `(${isInt(a)}?${x}:${slow})`);
      if (op === "*" && Math.abs(v) < 1 << 21) r = fast(`(${a}*${b})|0`, `$mul(${a},${b})`);
      if (op === "/") r = fast(`(${a}/${b})|0`, `$div(${a},${b})`);
      if (op === "%") r = fast(`(${a}%${b})|0`, `$mod(${a},${b})`);
    }
    return out.length ? `(${out.join(",")},${r})` : r;
  }

  private assign(e: A.AssignmentExpression): string {
    const t = e.target;
    const compound = e.operator === "=" ? null : e.operator.slice(0, -1);
    if (t.type === "Identifier") {
      const b = this.lookup(t.name);
      if (b === undefined && this.consts.has(t.name)) this.error(t.loc, "can't assign to a constant");
      if (b !== undefined) {
        this.assigned(b.id, this.ty(e));
        if (compound === null) return `(${b.js}=${this.expr(e.value)})`;
        const tv = this.ty(e.value);
        const out: string[] = [];
        const v = this.simple(e.value, out);
        return `(${out.length ? out.join(",") + "," : ""}${b.js}=${this.op(compound, b.js, v, this.bindingType(b), tv)})`;
      }
      const name = JSON.stringify(t.name);
      if (compound === null) {
        const out: string[] = [];
        const tv = this.ty(e.value);
        const v = this.simple(e.value, out);
        const w = this.writeVar(t.name, v, tv);
        return out.length ? `(${out.join(",")},${w})` : w;
      }
      const cur = this.fn.temp();
      const out = [`${cur}=${this.identifier(t)}`];
      const tv = this.ty(e.value);
      const v = this.simple(e.value, out);
      const nv = this.fn.temp();
      return `(${out.join(",")},${nv}=${this.op(compound, cur, v, "any", tv)},${this.writeVar(t.name, nv, binaryType(compound, "any", tv))})`;
    }
    const out: string[] = [];
    const [o, k] = this.slotTarget(t, out, "can't assign expression");
    if (compound === null) {
      if (t.type === "MemberExpression") {
        const tv = this.ty(e.value);
        const v = this.simple(e.value, out);
        out.push(this.writeSlot(o, t.property, v, tv));
      } else {
        out.push(`$set(${o},${k},${this.expr(e.value)})`);
      }
    } else {
      const cur = this.fn.temp();
      out.push(`${cur}=$get(${o},${k})`);
      const tv = this.ty(e.value);
      const v = this.simple(e.value, out);
      out.push(`$set(${o},${k},${this.op(compound, cur, v, "any", tv)})`);
    }
    return `(${out.join(",")})`;
  }

  /** The object and key of a slot being written (`o.k`, `o[k]`, `::k`), both simple. */
  private slotTarget(t: A.Expression, out: string[], error: string): [string, string] {
    switch (t.type) {
      case "MemberExpression": return [this.simple(t.object, out), JSON.stringify(t.property)];
      case "IndexExpression": {
        const o = this.simple(t.object, out);
        return [o, this.simple(t.index, out)];
      }
      case "RootExpression": return ["$root", JSON.stringify(t.property)];
      default: return this.error(t.loc, error);
    }
  }

  private update(e: A.UpdateExpression): string {
    const op = e.operator === "++" ? "+" : "-";
    const t = e.argument;
    const old = this.fn.temp();
    const nv = (x: string) => `(${isInt(x)}?(${x}${op}1)|0:$${op === "+" ? "add" : "sub"}(${x},1))`;
    if (t.type === "Identifier") {
      const b = this.lookup(t.name);
      if (b !== undefined) {
        const bt = this.bindingType(b);
        const isInt = bt === "int";
        this.assigned(b.id, isInt || bt === "none" ? bt : "any");
        if (isInt) return e.prefix ? `(${b.js}=(${b.js}${op}1)|0)` : `((${b.js}=(${b.js}${op}1)|0)${op === "+" ? "-" : "+"}1|0)`;
        if (e.prefix) return `(${b.js}=${nv(b.js)})`;
        return `(${old}=${b.js},${b.js}=${nv(old)},${old})`;
      }
      const name = JSON.stringify(t.name);
      const set = `$setVar($this,${name},${nv(old)},$root)`;
      return e.prefix ? `(${old}=${this.identifier(t)},${set})` : `(${old}=${this.identifier(t)},${set},${old})`;
    }
    const out: string[] = [];
    const [o, k] = this.slotTarget(t, out, "can't increment expression");
    out.push(`${old}=$get(${o},${k})`);
    out.push(e.prefix ? `$set(${o},${k},${nv(old)})` : `$set(${o},${k},${nv(old)}),${old}`);
    return `(${out.join(",")})`;
  }

  private newSlot(e: A.NewSlotExpression): string {
    const t = e.target;
    if (t.type === "Identifier") {
      const b = this.lookup(t.name);
      if (b !== undefined) {
        this.assigned(b.id, this.ty(e.value));
        return `(${b.js}=${this.expr(e.value)})`;
      }
      return `$newSlot($this,${JSON.stringify(t.name)},${this.valueFor(e.value, t.name)})`;
    }
    if (t.type === "RootExpression") return `$newSlot($root,${JSON.stringify(t.property)},${this.valueFor(e.value, t.property)})`;
    const out: string[] = [];
    if (t.type === "MemberExpression") {
      const o = this.simple(t.object, out);
      out.push(`$newSlot(${o},${JSON.stringify(t.property)},${this.valueFor(e.value, t.property)})`);
    } else if (t.type === "IndexExpression") {
      const o = this.simple(t.object, out);
      const k = this.simple(t.index, out);
      out.push(`$newSlot(${o},${k},${this.expr(e.value)})`);
    } else {
      return this.error(t.loc, "can't 'create' a slot in that expression");
    }
    return `(${out.join(",")})`;
  }

  /** A function value takes the name of the slot it is created in. */
  private valueFor(v: A.Expression, name: string): string {
    return v.type === "FunctionExpression" ? this.func(v, v.name ?? name) : this.expr(v);
  }

  private deleteExpr(e: A.DeleteExpression): string {
    const t = e.argument;
    if (t.type === "MemberExpression") return `$delSlot(${this.expr(t.object)},${JSON.stringify(t.property)})`;
    if (t.type === "IndexExpression") {
      const out: string[] = [];
      const o = this.simple(t.object, out);
      out.push(`$delSlot(${o},${this.expr(t.index)})`);
      return `(${out.join(",")})`;
    }
    if (t.type === "RootExpression") return `$delSlot($root,${JSON.stringify(t.property)})`;
    if (t.type === "Identifier" && this.lookup(t.name) === undefined) return `$delSlot($this,${JSON.stringify(t.name)})`;
    return this.error(t.loc, "can't delete an expression");
  }
}

/**
 * "x holds an integer": cheaper than `typeof` in QuickJS. Squirrel integers are the only
 * int32 JS numbers among Squirrel values; anything else fails the test (a float object
 * converts to NaN through SqFloat's valueOf, a string does not equal its number).
 */
function isInt(x: string): string {
  return `(${x}|0)===${x}`;
}

/** "v is not a weak reference" (stored weak references are dereferenced), unless its type says so. */
function notWeak(v: string, tv: Ty): string {
  return tv === "any" || tv === "none" ? `&&!(${v} instanceof $SqWeakRef)` : "";
}

function isPlainLiteral(e: A.Expression): boolean {
  return e.type === "StringLiteral" || e.type === "NullLiteral" || e.type === "BoolLiteral";
}

/** A name or literal: safe to repeat in the output without a temp. */
function isSimple(e: A.Expression, c: Compiler): boolean {
  switch (e.type) {
    case "IntegerLiteral": case "StringLiteral": case "BoolLiteral": case "NullLiteral": case "ThisExpression":
    case "FloatLiteral":
      return true;
    case "Identifier":
      return c.isLocal(e.name);
    default:
      return false;
  }
}
