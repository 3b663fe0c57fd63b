// Where each line of Builder's output came from, so a compile error or a runtime stack trace in
// the preprocessed code can name the file and line the engineer wrote.

export interface SourcePosition {
  /** The source as its include named it: an absolute path, or a `github:` reference. */
  readonly file: string;
  readonly line: number;
}

export class SourceMap {
  constructor(private readonly origins: readonly (SourcePosition | null)[]) {}

  /** The origin of output line `line` (1-based), or null for a line Builder made up. */
  originOf(line: number): SourcePosition | null {
    return this.origins[line - 1] ?? null;
  }

  get lineCount(): number {
    return this.origins.length;
  }

  /** The origins, one per output line (for a map sent to another thread). */
  toJSON(): readonly (SourcePosition | null)[] {
    return this.origins;
  }

  /** This map with `lines` origins put before it (code prepended to the output). */
  prepend(lines: readonly (SourcePosition | null)[]): SourceMap {
    return new SourceMap([...lines, ...this.origins]);
  }

  /**
   * Rewrites every `<name>:<line>` in a message (the compiled file's name, as stack traces and
   * compile errors give positions) as the original file and line.
   */
  rewrite(message: string, name: string, display: (file: string) => string = (f) => f): string {
    const pattern = new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)`, "g");
    return message.replace(pattern, (whole, line: string) => {
      const origin = this.originOf(Number(line));
      return origin === null ? whole : `${display(origin.file)}:${origin.line}`;
    });
  }
}
