// Builder's expression language (the part after `@set NAME`, `@if`, `@{…}`): JavaScript-like
// literals and operators, parsed with jsep and evaluated here with Builder's rules — names
// that are not defined are null, `x | f` is the filter form of `f(x)`, and the operators
// Builder leaves out (`===`, `!==`, shifts, `&`, `^`, `~`) are errors rather than JavaScript's.
// Builder's documentation: github.com/electricimp/Builder README, "Expressions".

import jsep from "jsep";

/** What an expression can see: variables, macros, and the include() function. */
export interface ExpressionScope {
  /** The value of a name, or undefined when no variable has it. */
  lookup(name: string): unknown;
  /** Expands the macro `name` with these arguments, or returns undefined when there is none. */
  callMacro(name: string, args: unknown[]): string | undefined;
  /** include(src): the preprocessed text of another source. */
  include(source: string): string;
}

export class ExpressionError extends Error {}

type Node = jsep.Expression;
export type ParsedExpression = jsep.Expression;

const UNSUPPORTED = new Set(["===", "!==", "<<", ">>", ">>>", "&", "^", "~"]);

// Builder's string helpers, reached as S.name(…).
const STRING_FUNCTIONS: Record<string, (s: string, ...rest: never[]) => unknown> = {
  concat: (s, ...rest: string[]) => s.concat(...rest),
  endsWith: (s, x: string) => s.endsWith(x),
  includes: (s, x: string) => s.includes(x),
  repeat: (s, n: number) => s.repeat(n),
  split: (s, sep: string) => s.split(sep),
  startsWith: (s, x: string) => s.startsWith(x),
  substr: (s, a: number, n?: number) => s.substr(a, n),
  substring: (s, a: number, b?: number) => s.substring(a, b),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => s.trim(),
  trimLeft: (s) => s.trimStart(),
  trimRight: (s) => s.trimEnd(),
};

/** Parses an expression; throws ExpressionError with jsep's reason when it is not one. */
export function parseExpression(text: string): Node {
  try {
    return jsep(text);
  } catch (error) {
    throw new ExpressionError((error as Error).message);
  }
}

export function evaluate(text: string, scope: ExpressionScope): unknown {
  return evaluateNode(parseExpression(text), scope);
}

export function evaluateParsed(node: ParsedExpression, scope: ExpressionScope): unknown {
  return evaluateNode(node, scope);
}

/** Builder's truth: JavaScript's (0, "", null, false are false). */
export function isTrue(value: unknown): boolean {
  return Boolean(value);
}

/** A value as Builder writes it into the output: null and undefined as nothing. */
export function toOutput(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function evaluateNode(node: Node, scope: ExpressionScope): unknown {
  switch (node.type) {
    case "Literal":
      return (node as jsep.Literal).value;
    case "Identifier":
      return identifier((node as jsep.Identifier).name, scope);
    case "ThisExpression":
      throw new ExpressionError("'this' is not supported");
    case "ArrayExpression":
      return (node as jsep.ArrayExpression).elements.map((e) =>
        e === null ? null : evaluateNode(e, scope),
      );
    case "UnaryExpression": {
      const { operator, argument } = node as jsep.UnaryExpression;
      const value = evaluateNode(argument, scope) as number;
      if (operator === "!") return !value;
      if (operator === "-") return -value;
      if (operator === "+") return +value;
      throw new ExpressionError(`the operator '${operator}' is not supported`);
    }
    case "BinaryExpression":
      return binary(node as jsep.BinaryExpression, scope);
    case "ConditionalExpression": {
      const { test, consequent, alternate } = node as jsep.ConditionalExpression;
      return isTrue(evaluateNode(test, scope))
        ? evaluateNode(consequent, scope)
        : evaluateNode(alternate, scope);
    }
    case "MemberExpression":
      return member(node as jsep.MemberExpression, scope);
    case "CallExpression": {
      const { callee, arguments: args } = node as jsep.CallExpression;
      return call(callee, args, [], scope);
    }
    case "Compound":
      throw new ExpressionError("one expression expected, found several");
    default:
      throw new ExpressionError(`unsupported expression (${node.type})`);
  }
}

function identifier(name: string, scope: ExpressionScope): unknown {
  if (name === "S") return STRING_FUNCTIONS;
  const value = scope.lookup(name);
  return value === undefined ? null : value;
}

function binary(node: jsep.BinaryExpression, scope: ExpressionScope): unknown {
  const { operator } = node;
  if (UNSUPPORTED.has(operator))
    throw new ExpressionError(`the operator '${operator}' is not supported`);
  if (operator === "||") return evaluateNode(node.left, scope) || evaluateNode(node.right, scope);
  if (operator === "&&") return evaluateNode(node.left, scope) && evaluateNode(node.right, scope);
  // `x | f` and `x | f(a)`: filters.
  if (operator === "|") {
    const value = evaluateNode(node.left, scope);
    const right = node.right;
    if (right.type === "CallExpression") {
      const { callee, arguments: args } = right as jsep.CallExpression;
      return call(callee, args, [value], scope);
    }
    return call(right, [], [value], scope);
  }
  // Loose comparisons, as Builder evaluates them in JavaScript.
  const l = evaluateNode(node.left, scope) as never;
  const r = evaluateNode(node.right, scope) as never;
  switch (operator) {
    case "==":
      return l == r;
    case "!=":
      return l != r;
    case "<":
      return l < r;
    case ">":
      return l > r;
    case "<=":
      return l <= r;
    case ">=":
      return l >= r;
    case "+":
      return (l as number) + (r as number);
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    case "%":
      return l % r;
    default:
      throw new ExpressionError(`the operator '${operator}' is not supported`);
  }
}

function member(node: jsep.MemberExpression, scope: ExpressionScope): unknown {
  const object = evaluateNode(node.object, scope);
  const key = node.computed
    ? evaluateNode(node.property, scope)
    : (node.property as jsep.Identifier).name;
  if (object === null || object === undefined) {
    throw new ExpressionError(`cannot read '${String(key)}' of null`);
  }
  if (typeof object === "string" && key === "length") return object.length;
  if (typeof object !== "object") return null;
  const value = Object.hasOwn(object, key as PropertyKey)
    ? (object as Record<PropertyKey, unknown>)[key as PropertyKey]
    : undefined;
  return value === undefined ? null : value;
}

function call(callee: Node, argNodes: Node[], leading: unknown[], scope: ExpressionScope): unknown {
  // defined(NAME) asks about a name, so NAME is not evaluated.
  if (
    callee.type === "Identifier" &&
    (callee as jsep.Identifier).name === "defined" &&
    leading.length === 0
  ) {
    const arg = argNodes[0];
    if (arg === undefined) throw new ExpressionError("defined() needs a variable name");
    const name =
      arg.type === "Identifier" ? (arg as jsep.Identifier).name : String(evaluateNode(arg, scope));
    return scope.lookup(name) !== undefined;
  }
  const args = [...leading, ...argNodes.map((a) => evaluateNode(a, scope))];
  if (callee.type === "MemberExpression") {
    const m = callee as jsep.MemberExpression;
    if (
      m.object.type === "Identifier" &&
      (m.object as jsep.Identifier).name === "S" &&
      !m.computed
    ) {
      const name = (m.property as jsep.Identifier).name;
      const fn = Object.hasOwn(STRING_FUNCTIONS, name) ? STRING_FUNCTIONS[name] : undefined;
      if (fn === undefined) throw new ExpressionError(`S.${name}() is not a Builder function`);
      return fn(String(args[0] ?? ""), ...(args.slice(1) as never[]));
    }
    throw new ExpressionError("only S.<function>() and Builder's own functions can be called");
  }
  if (callee.type !== "Identifier") throw new ExpressionError("only named functions can be called");
  const name = (callee as jsep.Identifier).name;
  const macro = scope.callMacro(name, args);
  if (macro !== undefined) return macro;
  switch (name) {
    case "include":
      return scope.include(String(args[0]));
    case "escape":
      return escape(args[0]);
    case "base64":
      return Buffer.from(toOutput(args[0]), "utf8").toString("base64");
    case "min":
      return Math.min(...(args as number[]));
    case "max":
      return Math.max(...(args as number[]));
    case "abs":
      return Math.abs(args[0] as number);
    default:
      throw new ExpressionError(`function "${name}" is not defined`);
  }
}

/** escape(): a value made safe to sit inside a Squirrel (or JavaScript) double-quoted string. */
function escape(value: unknown): string {
  return toOutput(value)
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/'/g, "\\'")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
}
