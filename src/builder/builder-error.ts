// An error Builder reports while preprocessing: its kind (Builder's own names, so messages read
// as Builder's do), what went wrong and where, as Builder ends its messages: ` (<file>:<line>)`.

export type BuilderErrorKind =
  | "ExpressionEvaluationError"
  | "SourceInclusionError"
  | "MacroIsAlreadyDeclared"
  | "UserDefinedError"
  | "SyntaxError"
  | "MaximumDepthError";

export class BuilderError extends Error {
  constructor(
    readonly kind: BuilderErrorKind,
    readonly reason: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${kind}: ${reason} (${file}:${line})`);
    this.name = "BuilderError";
  }
}
