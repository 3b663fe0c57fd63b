// What the parser must know about names while it reads, because the reference compiler
// decides some errors (and constant folding) from it as it goes:
//   - which names are locals of the function being read, or of an enclosing one
//     (`x <- 1` on a local is "can't 'create' a local slot"; a local hides a constant);
//   - which constants and enums exist *at this point of the text* (the reference folds a
//     constant only after its `const`/`enum` statement, whatever the nesting);
//   - whether a `break`/`continue` has a loop (or switch) to leave in this function.
//
// Block scoping follows the reference exactly, quirks included: the body of an `if`
// without braces opens no scope, so a `local` there stays visible after the `if`.

import type { ScalarValue } from "./ast.ts";

/** A constant's value, or an enum's table of member values. */
export type ConstantValue = ScalarValue | ReadonlyMap<string, ScalarValue>;

export function isEnumTable(v: ConstantValue): v is ReadonlyMap<string, ScalarValue> {
  return v instanceof Map;
}

export class FunctionScope {
  readonly parent: FunctionScope | null;
  /** How many declarations of each name are in scope (a name may be redeclared). */
  private readonly live = new Map<string, number>();
  /** Names declared in each open block, innermost last, to forget them when it closes. */
  private readonly blocks: string[][] = [[]];
  /** Open loops and switches (targets for `break`). */
  breakTargets = 0;
  /** Open loops (targets for `continue`; a switch is not one). */
  continueTargets = 0;
  /** A `yield` was read directly in this function. */
  isGenerator = false;

  constructor(parent: FunctionScope | null) {
    this.parent = parent;
  }

  declare(name: string): void {
    this.live.set(name, (this.live.get(name) ?? 0) + 1);
    this.blocks[this.blocks.length - 1]!.push(name);
  }

  openBlock(): void {
    this.blocks.push([]);
  }

  closeBlock(): void {
    const names = this.blocks.pop()!;
    for (const name of names) {
      const n = this.live.get(name)! - 1;
      if (n === 0) this.live.delete(name);
      else this.live.set(name, n);
    }
  }

  hasLocal(name: string): boolean {
    return this.live.has(name);
  }
}

/** How a bare name resolves at the point where it is read. */
export type NameKind = "local" | "outer" | "constant" | "slot";

export class Scopes {
  current: FunctionScope;
  readonly constants: Map<string, ConstantValue>;

  constructor(constants: ReadonlyMap<string, ConstantValue> | undefined) {
    this.constants = new Map(constants ?? []);
    // The main chunk is a function with the parameters `this` and `vargv`.
    this.current = new FunctionScope(null);
    this.current.declare("this");
    this.current.declare("vargv");
  }

  enterFunction(): FunctionScope {
    this.current = new FunctionScope(this.current);
    this.current.declare("this");
    return this.current;
  }

  leaveFunction(): void {
    this.current = this.current.parent!;
  }

  resolve(name: string): NameKind {
    if (this.current.hasLocal(name)) return "local";
    for (let f = this.current.parent; f !== null; f = f.parent)
      if (f.hasLocal(name)) return "outer";
    if (this.constants.has(name)) return "constant";
    return "slot";
  }
}
