// Builder's preprocessor (github.com/electricimp/Builder, v4 README): the directives impt runs
// every test file through — @include (with `once`, and of macros), @set, @if/@elseif/@else/
// @endif, @macro/@endmacro, @while, @repeat, @error, @warning, `@{…}` inline anywhere in a line —
// with line control (`#line N "file"`, a comment to Squirrel) and a map from each output line
// to the file and line it came from.
//
// There is no network: a `github:` include is read from a local cache directory
// (`<cache>/github/<user>/<repo>/<ref>/<path>`) and any other remote source is an error
// saying so.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { BuilderError, type BuilderErrorKind } from "./builder-error.ts";
import {
  evaluate,
  evaluateParsed,
  ExpressionError,
  isTrue,
  parseExpression,
  toOutput,
  type ExpressionScope,
  type ParsedExpression,
} from "./expression.ts";
import { SourceMap, type SourcePosition } from "./source-map.ts";

export interface BuildOptions {
  /** Variables given from outside (impt's builderConfig, Builder's -D): found before @set ones. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Environment variables, the last place a name is looked for (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Write `#line N "file"` where the output moves to another file (default true, as impt). */
  readonly lineControl?: boolean;
  /** Directory holding copies of remote sources (`github/<user>/<repo>/<ref>/<path>`). */
  readonly remoteCache?: string | null;
  /** The last directory a relative include is tried against (default process.cwd()). */
  readonly cwd?: string;
}

export interface BuildResult {
  readonly code: string;
  readonly map: SourceMap;
  /** @warning messages, with their place. */
  readonly warnings: readonly string[];
}

/** Preprocesses a file (or `text` standing for it: its path still resolves its includes). */
export function build(file: string, options: BuildOptions = {}, text?: string): BuildResult {
  const machine = new Machine(options, path.resolve(file));
  machine.run(path.resolve(file), text);
  return machine.result();
}

// Builder allows nesting up to this depth before it calls it a cycle.
const MAX_DEPTH = 256;
// chosen: a bound on @while/@repeat so a loop whose condition never changes ends with an error.
const MAX_LOOP = 100_000;

const DIRECTIVE =
  /^\s*@(include|set|if|else|elseif|endif|error|macro|endmacro|end|while|endwhile|repeat|endrepeat|warning)\b(.*)$/;
const COMMENT_LINE = /^\s*@(\s|$)/;

type Block = Statement[];
type Statement =
  | { kind: "text"; line: number; text: string }
  | { kind: "include"; line: number; once: boolean; expr: string }
  | { kind: "set"; line: number; name: string; expr: string }
  | {
      kind: "if";
      line: number;
      branches: { cond: string; line: number; body: Block }[];
      otherwise: Block | null;
    }
  | { kind: "macro"; line: number; name: string; params: string[]; body: Block }
  | { kind: "while"; line: number; cond: string; body: Block }
  | { kind: "repeat"; line: number; count: string; body: Block }
  | { kind: "error" | "warning"; line: number; expr: string };

interface Source {
  /** As the include named it after resolution: an absolute path or a remote reference. */
  readonly name: string;
  /** __PATH__: the directory (or the URL's directory). */
  readonly dir: string;
  /** The directory relative includes in it are tried against first (null for remote files). */
  readonly localDir: string | null;
  readonly text: string;
}

interface Macro {
  readonly name: string;
  readonly params: readonly string[];
  readonly body: Block;
  readonly file: Source;
}

interface Frame {
  readonly source: Source;
  line: number;
  readonly locals: Map<string, unknown>;
}

interface OutputLine {
  text: string;
  origin: SourcePosition | null;
}

class Machine {
  private readonly globals = new Map<string, unknown>();
  private readonly macros = new Map<string, Macro>();
  private readonly included = new Set<string>();
  private readonly parsed = new Map<string, Block>();
  private readonly warnings: string[] = [];
  private readonly stack: Frame[] = [];
  private out: OutputLine[] = [];
  private depth = 0;

  constructor(
    private readonly options: BuildOptions,
    private readonly inputFile: string,
  ) {}

  run(file: string, text?: string): void {
    const source = text === undefined ? this.readLocal(file, null) : this.sourceOf(file, text);
    this.includeSource(source);
  }

  result(): BuildResult {
    const lines: string[] = [];
    const origins: (SourcePosition | null)[] = [];
    let previous: SourcePosition | null = null;
    for (const { text, origin } of this.out) {
      if (
        this.options.lineControl !== false &&
        origin !== null &&
        (previous === null || previous.file !== origin.file || previous.line + 1 !== origin.line)
      ) {
        lines.push(`#line ${origin.line} "${origin.file}"`);
        origins.push(null);
      }
      lines.push(text);
      origins.push(origin);
      if (origin !== null) previous = origin;
    }
    return {
      code: lines.join("\n") + (lines.length > 0 ? "\n" : ""),
      map: new SourceMap(origins),
      warnings: this.warnings,
    };
  }

  // --- Sources

  private includeSource(source: Source): void {
    this.enter();
    const body = this.parse(source);
    this.stack.push({ source, line: 0, locals: new Map() });
    try {
      this.execute(body);
    } finally {
      this.stack.pop();
      this.depth--;
    }
  }

  private enter(): void {
    if (++this.depth >= MAX_DEPTH) {
      this.depth--;
      const frame = this.frame();
      throw new BuilderError(
        "MaximumDepthError",
        "Maximum execution depth reached, possible cyclic reference?",
        frame?.source.name ?? this.inputFile,
        frame?.line ?? 0,
      );
    }
  }

  private frame(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private fail(kind: BuilderErrorKind, reason: string, line?: number): never {
    const frame = this.frame();
    throw new BuilderError(
      kind,
      reason,
      frame?.source.name ?? this.inputFile,
      line ?? frame?.line ?? 0,
    );
  }

  private sourceOf(name: string, text: string): Source {
    return { name, dir: path.dirname(name), localDir: path.dirname(name), text };
  }

  private readLocal(file: string, line: number | null): Source {
    try {
      return this.sourceOf(file, readFileSync(file, "utf8"));
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "no such file"
          : (error as Error).message;
      return this.fail(
        "SourceInclusionError",
        `Local file "${file}" not found (${why})`,
        line ?? undefined,
      );
    }
  }

  /** Finds what `@include "<reference>"` names: a local file, or a cached remote one. */
  private resolve(reference: string, line: number): Source {
    const github = /^github:([^/]+)\/([^/]+)\/(.+?)(?:@([^@/]+))?$/.exec(reference);
    if (github !== null) {
      const [, user, repo, file, ref = "master"] = github as unknown as [
        string,
        string,
        string,
        string,
        string | undefined,
      ];
      const cache = this.options.remoteCache;
      const cached = cache ? path.join(cache, "github", user, repo, ref, file) : null;
      if (cached === null || !existsSync(cached)) {
        const where = cached === null ? "no cache directory is set" : `no copy at ${cached}`;
        this.fail(
          "SourceInclusionError",
          `Remote source "${reference}" is not available offline: ${where} (virtual-imp has no network; put a copy of the file there)`,
          line,
        );
      }
      const dir = `github:${user}/${repo}/${path.posix.dirname(file)}`.replace(/\/\.$/, "");
      return { name: reference, dir, localDir: null, text: readFileSync(cached, "utf8") };
    }
    const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(reference);
    if (scheme !== null) {
      const known = ["http", "https", "bitbucket-server", "git-azure-repos", "git-local"];
      if (known.includes(scheme[1]!.toLowerCase())) {
        this.fail(
          "SourceInclusionError",
          `Remote source "${reference}" is not available offline (virtual-imp has no network; only github: sources can come from a local cache)`,
          line,
        );
      }
      this.fail("SourceInclusionError", `Source "${reference}" is not supported`, line);
    }
    if (path.isAbsolute(reference)) return this.readLocal(reference, line);
    const frame = this.frame();
    const candidates = [
      frame?.source.localDir,
      path.dirname(this.inputFile),
      this.options.cwd ?? process.cwd(),
    ];
    for (const dir of candidates) {
      if (dir === null || dir === undefined) continue;
      const candidate = path.resolve(dir, reference);
      if (existsSync(candidate)) return this.readLocal(candidate, line);
    }
    return this.fail("SourceInclusionError", `Local file "${reference}" not found`, line);
  }

  // --- Parsing

  private parse(source: Source): Block {
    const key = `${source.name}\0${source.text}`;
    const cached = this.parsed.get(key);
    if (cached !== undefined) return cached;
    const lines = source.text.split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    let i = 0;
    const fail = (reason: string, line: number): never => {
      throw new BuilderError("SyntaxError", reason, source.name, line);
    };
    // Reads statements until one of `closers` (returned with its argument text), or the end.
    const block = (
      closers: readonly string[],
    ): { body: Block; closer: string | null; rest: string; line: number } => {
      const body: Block = [];
      while (i < lines.length) {
        const text = lines[i]!;
        const line = ++i;
        if (COMMENT_LINE.test(text)) continue;
        const match = DIRECTIVE.exec(text);
        if (match === null) {
          body.push({ kind: "text", line, text });
          continue;
        }
        const name = match[1]!;
        const rest = stripComment(match[2]!).trim();
        if (closers.includes(name)) return { body, closer: name, rest, line };
        switch (name) {
          case "include": {
            const once = /^once\b/.test(rest);
            body.push({ kind: "include", line, once, expr: once ? rest.slice(4).trim() : rest });
            break;
          }
          case "set": {
            const m = /^([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:=\s*)?(.*)$/.exec(rest);
            if (m === null || m[2] === "")
              fail(`@set needs a name and a value: "@set NAME value"`, line);
            body.push({ kind: "set", line, name: m![1]!, expr: m![2]! });
            break;
          }
          case "if": {
            const branches = [{ cond: rest, line, body: [] as Block }];
            let otherwise: Block | null = null;
            for (;;) {
              const part = block(["elseif", "else", "endif", "end"]);
              if (otherwise === null) branches[branches.length - 1]!.body = part.body;
              else otherwise = part.body;
              if (part.closer === null) fail("@if without @endif", line);
              if (part.closer === "endif" || part.closer === "end") break;
              if (otherwise !== null) fail(`@${part.closer} after @else`, part.line);
              if (part.closer === "elseif")
                branches.push({ cond: part.rest, line: part.line, body: [] });
              else otherwise = [];
            }
            body.push({ kind: "if", line, branches, otherwise });
            break;
          }
          case "macro": {
            const m = /^([A-Za-z_$][A-Za-z0-9_$]*)\s*\(([^)]*)\)$/.exec(rest);
            if (m === null) fail(`@macro needs a name and parameters: "@macro name(a, b)"`, line);
            const params = m![2]!
              .split(",")
              .map((p) => p.trim())
              .filter((p) => p !== "");
            const part = block(["endmacro", "end"]);
            if (part.closer === null) fail("@macro without @endmacro", line);
            body.push({ kind: "macro", line, name: m![1]!, params, body: part.body });
            break;
          }
          case "while":
          case "repeat": {
            const part = block([`end${name}`, "end"]);
            if (part.closer === null) fail(`@${name} without @end${name}`, line);
            body.push(
              name === "while"
                ? { kind: "while", line, cond: rest, body: part.body }
                : { kind: "repeat", line, count: rest, body: part.body },
            );
            break;
          }
          case "error":
          case "warning":
            body.push({ kind: name, line, expr: rest });
            break;
          default:
            fail(`@${name} without a matching opening directive`, line);
        }
      }
      return { body, closer: null, rest: "", line: i };
    };
    const { body } = block([]);
    this.parsed.set(key, body);
    return body;
  }

  // --- Execution

  private execute(block: Block): void {
    for (const statement of block) {
      const frame = this.frame()!;
      frame.line = statement.line;
      switch (statement.kind) {
        case "text":
          this.emit(this.inline(statement.text), { file: frame.source.name, line: statement.line });
          break;
        case "set":
          this.globals.set(statement.name, this.evaluate(statement.expr));
          break;
        case "include":
          this.include(statement.expr, statement.once, statement.line);
          break;
        case "if": {
          const taken = statement.branches.find((b) => {
            frame.line = b.line;
            return isTrue(this.evaluate(b.cond));
          });
          const body = taken?.body ?? statement.otherwise;
          if (body !== null && body !== undefined) this.execute(body);
          break;
        }
        case "macro":
          if (this.macros.has(statement.name))
            this.fail("MacroIsAlreadyDeclared", `Macro "${statement.name}" is already declared`);
          this.macros.set(statement.name, {
            name: statement.name,
            params: statement.params,
            body: statement.body,
            file: frame.source,
          });
          break;
        case "while":
        case "repeat": {
          const count =
            statement.kind === "repeat" ? Number(this.evaluate(statement.count)) : Infinity;
          const saved = frame.locals.get("loop");
          for (let index = 0; ; index++) {
            if (index >= MAX_LOOP)
              this.fail(
                "ExpressionEvaluationError",
                `@${statement.kind} ran ${MAX_LOOP} times: a condition that never changes?`,
                statement.line,
              );
            frame.locals.set("loop", { index, iteration: index + 1 });
            frame.line = statement.line;
            if (
              statement.kind === "repeat"
                ? !(index < count)
                : !isTrue(this.evaluate(statement.cond))
            )
              break;
            this.execute(statement.body);
          }
          if (saved === undefined) frame.locals.delete("loop");
          else frame.locals.set("loop", saved);
          break;
        }
        case "error":
          this.fail("UserDefinedError", toOutput(this.evaluate(statement.expr)));
          break;
        case "warning":
          this.warnings.push(
            `${toOutput(this.evaluate(statement.expr))} (${frame.source.name}:${statement.line})`,
          );
          break;
      }
    }
  }

  private emit(text: string, origin: SourcePosition): void {
    for (const part of text.split("\n")) this.out.push({ text: part, origin });
  }

  private include(expr: string, once: boolean, line: number): void {
    // `@include name(args)` expands a macro, with line control, as if it were a file.
    const macroCall = /^([A-Za-z_$][A-Za-z0-9_$]*)\s*\(/.exec(expr);
    if (macroCall !== null && this.macros.has(macroCall[1]!)) {
      const ast = this.parseOrFail(expr);
      if (ast.type === "CallExpression") {
        const args = (ast as unknown as { arguments: ParsedExpression[] }).arguments.map((a) =>
          this.evaluate(a),
        );
        this.expandMacro(this.macros.get(macroCall[1]!)!, args);
        return;
      }
    }
    const reference = toOutput(this.evaluate(expr));
    const source = this.resolve(reference, line);
    if (once && this.included.has(source.name)) return;
    this.included.add(source.name);
    this.includeSource(source);
  }

  private expandMacro(macro: Macro, args: unknown[]): void {
    this.enter();
    const locals = new Map<string, unknown>();
    macro.params.forEach((p, i) => {
      if (i < args.length) locals.set(p, args[i]);
    });
    this.stack.push({ source: macro.file, line: 0, locals });
    try {
      this.execute(macro.body);
    } finally {
      this.stack.pop();
      this.depth--;
    }
  }

  /** Replaces each `@{expr}` in a line by its value. */
  private inline(text: string): string {
    let at = text.indexOf("@{");
    if (at < 0) return text;
    let out = "";
    let from = 0;
    while (at >= 0) {
      const end = closingBrace(text, at + 2);
      if (end < 0) this.fail("ExpressionEvaluationError", `"@{" without its closing "}"`);
      out += text.slice(from, at) + toOutput(this.evaluate(text.slice(at + 2, end)));
      from = end + 1;
      at = text.indexOf("@{", from);
    }
    return out + text.slice(from);
  }

  private parseOrFail(expr: string): ParsedExpression {
    try {
      return parseExpression(expr);
    } catch (error) {
      return this.fail("ExpressionEvaluationError", `${(error as Error).message} in "${expr}"`);
    }
  }

  private evaluate(expr: string | ParsedExpression): unknown {
    const scope: ExpressionScope = {
      lookup: (name) => this.lookup(name),
      callMacro: (name, args) => {
        const macro = this.macros.get(name);
        if (macro === undefined) return undefined;
        // Inline expansion: no line control, trailing newlines trimmed.
        const saved = this.out;
        this.out = [];
        try {
          this.expandMacro(macro, args);
          return this.out
            .map((l) => l.text)
            .join("\n")
            .replace(/\n+$/, "");
        } finally {
          this.out = saved;
        }
      },
      include: (reference) => {
        const saved = this.out;
        this.out = [];
        try {
          this.includeSource(this.resolve(reference, this.frame()?.line ?? 0));
          return this.out.map((l) => l.text).join("\n");
        } finally {
          this.out = saved;
        }
      },
    };
    try {
      return typeof expr === "string" ? evaluate(expr, scope) : evaluateParsed(expr, scope);
    } catch (error) {
      if (error instanceof BuilderError) throw error;
      if (error instanceof ExpressionError)
        this.fail(
          "ExpressionEvaluationError",
          `${error.message} in "${typeof expr === "string" ? expr : "?"}"`,
        );
      throw error;
    }
  }

  private lookup(name: string): unknown {
    const frame = this.frame();
    if (frame !== undefined) {
      if (name === "__FILE__")
        return frame.source.localDir === null
          ? path.posix.basename(frame.source.name.replace(/@[^@/]*$/, ""))
          : path.basename(frame.source.name);
      if (name === "__LINE__") return frame.line;
      if (name === "__PATH__") return frame.source.dir;
      if (frame.locals.has(name)) return frame.locals.get(name);
      // A macro's parameter that was not given is undefined, not a global of the same name.
      for (let i = this.stack.length - 1; i >= 0; i--)
        if (this.stack[i]!.locals.has(name)) return this.stack[i]!.locals.get(name);
    }
    const given = this.options.variables;
    if (given !== undefined && Object.hasOwn(given, name)) return given[name];
    if (this.globals.has(name)) return this.globals.get(name);
    const env = this.options.env ?? process.env;
    return Object.hasOwn(env, name) ? env[name] : undefined;
  }
}

/** The index of the `}` closing an inline expression that starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A directive's text without its `//` comment (outside quotes). */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "/" && text[i + 1] === "/") return text.slice(0, i);
  }
  return text;
}
