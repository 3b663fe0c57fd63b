// Statements, as the reference compiler reads them (sqcompiler.cpp: Statement and the
// *Statement functions), and the program.
//
// Statement separators follow the reference: after a statement in a list, unless it ended
// with `}` or `;`, the next token must be `;` (consumed), or be on a new line, or be `}`
// or the end. Statements that are the body of `while`, `for`, a function, `try`... are
// read without that check, as in the reference (so `do x++; while (c)` is an error there
// and here, while `if (c) x++; else y` is fine).

import type {
  BlockStatement,
  ClassStatement,
  DoWhileStatement,
  EnumStatement,
  ForeachStatement,
  ForStatement,
  FunctionStatement,
  IfStatement,
  LocalFunctionStatement,
  LocalStatement,
  Program,
  ScalarValue,
  Statement,
  SwitchCase,
  SwitchStatement,
  TryStatement,
  WhileStatement,
} from "./ast.ts";
import { Kind, TOO_DEEP_STATEMENT } from "./parser-base.ts";
import { ExpressionParser } from "./parser-expressions.ts";
import { T } from "./tokens.ts";

export class Parser extends ExpressionParser {
  parseProgram(): Program {
    const body: Statement[] = [];
    while (!this.is(T.EOF)) {
      body.push(this.parseStatement());
      this.endStatement();
    }
    const program: Program = { type: "Program", body, loc: { line: 1, col: 1 } };
    if (this.scopes.current.isGenerator) program.isGenerator = true;
    return program;
  }

  protected parseStatement(): Statement {
    this.enter(TOO_DEEP_STATEMENT);
    const s = this.statement();
    this.leave();
    return s;
  }

  /** Statements up to `}`, `case` or `default` (not consumed). */
  private parseStatements(): Statement[] {
    const body: Statement[] = [];
    while (!this.is(125) && !this.is(T.DEFAULT) && !this.is(T.CASE)) {
      body.push(this.parseStatement());
      this.endStatement();
    }
    return body;
  }

  private statement(): Statement {
    const loc = this.loc();
    switch (this.tok.type) {
      case 59:
        this.advance();
        return { type: "EmptyStatement", loc };
      case T.IF:
        return this.parseIf();
      case T.WHILE:
        return this.parseWhile();
      case T.DO:
        return this.parseDoWhile();
      case T.FOR:
        return this.parseFor();
      case T.FOREACH:
        return this.parseForeach();
      case T.SWITCH:
        return this.parseSwitch();
      case T.LOCAL:
        return this.parseLocal();
      case T.RETURN:
      case T.YIELD: {
        const isYield = this.is(T.YIELD);
        if (isYield) this.scopes.current.isGenerator = true;
        this.advance();
        const argument = this.isEndOfStatement() ? null : this.parseCommaExpr();
        return { type: isYield ? "YieldStatement" : "ReturnStatement", argument, loc };
      }
      case T.BREAK:
        if (this.scopes.current.breakTargets <= 0) this.error("'break' has to be in a loop block");
        this.advance();
        return { type: "BreakStatement", loc };
      case T.CONTINUE:
        if (this.scopes.current.continueTargets <= 0)
          this.error("'continue' has to be in a loop block");
        this.advance();
        return { type: "ContinueStatement", loc };
      case T.FUNCTION:
        return this.parseFunctionStatement();
      case T.CLASS:
        return this.parseClassStatement();
      case T.ENUM:
        return this.parseEnum();
      case 123:
        return this.parseBlock();
      case T.TRY:
        return this.parseTry();
      case T.THROW: {
        this.advance();
        return { type: "ThrowStatement", argument: this.parseCommaExpr(), loc };
      }
      case T.CONST: {
        this.advance();
        const name = this.expectName();
        this.expect(61);
        const value = this.expectScalar();
        this.optionalSemicolon();
        this.scopes.constants.set(name, value);
        return { type: "ConstStatement", name, value, loc };
      }
    }
    const expression = this.parseCommaExpr();
    return { type: "ExpressionStatement", expression, loc };
  }

  /** `{ statements }`, a scope of its own. */
  private parseBlock(): BlockStatement {
    const loc = this.loc();
    this.advance();
    const scope = this.scopes.current;
    scope.openBlock();
    const body = this.parseStatements();
    this.expect(125);
    scope.closeBlock();
    return { type: "BlockStatement", body, loc };
  }

  /** The branch of an `if` or `else`: a block, or one statement that opens no scope. */
  private parseIfBranch(): Statement {
    if (this.is(123)) return this.parseBlock();
    const s = this.parseStatement();
    this.endStatement();
    return s;
  }

  /** `if`, with `else if` chains read in a loop so that long chains need no deep recursion. */
  private parseIf(): IfStatement {
    let root: IfStatement | null = null;
    let last: IfStatement | null = null;
    let chained = false;
    for (;;) {
      const loc = this.loc();
      this.advance();
      this.expect(40);
      const test = this.parseCommaExpr();
      this.expect(41);
      const consequent = this.parseIfBranch();
      const node: IfStatement = { type: "IfStatement", test, consequent, alternate: null, loc };
      if (last === null) root = node;
      else last.alternate = node;
      last = node;
      if (!this.is(T.ELSE)) break;
      this.advance();
      if (this.is(T.IF)) {
        chained = true;
        continue;
      }
      node.alternate = this.parseIfBranch();
      break;
    }
    // The `else if` branch, read as a statement, is followed by the separator check.
    if (chained) this.endStatement();
    return root!;
  }

  /** A loop body: a scope, where `break` and (unless in a switch only) `continue` are allowed. */
  private parseLoopBody(): Statement {
    const scope = this.scopes.current;
    scope.breakTargets++;
    scope.continueTargets++;
    scope.openBlock();
    const body = this.parseStatement();
    scope.closeBlock();
    scope.breakTargets--;
    scope.continueTargets--;
    return body;
  }

  private parseWhile(): WhileStatement {
    const loc = this.loc();
    this.advance();
    this.expect(40);
    const test = this.parseCommaExpr();
    this.expect(41);
    const body = this.parseLoopBody();
    return { type: "WhileStatement", test, body, loc };
  }

  private parseDoWhile(): DoWhileStatement {
    const loc = this.loc();
    this.advance();
    const body = this.parseLoopBody();
    this.expect(T.WHILE);
    this.expect(40);
    const test = this.parseCommaExpr();
    this.expect(41);
    return { type: "DoWhileStatement", body, test, loc };
  }

  private parseFor(): ForStatement {
    const loc = this.loc();
    this.advance();
    const scope = this.scopes.current;
    scope.openBlock();
    this.expect(40);
    let init: ForStatement["init"] = null;
    if (this.is(T.LOCAL)) {
      const decl = this.parseLocal();
      // `for (local function f() {}; ...)`: same binding as `local f = function f() {}`.
      init =
        decl.type === "LocalStatement"
          ? decl
          : {
              type: "LocalStatement",
              declarations: [{ name: decl.name, init: decl.func, loc: decl.func.loc }],
              loc: decl.loc,
            };
    } else if (!this.is(59)) {
      init = this.parseCommaExpr();
    }
    this.expect(59);
    const test = this.is(59) ? null : this.parseCommaExpr();
    this.expect(59);
    const update = this.is(41) ? null : this.parseCommaExpr();
    this.expect(41);
    const body = this.parseLoopBody();
    scope.closeBlock();
    return { type: "ForStatement", init, test, update, body, loc };
  }

  private parseForeach(): ForeachStatement {
    const loc = this.loc();
    this.advance();
    this.expect(40);
    let key: string | null = null;
    let value = this.expectName();
    if (this.is(44)) {
      key = value;
      this.advance();
      value = this.expectName();
    }
    this.expect(T.IN);
    const scope = this.scopes.current;
    scope.openBlock();
    // The object is read before the loop variables exist.
    const object = this.parseExpression();
    this.expect(41);
    if (key !== null) scope.declare(key);
    scope.declare(value);
    const body = this.parseLoopBody();
    scope.closeBlock();
    return { type: "ForeachStatement", key, value, object, body, loc };
  }

  private parseSwitch(): SwitchStatement {
    const loc = this.loc();
    this.advance();
    this.expect(40);
    const discriminant = this.parseCommaExpr();
    this.expect(41);
    this.expect(123);
    const scope = this.scopes.current;
    scope.breakTargets++;
    const cases: SwitchCase[] = [];
    while (this.is(T.CASE)) {
      const cloc = this.loc();
      this.advance();
      const test = this.parseExpression();
      this.expect(58);
      scope.openBlock();
      cases.push({ test, body: this.parseStatements(), loc: cloc });
      scope.closeBlock();
    }
    // `default` can only come last.
    if (this.is(T.DEFAULT)) {
      const cloc = this.loc();
      this.advance();
      this.expect(58);
      scope.openBlock();
      cases.push({ test: null, body: this.parseStatements(), loc: cloc });
      scope.closeBlock();
    }
    this.expect(125);
    scope.breakTargets--;
    return { type: "SwitchStatement", discriminant, cases, loc };
  }

  /** `local a = 1, b` or `local function f() {}`; each name exists from after its declarator. */
  private parseLocal(): LocalStatement | LocalFunctionStatement {
    const loc = this.loc();
    this.advance();
    const scope = this.scopes.current;
    if (this.is(T.FUNCTION)) {
      const floc = this.loc();
      this.advance();
      const name = this.expectName();
      const bindEnv = this.is(91) ? this.parseBindEnv() : undefined;
      this.expect(40);
      const func = this.parseFunctionRest(name, floc, false, bindEnv);
      scope.declare(name);
      return { type: "LocalFunctionStatement", name, func, loc };
    }
    const declarations: LocalStatement["declarations"] = [];
    for (;;) {
      const n = this.expect(T.IDENTIFIER);
      let init = null;
      if (this.is(61)) {
        this.advance();
        init = this.parseExpression();
      }
      const name = n.value as string;
      scope.declare(name);
      declarations.push({ name, init, loc: this.loc(n) });
      if (!this.is(44)) break;
      this.advance();
    }
    return { type: "LocalStatement", declarations, loc };
  }

  /** `function a::b::c(...) {...}`: a new slot `c` in `this.a.b`. */
  private parseFunctionStatement(): FunctionStatement {
    const loc = this.loc();
    this.advance();
    const target = [this.expectName()];
    while (this.is(T.DOUBLE_COLON)) {
      this.advance();
      target.push(this.expectName());
    }
    const bindEnv = this.is(91) ? this.parseBindEnv() : undefined;
    this.expect(40);
    const func = this.parseFunctionRest(target[target.length - 1]!, loc, false, bindEnv);
    return { type: "FunctionStatement", target, func, loc };
  }

  /** `class a.b.C extends Base </ attrs /> { ... }`: the name is a slot expression, never a local. */
  private parseClassStatement(): ClassStatement {
    const loc = this.loc();
    this.advance();
    const target = this.parsePrefixed(true);
    if (target.kind === Kind.Expr) this.error("invalid class name");
    if (target.kind === Kind.Local || target.kind === Kind.Outer) {
      this.error("cannot create a class in a local with the syntax(class <local>)");
    }
    const cls = this.parseClassRest(loc);
    // The reference reads `class base {...}` and then fails an assertion: an error here.
    if (target.kind === Kind.Base) this.error("invalid class name");
    return { type: "ClassStatement", target: target.node, cls, loc };
  }

  /** `enum E { A, B = 5, C }`: implicit values count 0, 1, 2... skipping explicit ones. */
  private parseEnum(): EnumStatement {
    const loc = this.loc();
    this.advance();
    const name = this.expectName();
    this.expect(123);
    const members: EnumStatement["members"] = [];
    const table = new Map<string, ScalarValue>();
    let next = 0;
    while (!this.is(125)) {
      const key = this.expectName();
      let value: ScalarValue;
      if (this.is(61)) {
        this.advance();
        value = this.expectScalar();
      } else {
        value = { kind: "integer", value: next++ };
      }
      members.push({ name: key, value });
      table.set(key, value);
      if (this.is(44)) this.advance();
    }
    this.advance();
    this.scopes.constants.set(name, table);
    return { type: "EnumStatement", name, members, loc };
  }

  private parseTry(): TryStatement {
    const loc = this.loc();
    this.advance();
    const scope = this.scopes.current;
    scope.openBlock();
    const block = this.parseStatement();
    scope.closeBlock();
    this.expect(T.CATCH);
    this.expect(40);
    const param = this.expectName();
    this.expect(41);
    scope.openBlock();
    scope.declare(param);
    const handler = this.parseStatement();
    scope.closeBlock();
    return { type: "TryStatement", block, param, handler, loc };
  }

  /** The value of a `const` or of an enum member: a literal, possibly a negated number. */
  private expectScalar(): ScalarValue {
    const t = this.tok;
    let v: ScalarValue;
    switch (t.type) {
      case T.INTEGER:
        v = { kind: "integer", value: t.value as number };
        break;
      case T.FLOAT:
        v = { kind: "float", value: t.value as number };
        break;
      case T.STRING_LITERAL:
        v = { kind: "string", value: t.value as string };
        break;
      case T.TRUE:
      case T.FALSE:
        v = { kind: "bool", value: t.type === T.TRUE };
        break;
      case 45: {
        this.advance();
        const n = this.tok;
        if (n.type === T.INTEGER) v = { kind: "integer", value: -(n.value as number) | 0 };
        else if (n.type === T.FLOAT) v = { kind: "float", value: -(n.value as number) };
        else this.error("scalar expected : integer, float");
        break;
      }
      default:
        this.error("scalar expected : integer, float, or string");
    }
    this.advance();
    return v;
  }

  /** For parse(): a JS stack overflow despite the nesting guard, as a CompileError. */
  overflowError(e: unknown) {
    return this.stackOverflow(e);
  }
}
