// Squirrel AST -> JavaScript text run by the runtime (src/runtime) inside QuickJS.
//
// The output is one function expression `(function($r){ ...; return function main$$($this, vargv){...} })`.
// Safety: names and literals from the source never reach the output unescaped: identifiers
// are checked against Squirrel's identifier syntax before use in JS names, strings go
// through JSON.stringify.
// Lines: statements are placed on the JS line of their Squirrel line (markers resolved at
// the end), so QuickJS's own stack traces give Squirrel line numbers.
// Speed: integer operations are emitted inline behind integer checks, slot reads try the
// "$key" property first, and calls go straight to the JS function when its arity matches.//
// The compiler is split by area, as the parser is: compiler-scope.ts (state, scopes, temps,
// the runtime names), compiler-fast-paths.ts, compiler-expressions.ts, and here the statements
// and the program.
import type * as A from "./ast.ts";
import { FunctionContext, RUNTIME, Scope } from "./compiler-scope.ts";
import { ExpressionCompiler } from "./compiler-expressions.ts";
import { resolveLines } from "./line-markers.ts";

export class Compiler extends ExpressionCompiler {
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

  protected compilePass(p: A.Program): string {
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

  // ---------------------------------------------------------------- statements

  protected statements(list: A.Statement[]): string {
    let s = "";
    for (const st of list) s += this.statement(st);
    return s;
  }

  /** A statement as a braced block, so a `local` in it stays in it. */
  protected body(st: A.Statement): string {
    return this.withScope(() => `{${this.statement(st)}}`);
  }

  protected statement(st: A.Statement): string {
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
        const name = st.target[st.target.length - 1]!;
        const f = this.func(st.func, name);
        if (st.target.length === 1) return `${m}$newSlot($this,${JSON.stringify(name)},${f});`;
        let obj = this.identifier({ type: "Identifier", name: st.target[0]!, loc: st.loc });
        for (const part of st.target.slice(1, -1)) obj = `$get(${obj},${JSON.stringify(part)})`;
        return `${m}$newSlot(${obj},${JSON.stringify(name)},${f});`;
      }
      case "ClassStatement": {
        const cls = this.classExpr(st.cls);
        const t = st.target;
        if (t.type === "Identifier") return `${m}$newSlot($this,${JSON.stringify(t.name)},${cls});`;
        if (t.type === "MemberExpression")
          return `${m}$newSlot(${this.expr(t.object)},${JSON.stringify(t.property)},${cls});`;
        if (t.type === "RootExpression")
          return `${m}$newSlot($root,${JSON.stringify(t.property)},${cls});`;
        return this.error(st.loc, "invalid class name");
      }
      case "BlockStatement":
        return this.withScope(() => `${m}{${this.statements(st.body)}}`);
      case "IfStatement":
        return (
          `${m}if(${this.test(st.test)})${this.body(st.consequent)}` +
          (st.alternate ? `else${this.body(st.alternate)}` : "")
        );
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
          // An array is walked by index here, without an iterator object; anything else through
          // $iterate. The length is read at each step, as the reference does.
          const o = this.fn.blockVar();
          const i = this.fn.blockVar();
          const fromArray = (k === null ? "" : `${k}=${i};`) + `${v}=${o}[${i}];`;
          const fromIterator = (k === null ? "" : `${k}=${it}.k;`) + `${v}=${it}.v;`;
          return (
            `${m}{${decl}for(let ${o}=${obj},${it}=${o} instanceof Array?null:$iterate(${o}),${i}=0;` +
            `${it}===null?${i}<${o}.length:${it}.next();${i}++){` +
            `if(${it}===null){${fromArray}}else{${fromIterator}}${this.body(st.body)}}}`
          );
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
}
