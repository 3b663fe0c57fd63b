// Squirrel's own regular expressions (sqstdlib/sqstdrex.cpp) and the `regexp` class built on
// them (sqstdlib/sqstdstring.cpp). The dialect is not JS's: `\m()` balanced match, character
// classes `\a \w \s \d \x \c \p \l \u` (and upper-case negations), `\b` word boundaries defined
// by spaces, `{n,m}`, greedy-only quantifiers, `(?:)`, and a backtracking that only looks one
// node ahead. The matcher below follows the reference's node graph and walk step by step so
// that the same pattern finds the same matches and captures, quirks included.

import { newMember } from "../classes.ts";
import { sqError } from "../errors.ts";
import { native } from "../native.ts";
import { SqClass, SqTable } from "../values.ts";
import type { SqInstance } from "../values.ts";
import { tableSet } from "../access.ts";
import { cString, toInteger } from "./clib.ts";

// Node types above every byte value; a byte value is a literal character node.
const GREEDY = 0x100;
const OR = 0x101;
const EXPR = 0x102;
const NOCAPEXPR = 0x103;
const DOT = 0x104;
const CLASS = 0x105;
const CCLASS = 0x106;
const NCLASS = 0x107;
const RANGE = 0x108;
const EOL = 0x10a;
const BOL = 0x10b;
const WB = 0x10c;
const MB = 0x10d;

/** Quantifier bound that means "no upper limit". */
const INFINITE = 0xffff;

interface RexNode {
  type: number;
  left: number;
  right: number;
  next: number;
}

interface Capture {
  begin: number;
  len: number;
}

// C <ctype.h> in the "C" locale, on bytes.
const isDigitC = (c: number): boolean => c >= 48 && c <= 57;
const isUpperC = (c: number): boolean => c >= 65 && c <= 90;
const isLowerC = (c: number): boolean => c >= 97 && c <= 122;
const isAlphaC = (c: number): boolean => isUpperC(c) || isLowerC(c);
const isAlnumC = (c: number): boolean => isAlphaC(c) || isDigitC(c);
const isSpaceC = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isXDigitC = (c: number): boolean =>
  isDigitC(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isCntrlC = (c: number): boolean => c < 32 || c === 127;
const isPrintC = (c: number): boolean => c >= 32 && c < 127;
const isPunctC = (c: number): boolean => isPrintC(c) && c !== 32 && !isAlnumC(c);

function matchCharClass(cls: number, c: number): boolean {
  switch (String.fromCharCode(cls)) {
    case "a":
      return isAlphaC(c);
    case "A":
      return !isAlphaC(c);
    case "w":
      return isAlnumC(c) || c === 95;
    case "W":
      return !isAlnumC(c) && c !== 95;
    case "s":
      return isSpaceC(c);
    case "S":
      return !isSpaceC(c);
    case "d":
      return isDigitC(c);
    case "D":
      return !isDigitC(c);
    case "x":
      return isXDigitC(c);
    case "X":
      return !isXDigitC(c);
    case "c":
      return isCntrlC(c);
    case "C":
      return !isCntrlC(c);
    case "p":
      return isPunctC(c);
    case "P":
      return !isPunctC(c);
    case "l":
      return isLowerC(c);
    case "u":
      return isUpperC(c);
  }
  return false;
}

const CLASS_LETTERS = "aAwWsSdDxXcCpPlu";

/** Thrown inside the compiler; turned into the Squirrel error by compileRegex. */
class RexError {
  constructor(readonly message: string) {}
}

/** Compiles a pattern into the reference's node graph (sqstd_rex_compile). */
class RexCompiler {
  readonly nodes: RexNode[] = [];
  nsubexpr = 0;
  private p = 0;
  private readonly pat: number[];

  constructor(pattern: string) {
    this.pat = Array.from(cString(pattern), (ch) => ch.charCodeAt(0));
  }

  /** The character at the cursor, 0 at the end (the C string terminator). */
  private cur(): number {
    return this.pat[this.p] ?? 0;
  }

  private error(msg: string): never {
    throw new RexError(msg);
  }

  newNode(type: number): number {
    const n: RexNode = { type, left: -1, right: -1, next: -1 };
    if (type === EXPR) n.right = this.nsubexpr++;
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  private expect(ch: string): void {
    if (this.cur() !== ch.charCodeAt(0)) this.error("expected paren");
    this.p++;
  }

  /** One character of a range's upper end. */
  private escapeChar(): number {
    if (this.cur() === 92) {
      this.p++;
      const ch = this.cur();
      this.p++;
      switch (String.fromCharCode(ch)) {
        case "v":
          return 11;
        case "n":
          return 10;
        case "t":
          return 9;
        case "r":
          return 13;
        case "f":
          return 12;
        default:
          return ch;
      }
    }
    if (!isPrintC(this.cur())) this.error("letter expected");
    return this.pat[this.p++]!;
  }

  private charNode(inClass: boolean): number {
    if (this.cur() === 92) {
      this.p++;
      const ch = this.cur();
      const s = String.fromCharCode(ch);
      switch (s) {
        case "n":
          this.p++;
          return this.newNode(10);
        case "t":
          this.p++;
          return this.newNode(9);
        case "r":
          this.p++;
          return this.newNode(13);
        case "f":
          this.p++;
          return this.newNode(12);
        case "v":
          this.p++;
          return this.newNode(11);
        case "m": {
          this.p++;
          const cb = this.cur();
          this.p++;
          const ce = this.cur();
          this.p++;
          if (cb === 0 || ce === 0) this.error("balanced chars expected");
          if (cb === ce) this.error("open/close char can't be the same");
          const node = this.newNode(MB);
          this.nodes[node]!.left = cb;
          this.nodes[node]!.right = ce;
          return node;
        }
        case "\0":
          this.error("letter expected for argument of escape sequence");
      }
      if (CLASS_LETTERS.includes(s)) {
        this.p++;
        const node = this.newNode(CCLASS);
        this.nodes[node]!.left = ch;
        return node;
      }
      if ((s === "b" || s === "B") && !inClass) {
        const node = this.newNode(WB);
        this.nodes[node]!.left = ch;
        this.p++;
        return node;
      }
      this.p++;
      return this.newNode(ch);
    }
    if (!isPrintC(this.cur())) this.error("letter expected");
    return this.newNode(this.pat[this.p++]!);
  }

  private charClass(): number {
    let first = -1;
    let ret: number;
    if (this.cur() === 94) {
      ret = this.newNode(NCLASS);
      this.p++;
    } else {
      ret = this.newNode(CLASS);
    }
    if (this.cur() === 93) this.error("empty class");
    let chain = ret;
    while (this.cur() !== 93) {
      if (this.cur() === 45 && first !== -1) {
        this.p++;
        const r = this.newNode(RANGE);
        const from = this.nodes[first]!.type;
        // Compared with the raw next character, before any escape is read (as the reference).
        if (from > this.cur()) this.error("invalid range");
        if (from === CCLASS) this.error("cannot use character classes in ranges");
        this.nodes[r]!.left = from;
        this.nodes[r]!.right = this.escapeChar();
        this.nodes[chain]!.next = r;
        chain = r;
        first = -1;
      } else {
        if (first !== -1) {
          this.nodes[chain]!.next = first;
          chain = first;
        }
        first = this.charNode(true);
      }
    }
    if (first !== -1) this.nodes[chain]!.next = first;
    // The class node keeps its item list in `left`.
    this.nodes[ret]!.left = this.nodes[ret]!.next;
    this.nodes[ret]!.next = -1;
    return ret;
  }

  private parseNumber(): number {
    let ret = this.cur() - 48;
    let positions = 10;
    this.p++;
    while (isDigitC(this.cur())) {
      ret = ret * 10 + (this.cur() - 48);
      this.p++;
      if (positions === 1000000000) this.error("overflow in numeric constant");
      positions *= 10;
    }
    return ret;
  }

  private element(): number {
    let ret: number;
    switch (this.cur()) {
      case 40: {
        // (
        this.p++;
        let expr: number;
        if (this.cur() === 63) {
          // ?
          this.p++;
          this.expect(":");
          expr = this.newNode(NOCAPEXPR);
        } else {
          expr = this.newNode(EXPR);
        }
        const inner = this.list();
        this.nodes[expr]!.left = inner;
        ret = expr;
        this.expect(")");
        break;
      }
      case 91: // [
        this.p++;
        ret = this.charClass();
        this.expect("]");
        break;
      case 36: // $
        this.p++;
        ret = this.newNode(EOL);
        break;
      case 46: // .
        this.p++;
        ret = this.newNode(DOT);
        break;
      default:
        ret = this.charNode(false);
    }

    let greedy = false;
    let p0 = 0;
    let p1 = 0;
    switch (this.cur()) {
      case 42:
        p0 = 0;
        p1 = INFINITE;
        this.p++;
        greedy = true;
        break; // *
      case 43:
        p0 = 1;
        p1 = INFINITE;
        this.p++;
        greedy = true;
        break; // +
      case 63:
        p0 = 0;
        p1 = 1;
        this.p++;
        greedy = true;
        break; // ?
      case 123: {
        // {
        this.p++;
        if (!isDigitC(this.cur())) this.error("number expected");
        // The bounds are unsigned shorts in the reference.
        p0 = this.parseNumber() & 0xffff;
        if (this.cur() === 125) {
          p1 = p0;
          this.p++;
        } else if (this.cur() === 44) {
          this.p++;
          p1 = INFINITE;
          if (isDigitC(this.cur())) p1 = this.parseNumber() & 0xffff;
          this.expect("}");
        } else {
          this.error(", or } expected");
        }
        greedy = true;
        break;
      }
    }
    if (greedy) {
      const node = this.newNode(GREEDY);
      this.nodes[node]!.left = ret;
      this.nodes[node]!.right = (p0 << 16) | p1;
      ret = node;
    }
    const c = this.cur();
    if (c !== 124 && c !== 41 && c !== 42 && c !== 43 && c !== 0) {
      // | ) * + end
      const next = this.element();
      this.nodes[ret]!.next = next;
    }
    return ret;
  }

  list(): number {
    let ret = -1;
    if (this.cur() === 94) {
      // ^
      this.p++;
      ret = this.newNode(BOL);
    }
    const e = this.element();
    if (ret !== -1) this.nodes[ret]!.next = e;
    else ret = e;
    if (this.cur() === 124) {
      // |
      this.p++;
      const alt = this.newNode(OR);
      this.nodes[alt]!.left = ret;
      this.nodes[alt]!.right = this.list();
      ret = alt;
    }
    return ret;
  }

  compile(): void {
    const first = this.newNode(EXPR);
    this.nodes[first]!.left = this.list();
    if (this.cur() !== 0) this.error("unexpected character");
  }
}

/** A compiled Squirrel regular expression. */
export class SqRex {
  private readonly nodes: RexNode[];
  /** Sub-expression matches; like the reference they persist from one search to the next. */
  private readonly matches: Capture[];
  private text: number[] = [];
  private bol = 0;
  private eol = 0;
  private currSubexp = 0;

  constructor(pattern: string) {
    const c = new RexCompiler(pattern);
    try {
      c.compile();
    } catch (e) {
      if (e instanceof RexError) sqError(e.message);
      throw e;
    }
    this.nodes = c.nodes;
    this.matches = Array.from({ length: c.nsubexpr }, () => ({ begin: 0, len: 0 }));
  }

  get subexpCount(): number {
    return this.matches.length;
  }

  /** The byte at i, 0 outside the text (the C string's terminator and beyond). */
  private at(i: number): number {
    return i >= 0 && i < this.text.length ? this.text[i]! : 0;
  }

  private node(i: number): RexNode {
    return this.nodes[i]!;
  }

  private matchClass(first: number, c: number): boolean {
    let n: RexNode | undefined = this.node(first);
    while (n) {
      if (n.type === RANGE) {
        if (c >= n.left && c <= n.right) return true;
      } else if (n.type === CCLASS) {
        if (matchCharClass(n.left, c)) return true;
      } else if (c === n.type) {
        return true;
      }
      n = n.next !== -1 ? this.node(n.next) : undefined;
    }
    return false;
  }

  /** Matches `node` at `str`; the end of the match, or -1. `next` is what follows (for greedy stops). */
  private matchNode(node: RexNode, str: number, next: RexNode | null): number {
    switch (node.type) {
      case GREEDY: {
        const p0 = (node.right >>> 16) & 0xffff;
        const p1 = node.right & 0xffff;
        let nmatches = 0;
        let s = str;
        let good = str;
        const stopAt = node.next !== -1 ? this.node(node.next) : next;
        while (nmatches === INFINITE || nmatches < p1) {
          s = this.matchNode(this.node(node.left), s, stopAt);
          if (s < 0) break;
          nmatches++;
          good = s;
          // Stop as early as what follows can match (the reference's greedy is lazy that way).
          if (stopAt && (stopAt.type !== GREEDY || ((stopAt.right >>> 16) & 0xffff) !== 0)) {
            let gnext: RexNode | null = null;
            if (stopAt.next !== -1) gnext = this.node(stopAt.next);
            else if (next && next.next !== -1) gnext = this.node(next.next);
            const stop = this.matchNode(stopAt, s, gnext);
            if (stop >= 0) {
              if (p0 === p1 && p0 === nmatches) break;
              else if (nmatches >= p0 && p1 === INFINITE) break;
              else if (nmatches >= p0 && nmatches <= p1) break;
            }
          }
          if (s >= this.eol) break;
        }
        if (p0 === p1 && p0 === nmatches) return good;
        if (nmatches >= p0 && p1 === INFINITE) return good;
        if (nmatches >= p0 && nmatches <= p1) return good;
        return -1;
      }
      case OR: {
        for (const side of [node.left, node.right]) {
          let cur = str;
          let t = this.node(side);
          while ((cur = this.matchNode(t, cur, null)) >= 0) {
            if (t.next === -1) return cur;
            t = this.node(t.next);
          }
        }
        return -1;
      }
      case EXPR:
      case NOCAPEXPR: {
        let n = this.node(node.left);
        let cur = str;
        let capture = -1;
        if (node.type !== NOCAPEXPR && node.right === this.currSubexp) {
          capture = this.currSubexp;
          this.matches[capture]!.begin = cur;
          this.currSubexp++;
        }
        const tempCap = this.currSubexp;
        for (;;) {
          const subnext = n.next !== -1 ? this.node(n.next) : next;
          cur = this.matchNode(n, cur, subnext);
          if (cur < 0) {
            if (capture !== -1) {
              this.matches[capture]!.begin = 0;
              this.matches[capture]!.len = 0;
            }
            return -1;
          }
          if (n.next === -1) break;
          n = this.node(n.next);
        }
        this.currSubexp = tempCap;
        if (capture !== -1) this.matches[capture]!.len = cur - this.matches[capture]!.begin;
        return cur;
      }
      case WB: {
        const c = this.at(str);
        const boundary =
          (str === this.bol && !isSpaceC(c)) ||
          (str === this.eol && !isSpaceC(this.at(str - 1))) ||
          (!isSpaceC(c) && isSpaceC(this.at(str + 1))) ||
          (isSpaceC(c) && !isSpaceC(this.at(str + 1)));
        const wantBoundary = node.left === 98; // 'b'
        return boundary === wantBoundary ? str : -1;
      }
      case BOL:
        return str === this.bol ? str : -1;
      case EOL:
        return str === this.eol ? str : -1;
      case DOT:
        return str === this.eol ? -1 : str + 1;
      case NCLASS:
      case CLASS: {
        if (str === this.eol) return -1;
        const inClass = this.matchClass(node.left, this.at(str));
        return inClass === (node.type === CLASS) ? str + 1 : -1;
      }
      case CCLASS:
        if (str === this.eol) return -1;
        return matchCharClass(node.left, this.at(str)) ? str + 1 : -1;
      case MB: {
        if (this.at(str) !== node.left) return -1;
        let depth = 1;
        while (++str < this.eol) {
          const c = this.at(str);
          if (c === node.right) {
            if (--depth === 0) return str + 1;
          } else if (c === node.left) {
            depth++;
          }
        }
        return -1;
      }
      default:
        if (str === this.eol) return -1;
        if (this.at(str) !== node.type) return -1;
        return str + 1;
    }
  }

  private setText(s: string): void {
    const c = cString(s);
    this.text = Array.from(c, (ch) => ch.charCodeAt(0));
  }

  /** True when the whole string matches. */
  match(s: string): boolean {
    this.setText(s);
    this.bol = 0;
    this.eol = this.text.length;
    this.currSubexp = 0;
    const res = this.matchNode(this.node(0), 0, null);
    return res >= 0 && res === this.eol;
  }

  /** The first match at or after `start`: [begin, end], or null. */
  search(s: string, start: number): [number, number] | null {
    this.setText(s);
    let begin = start;
    const end = this.text.length;
    if (begin < 0 || begin >= end) return null;
    this.bol = begin;
    this.eol = end;
    let cur: number;
    do {
      this.currSubexp = 0;
      cur = this.matchNode(this.node(0), begin, null);
      begin++;
    } while (cur < 0 && begin !== end);
    if (cur < 0) return null;
    return [begin - 1, cur];
  }

  /** Sub-expression i of the last match as [begin, end]; [0, 0] when it matched nothing. */
  subexp(i: number): [number, number] {
    const m = this.matches[i]!;
    return m.len > 0 ? [m.begin, m.begin + m.len] : [0, 0];
  }
}

const compiled = new WeakMap<object, SqRex>();

function rexOf(self: unknown): SqRex {
  const r = typeof self === "object" && self !== null ? compiled.get(self) : undefined;
  if (r === undefined) sqError("invalid type tag");
  return r;
}

function matchTable(begin: number, end: number): SqTable {
  const t = new SqTable();
  tableSet(t, "begin", begin);
  tableSet(t, "end", end);
  return t;
}

function startArg(args: unknown[]): number {
  return args.length > 1 ? toInteger(args[1]) : 0;
}

/** The `regexp` class of the string library (sqstdstring.cpp, rexobj_funcs). */
export function createRegexpClass(): SqClass {
  const cls = new SqClass(null);
  const member = (
    name: string,
    nparams: number,
    mask: string,
    fn: (self: unknown, args: unknown[]) => unknown,
  ): void => {
    newMember(cls, name, native(name, nparams, mask, fn), null, false);
  };
  member("constructor", 2, ".s", (self, args) => {
    if (typeof self !== "object" || self === null) sqError("invalid type tag");
    if (compiled.has(self)) sqError("invalid regexp object");
    compiled.set(self as SqInstance, new SqRex(args[0] as string));
    return null;
  });
  member("search", -2, "xsn", (self, args) => {
    const m = rexOf(self).search(args[0] as string, startArg(args));
    return m === null ? null : matchTable(m[0], m[1]);
  });
  member("match", 2, "xs", (self, args) => rexOf(self).match(args[0] as string));
  member("capture", -2, "xsn", (self, args) => {
    const rex = rexOf(self);
    if (rex.search(args[0] as string, startArg(args)) === null) return null;
    const out: SqTable[] = [];
    for (let i = 0; i < rex.subexpCount; i++) {
      const [b, e] = rex.subexp(i);
      out.push(matchTable(b, e));
    }
    return out;
  });
  member("subexpcount", 1, "x", (self) => rexOf(self).subexpCount);
  member("_typeof", 1, "x", () => "regexp");
  return cls;
}
