// Squirrel -> JavaScript: the compiler's public face.
import { parse } from "./parser.ts";
import { Compiler } from "./compiler.ts";

export { CompileError } from "./compile-error.ts";

export interface CompileResult {
  /** A JS function expression: given the runtime object, it returns the program's main. */
  js: string;
}

export function compile(source: string, file: string): CompileResult {
  const program = parse(source, file);
  return { js: new Compiler(file, source).compileProgram(program) };
}
