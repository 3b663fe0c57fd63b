// A UTF-8 byte-order mark at the start of firmware (editors on Windows write one) is skipped,
// as sq's file loader skips it (issue 13): the program runs, and error positions are those of
// the same file without it.
import { describe, expect, it } from "vitest";
import { runSquirrel } from "../../src/sandbox/squirrel-vm.ts";

const BOM = "\xEF\xBB\xBF"; // its three bytes, as a byte string

async function run(source: string) {
  let stdout = "";
  let stderr = "";
  const r = await runSquirrel(source, {
    file: "bom.nut",
    stdout: (b) => (stdout += b),
    stderr: (b) => (stderr += b),
  });
  return { outcome: r.outcome, stdout, stderr };
}

describe("a byte-order mark", () => {
  it("at the start of the file is skipped", async () => {
    expect(await run(`${BOM}print("hi\\n");`)).toEqual({
      outcome: "finished",
      stdout: "hi\n",
      stderr: "",
    });
  });

  it("does not move the column of a compile error", async () => {
    const without = await run("print(1 +);");
    const withBom = await run(`${BOM}print(1 +);`);
    expect(withBom.stderr).toBe("bom.nut line = (1) column = (10) : error expression expected\n");
    expect(withBom.stderr).toBe(without.stderr);
  });

  it("anywhere else is not skipped (as in sq)", async () => {
    expect((await run(`print(1);\n${BOM}print(2);`)).outcome).toBe("compile-error");
  });
});
