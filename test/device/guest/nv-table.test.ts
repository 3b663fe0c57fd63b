import { describe, expect, it } from "vitest";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { boot, run } = deviceTests();

/** Firmware that logs what it finds in nv: each slot's key, type and value, sorted. */
const DESCRIBE_NV = `
function show(v) {
  switch (typeof v) {
    case "table":
      local keys = [];
      foreach (k, x in v) keys.append(k);
      keys.sort(function(a, b) { return (typeof a + a) <=> (typeof b + b); });
      local parts = [];
      foreach (k in keys) parts.append(typeof k + ":" + k + "=" + show(v[k]));
      return "{" + parts.reduce(function(a, b) { return a + "," + b; }) + "}";
    case "array":
      local parts = [];
      foreach (x in v) parts.append(show(x));
      return "[" + (parts.len() ? parts.reduce(function(a, b) { return a + "," + b; }) : "") + "]";
    case "string":
      local codes = [];
      foreach (c in v) codes.append(c);
      return "s(" + (codes.len() ? codes.reduce(function(a, b) { return a + " " + b; }) : "") + ")";
    default:
      return typeof v + "(" + v + ")";
  }
}
server.log("nv" in getroottable() ? show(nv) : "no nv");
`;

describe("nv on the device", () => {
  it("should not exist until firmware creates it (/api/nv)", async () => {
    const { host } = await run(`
server.log("nv" in getroottable());
if (!("nv" in getroottable())) nv <- { count = 0 };
server.log(nv.count);
`);
    expect(host.logs).toEqual(["false", "0"]);
  });

  it("should pass no image to the deep sleep when firmware never made nv", async () => {
    const { host } = await run("server.sleepfor(10);");
    expect(host.callsTo("deepSleep")).toEqual([[10, true, null]]);
  });

  it("should come back from a deep sleep with every value and type it held: 1 and 1.0, nested tables, byte strings", async () => {
    const first = await run(`
nv <- {
  count = 1, ratio = 1.0, half = 0.5, big = -2147483648, on = true, off = false, nothing = null,
  name = "probe\\x00\\xff", list = [1, 2.5, "x", [], {}], nested = { deeper = { deepest = [1.0] } },
};
nv[7] <- "seven";
nv[1.5] <- "one and a half";
nv[true] <- "yes";
${DESCRIBE_NV}
server.sleepfor(60);
`);
    const [[, , image]] = first.host.callsTo("deepSleep");
    expect(typeof image).toBe("string");
    const second = await run(DESCRIBE_NV, { boot: { wakeReason: 1, nv: image as string } });
    expect(second.host.logs).toEqual(first.host.logs);
    const shown = first.host.logs[0]!;
    expect(shown).toContain("string:count=integer(1)");
    expect(shown).toContain("string:ratio=float(1)");
    expect(shown).toContain("integer:7=s(115 101 118 101 110)");
    expect(shown).toContain("float:1.5=");
    expect(shown).toContain("bool:true=");
    expect(shown).toContain("string:name=s(112 114 111 98 101 0 255)");
    expect(shown).toContain("string:nested={string:deeper={string:deepest=[float(1)]}}");
    expect(shown).toContain("string:nothing=null(null)");
  });

  it("should refuse to sleep with a value nv cannot keep, naming it, as an error firmware can catch", async () => {
    const { host, status } = await run(`
nv <- { settings = { onchange = function() {} } };
try { server.sleepfor(60); } catch (e) { server.log(e); }
nv.settings.onchange = [1, hardware.pin1];
try { imp.deepsleepfor(60); } catch (e) { server.log(e); }
nv.settings = nv;
try { server.sleepfor(60); } catch (e) { server.log(e); }
nv = 5;
try { server.sleepfor(60); } catch (e) { server.log(e); }
`);
    expect(status).toBe(0);
    const kept = "(nv keeps tables, arrays, strings, integers, floats, bools and null)";
    expect(host.logs).toEqual([
      `cannot save nv: nv.settings.onchange is a function ${kept}`,
      `cannot save nv: nv.settings.onchange[1] is an instance ${kept}`,
      `cannot save nv: nv.settings contains itself ${kept}`,
      `cannot save nv: nv is an integer, not a table ${kept}`,
    ]);
    expect(host.callsTo("deepSleep")).toEqual([]);
  });

  it("should turn the host's refusal of an image (too big for the NVRAM) into a Squirrel error", async () => {
    const host = new FakeHost();
    host.deepSleepError =
      "the nv table needs 5000 bytes but the imp keeps only 4000 across deep sleep; store less in nv";
    const { status } = await run(
      `
nv <- { big = "x" };
try { server.sleepfor(1); } catch (e) { server.log(e); }
`,
      { host },
    );
    expect(status).toBe(0);
    expect(host.logs).toEqual([host.deepSleepError]);
  });

  it("should pass nv with server.restart() when it can be saved, and nothing when it cannot", async () => {
    const device = await boot();
    device.run(`nv <- { n = 2 }; server.restart();`);
    device.run(`nv.f <- print; server.restart();`, "again");
    const [[image], [none]] = device.host.callsTo("restart");
    expect(JSON.parse(image as string)).toEqual({ t: [["n", 2]] });
    expect(none).toBe(null);
  });
});
