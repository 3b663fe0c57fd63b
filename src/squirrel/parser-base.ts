// The parser's token handling, error reporting and nesting guard, shared by the
// expression and statement halves of the parser.
//
// The reference parser is LL(1) with the lexer always one token ahead, and it reports
// every error at the lexer's position: the end of the lookahead token. This parser keeps
// exactly one lookahead too (`tok`), so the lexer reads, and fails, at the same moments.

import type { Loc } from "./ast.ts";
import { CompileError } from "./compile-error.ts";
import { Lexer } from "./lexer.ts";
import { Scopes, type ConstantValue } from "./parser-scope.ts";
import { expectedName, T, type Token, type TokenType } from "./tokens.ts";

/**
 * Nesting levels (expressions inside expressions, statements inside statements, prefix
 * operators) the parser accepts before giving up with a CompileError instead of
 * overflowing the JS stack. Each level costs a handful of JS frames.
 */
export const MAX_NESTING = 500;

/** What a function body adds to the nesting depth (see enterFunction). */
export const FUNCTION_NESTING_WEIGHT = 3;
export const TOO_DEEP_EXPRESSION = "expression too deeply nested";
export const TOO_DEEP_STATEMENT = "statement too deeply nested";

/**
 * What the reference compiler knows about the expression just read (its `_es.etype`),
 * which decides whether it may be assigned, incremented, deleted or named by `class`.
 */
export const Kind = {
  /** A value: literal, call result, operator result, constant. */
  Expr: 1,
  /** A slot: `a.b`, `a[b]`, `::a`, or a bare name that is not a local (a slot of `this`). */
  Object: 2,
  Base: 3,
  Local: 4,
  /** A local of an enclosing function. */
  Outer: 5,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface ParseOptions {
  /**
   * Constants and enums already defined before this source is compiled (the VM's
   * const table, e.g. for `compilestring`). Defaults to none.
   */
  constants?: ReadonlyMap<string, ConstantValue>;
}

export class ParserBase {
  protected readonly file: string;
  private readonly lexer: Lexer;
  /** The lookahead token. */
  protected tok: Token;
  /** Kind of the last consumed token (the reference's `_prevtoken`, unless a newline intervened). */
  protected prevType: TokenType = -1;
  /** The last consumed token. */
  private last: Token | null = null;
  protected readonly scopes: Scopes;
  private depth = 0;

  constructor(source: string, file: string, options: ParseOptions | undefined) {
    this.file = file;
    this.lexer = new Lexer(source, file);
    this.scopes = new Scopes(options?.constants);
    this.tok = this.lexer.next();
  }

  /** Consumes the lookahead and reads the next token. */
  protected advance(): Token {
    const t = this.tok;
    this.prevType = t.type;
    this.last = t;
    this.tok = this.lexer.next();
    return t;
  }

  /** Where the last consumed token started. */
  protected lastLoc(): Loc {
    return this.last === null ? { line: 1, col: 1 } : this.loc(this.last);
  }

  protected is(type: TokenType): boolean {
    return this.tok.type === type;
  }

  protected loc(t: Token = this.tok): Loc {
    return { line: t.line, col: t.col };
  }

  /** A compile error, at the end of the lookahead token as the reference reports it. */
  protected error(reason: string): never {
    throw new CompileError(this.file, this.tok.endLine, this.tok.endCol, reason);
  }

  /** The reference's Expect(): `constructor` is accepted where an identifier is expected. */
  protected expect(type: TokenType): Token {
    const t = this.tok.type;
    if (t !== type && !(type === T.IDENTIFIER && t === T.CONSTRUCTOR)) {
      this.error(`expected '${expectedName(type)}'`);
    }
    return this.advance();
  }

  protected expectName(): string {
    return this.expect(T.IDENTIFIER).value as string;
  }

  /** The reference's IsEndOfStatement(): a newline, `;`, `}` or the end comes next. */
  protected isEndOfStatement(): boolean {
    const t = this.tok.type;
    return this.tok.nlBefore || t === T.EOF || t === 125 || t === 59;
  }

  protected optionalSemicolon(): void {
    if (this.is(59)) {
      this.advance();
      return;
    }
    if (!this.isEndOfStatement()) this.error("end of statement expected (; or lf)");
  }

  /**
   * After a statement in a statement list: unless it ended with `}` or `;` (on the same
   * line as what follows), it must be followed by `;`, a newline, `}` or the end.
   */
  protected endStatement(): void {
    if (this.tok.nlBefore || (this.prevType !== 125 && this.prevType !== 59))
      this.optionalSemicolon();
  }

  protected enter(reason: string): void {
    if (++this.depth > MAX_NESTING) this.error(reason);
  }

  protected leave(): void {
    this.depth--;
  }

  /**
   * A function body weighs more than other nesting: QuickJS recurses far deeper (on the host's
   * stack) to compile a nested JavaScript function than a nested block or expression, and about
   * 190 nested functions overflowed it. With this weight at most about 100 nest, and deeper
   * ones get the compile error deep parentheses get.
   */
  protected enterFunction(): void {
    this.depth += FUNCTION_NESTING_WEIGHT;
    if (this.depth > MAX_NESTING) this.error(TOO_DEEP_EXPRESSION);
  }

  protected leaveFunction(): void {
    this.depth -= FUNCTION_NESTING_WEIGHT;
  }

  /** Turns a JS stack overflow (should the guard above not be enough) into a CompileError. */
  protected stackOverflow(e: unknown): CompileError | null {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return new CompileError(this.file, this.tok.endLine, this.tok.endCol, TOO_DEEP_EXPRESSION);
    }
    return null;
  }
}
