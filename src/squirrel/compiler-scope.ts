// The compiler's state and scopes (the first layer of the compiler, as parser-base.ts and
// parser-scope.ts are the parser's): locals and their inferred types, constants, temps and
// block variables of each function, hoisted values, and the runtime names compiled code uses.
// The layers above: compiler-fast-paths.ts, compiler-expressions.ts, compiler.ts (statements).
import type * as A from "./ast.ts";
import type { rt } from "../runtime/index.ts";
import { CompileError } from "./compile-error.ts";
import { lineMark } from "./line-markers.ts";
import { binaryType, join, type Ty } from "./static-types.ts";

export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The runtime members compiled code uses, bound once per program as `$name` locals. */
export const RUNTIME = [
  "root",
  "SqTable",
  "SqWeakRef",
  "get",
  "set",
  "newSlot",
  "delSlot",
  "getVar",
  "setVar",
  "has",
  "add",
  "sub",
  "mul",
  "div",
  "mod",
  "concat",
  "unm",
  "bitop",
  "bitnot",
  "eq",
  "cmp",
  "lt",
  "le",
  "gt",
  "ge",
  "truthy",
  "callv",
  "callv0",
  "callv1",
  "callv2",
  "callv3",
  "newClass",
  "newMember",
  "iterate",
  "makeGenerator",
  "resume",
  "cocall",
  "typeofOp",
  "instanceOf",
  "cloneOp",
  "caught",
  "throwValue",
  "makeClosure",
  "makeTable",
  "strFind",
  "strSlice",
  "strToUpper",
  "strToLower",
  "setConst",
  "bindEnv",
] as const satisfies readonly (keyof Runtime)[];

/** What the runtime hands compiled code (`$r`): runtime/index.ts's `rt`. */
type Runtime = typeof rt;

/** Runtime members compiled code reaches as `$r.<name>` rather than through a `$name` local. */
export const RUNTIME_DIRECT = ["SqFloat"] as const satisfies readonly (keyof Runtime)[];

/**
 * Runtime members for the runtime's own callers (compilestring, the device guest), which
 * compiled code never names. With the two lists above they cover every member of `rt`: the
 * check below fails to compile when the runtime gains a member none of the three lists names.
 */
export const RUNTIME_NOT_FOR_COMPILED_CODE = [
  "SqInstance",
  "SqClass",
  "SqThrow",
  "call",
  "instantiate",
  "toStr",
] as const satisfies readonly (keyof Runtime)[];
type Unlisted = Exclude<
  keyof Runtime,
  | (typeof RUNTIME)[number]
  | (typeof RUNTIME_DIRECT)[number]
  | (typeof RUNTIME_NOT_FOR_COMPILED_CODE)[number]
>;
const everyRuntimeMemberListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyRuntimeMemberListed;

/** What the string methods return, where it is one type. */
const STRING_METHOD_TYPES: Partial<Record<string, Ty>> = {
  len: "int",
  slice: "string",
  toupper: "string",
  tolower: "string",
  tostring: "string",
};

export interface Binding {
  js: string;
  id: number;
}

export type ConstValue = A.ScalarValue | { kind: "enum"; members: Map<string, A.ScalarValue> };

export class Scope {
  vars = new Map<string, Binding>();
  constructor(
    public parent: Scope | null,
    public fn: FunctionContext,
  ) {}
}

export class FunctionContext {
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

export abstract class CompilerScope {
  protected hoisted: string[] = [];
  protected uniq = 0;
  protected consts = new Map<string, ConstValue>();
  protected scope!: Scope;
  protected fn!: FunctionContext;
  /** Programs that call suspend() get coroutine variants of their functions. */
  protected threads: boolean;

  constructor(
    protected file: string,
    source: string,
  ) {
    this.threads = /\bsuspend\b/.test(source);
  }

  /** Types of local bindings (by id) used by this pass, and those observed during it. */
  protected types = new Map<number, Ty>();
  protected observed = new Map<number, Ty>();

  /**
   * Local types are inferred by compiling until they settle: each pass records the type of
   * every value assigned to each local; a local all of whose values are integers is an int.

  /** An expression's JS text (compiler-expressions.ts). */
  abstract expr(e: A.Expression): string;

  protected error(loc: A.Loc, reason: string): never {
    throw new CompileError(this.file, loc.line, loc.col, reason);
  }

  protected jsIdent(name: string): string {
    if (!IDENT.test(name)) throw new Error(`not a Squirrel identifier: ${JSON.stringify(name)}`);
    return name;
  }

  /** Optional-chained slot read: `?.$name` when the name is an identifier, else `?.["$..."]`. */
  protected slot(name: string): string {
    return IDENT.test(name) ? `?.$${name}` : `?.[${JSON.stringify("$" + name)}]`;
  }

  /** An object expression a slot read can follow: a number literal (`1.x`) needs parentheses. */
  protected static readable(obj: string): string {
    return /^[-+0-9.]/.test(obj) ? `(${obj})` : obj;
  }

  /** Declares a local; `init` is the type of its first value. */
  protected declare(name: string, init: Ty): string {
    const id = this.uniq++;
    const js = `${this.jsIdent(name)}$${id}`;
    this.scope.vars.set(name, { js, id });
    this.assigned(id, init);
    return js;
  }

  protected assigned(id: number, t: Ty): void {
    this.observed.set(id, join(this.observed.get(id) ?? "none", t));
  }

  protected bindingType(b: Binding): Ty {
    return this.types.get(b.id) ?? "none";
  }

  /** The static type of an expression, from literals, operators and local types. */
  ty(e: A.Expression): Ty {
    switch (e.type) {
      case "IntegerLiteral":
        return "int";
      case "FloatLiteral":
        return "float";
      case "StringLiteral":
        return "string";
      case "BoolLiteral":
        return "bool";
      case "Identifier": {
        const b = this.lookup(e.name);
        if (b !== undefined) return this.bindingType(b);
        const c = this.consts.get(e.name);
        if (c === undefined || c.kind === "enum") return "any";
        return ({ integer: "int", float: "float", string: "string", bool: "bool" } as const)[
          c.kind
        ];
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
      case "BinaryExpression":
        return binaryType(e.operator, this.ty(e.left), this.ty(e.right));
      case "AssignmentExpression":
        if (e.operator === "=") return this.ty(e.value);
        return binaryType(e.operator.slice(0, -1), this.ty(e.target), this.ty(e.value));
      case "ConditionalExpression":
        return join(this.ty(e.consequent), this.ty(e.alternate));
      case "TypeofExpression":
        return "string";
      case "SequenceExpression":
        return this.ty(e.expressions[e.expressions.length - 1]!);
      case "LogicalExpression": {
        const a = this.ty(e.left),
          b = this.ty(e.right);
        return a === b ? a : "any";
      }
      case "IndexExpression":
        // a byte of a string (or an error)
        return this.ty(e.object) === "string" && this.ty(e.index) === "int" ? "int" : "any";
      case "CallExpression":
        // the string methods are fixed: a string's own never change
        if (e.callee.type === "MemberExpression" && this.ty(e.callee.object) === "string")
          return Object.hasOwn(STRING_METHOD_TYPES, e.callee.property)
            ? STRING_METHOD_TYPES[e.callee.property]!
            : "any";
        return "any";
      default:
        return "any";
    }
  }

  protected lookup(name: string): Binding | undefined {
    for (let s: Scope | null = this.scope; s !== null; s = s.parent) {
      const b = s.vars.get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  protected hoist(prefix: string, text: string): string {
    const name = `${prefix}${this.hoisted.length}`;
    this.hoisted.push(`const ${name}=${text};`);
    return name;
  }

  protected mark(loc: A.Loc): string {
    return lineMark(loc.line);
  }

  protected withScope<T>(f: () => T): T {
    const saved = this.scope;
    this.scope = new Scope(saved, this.fn);
    try {
      return f();
    } finally {
      this.scope = saved;
    }
  }

  /** An expression usable several times in the output: a name or a literal, else a temp. */
  protected simple(e: A.Expression, out: string[]): string {
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
}

/** A name or literal: safe to repeat in the output without a temp. */
export function isSimple(e: A.Expression, c: CompilerScope): boolean {
  switch (e.type) {
    case "IntegerLiteral":
    case "StringLiteral":
    case "BoolLiteral":
    case "NullLiteral":
    case "ThisExpression":
    case "FloatLiteral":
      return true;
    case "Identifier":
      return c.isLocal(e.name);
    default:
      return false;
  }
}
