// The `vimp` command as a user runs it: `node bin/vimp.js …` on files in a scratch folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };

const VIMP = fileURLToPath(new URL("../bin/vimp.js", import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), "vimp-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs vimp in the scratch folder; stdout and stderr come back as byte strings. */
function vimp(...args: string[]) {
  const r = spawnSync(process.execPath, [VIMP, ...args], { cwd: work, timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout.toString("latin1"),
    stderr: r.stderr.toString("latin1"),
  };
}

function file(name: string, source: string | Buffer): string {
  writeFileSync(path.join(work, name), source);
  return name;
}

describe("vimp sq", () => {
  it("runs a program: output as printed, nothing on stderr, status 0", () => {
    const r = vimp(
      "sq",
      file(
        "hello.nut",
        'local answer = 40 + 2;\nprint("hello " + answer + "\\n");\nprint("no newline");',
      ),
    );
    expect(r).toEqual({ status: 0, stdout: "hello 42\nno newline", stderr: "" });
  });

  it("writes the program's bytes unchanged", () => {
    const r = vimp("sq", file("bytes.nut", Buffer.from('print("caf\u00e9 \\xff\\n");', "utf8")));
    expect(r.status).toBe(0);
    expect(Buffer.from(r.stdout, "latin1")).toEqual(
      Buffer.from([...Buffer.from("caf\u00e9 ", "utf8"), 0xff, 0x0a]),
    );
  });

  it("reports an uncaught runtime error on stderr and exits non-zero", () => {
    const r = vimp(
      "sq",
      file(
        "rterr.nut",
        'print("before\\n");\nlocal t = {};\nprint(t.missing);\nprint("not reached\\n");\n',
      ),
    );
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toContain("AN ERROR HAS OCCURRED [the index 'missing' does not exist]");
    expect(r.stderr).toContain("CALLSTACK");
  });

  it("names a file with a non-ASCII name correctly in its reports", () => {
    const name = file("gr\u00fc\u00dfe.nut", "local t = {};\nt.nope;\n");
    const r = vimp("sq", name);
    expect(Buffer.from(r.stderr, "latin1").toString("utf8")).toContain(
      "*FUNCTION [main()] gr\u00fc\u00dfe.nut line [2]",
    );
  });

  it("reports a compile error like the reference sq: status 254, nothing runs", () => {
    const r = vimp("sq", file("cerr.nut", 'print("NOT REACHED\\n");\nlocal x = (1 + 2;\n'));
    expect(r.status).toBe(254);
    expect(r.stderr).toMatch(/^cerr\.nut line = \(2\) column = \(\d+\) : error expected '\)'\n$/);
    expect(r.stdout).toBe("Error [expected ')']\n");
  });

  it("stops a runaway program at --timeout", () => {
    const r = vimp("sq", "--timeout", "200", file("loop.nut", "while (true) {}\n"));
    expect(r.status).toBe(3);
    expect(Buffer.from(r.stderr, "latin1").toString("utf8")).toBe(
      "loop.nut: stopped: the program ran for more than 200 ms without finishing — runaway loop?\n",
    );
  });

  it("stops a memory bomb at --memory", () => {
    const r = vimp(
      "sq",
      file("bomb.nut", 'local a = [];\nwhile (true) a.append(array(1000, "x"));\n'),
      "--memory=32M",
    );
    expect(r.status).toBe(4);
    expect(r.stderr).toContain("ran out of memory");
  });

  it("runs in V8 with --engine v8, with the same output and the same limits", () => {
    const program = file(
      "v8.nut",
      'local t = {a = 1}; t.b <- 2; print(t.a + t.b + "\\n"); throw "gone";\n',
    );
    const r = vimp("sq", "--engine", "v8", program);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "3\n" });
    expect(r.stderr).toContain("gone");
    const loop = vimp(
      "sq",
      "--engine=v8",
      "--timeout",
      "200",
      file("v8loop.nut", "while (true) {}\n"),
    );
    expect(loop.status).toBe(3);
  });
});

describe("vimp compile", () => {
  it("prints the generated JavaScript, a function expression", () => {
    const r = vimp("compile", file("compiled.nut", 'print("hi\\n");\n'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(() => new Function(`return (${r.stdout});`)).not.toThrow();
  });

  it("reports a compile error with status 254", () => {
    const r = vimp("compile", file("broken.nut", "local x = (1 + 2;\n"));
    expect(r.status).toBe(254);
    expect(r.stderr).toMatch(/^broken\.nut line = \(1\) column = \(\d+\) : error expected '\)'\n$/);
    expect(r.stdout).toBe("");
  });
});

describe("vimp itself", () => {
  it("--help lists the commands", () => {
    const r = vimp("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+sq\s+run a Squirrel program/m);
    expect(r.stdout).toMatch(/^\s+compile\s+print the JavaScript/m);
  });

  it("<command> --help explains the command", () => {
    const r = vimp("sq", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("usage: vimp sq");
  });

  it("--version prints the version", () => {
    expect(vimp("--version")).toEqual({
      status: 0,
      stdout: `${packageJson.version}\n`,
      stderr: "",
    });
  });

  it.each([
    [["frobnicate"], "vimp: unknown command 'frobnicate' (see vimp --help)\n"],
    [["--frobnicate"], "vimp: unknown option '--frobnicate' (see vimp --help)\n"],
    [[], "vimp: no command given (see vimp --help)\n"],
    [["sq", "--fast", "x.nut"], "vimp: unknown option '--fast' for 'vimp sq' (see vimp --help)\n"],
    [["sq"], "vimp: 'vimp sq' takes one file, got 0 (see vimp --help)\n"],
    [
      ["sq", "--timeout", "soon", "x.nut"],
      "vimp: option --timeout takes a whole number of milliseconds, not 'soon' (see vimp --help)\n",
    ],
    [
      ["sq", "--memory", "1M", "x.nut"],
      "vimp: --memory must be between 16M and 2G, not 1048576 bytes (see vimp --help)\n",
    ],
    [["sq", "missing.nut"], "vimp: cannot read 'missing.nut': no such file\n"],
    [
      ["sq", "--engine", "spidermonkey", "x.nut"],
      "vimp: unknown engine 'spidermonkey' for --engine: use quickjs or v8 (see vimp --help)\n",
    ],
    [["compile", "missing.nut"], "vimp: cannot read 'missing.nut': no such file\n"],
  ])("vimp %j is a usage error: one line, status 2", (args, message) => {
    expect(vimp(...args)).toEqual({ status: 2, stdout: "", stderr: message });
  });
});
