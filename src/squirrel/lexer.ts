// The Squirrel lexer: turns a byte string (one JS char code 0..255 per byte) into tokens,
// one at a time, with the reference lexer's rules and error texts.
//
// Positions. Tokens carry their true 1-based start line and column (for the AST). Errors,
// though, are reported where the reference lexer stands, counted its way: its column
// counter starts at 0 on the first character of the file, goes up by one per byte read,
// is reset to 1 after a newline seen between tokens, but is *not* reset by newlines inside
// block comments or verbatim strings. So on line 1 it is the 0-based column, after an
// ordinary newline the 1-based one, and after a multi-line comment it keeps counting.
// The counter is kept as `pos - colOrigin`, which stays right as long as every byte read
// moves `pos` by one.
//
// A NUL byte ends the input, as the reference's readers return 0 for it and 0 means "end".

import { CompileError } from "./compile-error.ts";
import { KEYWORDS, T, type Token, type TokenType } from "./tokens.ts";

const MAX_HEX_DIGITS = 8; // sizeof(SQInteger) * 2 on the 32-bit imp
const TWO_32 = 4294967296;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isOctDigit(c: number): boolean {
  return c >= 48 && c <= 55;
}
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isIdChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 95;
}

/** The bytes of a code point in UTF-8, as the reference's AddUTF8 writes them (nothing past 0x10FFFF). */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp < 0x10000) {
    return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  }
  if (cp < 0x110000) {
    return String.fromCharCode(
      (cp >> 18) | 0xf0,
      ((cp >> 12) & 0x3f) | 0x80,
      ((cp >> 6) & 0x3f) | 0x80,
      (cp & 0x3f) | 0x80,
    );
  }
  return "";
}

/** The longest prefix of a decimal literal that C's strtod would read (e.g. "1.2.3" reads as 1.2). */
const STRTOD_PREFIX = /^[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?/;

export class Lexer {
  private readonly src: string;
  private readonly file: string;
  /** Index just past the last byte to read (the first NUL byte, or the length). */
  private readonly end: number;
  private pos = 0;
  private line = 1;
  /** Index of the first byte of the current line (for true columns). */
  private lineStart = 0;
  /** The reference column counter is `pos - colOrigin` (it starts at 0 on byte 0). */
  private colOrigin = 0;

  constructor(source: string, file: string) {
    this.src = source;
    this.file = file;
    const nul = source.indexOf("\0");
    this.end = nul < 0 ? source.length : nul;
    // A UTF-8 byte-order mark (editors write one) is skipped as sq's file loader skips it.
    const bom = source.startsWith("\xEF\xBB\xBF") ? 3 : source.startsWith("\uFEFF") ? 1 : 0;
    this.pos = this.lineStart = this.colOrigin = bom;
  }

  /** The current byte, or 0 at the end of input. */
  private cur(): number {
    return this.pos < this.end ? this.src.charCodeAt(this.pos) : 0;
  }

  private refCol(): number {
    return this.pos - this.colOrigin;
  }

  /** A lexical error at the reference lexer's current position. */
  private error(reason: string): never {
    throw new CompileError(this.file, this.line, Math.max(1, this.refCol()), reason);
  }

  /** Counts a newline that is being read inside a comment or a verbatim string. */
  private newlineInside(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  next(): Token {
    let nlBefore = false;
    for (;;) {
      const c = this.cur();
      switch (c) {
        case 0:
          return this.make(T.EOF, null, this.pos, this.line, nlBefore);
        case 9: // \t
        case 13: // \r
        case 32:
          this.pos++;
          continue;
        case 10: // \n between tokens: the only place the reference resets its column
          this.pos++;
          this.line++;
          this.lineStart = this.pos;
          this.colOrigin = this.pos - 1;
          nlBefore = true;
          continue;
        case 35: // #
          this.skipLineComment();
          continue;
        case 47: {
          // `/`
          const c2 = this.peek(1);
          if (c2 === 42) {
            // `/*`
            this.pos += 2;
            this.skipBlockComment();
            continue;
          }
          if (c2 === 47) {
            this.skipLineComment();
            continue;
          }
          break;
        }
      }
      return this.readToken(c, nlBefore);
    }
  }

  private peek(offset: number): number {
    const p = this.pos + offset;
    return p < this.end ? this.src.charCodeAt(p) : 0;
  }

  private skipLineComment(): void {
    // Stops before the newline, which is then read as a newline between tokens.
    const nl = this.src.indexOf("\n", this.pos);
    this.pos = nl < 0 || nl > this.end ? this.end : nl;
  }

  private skipBlockComment(): void {
    for (;;) {
      const c = this.cur();
      if (c === 42) {
        this.pos++;
        if (this.cur() === 47) {
          this.pos++;
          return;
        }
      } else if (c === 10) {
        this.newlineInside();
      } else if (c === 0) {
        this.error('missing "*/" in comment');
      } else {
        this.pos++;
      }
    }
  }

  private make(
    type: TokenType,
    value: string | number | null,
    start: number,
    line: number,
    nlBefore: boolean,
  ): Token {
    return {
      type,
      value,
      line,
      col: start - this.lineStartOf(start, line) + 1,
      endLine: this.line,
      endCol: Math.max(1, this.refCol()),
      nlBefore,
    };
  }

  /** Start of the line holding `start` (only a verbatim string can end on a later line). */
  private lineStartOf(start: number, line: number): number {
    if (line === this.line) return this.lineStart;
    return this.src.lastIndexOf("\n", start - 1) + 1;
  }

  private readToken(c: number, nl: boolean): Token {
    const start = this.pos;
    const line = this.line;
    const c1 = this.peek(1);
    switch (c) {
      case 61: // =
        return c1 === 61 ? this.op(T.EQ, 2, nl) : this.op(61, 1, nl);
      case 60: // <
        switch (c1) {
          case 61:
            return this.peek(2) === 62 ? this.op(T.THREEWAYSCMP, 3, nl) : this.op(T.LE, 2, nl);
          case 45:
            return this.op(T.NEWSLOT, 2, nl);
          case 60:
            return this.op(T.SHIFTL, 2, nl);
          case 47:
            return this.op(T.ATTR_OPEN, 2, nl);
        }
        return this.op(60, 1, nl);
      case 62: // >
        if (c1 === 61) return this.op(T.GE, 2, nl);
        if (c1 === 62) {
          const c2 = this.peek(2);
          if (c2 === 62) return this.op(T.USHIFTR, 3, nl);
          return this.op(T.SHIFTR, 2, nl);
        }
        return this.op(62, 1, nl);
      case 47: // / (comments were handled by the caller)
        if (c1 === 61) return this.op(T.DIVEQ, 2, nl);
        if (c1 === 62) return this.op(T.ATTR_CLOSE, 2, nl);
        return this.op(47, 1, nl);
      case 33: // !
        return c1 === 61 ? this.op(T.NE, 2, nl) : this.op(33, 1, nl);
      case 64: // @
        if (c1 !== 34) return this.op(64, 1, nl);
        this.pos++;
        return this.readString(34, true, start, line, nl);
      case 34: // "
      case 39: // '
        return this.readString(c, false, start, line, nl);
      case 123:
      case 125:
      case 40:
      case 41:
      case 91:
      case 93:
      case 59:
      case 44:
      case 63:
      case 126: // { } ( ) [ ] ; , ? ~
        return this.op(c, 1, nl);
      case 94: // ^
        return this.op(94, 1, nl);
      case 46: // .
        if (c1 !== 46) return this.op(46, 1, nl);
        if (this.peek(2) !== 46) {
          this.pos += 2;
          this.error("invalid token '..'");
        }
        return this.op(T.VARPARAMS, 3, nl);
      case 38: // &
        if (c1 === 38) return this.op(T.AND, 2, nl);
        return this.op(38, 1, nl);
      case 124: // |
        if (c1 === 124) return this.op(T.OR, 2, nl);
        return this.op(124, 1, nl);
      case 58: // :
        return c1 === 58 ? this.op(T.DOUBLE_COLON, 2, nl) : this.op(58, 1, nl);
      case 42: // *
        return c1 === 61 ? this.op(T.MULEQ, 2, nl) : this.op(42, 1, nl);
      case 37: // %
        return c1 === 61 ? this.op(T.MODEQ, 2, nl) : this.op(37, 1, nl);
      case 45: // -
        if (c1 === 61) return this.op(T.MINUSEQ, 2, nl);
        return c1 === 45 ? this.op(T.MINUSMINUS, 2, nl) : this.op(45, 1, nl);
      case 43: // +
        if (c1 === 61) return this.op(T.PLUSEQ, 2, nl);
        return c1 === 43 ? this.op(T.PLUSPLUS, 2, nl) : this.op(43, 1, nl);
    }
    if (isDigit(c)) return this.readNumber(start, line, nl);
    if (isAlpha(c) || c === 95) return this.readIdentifier(start, line, nl);
    // Control characters (the C locale's iscntrl; \t \n \r were handled) are errors; any
    // other byte, including every byte >= 0x80, is a one-character token of its own.
    if (c < 32 || c === 127) this.error("unexpected character(control)");
    if (c > 255) this.error("Invalid character"); // not a byte string
    return this.op(c, 1, nl);
  }

  /** An operator or punctuation token of `length` bytes, all on the current line. */
  private op(type: TokenType, length: number, nlBefore: boolean): Token {
    const start = this.pos;
    this.pos += length;
    return {
      type,
      value: null,
      line: this.line,
      col: start - this.lineStart + 1,
      endLine: this.line,
      endCol: Math.max(1, this.pos - this.colOrigin),
      nlBefore,
    };
  }

  private readIdentifier(start: number, line: number, nl: boolean): Token {
    let p = this.pos + 1;
    while (p < this.end && isIdChar(this.src.charCodeAt(p))) p++;
    this.pos = p;
    const word = this.src.slice(start, p);
    const kw = KEYWORDS.get(word);
    if (kw === undefined) return this.make(T.IDENTIFIER, word, start, line, nl);
    return this.make(kw, kw === T.CONSTRUCTOR ? word : null, start, line, nl);
  }

  private readNumber(start: number, line: number, nl: boolean): Token {
    const first = this.cur();
    this.pos++;
    const c = this.cur();
    if (first === 48 && (c === 120 || c === 88 || isOctDigit(c))) {
      if (isOctDigit(c)) {
        let value = 0;
        while (isOctDigit(this.cur())) {
          value = (value * 8 + (this.cur() - 48)) % TWO_32;
          this.pos++;
        }
        if (isDigit(this.cur())) this.error("invalid octal number");
        return this.make(T.INTEGER, value | 0, start, line, nl);
      }
      this.pos++; // the x
      const digits = this.pos;
      while (isHexDigit(this.cur())) this.pos++;
      if (this.pos - digits > MAX_HEX_DIGITS) this.error("too many digits for an Hex number");
      const text = this.src.slice(digits, this.pos);
      return this.make(T.INTEGER, text === "" ? 0 : parseInt(text, 16) | 0, start, line, nl);
    }
    // Decimal: the reference gathers digits, dots and exponents greedily ("1.2.3" is one
    // token) and lets strtod read what it can.
    let isFloat = false;
    for (;;) {
      const d = this.cur();
      if (d === 46) {
        isFloat = true;
      } else if (d === 101 || d === 69) {
        isFloat = true;
        this.pos++;
        const s = this.cur();
        if (s === 43 || s === 45) this.pos++;
        if (!isDigit(this.cur())) this.error("exponent expected");
      } else if (!isDigit(d)) {
        break;
      }
      this.pos++;
    }
    const text = this.src.slice(start, this.pos);
    if (isFloat) {
      const m = STRTOD_PREFIX.exec(text);
      return this.make(T.FLOAT, Math.fround(Number(m === null ? "0" : m[0])), start, line, nl);
    }
    // Wraps modulo 2^32 like the reference's unsigned accumulation.
    let value = 0;
    for (let i = 0; i < text.length; i++) value = (value * 10 + (text.charCodeAt(i) - 48)) % TWO_32;
    return this.make(T.INTEGER, value | 0, start, line, nl);
  }

  /**
   * Reads a string or character literal; the current byte is the opening delimiter.
   * `'x'` is an integer token holding the byte as a signed char, as on the reference.
   */
  private readString(
    delim: number,
    verbatim: boolean,
    start: number,
    line: number,
    nl: boolean,
  ): Token {
    this.pos++;
    if (this.cur() === 0) this.error("error parsing the string");
    const parts: string[] = [];
    let segment = this.pos;
    const flush = (): void => {
      if (this.pos > segment) parts.push(this.src.slice(segment, this.pos));
    };
    for (;;) {
      const c = this.cur();
      if (c === delim) {
        flush();
        this.pos++;
        if (verbatim && this.cur() === 34) {
          // `""` inside a verbatim string is one quote: keep the second one
          segment = this.pos;
          this.pos++;
          continue;
        }
        break;
      }
      switch (c) {
        case 0:
          return this.error("unfinished string");
        case 10:
          if (!verbatim) this.error("newline in a constant");
          this.newlineInside();
          continue;
        case 92: // backslash
          if (verbatim) {
            this.pos++;
            continue;
          }
          flush();
          this.pos++;
          parts.push(this.readEscape());
          segment = this.pos;
          continue;
        default:
          this.pos++;
      }
    }
    const value = parts.length === 1 ? parts[0]! : parts.join("");
    if (delim === 39) {
      if (value.length === 0) this.error("empty constant");
      if (value.length > 1) this.error("constant too long");
      const b = value.charCodeAt(0);
      return this.make(T.INTEGER, b >= 128 ? b - 256 : b, start, line, nl);
    }
    return this.make(T.STRING_LITERAL, value, start, line, nl);
  }

  /** Reads the escape after a backslash (the current byte is the one after it). */
  private readEscape(): string {
    const c = this.cur();
    switch (c) {
      case 120: // x
        return String.fromCharCode(this.readHexEscape(2) & 0xff);
      case 117: // u
        return utf8Bytes(this.readHexEscape(4));
      case 85: // U
        return utf8Bytes(this.readHexEscape(8));
    }
    let out: string;
    switch (c) {
      case 116:
        out = "\t";
        break;
      case 97:
        out = "\x07";
        break;
      case 98:
        out = "\b";
        break;
      case 110:
        out = "\n";
        break;
      case 114:
        out = "\r";
        break;
      case 118:
        out = "\v";
        break;
      case 102:
        out = "\f";
        break;
      case 48:
        out = "\0";
        break;
      case 92:
        out = "\\";
        break;
      case 34:
        out = '"';
        break;
      case 39:
        out = "'";
        break;
      default:
        this.error("unrecognised escaper char");
    }
    this.pos++;
    return out;
  }

  private readHexEscape(maxDigits: number): number {
    this.pos++;
    if (!isHexDigit(this.cur())) this.error("hexadecimal number expected");
    const digits = this.pos;
    while (this.pos - digits < maxDigits && isHexDigit(this.cur())) this.pos++;
    return parseInt(this.src.slice(digits, this.pos), 16);
  }
}
