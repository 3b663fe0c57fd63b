// The compiler's expressions, functions and classes: each Squirrel expression to JS text,
// through the fast paths (compiler-fast-paths.ts) where the types allow and the runtime's
// generic operations elsewhere. Statements are the layer above (compiler.ts).
import type * as A from "./ast.ts";
import { CompilerScope, FunctionContext, IDENT, Scope, type ConstValue } from "./compiler-scope.ts";
import { FastPathCompiler, isInt, isPlainLiteral, type Intrinsic } from "./compiler-fast-paths.ts";
import { binaryType } from "./static-types.ts";
import { mayAssign, mayHaveEffects } from "./ast-walk.ts";

export abstract class ExpressionCompiler extends FastPathCompiler {
  /** A list of statements' JS text (compiler.ts). */
  protected abstract statements(list: A.Statement[]): string;

  protected enumTable(members: Map<string, A.ScalarValue>): string {
    const kv: string[] = [];
    for (const [k, v] of members) kv.push(JSON.stringify(k), this.scalar(v));
    return `$makeTable([${kv.join(",")}],false)`;
  }

  protected scalar(v: A.ScalarValue): string {
    switch (v.kind) {
      case "integer":
        return v.value < 0 ? `(${v.value})` : String(v.value);
      case "float":
        return this.floatConst(v.value);
      case "string":
        return JSON.stringify(v.value);
      case "bool":
        return v.value ? "true" : "false";
    }
  }

  protected floatConst(x: number): string {
    const text = Object.is(x, -0)
      ? "-0"
      : x === Infinity
        ? "Infinity"
        : x === -Infinity
          ? "-Infinity"
          : x !== x
            ? "NaN"
            : String(x);
    return this.hoist("F", `new $r.SqFloat(${text})`);
  }

  /** A condition as a JS boolean. */
  protected test(e: A.Expression): string {
    if (this.isBool(e) || this.ty(e) === "bool") return this.expr(e);
    if (this.ty(e) === "int") return `(${this.expr(e)}!==0)`;
    if (e.type === "LogicalExpression") {
      const op = e.operator;
      return `(${this.test(e.left)}${op}${this.test(e.right)})`;
    }
    return `$truthy(${this.expr(e)})`;
  }

  protected isBool(e: A.Expression): boolean {
    switch (e.type) {
      case "BoolLiteral":
        return true;
      case "UnaryExpression":
        return e.operator === "!";
      case "BinaryExpression":
        return ["==", "!=", "<", "<=", ">", ">=", "in", "instanceof"].includes(e.operator);
      default:
        return false;
    }
  }

  /** Squirrel `==` between a temp/simple value and an expression. */
  protected equals(a: string, e: A.Expression): string {
    if (e.type === "StringLiteral" || e.type === "NullLiteral" || e.type === "BoolLiteral")
      return `(${a}===${this.expr(e)})`;
    const out: string[] = [];
    const b = this.simple(e, out);
    return `(${out.length ? out.join(",") + "," : ""}${a}===${b}||$eq(${a},${b}))`;
  }

  protected func(f: A.FunctionExpression, name: string | null): string {
    const displayName =
      name !== null && IDENT.test(name)
        ? name
        : f.name !== null && IDENT.test(f.name)
          ? f.name
          : "unknown";
    const jsName = `${displayName}$$`;
    // defaults are evaluated where the closure is made, in the enclosing scope
    const defaults = f.params.filter((p) => p.default !== null).map((p) => this.expr(p.default!));
    const info = this.hoist(
      "I",
      JSON.stringify({
        name: f.name,
        nparams: f.params.length,
        defaults: [],
        varargs: f.varargs,
        generator: f.isGenerator,
        src: this.file,
        line: f.loc.line,
        paramNames: f.params.map((p) => p.name),
        order: comparisonOrder(f),
      }),
    );
    const plain = this.functionText(f, jsName, false);
    const co = this.threads && !f.isGenerator ? this.functionText(f, jsName, true) : null;
    const defs = defaults.length ? `[${defaults.join(",")}]` : "null";
    const made = `$makeClosure(${plain},${info},${defs}${co === null ? "" : "," + co})`;
    return f.bindEnv === undefined ? made : `$bindEnv(${made},${this.expr(f.bindEnv)})`;
  }

  protected functionText(f: A.FunctionExpression, jsName: string, co: boolean): string {
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

  protected classExpr(c: A.ClassExpression): string {
    const t = this.fn.temp();
    const base = c.base === null ? "null" : this.expr(c.base);
    const attrs = c.attributes === null ? "null" : this.expr(c.attributes);
    let s = `(${t}=$newClass(${base},${attrs})`;
    for (const mem of c.members) {
      const key =
        mem.key.type === "StringLiteral" ? JSON.stringify(mem.key.value) : this.expr(mem.key);
      const name = mem.key.type === "StringLiteral" ? mem.key.value : null;
      const value =
        mem.value.type === "FunctionExpression" ? this.func(mem.value, name) : this.expr(mem.value);
      const attr = mem.attributes === null ? "null" : this.expr(mem.attributes);
      s += `,$newMember(${t},${key},${value},${attr},${mem.isStatic})`;
    }
    return s + `,${t})`;
  }

  expr(e: A.Expression): string {
    switch (e.type) {
      case "IntegerLiteral":
        return e.value < 0 ? `(${e.value})` : String(e.value);
      case "FloatLiteral":
        return this.floatConst(e.value);
      case "StringLiteral":
        return JSON.stringify(e.value);
      case "BoolLiteral":
        return e.value ? "true" : "false";
      case "NullLiteral":
        return "null";
      case "Identifier":
        return this.identifier(e);
      case "ThisExpression":
        return "$this";
      case "BaseExpression":
        return `(${this.fn.jsName}.base??null)`;
      case "RootExpression":
        return this.read("$root", e.property);
      case "MemberExpression":
        return this.member(e);
      case "IndexExpression":
        return this.index(e);
      case "CallExpression":
        return this.call(e);
      case "UnaryExpression":
        return this.unary(e);
      case "UpdateExpression":
        return this.update(e);
      case "BinaryExpression":
        return this.binary(e.operator, e.left, e.right);
      case "LogicalExpression": {
        const t = this.fn.temp();
        const l = this.expr(e.left),
          r = this.expr(e.right);
        return e.operator === "&&"
          ? `($truthy(${t}=${l})?${r}:${t})`
          : `($truthy(${t}=${l})?${t}:${r})`;
      }
      case "AssignmentExpression":
        return this.assign(e);
      case "NewSlotExpression":
        return this.newSlot(e);
      case "DeleteExpression":
        return this.deleteExpr(e);
      case "ConditionalExpression":
        return `(${this.test(e.test)}?${this.expr(e.consequent)}:${this.expr(e.alternate)})`;
      case "SequenceExpression":
        return `(${e.expressions.map((x) => this.expr(x)).join(",")})`;
      case "ArrayExpression":
        return `[${e.elements.map((x) => this.expr(x)).join(",")}]`;
      case "TableExpression": {
        const kv: string[] = [];
        for (const en of e.entries) {
          const name = en.key.type === "StringLiteral" ? en.key.value : null;
          kv.push(
            this.expr(en.key),
            en.value.type === "FunctionExpression"
              ? this.func(en.value, name)
              : this.expr(en.value),
          );
        }
        return `$makeTable([${kv.join(",")}])`;
      }
      case "FunctionExpression":
        return this.func(e, e.name);
      case "ClassExpression":
        return this.classExpr(e);
      case "ResumeExpression":
        return `$resume(${this.expr(e.argument)})`;
      case "CloneExpression":
        return `$cloneOp(${this.expr(e.argument)})`;
      case "TypeofExpression":
        return `$typeofOp(${this.expr(e.argument)})`;
    }
  }

  protected constant(name: string): ConstValue | undefined {
    return this.lookup(name) === undefined ? this.consts.get(name) : undefined;
  }

  protected identifier(e: A.Identifier): string {
    const b = this.lookup(e.name);
    if (b !== undefined) return b.js;
    const c = this.consts.get(e.name);
    if (c !== undefined) return c.kind === "enum" ? this.enumTable(c.members) : this.scalar(c);
    const t = this.fn.temp();
    return `((${t}=$this${this.slot(e.name)})!==undefined?${t}:$getVar($this,${JSON.stringify(e.name)},$root))`;
  }

  /** `obj.key` where obj is already a simple JS expression. */
  protected read(obj: string, key: string): string {
    const t = this.fn.temp();
    return `((${t}=${CompilerScope.readable(obj)}${this.slot(key)})!==undefined?${t}:$get(${obj},${JSON.stringify(key)}))`;
  }

  protected member(e: A.MemberExpression): string {
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

  protected index(e: A.IndexExpression): string {
    if (e.index.type === "StringLiteral") {
      return this.member({
        type: "MemberExpression",
        object: e.object,
        property: e.index.value,
        loc: e.loc,
      });
    }
    const out: string[] = [];
    const o = this.simple(e.object, out);
    const i = this.simple(e.index, out);
    const t = this.fn.temp();
    const int = this.ty(e.index) === "int" ? "" : `${isInt(i)}&&`;
    // a byte of a string (out of range, or from the end, charCodeAt gives NaN: $get decides)
    const byte = `(${t}=${o}.charCodeAt(${i}))===${t}`;
    if (this.ty(e.object) === "string") out.push(`(${int}${byte})?${t}:$get(${o},${i})`);
    else
      out.push(
        `(${o} instanceof Array&&${int}(${t}=${o}[${i}])!==undefined)||(typeof ${o}==="string"&&${int}${byte})?${t}:$get(${o},${i})`,
      );
    return `(${out.join(",")})`;
  }

  protected call(e: A.CallExpression): string {
    const out: string[] = [];
    const c = e.callee;
    // callee(): the running closure, known where it is compiled (the reference's base function)
    if (
      c.type === "Identifier" &&
      c.name === "callee" &&
      e.args.length === 0 &&
      !this.isLocal("callee") &&
      !this.fn.co
    ) {
      return this.withInitializers(e, [this.fn.jsName]);
    }
    let self: string;
    let f: string;
    let intrinsic: Intrinsic | null = null;
    let lookup = (_o: string) => "";
    if (c.type === "MemberExpression" || c.type === "IndexExpression") {
      const isBase = c.object.type === "BaseExpression";
      const later = c.type === "IndexExpression" ? [c.index, ...e.args] : e.args;
      const o = this.objectOperand(c.object, later, out);
      self = isBase ? "$this" : o;
      const m = this.fn.temp();
      f = m;
      const index = c.type === "IndexExpression" ? this.expr(c.index) : "";
      lookup = (o) =>
        c.type === "MemberExpression"
          ? `(${m}=${CompilerScope.readable(o)}${this.slot(c.property)})===undefined&&(${m}=$get(${o},${JSON.stringify(c.property)}))`
          : `${m}=$get(${o},${index})`;
      if (c.type === "MemberExpression" && !isBase && !this.fn.co)
        intrinsic = this.intrinsic(c.property, e.args.length, this.ty(c.object));
      if (intrinsic === null) out.push(lookup(o));
      else if (intrinsic.guard(o) !== "true" && this.argumentsMayHaveEffects(e.args)) {
        // the arguments come after the lookup, which may run a `_get`; where the guard holds
        // it has no effect, and the generic path looks up after all
        out.push(`(${intrinsic.guard(o)}||(${lookup(o)}))`);
        const first = lookup;
        lookup = (o) => `${intrinsic!.guard(o)}&&(${first(o)})`;
      }
    } else {
      self = "$this";
      f = this.simple(c, out);
    }
    const argTypes = e.args.map((a) => this.ty(a));
    const args = e.args.map((a) => this.simple(a, out));
    if (intrinsic !== null) {
      // the method is looked up on the generic path only (f is an expression there)
      const fn = this.fn.temp();
      const list = [self, ...args].join(",");
      const generic = `(${lookup(self)},${fn}=${f},${fn}?.np===${args.length + 1}?${fn}(${list}):${slowCall(args.length)}(${fn},${list}))`;
      out.push(intrinsic.emit(self, generic, args, argTypes));
      return this.withInitializers(e, out);
    }
    const n = args.length + 1;
    const list = [self, ...args].join(",");
    out.push(
      this.fn.co
        ? `(yield*$cocall(${f},${self},[${args.join(",")}]))`
        : `(${f}?.np===${n}?${f}(${list}):${slowCall(args.length)}(${f},${list}))`,
    );
    return this.withInitializers(e, out);
  }

  /** `f(args) { k = v, ... }` sets each entry on the call's result. */
  protected withInitializers(e: A.CallExpression, out: string[]): string {
    if (e.initializers !== undefined) {
      const r = this.fn.temp();
      out.push(`${r}=${out.pop()}`);
      for (const en of e.initializers)
        out.push(`$set(${r},${this.expr(en.key)},${this.expr(en.value)})`);
      out.push(r);
    }
    return `(${out.join(",")})`;
  }

  protected unary(e: A.UnaryExpression): string {
    if (e.operator === "!") return `!${this.test(e.argument)}`;
    if (e.operator === "-" && e.argument.type === "IntegerLiteral")
      return `(${-e.argument.value | 0})`;
    if (e.operator === "-" && e.argument.type === "FloatLiteral")
      return this.floatConst(Math.fround(-e.argument.value));
    const out: string[] = [];
    const a = this.simple(e.argument, out);
    const pre = out.length ? out.join(",") + "," : "";
    if (e.operator === "-") return `(${pre}${isInt(a)}?(-${a})|0:$unm(${a}))`;
    return `(${pre}${isInt(a)}?~${a}:$bitnot(${a}))`;
  }

  protected binary(op: string, left: A.Expression, right: A.Expression): string {
    if ((op === "==" || op === "!=") && (isPlainLiteral(right) || isPlainLiteral(left))) {
      const [x, lit] = isPlainLiteral(right) ? [left, right] : [right, left];
      const r = `(${this.expr(x)}===${this.expr(lit)})`;
      return op === "==" ? r : `!${r}`;
    }
    const ta = this.ty(left),
      tb = this.ty(right);
    const out: string[] = [];
    const a = this.simple(left, out);
    const b = this.simple(right, out);
    // The generic form first: it allocates the temps either form declares.
    const generic = this.op(op, a, b, ta, tb);
    const r =
      (right.type === "IntegerLiteral"
        ? this.byIntegerConstant(op, a, b, ta, right.value)
        : null) ?? generic;
    return out.length ? `(${out.join(",")},${r})` : r;
  }

  protected assign(e: A.AssignmentExpression): string {
    const t = e.target;
    const compound = e.operator === "=" ? null : e.operator.slice(0, -1);
    if (t.type === "Identifier") {
      const b = this.lookup(t.name);
      if (b === undefined && this.consts.has(t.name))
        this.error(t.loc, "can't assign to a constant");
      if (b !== undefined) {
        this.assigned(b.id, this.ty(e));
        if (compound === null) return `(${b.js}=${this.expr(e.value)})`;
        const tv = this.ty(e.value);
        const out: string[] = [];
        const v = this.simple(e.value, out);
        return `(${out.length ? out.join(",") + "," : ""}${b.js}=${this.op(compound, b.js, v, this.bindingType(b), tv)})`;
      }
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
        const v = this.valueAfter(t.type === "IndexExpression" ? t.object : t, e.value, out, (v) =>
          this.expr(v),
        );
        out.push(`$set(${o},${k},${v})`);
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

  private argumentsMayHaveEffects(args: readonly A.Expression[]): boolean {
    return args.some((a) =>
      mayHaveEffects(
        a,
        (n) => this.isLocal(n),
        (x) => this.ty(x),
      ),
    );
  }

  /**
   * The value written to a slot of `object`, as code. Inline, JS would read a local object
   * before the value; the reference reads it after (from its register), so a value that may
   * assign that local is evaluated first, into a temp.
   */
  protected valueAfter(
    object: A.Expression,
    value: A.Expression,
    out: string[],
    code: (v: A.Expression) => string,
  ): string {
    if (object.type !== "Identifier" || !this.isLocal(object.name)) return code(value);
    if (!mayAssign(value, object.name)) return code(value);
    const t = this.fn.temp();
    out.push(`${t}=${code(value)}`);
    return t;
  }

  /**
   * The object of a method call, whose callee and arguments (`later`) are evaluated after it.
   * A local they may assign is copied first: the reference copies the object into the call's
   * frame before them. (A read or write of a slot reads the local when it is done, as here.)
   */
  protected objectOperand(
    object: A.Expression,
    later: readonly A.Expression[],
    out: string[],
  ): string {
    const o = this.simple(object, out);
    if (object.type !== "Identifier" || !this.isLocal(object.name)) return o;
    if (!later.some((e) => mayAssign(e, object.name))) return o;
    const t = this.fn.temp();
    out.push(`${t}=${o}`);
    return t;
  }

  /**
   * The object and key of a slot being written (`o.k`, `o[k]`, `::k`), both simple. A local
   * object is read when the slot is written, after the key and the value, as the reference
   * reads its register.
   */
  protected slotTarget(t: A.Expression, out: string[], error: string): [string, string] {
    switch (t.type) {
      case "MemberExpression":
        return [this.simple(t.object, out), JSON.stringify(t.property)];
      case "IndexExpression": {
        const o = this.simple(t.object, out);
        return [o, this.simple(t.index, out)];
      }
      case "RootExpression":
        return ["$root", JSON.stringify(t.property)];
      default:
        return this.error(t.loc, error);
    }
  }

  protected update(e: A.UpdateExpression): string {
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
        if (isInt)
          return e.prefix
            ? `(${b.js}=(${b.js}${op}1)|0)`
            : `((${b.js}=(${b.js}${op}1)|0)${op === "+" ? "-" : "+"}1|0)`;
        if (e.prefix) return `(${b.js}=${nv(b.js)})`;
        return `(${old}=${b.js},${b.js}=${nv(old)},${old})`;
      }
      const name = JSON.stringify(t.name);
      const set = `$setVar($this,${name},${nv(old)},$root)`;
      return e.prefix
        ? `(${old}=${this.identifier(t)},${set})`
        : `(${old}=${this.identifier(t)},${set},${old})`;
    }
    const out: string[] = [];
    const [o, k] = this.slotTarget(t, out, "can't increment expression");
    out.push(`${old}=$get(${o},${k})`);
    out.push(e.prefix ? `$set(${o},${k},${nv(old)})` : `$set(${o},${k},${nv(old)}),${old}`);
    return `(${out.join(",")})`;
  }

  protected newSlot(e: A.NewSlotExpression): string {
    const t = e.target;
    if (t.type === "Identifier") {
      const b = this.lookup(t.name);
      if (b !== undefined) {
        this.assigned(b.id, this.ty(e.value));
        return `(${b.js}=${this.expr(e.value)})`;
      }
      return `$newSlot($this,${JSON.stringify(t.name)},${this.valueFor(e.value, t.name)})`;
    }
    if (t.type === "RootExpression")
      return `$newSlot($root,${JSON.stringify(t.property)},${this.valueFor(e.value, t.property)})`;
    const out: string[] = [];
    if (t.type === "MemberExpression") {
      const o = this.simple(t.object, out);
      const v = this.valueAfter(t.object, e.value, out, (v) => this.valueFor(v, t.property));
      out.push(`$newSlot(${o},${JSON.stringify(t.property)},${v})`);
    } else if (t.type === "IndexExpression") {
      const o = this.simple(t.object, out);
      const k = this.simple(t.index, out);
      out.push(
        `$newSlot(${o},${k},${this.valueAfter(t.object, e.value, out, (v) => this.expr(v))})`,
      );
    } else {
      return this.error(t.loc, "can't 'create' a slot in that expression");
    }
    return `(${out.join(",")})`;
  }

  /** A function value takes the name of the slot it is created in. */
  protected valueFor(v: A.Expression, name: string): string {
    return v.type === "FunctionExpression" ? this.func(v, v.name ?? name) : this.expr(v);
  }

  protected deleteExpr(e: A.DeleteExpression): string {
    const t = e.argument;
    if (t.type === "MemberExpression")
      return `$delSlot(${this.expr(t.object)},${JSON.stringify(t.property)})`;
    if (t.type === "IndexExpression") {
      const out: string[] = [];
      const o = this.simple(t.object, out);
      out.push(`$delSlot(${o},${this.expr(t.index)})`);
      return `(${out.join(",")})`;
    }
    if (t.type === "RootExpression") return `$delSlot($root,${JSON.stringify(t.property)})`;
    if (t.type === "Identifier" && this.lookup(t.name) === undefined)
      return `$delSlot($this,${JSON.stringify(t.name)})`;
    return this.error(t.loc, "can't delete an expression");
  }
}

/** The runtime's slow call path for `count` arguments: callv0..callv3 take them without a rest array. */
function slowCall(count: number): string {
  return count <= 3 ? `$callv${count}` : "$callv";
}

/**
 * 1 for a function that is only `return a <=> b` of its two parameters, -1 for `b <=> a`,
 * otherwise undefined (left out of the info). Such a comparator has no effects, so sort() may
 * order integers with the engine's own sort and get the reference heap sort's result.
 */
function comparisonOrder(f: A.FunctionExpression): 1 | -1 | undefined {
  if (f.params.length !== 2 || f.varargs || f.isGenerator) return undefined;
  if (f.params.some((p) => p.default !== null)) return undefined;
  const body = f.body.body;
  if (body.length !== 1 || body[0]!.type !== "ReturnStatement") return undefined;
  const e = body[0].argument;
  if (e?.type !== "BinaryExpression" || e.operator !== "<=>") return undefined;
  if (e.left.type !== "Identifier" || e.right.type !== "Identifier") return undefined;
  const [a, b] = f.params.map((p) => p.name);
  if (a === b) return undefined;
  if (e.left.name === a && e.right.name === b) return 1;
  if (e.left.name === b && e.right.name === a) return -1;
  return undefined;
}
