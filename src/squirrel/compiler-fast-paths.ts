// The compiler's fast paths: the inline code it emits where the types it knows (or guesses
// behind a check) allow it — integer arithmetic and comparisons without a runtime call, direct
// slot and field writes, array and string methods done inline. Each has the generic runtime
// call as its fallback, so a wrong guess costs speed, never behaviour.
// test/squirrel/compiler-emits.test.ts says what each one emits.
import type * as A from "./ast.ts";
import { CompilerScope, IDENT } from "./compiler-scope.ts";
import type { Ty } from "./static-types.ts";

/**
 * Inline code for a built-in method, on the object `o`. `guard` is the test under which the
 * inline code may apply: there, looking the method up has no effect, so the lookup may wait
 * for the generic call. `emit` gives the inline code from the generic call (its fallback) and
 * the (simple) arguments.
 */
export interface Intrinsic {
  guard(o: string): string;
  emit(o: string, generic: string, args: string[], argTypes: Ty[]): string;
}

/** String methods compiled code calls directly (runtime/stdlib/string-delegate.ts, stringFastPaths). */
const STRING_FAST_PATHS: Record<string, { helper: string; argc: number[] }> = {
  find: { helper: "$strFind", argc: [1, 2] },
  slice: { helper: "$strSlice", argc: [1, 2] },
  toupper: { helper: "$strToUpper", argc: [0] },
  tolower: { helper: "$strToLower", argc: [0] },
};

export abstract class FastPathCompiler extends CompilerScope {
  /**
   * `o.key = v` for a simple `o` and a simple `v`: an instance field or an existing table
   * slot is written directly; everything else (metamethods, delegates, errors) goes to $set.
   */
  protected writeSlot(o: string, key: string, v: string, tv: Ty): string {
    if (!IDENT.test(key) || o !== CompilerScope.readable(o))
      return `$set(${o},${JSON.stringify(key)},${v})`;
    const s = `$${key}`;
    return `((${this.isField(o, s)}||(${o} instanceof $SqTable&&${o}.${s}!==undefined))${notWeak(v, tv)}?(${o}.${s}=${v}):$set(${o},${JSON.stringify(key)},${v}))`;
  }

  /**
   * "o is an instance and `slot` one of its fields". Written out rather than as an optional
   * chain: QuickJS runs `o?.fs?.k===1||...` several times slower.
   */
  protected isField(o: string, slot: string): string {
    const t = this.fn.temp();
    return `(${o}!==null&&(${t}=${o}.fs)!==undefined&&${t}.${slot}===1)`;
  }

  /** `name = v` for a name that is not a local: a field of `this` directly, else $setVar. */
  protected writeVar(name: string, v: string, tv: Ty): string {
    const set = `$setVar($this,${JSON.stringify(name)},${v},$root)`;
    if (!IDENT.test(name)) return set;
    return `(${this.isField("$this", "$" + name)}${notWeak(v, tv)}?($this.$${name}=${v}):${set})`;
  }

  /**
   * Default-delegate methods of arrays and strings done inline: neither can have slots of
   * its own or a delegate, so on them these names always mean the built-in method.
   */
  protected intrinsic(name: string, argc: number, objectType: Ty): Intrinsic | null {
    const isString = objectType === "string";
    if (name === "len" && argc === 0) {
      if (isString) return { guard: () => "true", emit: (o) => `${o}.length` };
      const guard = (o: string) => `(${o} instanceof Array||typeof ${o}==="string")`;
      return { guard, emit: (o, g) => `(${guard(o)}?${o}.length:${g})` };
    }
    if ((name === "append" || name === "push") && argc === 1) {
      const guard = (o: string) => `${o} instanceof Array`;
      return {
        guard,
        emit: (o, g, [a], [ta]) => `(${guard(o)}${notWeak(a!, ta!)}?(${o}.push(${a}),${o}):${g})`,
      };
    }
    const str = Object.hasOwn(STRING_FAST_PATHS, name) ? STRING_FAST_PATHS[name]! : null;
    if (str !== null && str.argc.includes(argc)) {
      const guard = (o: string) => (isString ? "true" : `typeof ${o}==="string"`);
      const when = (o: string) => (isString ? "" : `${guard(o)}&&`);
      if (argc === 0)
        return {
          guard,
          emit: (o, g) =>
            isString ? `${str.helper}(${o})` : `(${guard(o)}?${str.helper}(${o}):${g})`,
        };
      // the helper gives undefined where the native must convert or raise: then it is called
      const t = this.fn.temp();
      return {
        guard,
        emit: (o, g, args) =>
          `(${when(o)}(${t}=${str.helper}(${[o, ...args].join(",")}))!==undefined?${t}:${g})`,
      };
    }
    return null;
  }

  /** Arithmetic/bitwise/comparison of two simple JS operands; only operands not known to be ints are checked. */
  /** `a == b`: the same JS value is equal unless both sides may be a float (NaN != NaN). */
  private equal(a: string, b: string, ta: Ty, tb: Ty): string {
    if (ta === "int" && tb === "int") return `(${a}===${b})`;
    const mayBeFloat = (t: Ty) => t === "float" || t === "any" || t === "none";
    if (mayBeFloat(ta) && mayBeFloat(tb)) return `$eq(${a},${b})`;
    return `(${a}===${b}||$eq(${a},${b}))`;
  }

  protected op(op: string, a: string, b: string, ta: Ty, tb: Ty): string {
    const checks = [ta === "int" ? "" : `${isInt(a)}`, tb === "int" ? "" : `${isInt(b)}`].filter(
      (c) => c,
    );
    const wrap = (fast: string, slow: string) =>
      checks.length === 0 ? `(${fast})` : `(${checks.join("&&")}?${fast}:${slow})`;
    switch (op) {
      case "+":
        // an integer prints as JS prints it; floats need %g, so they go through $concat
        if (
          (ta === "string" && (tb === "string" || tb === "int")) ||
          (ta === "int" && tb === "string")
        )
          return `(${a}+${b})`;
        if (ta === "string")
          return tb === "any" || tb === "none"
            ? `(typeof ${b}==="string"||${isInt(b)}?${a}+${b}:$concat(${a},${b}))`
            : `$concat(${a},${b})`;
        return wrap(`(${a}+${b})|0`, `$add(${a},${b})`);
      case "-":
        return wrap(`(${a}-${b})|0`, `$sub(${a},${b})`);
      case "*": {
        // exact while the product fits in a double's 53 bits; Math.imul (a C call in QuickJS) beyond
        const p = this.fn.temp();
        return wrap(
          `(${p}=${a}*${b},${p}>9007199254740991||${p}<-9007199254740991?Math.imul(${a},${b}):${p}|0)`,
          `$mul(${a},${b})`,
        );
      }
      case "/":
        return `$div(${a},${b})`;
      case "%":
        return `$mod(${a},${b})`;
      case "&":
      case "|":
      case "^":
      case "<<":
      case ">>":
        return wrap(`${a}${op}${b}`, `$bitop("${op}",${a},${b})`);
      case ">>>":
        return wrap(`(${a}>>>${b})|0`, `$bitop(">>>",${a},${b})`);
      case "<":
        return wrap(`${a}<${b}`, `$lt(${a},${b})`);
      case "<=":
        return wrap(`${a}<=${b}`, `$le(${a},${b})`);
      case ">":
        return wrap(`${a}>${b}`, `$gt(${a},${b})`);
      case ">=":
        return wrap(`${a}>=${b}`, `$ge(${a},${b})`);
      case "<=>":
        return wrap(`${a}<${b}?-1:${a}>${b}?1:0`, `$cmp(${a},${b})`);
      case "==":
        return this.equal(a, b, ta, tb);
      case "!=":
        return `!${this.equal(a, b, ta, tb)}`;
      case "in":
        return `$has(${a},${b})`;
      case "instanceof":
        return `$instanceOf(${a},${b})`;
    }
    throw new Error(`unknown operator ${op}`);
  }

  /**
   * An integer constant right operand: exact native multiply, division and modulo without a
   * call. Null when `v` allows none of them.
   */
  protected byIntegerConstant(op: string, a: string, b: string, ta: Ty, v: number): string | null {
    if (v === 0 || v === -1) return null;
    const fast = (x: string, slow: string) =>
      ta === "int" ? `(${x})` : `(${isInt(a)}?${x}:${slow})`;
    if (op === "*" && Math.abs(v) < 1 << 21) return fast(`(${a}*${b})|0`, `$mul(${a},${b})`);
    if (op === "/") return fast(`(${a}/${b})|0`, `$div(${a},${b})`);
    if (op === "%") return fast(`(${a}%${b})|0`, `$mod(${a},${b})`);
    return null;
  }
}

/**
 * "x holds an integer": cheaper than `typeof` in QuickJS. Squirrel integers are the only
 * int32 JS numbers among Squirrel values; anything else fails the test (a float object
 * converts to NaN through SqFloat's valueOf, a string does not equal its number).
 */
export function isInt(x: string): string {
  return `(${x}|0)===${x}`;
}

/** "v is not a weak reference" (stored weak references are dereferenced), unless its type says so. */
export function notWeak(v: string, tv: Ty): string {
  return tv === "any" || tv === "none" ? `&&!(${v} instanceof $SqWeakRef)` : "";
}

export function isPlainLiteral(e: A.Expression): boolean {
  return e.type === "StringLiteral" || e.type === "NullLiteral" || e.type === "BoolLiteral";
}
