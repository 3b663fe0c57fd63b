// The agent's helpers as firmware sees them: JSON, URL and base64 encoding, hashes, server.save.

import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { boot, SECOND } from "../e2e/simulation-fixture.ts";

async function agentRun(
  code: string,
): Promise<{ logs: string[]; errors: string[]; stored: string | null }> {
  const { sim, device } = boot(``, { agent: code });
  await sim.runFor(1 * SECOND);
  const of = (kind: "log" | "error") =>
    sim.trace
      .ofKind(kind, device.id)
      .filter((e) => e.data.source === "agent")
      .map((e) => e.data.message);
  return { logs: of("log"), errors: of("error"), stored: sim.agent(device)!.storedText };
}

describe("http.jsonencode / jsondecode", () => {
  it("encodes spaced by default and compact on request; refuses blobs with a clear error", async () => {
    const { logs } = await agentRun(`
      server.log(http.jsonencode({ a = 1, b = [1.5, "x\\"y", null, true], c = {} }));
      server.log(http.jsonencode([1, { k = "v" }], { compact = true }));
      server.log(http.jsonencode("caf\\xc3\\xa9\\n"));
      try { http.jsonencode({ b = blob(2) }); } catch (e) { server.log(e); }
      try { http.jsonencode({ f = function() {} }); } catch (e) { server.log(e); }`);
    // Slots come in the table's own order (the reference's hash order), so the first line is read back.
    expect(JSON.parse(logs[0]!)).toEqual({ a: 1, b: [1.5, 'x"y', null, true], c: {} });
    expect(logs[0]).toContain('"b": [ 1.5, "x\\"y", null, true ]');
    expect(logs[0]).toMatch(/^\{ "[abc]": .* \}$/);
    expect(logs.slice(1)).toEqual([
      '[1,{"k":"v"}]',
      '"caf\xc3\xa9\\n"',
      "http.jsonencode(): value.b is a blob: http.jsonencode cannot encode blobs (base64-encode them first)",
      "http.jsonencode(): value.f is a function: JSON holds null, bools, numbers, strings, arrays and tables",
    ]);
  });

  it("decodes to Squirrel types, refuses nesting past 5 levels and invalid JSON with catchable errors", async () => {
    const { logs } = await agentRun(`
      local d = http.jsondecode("{\\"i\\": 3, \\"f\\": 2.5, \\"s\\": \\"\\\\u00e9\\", \\"a\\": [1, null], \\"t\\": true}");
      server.log(typeof d.i + " " + typeof d.f + " " + d.s.len() + " " + typeof d.a + " " + d.a[1] + " " + d.t);
      server.log(http.jsondecode("[[[[[1]]]]]")[0][0][0][0][0]);
      try { http.jsondecode("[[[[[[1]]]]]]"); } catch (e) { server.log(e); }
      try { http.jsondecode("{nope"); } catch (e) { server.log(e.slice(0, 33)); }`);
    expect(logs).toEqual([
      "integer float 2 array null true",
      "1",
      "http.jsondecode(): the JSON is nested more than 5 levels deep",
      "http.jsondecode(): not valid JSON",
    ]);
  });
});

describe("URL and base64 encoding", () => {
  it("urlencodes per RFC 3986 and urldecodes back, arrays for repeated keys", async () => {
    const { logs } = await agentRun(`
      server.log(http.urlencode({ q = "a b&c/\\xc3\\xa9", n = 5 }));
      local t = http.urldecode("a=1&b=x%20y+z&a=2&e=");
      server.log(t.a.len() + " " + t.a[1] + " " + t.b + " [" + t.e + "]");`);
    expect(logs[0]!.split("&").sort()).toEqual(["n=5", "q=a%20b%26c%2F%C3%A9"]);
    expect(logs[1]).toBe("2 2 x y z []");
  });

  it("base64-encodes strings and blobs and decodes to a blob; bad input gives an empty blob", async () => {
    const { logs } = await agentRun(`
      server.log(http.base64encode("hello!?"));
      local b = blob(3); b.writen(0xff, 'b'); b.writen(0, 'b'); b.writen(0x80, 'b');
      server.log(http.base64encode(b));
      local d = http.base64decode("aGVsbG8hPw==");
      server.log(typeof d + " " + d.tostring());
      server.log(http.base64decode("***").len());`);
    expect(logs).toEqual(["aGVsbG8hPw==", "/wCA", "blob hello!?", "0"]);
  });
});

describe("http.hash and crypto", () => {
  it("gives the digests Node computes, as blobs", async () => {
    const hex = `function hex(b) { local s = ""; foreach (x in b) s += format("%02x", x); return s; }`;
    const { logs } = await agentRun(`${hex}
      server.log(hex(http.hash.md5("abc")));
      server.log(hex(http.hash.sha1("abc")));
      server.log(hex(http.hash.sha256("abc")));
      server.log(hex(http.hash.sha512("abc")).slice(0, 32));
      server.log(hex(http.hash.hmacsha256("data", "key")));
      server.log(hex(crypto.hmacsha256("data", "key")) + " " + crypto.equals(crypto.sha256("a"), http.hash.sha256("a")));`);
    const h = (a: string) => createHash(a).update("abc").digest("hex");
    const mac = createHmac("sha256", "key").update("data").digest("hex");
    expect(logs).toEqual([
      h("md5"),
      h("sha1"),
      h("sha256"),
      h("sha512").slice(0, 32),
      mac,
      `${mac} true`,
    ]);
  });
});

describe("server.save / server.load", () => {
  it("keeps what JSON holds in format 1, dropping the rest with a logged error; format 2 keeps blobs", async () => {
    const { logs, errors, stored } = await agentRun(`
      server.log(server.save({ n = 1, s = "x", f = function() {}, b = blob(1) }));
      local t = server.load();
      server.log(("f" in t) + " " + ("b" in t) + " " + t.n);
      server.save({ raw = blob(2), nul = "a\\x00b" }, 2);
      local u = server.load();
      server.log(typeof u.raw + " " + typeof u.nul + " " + u.nul.len());
      try { server.save({ big = blob(70000).tostring() }, 2); } catch (e) { server.log(e); }
      try { server.save({}, 3); } catch (e) { server.log(e); }
      server.save({});
      server.log(server.load().len());`);
    expect(logs).toEqual([
      "0",
      "false false 1",
      "blob blob 3",
      "server.save(): the table encodes to 420024 bytes; the most an agent may store is 65536",
      "server.save(): format 3 is not 1 (JSON) or 2 (binary)",
      "0",
    ]);
    expect(errors.sort()).toEqual([
      "server.save(): data.b is a blob: http.jsonencode cannot encode blobs (base64-encode them first); left out of the saved table",
      "server.save(): data.f is a function: JSON holds null, bools, numbers, strings, arrays and tables; left out of the saved table",
    ]);
    expect(stored).toBeNull();
  });
});
