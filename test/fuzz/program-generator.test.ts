import { describe, expect, it } from "vitest";
import { compile } from "../../src/squirrel/index.ts";
import { generateProgram, renderProgram } from "../../fuzz/program-generator.ts";
import { programSeed } from "../../fuzz/random-source.ts";

describe("the fuzzer's program generator", () => {
  it("gives the same program for the same seed, and another for another seed", () => {
    const a = renderProgram(generateProgram(programSeed(7, 3)));
    expect(renderProgram(generateProgram(programSeed(7, 3)))).toBe(a);
    expect(renderProgram(generateProgram(programSeed(7, 4)))).not.toBe(a);
    expect(renderProgram(generateProgram(programSeed(8, 3)))).not.toBe(a);
  });

  it("writes programs that compile, and covers every topic", () => {
    const topics = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const program = generateProgram(programSeed(1, i));
      for (const b of program.blocks) topics.add(b.topic);
      const source = renderProgram(program);
      expect(() => compile(source, `fuzz-${i}.nut`), source).not.toThrow();
    }
    expect([...topics].sort()).toEqual([
      "arrays",
      "classes",
      "closures",
      "control",
      "edges",
      "escapes",
      "exceptions",
      "floats",
      "foreach",
      "format",
      "generators",
      "integers",
      "metamethods",
      "mixed",
      "strings",
      "switch",
      "tables",
    ]);
  });
});
