import { describe, expect, it } from "vitest";
import { runSquirrel } from "../../src/sandbox/squirrel-vm.ts";

const quiet = { stdout: () => {}, stderr: () => {} };

describe("runSquirrel", () => {
  it("says how the run ended and where the time went", async () => {
    let stdout = "";
    const result = await runSquirrel('print("ok\\n");', {
      ...quiet,
      stdout: (bytes) => (stdout += bytes),
    });
    expect(stdout).toBe("ok\n");
    expect(result).toMatchObject({ status: 0, outcome: "finished" });
    expect(Object.keys(result.timings).sort()).toEqual(["compileMs", "runMs", "startMs"]);
  });

  it("gives the status a top-level return sets, like sq", async () => {
    expect(await runSquirrel("return 7;", quiet)).toMatchObject({ status: 7, outcome: "finished" });
  });

  it("names the file in call stacks", async () => {
    let stderr = "";
    await runSquirrel("local t = {};\nt.nope;\n", {
      file: "blink.nut",
      stdout: () => {},
      stderr: (bytes) => (stderr += bytes),
    });
    expect(stderr).toContain("*FUNCTION [main()] blink.nut line [2]");
  });

  it("refuses a memory limit the engine cannot honour", async () => {
    await expect(runSquirrel("print(1);", { ...quiet, memoryLimit: 1024 })).rejects.toThrow(
      RangeError,
    );
  });
});
