// Expressions, as the reference compiler reads them (sqcompiler.cpp: CommaExpr, Expression,
// LogicalOrExp ... MultExp, PrefixedExpr, Factor), together with the literals that contain
// code: tables, arrays, classes and functions.
//
// Besides the tree, every prefixed expression yields its Kind (the reference's etype),
// from which the reference raises its "can't assign expression"-style errors.
// Constants and enum members are folded into literals where the reference folds them:
// a bare name that is neither a local of this or an enclosing function and names a
// constant defined earlier in the text. An Identifier in the tree is therefore never a
// constant.

import type {
  ArrayExpression,
  BlockStatement,
  CallExpression,
  ClassExpression,
  ClassMember,
  Expression,
  FunctionExpression,
  Loc,
  Param,
  ScalarValue,
  Statement,
  TableEntry,
  TableExpression,
} from "./ast.ts";
import { Kind, ParserBase, TOO_DEEP_EXPRESSION } from "./parser-base.ts";
import { isEnumTable } from "./parser-scope.ts";
import { T, type TokenType } from "./tokens.ts";

interface Prefixed {
  node: Expression;
  kind: Kind;
}

// Squirrel has no compound bitwise assignments: `a <<= 1` reads as `a << = 1`, which the
// reference rejects with "expression expected" at the `=`.
type AssignOperator = "=" | "+=" | "-=" | "*=" | "/=" | "%=";

const ASSIGN_OPERATORS: ReadonlyMap<TokenType, AssignOperator> = new Map<TokenType, AssignOperator>(
  [
    [61, "="],
    [T.PLUSEQ, "+="],
    [T.MINUSEQ, "-="],
    [T.MULEQ, "*="],
    [T.DIVEQ, "/="],
    [T.MODEQ, "%="],
  ],
);

type BinaryOp =
  | "||"
  | "&&"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "<<"
  | ">>"
  | ">>>"
  | "&"
  | "|"
  | "^"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "<=>"
  | "in"
  | "instanceof";

interface BinaryInfo {
  op: BinaryOp;
  /** 0 binds loosest. */
  prec: number;
}

/** Binary operators by precedence level, from LogicalOrExp (0) down to MultExp (9). */
const BINARY: ReadonlyMap<TokenType, BinaryInfo> = new Map<TokenType, BinaryInfo>([
  [T.OR, { op: "||", prec: 0 }],
  [T.AND, { op: "&&", prec: 1 }],
  [124, { op: "|", prec: 2 }],
  [94, { op: "^", prec: 3 }],
  [38, { op: "&", prec: 4 }],
  [T.EQ, { op: "==", prec: 5 }],
  [T.NE, { op: "!=", prec: 5 }],
  [T.THREEWAYSCMP, { op: "<=>", prec: 5 }],
  [60, { op: "<", prec: 6 }],
  [62, { op: ">", prec: 6 }],
  [T.LE, { op: "<=", prec: 6 }],
  [T.GE, { op: ">=", prec: 6 }],
  [T.IN, { op: "in", prec: 6 }],
  [T.INSTANCEOF, { op: "instanceof", prec: 6 }],
  [T.SHIFTL, { op: "<<", prec: 7 }],
  [T.SHIFTR, { op: ">>", prec: 7 }],
  [T.USHIFTR, { op: ">>>", prec: 7 }],
  [43, { op: "+", prec: 8 }],
  [45, { op: "-", prec: 8 }],
  [42, { op: "*", prec: 9 }],
  [47, { op: "/", prec: 9 }],
  [37, { op: "%", prec: 9 }],
]);

/** `||` and `&&` nest to the right in the reference (the value is the same either way). */
function rightAssociative(prec: number): boolean {
  return prec <= 1;
}

export function scalarLiteral(v: ScalarValue, loc: Loc): Expression {
  switch (v.kind) {
    case "integer":
      return { type: "IntegerLiteral", value: v.value, loc };
    case "float":
      return { type: "FloatLiteral", value: v.value, loc };
    case "string":
      return { type: "StringLiteral", value: v.value, loc };
    case "bool":
      return { type: "BoolLiteral", value: v.value, loc };
  }
}

function expr(node: Expression): Prefixed {
  return { node, kind: Kind.Expr };
}

export abstract class ExpressionParser extends ParserBase {
  /** A statement (function bodies are statements). */
  protected abstract parseStatement(): Statement;

  /** `a, b, c` (the reference's CommaExpr), flattened into one SequenceExpression. */
  protected parseCommaExpr(): Expression {
    const first = this.parseExpression();
    if (!this.is(44)) return first;
    const expressions = [first];
    while (this.is(44)) {
      this.advance();
      expressions.push(this.parseExpression());
    }
    return { type: "SequenceExpression", expressions, loc: first.loc };
  }

  /** Assignment, new slot or ternary over a logical-or expression. */
  protected parseExpression(): Expression {
    this.enter(TOO_DEEP_EXPRESSION);
    const left = this.parseBinary();
    let result = left.node;
    const t = this.tok.type;
    const assign = ASSIGN_OPERATORS.get(t);
    if (assign !== undefined || t === T.NEWSLOT) {
      if (left.kind === Kind.Expr) this.error("can't assign expression");
      if (left.kind === Kind.Base) this.error("'base' cannot be modified");
      this.advance();
      const value = this.parseExpression();
      if (assign === undefined) {
        // The reference checks this only after reading the value.
        if (left.kind === Kind.Local || left.kind === Kind.Outer)
          this.error("can't 'create' a local slot");
        result = { type: "NewSlotExpression", target: left.node, value, loc: left.node.loc };
      } else {
        result = {
          type: "AssignmentExpression",
          operator: assign,
          target: left.node,
          value,
          loc: left.node.loc,
        };
      }
    } else if (t === 63) {
      this.advance();
      const consequent = this.parseExpression();
      this.expect(58);
      const alternate = this.parseExpression();
      result = {
        type: "ConditionalExpression",
        test: left.node,
        consequent,
        alternate,
        loc: left.node.loc,
      };
    }
    this.leave();
    return result;
  }

  /**
   * LogicalOrExp down to MultExp, by operator precedence without one JS frame per level
   * or per operator (long chains such as `a + b + ... + z` must not exhaust the stack).
   */
  private parseBinary(): Prefixed {
    const first = this.parsePrefixed(false);
    let info = BINARY.get(this.tok.type);
    if (info === undefined) return first;
    const operands: Expression[] = [first.node];
    const operators: BinaryInfo[] = [];
    const reduce = (): void => {
      const op = operators.pop()!.op;
      const right = operands.pop()!;
      const left = operands.pop()!;
      operands.push(
        op === "||" || op === "&&"
          ? { type: "LogicalExpression", operator: op, left, right, loc: left.loc }
          : { type: "BinaryExpression", operator: op, left, right, loc: left.loc },
      );
    };
    while (info !== undefined) {
      while (operators.length > 0) {
        const top = operators[operators.length - 1]!;
        if (top.prec > info.prec || (top.prec === info.prec && !rightAssociative(info.prec)))
          reduce();
        else break;
      }
      operators.push(info);
      this.advance();
      operands.push(this.parsePrefixed(false).node);
      info = BINARY.get(this.tok.type);
    }
    while (operators.length > 0) reduce();
    return expr(operands[0]!);
  }

  /**
   * A factor followed by `.name`, `[index]`, `(args)` and at most one postfix `++`/`--`.
   * `noGet` is the reference's `donot_get`: set when the result is the operand of
   * `delete`, prefix `++`/`--` or the name of a `class` statement.
   */
  protected parsePrefixed(noGet: boolean): Prefixed {
    let { node, kind } = this.parseFactor(noGet);
    for (;;) {
      switch (this.tok.type) {
        case 46: {
          // .
          this.advance();
          const property = this.expectName();
          node = { type: "MemberExpression", object: node, property, loc: node.loc };
          kind = kind === Kind.Base ? Kind.Expr : Kind.Object;
          break;
        }
        case 91: {
          // [ : on a new line it would be ambiguous with a `[key] = value` table entry
          if (this.tok.nlBefore)
            this.error("cannot break deref/or comma needed after [exp]=exp slot declaration");
          this.advance();
          const index = this.parseExpression();
          this.expect(93);
          node = { type: "IndexExpression", object: node, index, loc: node.loc };
          kind = kind === Kind.Base ? Kind.Expr : Kind.Object;
          break;
        }
        case T.PLUSPLUS:
        case T.MINUSMINUS: {
          // After a newline, `++` starts the next statement.
          if (this.isEndOfStatement()) return { node, kind };
          const operator = this.tok.type === T.PLUSPLUS ? "++" : "--";
          this.advance();
          if (kind === Kind.Expr) this.error("can't '++' or '--' an expression");
          if (kind === Kind.Base) this.error("'base' cannot be modified");
          if (kind === Kind.Object && noGet) this.error("can't '++' or '--' an expression");
          return expr({
            type: "UpdateExpression",
            operator,
            prefix: false,
            argument: node,
            loc: node.loc,
          });
        }
        case 40:
          // ( : a call, even on the next line
          this.advance();
          node = this.parseCallRest(node);
          kind = Kind.Expr;
          break;
        default:
          return { node, kind };
      }
    }
  }

  /** The operand of a prefix operator. */
  private parseOperand(noGet: boolean): Prefixed {
    this.enter(TOO_DEEP_EXPRESSION);
    const r = this.parsePrefixed(noGet);
    this.leave();
    return r;
  }

  private parseFactor(noGet: boolean): Prefixed {
    const t = this.tok;
    const loc = this.loc();
    switch (t.type) {
      case T.STRING_LITERAL:
        this.advance();
        return expr({ type: "StringLiteral", value: t.value as string, loc });
      case T.BASE:
        this.advance();
        return { node: { type: "BaseExpression", loc }, kind: Kind.Base };
      case T.IDENTIFIER:
      case T.CONSTRUCTOR:
        return this.parseName();
      case T.THIS:
        this.advance();
        return { node: { type: "ThisExpression", loc }, kind: Kind.Local };
      case T.DOUBLE_COLON: {
        this.advance();
        const property = this.expectName();
        return { node: { type: "RootExpression", property, loc }, kind: Kind.Object };
      }
      case T.NULL:
        this.advance();
        return expr({ type: "NullLiteral", loc });
      case T.INTEGER:
        this.advance();
        return expr({ type: "IntegerLiteral", value: t.value as number, loc });
      case T.FLOAT:
        this.advance();
        return expr({ type: "FloatLiteral", value: t.value as number, loc });
      case T.TRUE:
      case T.FALSE:
        this.advance();
        return expr({ type: "BoolLiteral", value: t.type === T.TRUE, loc });
      case 91:
        return expr(this.parseArray());
      case 123:
        this.advance();
        return expr({ type: "TableExpression", entries: this.parseTableEntries(125), loc });
      case T.FUNCTION:
      case 64: {
        // function(...) {...} or the lambda @(...) expr
        this.advance();
        const bindEnv = this.is(91) ? this.parseBindEnv() : undefined;
        this.expect(40);
        return expr(this.parseFunctionRest(null, loc, t.type === 64, bindEnv));
      }
      case T.CLASS:
        this.advance();
        return expr(this.parseClassRest(loc));
      case 45: {
        // A minus before a number literal is folded into it.
        this.advance();
        const n = this.tok;
        if (n.type === T.INTEGER) {
          this.advance();
          return expr({ type: "IntegerLiteral", value: -(n.value as number) | 0, loc });
        }
        if (n.type === T.FLOAT) {
          this.advance();
          return expr({ type: "FloatLiteral", value: -(n.value as number), loc });
        }
        const argument = this.parseOperand(noGet).node;
        return expr({ type: "UnaryExpression", operator: "-", argument, loc });
      }
      case 33: {
        this.advance();
        const argument = this.parseOperand(noGet).node;
        return expr({ type: "UnaryExpression", operator: "!", argument, loc });
      }
      case 126: {
        // ~ before an integer literal is folded into it.
        this.advance();
        const n = this.tok;
        if (n.type === T.INTEGER) {
          this.advance();
          return expr({ type: "IntegerLiteral", value: ~(n.value as number), loc });
        }
        const argument = this.parseOperand(noGet).node;
        return expr({ type: "UnaryExpression", operator: "~", argument, loc });
      }
      case T.TYPEOF: {
        this.advance();
        return expr({ type: "TypeofExpression", argument: this.parseOperand(noGet).node, loc });
      }
      case T.RESUME: {
        this.advance();
        return expr({ type: "ResumeExpression", argument: this.parseOperand(noGet).node, loc });
      }
      case T.CLONE: {
        this.advance();
        return expr({ type: "CloneExpression", argument: this.parseOperand(noGet).node, loc });
      }
      case T.PLUSPLUS:
      case T.MINUSMINUS: {
        const operator = t.type === T.PLUSPLUS ? "++" : "--";
        this.advance();
        const target = this.parseOperand(true);
        if (target.kind === Kind.Expr) this.error("can't '++' or '--' an expression");
        if (target.kind === Kind.Base) this.error("can't '++' or '--' a base");
        return expr({
          type: "UpdateExpression",
          operator,
          prefix: true,
          argument: target.node,
          loc,
        });
      }
      case T.DELETE: {
        this.advance();
        const target = this.parseOperand(true);
        if (target.kind === Kind.Expr) this.error("can't delete an expression");
        if (target.kind === Kind.Base) this.error("can't delete 'base'");
        if (target.kind === Kind.Local || target.kind === Kind.Outer)
          this.error("cannot delete an (outer) local");
        return expr({ type: "DeleteExpression", argument: target.node, loc });
      }
      case 40: {
        this.advance();
        const inner = this.parseCommaExpr();
        this.expect(41);
        return expr(inner);
      }
      case T.LINE:
        this.advance();
        return expr({ type: "IntegerLiteral", value: t.endLine, loc });
      case T.FILE:
        this.advance();
        return expr({ type: "StringLiteral", value: this.file, loc });
    }
    return this.error("expression expected");
  }

  /** A bare name: a local, a local of an enclosing function, a constant, or a slot of `this`. */
  private parseName(): Prefixed {
    const t = this.advance();
    const name = t.value as string;
    const loc = this.loc(t);
    switch (this.scopes.resolve(name)) {
      case "local":
        return { node: { type: "Identifier", name, loc }, kind: Kind.Local };
      case "outer":
        return { node: { type: "Identifier", name, loc }, kind: Kind.Outer };
      case "slot":
        return { node: { type: "Identifier", name, loc }, kind: Kind.Object };
      case "constant":
        break;
    }
    const c = this.scopes.constants.get(name)!;
    if (!isEnumTable(c)) return expr(scalarLiteral(c, loc));
    // An enum name must be followed by `.member`, resolved now.
    this.expect(46);
    const member = this.expectName();
    const v = c.get(member);
    if (v === undefined) this.error(`invalid constant [${name}.${member}]`);
    return expr(scalarLiteral(v, loc));
  }

  private parseArray(): ArrayExpression {
    const loc = this.loc();
    this.advance();
    const elements: Expression[] = [];
    // Commas between elements are optional, a trailing one is allowed.
    while (!this.is(93)) {
      elements.push(this.parseExpression());
      if (this.is(44)) this.advance();
    }
    this.advance();
    return { type: "ArrayExpression", elements, loc };
  }

  /** Arguments after `(`, then the optional `{ k = v, [e] = v }` block of Squirrel 3.2. */
  private parseCallRest(callee: Expression): CallExpression {
    const args: Expression[] = [];
    // Commas between arguments are optional; a trailing one is an error.
    while (!this.is(41)) {
      args.push(this.parseExpression());
      if (this.is(44)) {
        this.advance();
        if (this.is(41)) this.error("expression expected, found ')'");
      }
    }
    this.advance();
    const call: CallExpression = { type: "CallExpression", callee, args, loc: callee.loc };
    if (this.is(123)) {
      this.advance();
      const initializers: TableEntry[] = [];
      while (!this.is(125)) {
        const loc = this.loc();
        let key: Expression;
        if (this.is(91)) {
          this.advance();
          key = this.parseCommaExpr();
          this.expect(93);
        } else {
          const n = this.expect(T.IDENTIFIER);
          key = { type: "StringLiteral", value: n.value as string, loc };
        }
        this.expect(61);
        const value = this.parseExpression();
        if (this.is(44)) this.advance();
        initializers.push({ key, value, loc });
      }
      this.advance();
      call.initializers = initializers;
    }
    return call;
  }

  /** `[env]` after `function` or `@`, or after a function's name (Squirrel 3.2). */
  protected parseBindEnv(): Expression {
    this.advance();
    const env = this.parseExpression();
    this.expect(93);
    return env;
  }

  /** Entries of a table literal or of attributes, up to and including `terminator`. */
  private parseTableEntries(terminator: TokenType): TableEntry[] {
    return this.parseMembers(false, terminator).map(({ key, value, loc }) => ({ key, value, loc }));
  }

  /**
   * The body of a table (`,` separates, `"key": v` allowed) or of a class (`;` separates,
   * attributes and `static` allowed). Separators are optional, as in the reference.
   */
  private parseMembers(isClass: boolean, terminator: TokenType): ClassMember[] {
    const separator = isClass ? 59 : 44;
    const members: ClassMember[] = [];
    while (!this.is(terminator)) {
      const loc = this.loc();
      let attributes: TableExpression | null = null;
      let isStatic = false;
      if (isClass) {
        if (this.is(T.ATTR_OPEN)) {
          this.advance();
          attributes = {
            type: "TableExpression",
            entries: this.parseTableEntries(T.ATTR_CLOSE),
            loc,
          };
        }
        if (this.is(T.STATIC)) {
          isStatic = true;
          this.advance();
        }
      }
      let key: Expression;
      let value: Expression;
      const t = this.tok;
      if (t.type === T.FUNCTION || t.type === T.CONSTRUCTOR) {
        this.advance();
        const nameTok = t.type === T.FUNCTION ? this.expect(T.IDENTIFIER) : t;
        const name = nameTok.value as string;
        key = { type: "StringLiteral", value: name, loc: this.loc(nameTok) };
        const bindEnv = this.is(91) ? this.parseBindEnv() : undefined;
        this.expect(40);
        value = this.parseFunctionRest(name, this.loc(t), false, bindEnv);
      } else if (t.type === 91) {
        this.advance();
        key = this.parseCommaExpr();
        this.expect(93);
        this.expect(61);
        value = this.parseExpression();
      } else if (t.type === T.STRING_LITERAL && !isClass) {
        // JSON style "key": value
        this.advance();
        key = { type: "StringLiteral", value: t.value as string, loc: this.loc(t) };
        this.expect(58);
        value = this.parseExpression();
      } else {
        const n = this.expect(T.IDENTIFIER);
        key = { type: "StringLiteral", value: n.value as string, loc: this.loc(n) };
        this.expect(61);
        value = this.parseExpression();
      }
      if (this.is(separator)) this.advance();
      members.push({ key, value, isStatic, attributes, loc });
    }
    this.advance();
    return members;
  }

  /** After `class` (and, for a class statement, its name): `extends B </ attrs /> { members }`. */
  protected parseClassRest(loc: Loc): ClassExpression {
    let base: Expression | null = null;
    if (this.is(T.EXTENDS)) {
      this.advance();
      base = this.parseExpression();
    }
    let attributes: TableExpression | null = null;
    if (this.is(T.ATTR_OPEN)) {
      const aloc = this.loc();
      this.advance();
      attributes = {
        type: "TableExpression",
        entries: this.parseTableEntries(T.ATTR_CLOSE),
        loc: aloc,
      };
    }
    this.expect(123);
    const members = this.parseMembers(true, 125);
    return { type: "ClassExpression", base, attributes, members, loc };
  }

  /**
   * A function after its `(`: parameters, the optional free-variable list `: (a, b)` of
   * Squirrel 3.0 (the 3.2 reference no longer has it), then the body: any statement, or
   * for a lambda one expression.
   */
  protected parseFunctionRest(
    name: string | null,
    loc: Loc,
    isLambda: boolean,
    bindEnv: Expression | undefined,
  ): FunctionExpression {
    const params: Param[] = [];
    let varargs = false;
    let defaults = 0;
    // Default values are read in the enclosing function, before the parameters exist.
    while (!this.is(41)) {
      if (this.is(T.VARPARAMS)) {
        if (defaults > 0)
          this.error("function with default parameters cannot have variable number of parameters");
        varargs = true;
        this.advance();
        if (!this.is(41)) this.error("expected ')'");
        break;
      }
      const p = this.expect(T.IDENTIFIER);
      let def: Expression | null = null;
      if (this.is(61)) {
        this.advance();
        def = this.parseExpression();
        defaults++;
      } else if (defaults > 0) {
        this.error("expected '='");
      }
      params.push({ name: p.value as string, default: def, loc: this.loc(p) });
      if (this.is(44)) this.advance();
      else if (!this.is(41)) this.error("expected ')' or ','");
    }
    this.expect(41);
    let freeVars: { name: string; init: Expression | null }[] | null = null;
    if (this.is(58)) {
      this.advance();
      this.expect(40);
      freeVars = [];
      while (!this.is(41)) {
        freeVars.push({ name: this.expectName(), init: null });
        if (this.is(44)) this.advance();
        else if (!this.is(41)) this.error("expected ')' or ','");
      }
      this.advance();
    }

    const scope = this.scopes.enterFunction();
    for (const p of params) scope.declare(p.name);
    if (varargs) scope.declare("vargv");
    if (freeVars !== null) for (const v of freeVars) scope.declare(v.name);
    let body: BlockStatement;
    this.enterFunction();
    if (isLambda) {
      const e = this.parseExpression();
      body = {
        type: "BlockStatement",
        body: [{ type: "ReturnStatement", argument: e, loc: e.loc }],
        loc: e.loc,
      };
    } else {
      const s = this.parseStatement();
      body = s.type === "BlockStatement" ? s : { type: "BlockStatement", body: [s], loc: s.loc };
    }
    this.leaveFunction();
    this.scopes.leaveFunction();

    const fn: FunctionExpression = {
      type: "FunctionExpression",
      name,
      params,
      varargs,
      isGenerator: scope.isGenerator,
      freeVars,
      body,
      isLambda,
      loc,
      endLoc: this.lastLoc(),
    };
    if (bindEnv !== undefined) fn.bindEnv = bindEnv;
    return fn;
  }
}
