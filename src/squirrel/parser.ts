// Entry point of the Squirrel front end: source bytes to syntax tree, or a CompileError
// worded and positioned as the reference compiler (Squirrel 3.2) reports it.
//
// The parser is split by area: parser-base.ts (tokens, errors, nesting guard),
// parser-scope.ts (locals, constants, loops), parser-expressions.ts, parser-statements.ts.

import type { Program } from "./ast.ts";
import { CompileError } from "./compile-error.ts";
import type { ParseOptions } from "./parser-base.ts";
import { Parser } from "./parser-statements.ts";

export type { ParseOptions } from "./parser-base.ts";
export type { ConstantValue } from "./parser-scope.ts";
export { MAX_NESTING, TOO_DEEP_EXPRESSION, TOO_DEEP_STATEMENT } from "./parser-base.ts";

/**
 * Parses a Squirrel program. `source` is a byte string (the file read as latin1: one char
 * code 0..255 per byte); `file` is the name used in errors and by `__FILE__`.
 * Throws CompileError, and nothing else, on any input.
 */
export function parse(source: string, file: string, options?: ParseOptions): Program {
  let parser: Parser | undefined;
  try {
    parser = new Parser(source, file, options);
    return parser.parseProgram();
  } catch (e) {
    if (e instanceof CompileError) throw e;
    const overflow = parser?.overflowError(e);
    if (overflow) throw overflow;
    throw e;
  }
}
