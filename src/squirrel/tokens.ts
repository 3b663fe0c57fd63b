// Token kinds of the Squirrel lexer.
//
// As in the reference lexer, a one-character token is identified by its character code
// (so `(` is 40 and an unknown byte such as `$` comes back as itself), and every other
// token has a code of 256 or more. This keeps the reference's error texts easy to
// reproduce: `expected '%c'` prints the code as a character.

export const T = {
  EOF: 0,
  IDENTIFIER: 258,
  STRING_LITERAL: 259,
  INTEGER: 260,
  FLOAT: 261,
  BASE: 262,
  DELETE: 263,
  EQ: 264, // ==
  NE: 265, // !=
  LE: 266, // <=
  GE: 267, // >=
  SWITCH: 268,
  AND: 270, // &&
  OR: 271, // ||
  IF: 272,
  ELSE: 273,
  WHILE: 274,
  BREAK: 275,
  FOR: 276,
  DO: 277,
  NULL: 278,
  FOREACH: 279,
  IN: 280,
  NEWSLOT: 281, // <-
  LOCAL: 283,
  CLONE: 284,
  FUNCTION: 285,
  RETURN: 286,
  TYPEOF: 287,
  PLUSEQ: 289,
  MINUSEQ: 290,
  CONTINUE: 291,
  YIELD: 292,
  TRY: 293,
  CATCH: 294,
  THROW: 295,
  SHIFTL: 296, // <<
  SHIFTR: 297, // >>
  RESUME: 298,
  DOUBLE_COLON: 299, // ::
  CASE: 300,
  DEFAULT: 301,
  THIS: 302,
  PLUSPLUS: 303,
  MINUSMINUS: 304,
  THREEWAYSCMP: 305, // <=>
  USHIFTR: 306, // >>>
  CLASS: 307,
  EXTENDS: 308,
  CONSTRUCTOR: 310,
  INSTANCEOF: 311,
  VARPARAMS: 312, // ...
  LINE: 313, // __LINE__
  FILE: 314, // __FILE__
  TRUE: 315,
  FALSE: 316,
  MULEQ: 317,
  DIVEQ: 318,
  MODEQ: 319,
  ATTR_OPEN: 320, // </
  ATTR_CLOSE: 321, // />
  STATIC: 322,
  ENUM: 323,
  CONST: 324,
} as const;

export type TokenType = number;

/**
 * Reserved words. `rawcall` is a keyword of the 3.2 reference but not of the Electric Imp
 * language, so here it is an ordinary identifier. `constructor` is a keyword that is
 * nevertheless accepted wherever an identifier is expected, as in the reference.
 */
export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ["while", T.WHILE],
  ["do", T.DO],
  ["if", T.IF],
  ["else", T.ELSE],
  ["break", T.BREAK],
  ["continue", T.CONTINUE],
  ["return", T.RETURN],
  ["null", T.NULL],
  ["function", T.FUNCTION],
  ["local", T.LOCAL],
  ["for", T.FOR],
  ["foreach", T.FOREACH],
  ["in", T.IN],
  ["typeof", T.TYPEOF],
  ["base", T.BASE],
  ["delete", T.DELETE],
  ["try", T.TRY],
  ["catch", T.CATCH],
  ["throw", T.THROW],
  ["clone", T.CLONE],
  ["yield", T.YIELD],
  ["resume", T.RESUME],
  ["switch", T.SWITCH],
  ["case", T.CASE],
  ["default", T.DEFAULT],
  ["this", T.THIS],
  ["class", T.CLASS],
  ["extends", T.EXTENDS],
  ["constructor", T.CONSTRUCTOR],
  ["instanceof", T.INSTANCEOF],
  ["true", T.TRUE],
  ["false", T.FALSE],
  ["static", T.STATIC],
  ["enum", T.ENUM],
  ["const", T.CONST],
  ["__LINE__", T.LINE],
  ["__FILE__", T.FILE],
]);

/** The name `expected '...'` uses for a token kind, as the reference's Expect() does. */
export function expectedName(type: TokenType): string {
  switch (type) {
    case T.IDENTIFIER:
      return "IDENTIFIER";
    case T.STRING_LITERAL:
      return "STRING_LITERAL";
    case T.INTEGER:
      return "INTEGER";
    case T.FLOAT:
      return "FLOAT";
  }
  if (type < 256) return String.fromCharCode(type);
  for (const [word, t] of KEYWORDS) if (t === type) return word;
  return `token ${type}`;
}

/** Where a token starts (true 1-based line and column) and where the reference lexer stood after reading it. */
export interface Token {
  type: TokenType;
  /** Identifier name, string bytes, integer (int32) or float (already float32-rounded). */
  value: string | number | null;
  line: number;
  col: number;
  /**
   * The reference reports every compile error at the lexer's position, and the lexer is
   * always one token ahead: so a parse error is reported at the end of the lookahead
   * token, counted the reference's way (see lexer.ts on its column counter).
   */
  endLine: number;
  endCol: number;
  /** A newline (outside block comments and strings) separates this token from the previous one. */
  nlBefore: boolean;
}
