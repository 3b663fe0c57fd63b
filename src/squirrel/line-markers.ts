// Putting each statement on the JS line of its Squirrel line, so that QuickJS's own stack
// traces give Squirrel line numbers. The compiler writes a marker at the start of every
// statement; once the whole text exists, markers become the newlines that line it up.
// Markers use control characters that JSON.stringify always escapes, so no string literal
// in the output can contain one.

const LINE_MARK = "\u0001";
const LINE_END = "\u0002";

export function lineMark(line: number): string {
  return `${LINE_MARK}${line}${LINE_END}`;
}

/** Replaces line markers with the newlines that put each statement on its Squirrel line. */
export function resolveLines(js: string): string {
  let out = "";
  let line = 1;
  let i = 0;
  for (;;) {
    const at = js.indexOf(LINE_MARK, i);
    if (at < 0) break;
    const end = js.indexOf(LINE_END, at);
    const chunk = js.slice(i, at);
    out += chunk;
    for (let p = chunk.indexOf("\n"); p >= 0; p = chunk.indexOf("\n", p + 1)) line++;
    const want = Number(js.slice(at + 1, end));
    if (want > line) {
      out += "\n".repeat(want - line);
      line = want;
    }
    i = end + 1;
  }
  return out + js.slice(i);
}
