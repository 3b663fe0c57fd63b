// Squirrel -> JavaScript: the compiler's public face.
import { parse } from "./parser.ts";
import { Compiler } from "./compiler.ts";
import { CompileError } from "./compile-error.ts";

export { CompileError } from "./compile-error.ts";

export interface CompileResult {
  /** A JS function expression: given the runtime object, it returns the program's main. */
  js: string;
}

export function compile(source: string, file: string): CompileResult {
  const program = parse(source, file);
  try {
    return { js: new Compiler(file, source).compileProgram(program) };
  } catch (e) {
    // a flat chain of 100,000 operators is valid Squirrel but deeper than our recursion
    if (e instanceof RangeError) throw new CompileError(file, 1, 1, "expression too deeply nested");
    throw e;
  }
}
