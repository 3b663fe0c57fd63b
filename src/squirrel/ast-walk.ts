// Questions the compiler asks of a piece of syntax tree before it decides the order in which
// it evaluates operands (compiler-expressions.ts).
import type * as A from "./ast.ts";
import type { Ty } from "./static-types.ts";

/** Whether `test` holds for `node` or for any node inside it (nested functions included). */
export function someNode(node: unknown, test: (n: A.Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => someNode(n, test));
  if (typeof node !== "object" || node === null) return false;
  if (typeof (node as { type?: unknown }).type === "string" && test(node as A.Node)) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key !== "loc" && typeof value === "object" && someNode(value, test)) return true;
  }
  return false;
}

/**
 * Whether evaluating `e` may assign the local `name`: an assignment, increment or new slot
 * to it, or a call (a closure may assign the locals it shares with this function).
 */
export function mayAssign(e: A.Expression, name: string): boolean {
  return someNode(e, (n) => {
    switch (n.type) {
      case "CallExpression":
      case "ResumeExpression":
        return true;
      case "AssignmentExpression":
      case "NewSlotExpression":
        return n.target.type === "Identifier" && n.target.name === name;
      case "UpdateExpression":
        return n.argument.type === "Identifier" && n.argument.name === name;
      default:
        return false;
    }
  });
}

/**
 * Whether evaluating `e` may have an effect another operand could see: a call, an assignment,
 * a deletion, reading a variable that is no local (a `_get` may run), or an operator that may
 * call a metamethod or raise an error (`ty` gives what the compiler knows of an operand).
 */
export function mayHaveEffects(
  e: A.Expression,
  isLocal: (name: string) => boolean,
  ty: (e: A.Expression) => Ty,
): boolean {
  const numeric = (x: A.Expression) => ty(x) === "int" || ty(x) === "float";
  return someNode(e, (n) => {
    switch (n.type) {
      case "IntegerLiteral":
      case "FloatLiteral":
      case "StringLiteral":
      case "BoolLiteral":
      case "NullLiteral":
      case "ThisExpression":
      case "LogicalExpression":
      case "ConditionalExpression":
        return false;
      case "Identifier":
        return !isLocal(n.name);
      case "BinaryExpression":
        if (n.operator === "==" || n.operator === "!=") return false;
        if (n.operator === "+" && (ty(n.left) === "string" || ty(n.right) === "string"))
          return !(numeric(n.left) || numeric(n.right) || ty(n.left) === ty(n.right));
        switch (n.operator) {
          case "+":
          case "-":
          case "*":
          case "<":
          case "<=":
          case ">":
          case ">=":
          case "<=>":
            return !(numeric(n.left) && numeric(n.right));
          case "&":
          case "|":
          case "^":
          case "<<":
          case ">>":
          case ">>>":
            return !(ty(n.left) === "int" && ty(n.right) === "int");
          default:
            // division by zero, `in` and `instanceof` on the wrong types raise errors
            return true;
        }
      case "UnaryExpression":
        if (n.operator === "~") return ty(n.argument) !== "int";
        return n.operator === "-" && !numeric(n.argument);
      default:
        return true;
    }
  });
}
