// Glob patterns as impt's `testFiles` uses them (node-glob): `*` and `?` within one path
// segment, `**` for any number of directories, `{a,b}` alternatives and `[…]` classes; names
// starting with a dot are matched only by a pattern that spells the dot.

/** A RegExp matching relative paths (with `/` separators) that the pattern matches. */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.replace(/^\.\//, "").split("/");
  let source = "";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      // Zero or more directories (or, as the last segment, any path below).
      source += last ? "(?:(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*)" : "(?:(?!\\.)[^/]*/)*";
      return;
    }
    source += segmentSource(segment) + (last ? "" : "/");
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let out = segment.startsWith(".") ? "" : "(?!\\.)";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = segment.indexOf("}", i + 1);
      if (end < 0) out += "\\{";
      else {
        out += `(?:${segment
          .slice(i + 1, end)
          .split(",")
          .map(segmentSource)
          .join("|")})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return out;
}
