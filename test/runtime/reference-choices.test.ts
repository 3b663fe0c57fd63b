// Where virtual-imp knowingly differs from the x86 reference interpreter (README, "Deviations
// from Squirrel"), each choice stated as a test.
import { describe, expect, it } from "vitest";
import { runSquirrel } from "../../src/sandbox/squirrel-vm.ts";

async function output(source: string): Promise<string> {
  let out = "";
  await runSquirrel(source, {
    stdout: (bytes) => (out += bytes),
    stderr: (bytes) => (out += bytes),
  });
  return out;
}

describe("platform choices of the imp's ARM", () => {
  it("reads a string byte at or above 0x80 as a positive integer (unsigned char)", async () => {
    expect(
      await output('local s = "\\xe9\\x80\\xff"; print(s[0] + " " + s[1] + " " + s[2]);'),
    ).toBe("233 128 255");
  });

  it("prints a NaN as nan, whatever its sign", async () => {
    expect(
      await output('local n = 0.0 / 0.0; print(n + " " + (-n) + " " + format("%f", n));'),
    ).toBe("nan nan nan");
  });

  it("keeps the error for % with an operand that is not a number", async () => {
    const out = await output('try { print(5 % "a"); } catch (e) { print(e); }');
    expect(out).toBe("arith op % on between 'integer' and 'string'");
  });
});

describe("table order where the reference's depends on memory addresses", () => {
  it("hashes object keys by the serial number they print with", async () => {
    // three tables numbered in a row land in three of a small table's four nodes by number
    const out = await output(`
local a = {}, b = {}, c = {};
local names = {};
names[a] <- "a"; names[b] <- "b"; names[c] <- "c";
local s = "";
foreach (k, v in names) s += v + ":" + (k.tostring().slice(-8).tointeger(16) % 4) + " ";
print(s);
`);
    const slots = out
      .trim()
      .split(" ")
      .map((e) => Number(e.split(":")[1]));
    expect(slots).toEqual([...slots].sort((x, y) => x - y));
    expect(
      out
        .split(" ")
        .map((e) => e.split(":")[0])
        .sort()
        .join(""),
    ).toBe("abc");
  });

  it("gives the same order on every run", async () => {
    const program = `
local t = {};
local keys = [];
for (local i = 0; i < 20; i++) keys.append({ n = i });
foreach (k in keys) t[k] <- k.n;
local s = "";
foreach (k, v in t) s += v + ",";
print(s);
`;
    expect(await output(program)).toBe(await output(program));
  });
});

describe("what the runtime cannot see", () => {
  it("lists no locals in getstackinfos()", async () => {
    expect(
      await output("function f(a) { local b = 2; print(getstackinfos(1).locals.len()); } f(1);"),
    ).toBe("0");
  });

  it("refuses callee reached other than by its name", async () => {
    expect(await output("function f() { return callee(); } print(f() == f);")).toBe("true");
    const out = await output("local c = callee; try { c(); } catch (e) { print(e); }");
    expect(out).toBe("callee() must be called by its name, directly in the function it returns");
  });
});
