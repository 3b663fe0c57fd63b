// The little the compiler proves about types: enough to emit integer arithmetic without
// checks. A local's type is the join of the types of every value assigned to it (compiler.ts
// iterates until these settle); "none" means nothing assigned yet.

/** What the compiler knows of a value's type; "none" is "not assigned yet" (the bottom of the lattice). */
export type Ty = "none" | "int" | "float" | "string" | "bool" | "any";

export function join(a: Ty, b: Ty): Ty {
  if (a === b || b === "none") return a;
  if (a === "none") return b;
  return "any";
}

/** The type of `a op b` from the operands' types. */
export function binaryType(op: string, a: Ty, b: Ty): Ty {
  switch (op) {
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
    case "in":
    case "instanceof":
      return "bool";
    case "<=>":
      return "int";
    case "&":
    case "|":
    case "^":
    case "<<":
    case ">>":
    case ">>>":
      return a === "none" || b === "none" ? "none" : "int";
    case "+":
      if (a === "string" || b === "string") return "string";
    // fall through
    case "-":
    case "*":
    case "/":
    case "%":
      if (a === "none" || b === "none") return "none";
      if (a === "int" && b === "int") return "int";
      if ((a === "int" || a === "float") && (b === "int" || b === "float")) return "float";
      return "any";
  }
  return "any";
}
