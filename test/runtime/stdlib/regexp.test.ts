import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tableGet } from "../../../src/runtime/access.ts";
import { call } from "../../../src/runtime/call.ts";
import { createRegexpClass } from "../../../src/runtime/stdlib/regexp.ts";
import { SqClass, SqInstance, type SqTable } from "../../../src/runtime/values.ts";
import { errorOf, global } from "./helpers.ts";

const rx = (pattern: string): SqInstance => global("regexp", pattern) as SqInstance;
const m = (re: SqInstance, name: string, ...args: unknown[]): unknown =>
  call(re.c.proto[`$${name}`], re, args);
const span = (t: unknown): string =>
  t === null ? "null" : `${tableGet(t as SqTable, "begin")}:${tableGet(t as SqTable, "end")}`;

/** One line in the format the reference script printed for each (pattern, subject). */
function describeCase(pattern: string, subject: string): string {
  let line = "";
  try {
    const re = rx(pattern);
    line += `n=${m(re, "subexpcount")} m=${m(re, "match", subject)}`;
    line += ` s=${span(m(re, "search", subject))}`;
    for (let st = 0; st <= subject.length; st++) {
      const cap = m(re, "capture", subject, st) as unknown[] | null;
      line += ` c${st}=`;
      if (cap === null) line += "null";
      else for (const c of cap) line += `${span(c)},`;
    }
  } catch (e) {
    line += `error: ${(e as { value: unknown }).value}`;
  }
  return line;
}

describe("regexp", () => {
  it("matches, searches and captures (conformance 032)", () => {
    const re = rx("[a-z]+");
    expect(m(re, "match", "hello")).toBe(true);
    expect(m(re, "match", "Hello")).toBe(false);
    expect(m(re, "match", "hello world")).toBe(false);
    expect(span(m(re, "search", "123 abc 456"))).toBe("4:7");
    expect(span(m(re, "search", "123 abc def", 8))).toBe("8:11");
    expect(m(re, "search", "12345")).toBe(null);
    const digits = rx("\\d+");
    const found: string[] = [];
    let pos = 0;
    const s = "a1b22c333";
    for (let r = m(digits, "search", s, pos); r !== null; r = m(digits, "search", s, pos)) {
      const end = tableGet(r as SqTable, "end") as number;
      found.push(s.slice(tableGet(r as SqTable, "begin") as number, end));
      pos = end;
    }
    expect(found).toEqual(["1", "22", "333"]);
  });

  it("is a class whose instances say typeof 'regexp'", () => {
    const re = rx("a");
    expect(re).toBeInstanceOf(SqInstance);
    expect(re.c.meta._typeof).toBeDefined();
    expect(call(re.c.meta._typeof, re, [])).toBe("regexp");
  });

  it("checks its object", () => {
    const re = rx("a");
    expect(errorOf(() => m(re, "constructor", "b"))).toBe("invalid regexp object");
    const bare = Object.create(createRegexpClass().proto) as SqInstance;
    expect(errorOf(() => m(bare, "match", "a"))).toBe("invalid type tag");
    expect(errorOf(() => m(re, "search", 1))).toBe(
      "parameter 1 has an invalid type 'integer' ; expected: 'string'",
    );
  });

  it("returns null for a start outside the string", () => {
    const re = rx("a");
    expect(m(re, "search", "aaa", 3)).toBe(null);
    expect(m(re, "search", "aaa", -1)).toBe(null);
    expect(m(re, "capture", "aaa", 5)).toBe(null);
  });

  it("makes a new class for each VM", () => {
    expect(createRegexpClass()).toBeInstanceOf(SqClass);
    expect(createRegexpClass()).not.toBe(createRegexpClass());
  });

  describe("gives the reference's results, quirks included", () => {
    // Hand-picked and random patterns; each line was printed by the reference `sq`
    // (albertodemichelis/squirrel f9267f2, built on x86-64) running
    // subexpcount, match, search and capture from every start offset on the pair.
    const cases = JSON.parse(
      readFileSync(new URL("fixtures/regexp-reference.json", import.meta.url), "utf8"),
    ) as [string, string, string][];
    it.each(cases)("%j on %j", (pattern, subject, expected) => {
      expect(describeCase(pattern, subject)).toBe(expected);
    });
  });
});
