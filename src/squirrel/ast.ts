// The Squirrel syntax tree, produced by parser.ts and consumed by compiler.ts.
// Every node carries the position of its first character (1-based line and column),
// as the reference compiler reports them.

export interface Loc {
  line: number;
  col: number;
}

export type Node = Statement | Expression;

// ---------------------------------------------------------------- statements

export type Statement =
  | ExpressionStatement
  | LocalStatement
  | LocalFunctionStatement
  | FunctionStatement
  | ClassStatement
  | BlockStatement
  | IfStatement
  | WhileStatement
  | DoWhileStatement
  | ForStatement
  | ForeachStatement
  | SwitchStatement
  | BreakStatement
  | ContinueStatement
  | ReturnStatement
  | YieldStatement
  | ThrowStatement
  | TryStatement
  | EnumStatement
  | ConstStatement
  | EmptyStatement;

export interface Program {
  type: "Program";
  body: Statement[];
  loc: Loc;
  /**
   * True when `yield` appears at top level (outside any function): the reference then
   * compiles the whole script as a generator, so running it executes nothing. Absent otherwise.
   */
  isGenerator?: boolean;
}

export interface ExpressionStatement {
  type: "ExpressionStatement";
  expression: Expression;
  loc: Loc;
}
/** `local a = 1, b;` */
export interface LocalStatement {
  type: "LocalStatement";
  declarations: { name: string; init: Expression | null; loc: Loc }[];
  loc: Loc;
}
/** `local function f(...) {...}`: the name is bound after the body is compiled. */
export interface LocalFunctionStatement {
  type: "LocalFunctionStatement";
  name: string;
  func: FunctionExpression;
  loc: Loc;
}
/**
 * `function a.b.c(...) {...}`: `target` is the dotted path; a one-element path is a
 * new slot in `this` (the root table at top level). Compiled as `a.b.c <- function`.
 */
export interface FunctionStatement {
  type: "FunctionStatement";
  target: string[];
  func: FunctionExpression;
  loc: Loc;
}
/** `class a.b.C extends Base </ attrs /> { ... }`: compiled as a new slot like FunctionStatement. */
export interface ClassStatement {
  type: "ClassStatement";
  target: Expression;
  cls: ClassExpression;
  loc: Loc;
}
export interface BlockStatement {
  type: "BlockStatement";
  body: Statement[];
  loc: Loc;
}
export interface IfStatement {
  type: "IfStatement";
  test: Expression;
  consequent: Statement;
  alternate: Statement | null;
  loc: Loc;
}
export interface WhileStatement {
  type: "WhileStatement";
  test: Expression;
  body: Statement;
  loc: Loc;
}
export interface DoWhileStatement {
  type: "DoWhileStatement";
  body: Statement;
  test: Expression;
  loc: Loc;
}
/** `init` is a LocalStatement or an expression (possibly a comma sequence). */
export interface ForStatement {
  type: "ForStatement";
  init: LocalStatement | Expression | null;
  test: Expression | null;
  update: Expression | null;
  body: Statement;
  loc: Loc;
}
/** `foreach (key, value in object)`; `key` is null when only one name is given. */
export interface ForeachStatement {
  type: "ForeachStatement";
  key: string | null;
  value: string;
  object: Expression;
  body: Statement;
  loc: Loc;
}
export interface SwitchCase {
  test: Expression | null;
  body: Statement[];
  loc: Loc;
}
/** `cases` in source order; the `default` case has test null. */
export interface SwitchStatement {
  type: "SwitchStatement";
  discriminant: Expression;
  cases: SwitchCase[];
  loc: Loc;
}
export interface BreakStatement {
  type: "BreakStatement";
  loc: Loc;
}
export interface ContinueStatement {
  type: "ContinueStatement";
  loc: Loc;
}
export interface ReturnStatement {
  type: "ReturnStatement";
  argument: Expression | null;
  loc: Loc;
}
export interface YieldStatement {
  type: "YieldStatement";
  argument: Expression | null;
  loc: Loc;
}
export interface ThrowStatement {
  type: "ThrowStatement";
  argument: Expression;
  loc: Loc;
}
export interface TryStatement {
  type: "TryStatement";
  block: Statement;
  param: string;
  handler: Statement;
  loc: Loc;
}
/** Values are already folded to scalars (integer, float, string, bool). */
export interface EnumStatement {
  type: "EnumStatement";
  name: string;
  members: { name: string; value: ScalarValue }[];
  loc: Loc;
}
export interface ConstStatement {
  type: "ConstStatement";
  name: string;
  value: ScalarValue;
  loc: Loc;
}
export interface EmptyStatement {
  type: "EmptyStatement";
  loc: Loc;
}

/** A compile-time scalar: integer (int32), float (already rounded to float32), string (bytes), bool. */
export type ScalarValue =
  | { kind: "integer"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean };

// ---------------------------------------------------------------- expressions

export type Expression =
  | IntegerLiteral
  | FloatLiteral
  | StringLiteral
  | BoolLiteral
  | NullLiteral
  | Identifier
  | ThisExpression
  | BaseExpression
  | RootExpression
  | MemberExpression
  | IndexExpression
  | CallExpression
  | UnaryExpression
  | UpdateExpression
  | BinaryExpression
  | LogicalExpression
  | AssignmentExpression
  | NewSlotExpression
  | DeleteExpression
  | ConditionalExpression
  | SequenceExpression
  | ArrayExpression
  | TableExpression
  | FunctionExpression
  | ClassExpression
  | ResumeExpression
  | CloneExpression
  | TypeofExpression;

/** Integer literal, already wrapped to int32 (decimal literals wrap modulo 2^32, 'a' is 97). */
export interface IntegerLiteral {
  type: "IntegerLiteral";
  value: number;
  loc: Loc;
}
/** Float literal, already rounded with Math.fround. */
export interface FloatLiteral {
  type: "FloatLiteral";
  value: number;
  loc: Loc;
}
/** A byte string: one JS char code 0..255 per byte (UTF-8 in the source becomes its bytes). */
export interface StringLiteral {
  type: "StringLiteral";
  value: string;
  loc: Loc;
}
export interface BoolLiteral {
  type: "BoolLiteral";
  value: boolean;
  loc: Loc;
}
export interface NullLiteral {
  type: "NullLiteral";
  loc: Loc;
}
/**
 * A bare name; the compiler resolves it (local, free variable, this/root). Never a constant:
 * the parser folds a name that the reference resolves to a constant (or `Enum.member`) into
 * the literal, since that depends on where in the text the `const`/`enum` statement is.
 */
export interface Identifier {
  type: "Identifier";
  name: string;
  loc: Loc;
}
export interface ThisExpression {
  type: "ThisExpression";
  loc: Loc;
}
export interface BaseExpression {
  type: "BaseExpression";
  loc: Loc;
}
/** `::name` (object = null, property = name) is the root table slot; `::` alone never appears. */
export interface RootExpression {
  type: "RootExpression";
  property: string;
  loc: Loc;
}
/** `object.property` */
export interface MemberExpression {
  type: "MemberExpression";
  object: Expression;
  property: string;
  loc: Loc;
}
/** `object[index]` */
export interface IndexExpression {
  type: "IndexExpression";
  object: Expression;
  index: Expression;
  loc: Loc;
}
/**
 * `callee(args)`. Squirrel 3.2 also accepts a brace block right after the closing
 * parenthesis, `f(args) { k = v, [e] = v }`: each entry is then assigned with a plain set
 * (like `=`, not `<-`) on the call's result, which stays the value of the expression.
 * `initializers` holds those entries (keys as in TableEntry); absent for a plain call.
 */
export interface CallExpression {
  type: "CallExpression";
  callee: Expression;
  args: Expression[];
  loc: Loc;
  initializers?: TableEntry[];
}
/** `-x`, `!x`, `~x` */
export interface UnaryExpression {
  type: "UnaryExpression";
  operator: "-" | "!" | "~";
  argument: Expression;
  loc: Loc;
}
/** `++x`, `x--`: argument is an Identifier, MemberExpression, IndexExpression or RootExpression. */
export interface UpdateExpression {
  type: "UpdateExpression";
  operator: "++" | "--";
  prefix: boolean;
  argument: Expression;
  loc: Loc;
}
export type BinaryOperator =
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
export interface BinaryExpression {
  type: "BinaryExpression";
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  loc: Loc;
}
export interface LogicalExpression {
  type: "LogicalExpression";
  operator: "&&" | "||";
  left: Expression;
  right: Expression;
  loc: Loc;
}
/** `=` and compound assignment (`+=`, `-=`, `*=`, `/=`, `%=`, `<<=`, `>>=`, `>>>=`, `&=`, `|=`, `^=`). */
export interface AssignmentExpression {
  type: "AssignmentExpression";
  operator: "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | ">>>=" | "&=" | "|=" | "^=";
  target: Expression;
  value: Expression;
  loc: Loc;
}
/** `target <- value`: target is an Identifier (slot in this), MemberExpression, IndexExpression or RootExpression. */
export interface NewSlotExpression {
  type: "NewSlotExpression";
  target: Expression;
  value: Expression;
  loc: Loc;
}
/** `delete target`: target is a MemberExpression, IndexExpression, RootExpression or Identifier. */
export interface DeleteExpression {
  type: "DeleteExpression";
  argument: Expression;
  loc: Loc;
}
export interface ConditionalExpression {
  type: "ConditionalExpression";
  test: Expression;
  consequent: Expression;
  alternate: Expression;
  loc: Loc;
}
/** `a, b, c` where the grammar allows it (for-loop init/update). */
export interface SequenceExpression {
  type: "SequenceExpression";
  expressions: Expression[];
  loc: Loc;
}
export interface ArrayExpression {
  type: "ArrayExpression";
  elements: Expression[];
  loc: Loc;
}
/**
 * Table literal. A `name = value`, `"name": value` (JSON style) or `[expr] = value` entry;
 * `function name(...) {...}` inside a table is an entry whose value is a FunctionExpression.
 */
export interface TableEntry {
  key: Expression;
  value: Expression;
  loc: Loc;
}
export interface TableExpression {
  type: "TableExpression";
  entries: TableEntry[];
  loc: Loc;
}

export interface Param {
  name: string;
  default: Expression | null;
  loc: Loc;
}
/**
 * `function(params) {...}`, `function name(params) {...}`, lambda `@(params) expr`.
 * `varargs` is true when `...` ends the parameter list (the body sees `vargv`).
 * `isGenerator` is true when the body (not nested functions) contains `yield`.
 * `freeVars` is the optional `: (a, b)` free-variable list; null when absent.
 * For a lambda, `body` is a single ReturnStatement.
 */
export interface FunctionExpression {
  type: "FunctionExpression";
  name: string | null;
  params: Param[];
  varargs: boolean;
  isGenerator: boolean;
  freeVars: { name: string; init: Expression | null }[] | null;
  body: BlockStatement;
  isLambda: boolean;
  loc: Loc;
  /** Position of the closing brace (or of the end of a lambda's expression). */
  endLoc: Loc;
  /**
   * Squirrel 3.2 `function name[env](...)` / `@[env](...)`: the closure is created bound
   * to the value of `env` (as `bindenv(env)` would), evaluated where the function is defined.
   * Absent when there is no `[env]`.
   */
  bindEnv?: Expression;
}

/** One member of a class body. `key` is an expression: a StringLiteral for `name = v` / `function name`, or any expression for `[expr] = v`. */
export interface ClassMember {
  key: Expression;
  value: Expression;
  isStatic: boolean;
  /** `</ k = v, ... />` before the member; null when absent. */
  attributes: TableExpression | null;
  loc: Loc;
}
/** `class extends Base </ attrs /> { members }`; `constructor` is a member named "constructor". */
export interface ClassExpression {
  type: "ClassExpression";
  base: Expression | null;
  attributes: TableExpression | null;
  members: ClassMember[];
  loc: Loc;
}
export interface ResumeExpression {
  type: "ResumeExpression";
  argument: Expression;
  loc: Loc;
}
export interface CloneExpression {
  type: "CloneExpression";
  argument: Expression;
  loc: Loc;
}
export interface TypeofExpression {
  type: "TypeofExpression";
  argument: Expression;
  loc: Loc;
}
