// The imp's `blob` class, run the way firmware runs it: Squirrel compiled to JS, executed in
// QuickJS on a runtime bundle that includes installBlob(). The BlobBuffer underneath is also
// tested directly for what Squirrel cannot see (capacity).
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import {
  blobBuffer,
  blobClass,
  blobToByteString,
  installBlob,
  isBlob,
  newBlob,
} from "../../../src/device/guest/blob.ts";
import { BlobBuffer } from "../../../src/device/guest/blob-buffer.ts";
import { tableGet } from "../../../src/runtime/access.ts";
import { SqTable } from "../../../src/runtime/values.ts";
import { createQuickJSEngine } from "../../../src/sandbox/quickjs-engine.ts";
import type { Engine } from "../../../src/sandbox/engine.ts";
import { compile, CompileError } from "../../../src/squirrel/index.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The runtime bundle plus the blob class, as a device runtime would hold it. */
const ENTRY = `
import "./src/runtime/index.ts";
import { vm } from "./src/runtime/state.ts";
import { installBlob } from "./src/device/guest/blob.ts";
installBlob(vm.root);
`;

let bundle: string | undefined;
let engine: Engine | undefined;

function runtimeWithBlob(): string {
  bundle ??= buildSync({
    stdin: {
      contents: ENTRY,
      resolveDir: repoRoot,
      sourcefile: "blob-test-entry.ts",
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    target: "es2020",
    mainFields: ["module", "main"],
    logLevel: "silent",
  }).outputFiles[0]!.text;
  return bundle;
}

/** Helpers every program below may use: a blob (or string) as hex, and a caught error's text. */
const PRELUDE = `
function hex(b) { local s = ""; foreach (v in b) s += format("%02x", v); return s; }
function err(f) { try { f(); } catch (e) { return e; } return "no error"; }
`;

interface Run {
  out: string;
  err: string;
  status: number;
}

async function run(source: string): Promise<Run> {
  const program = PRELUDE + source;
  let js: string;
  try {
    js = compile(program, "main.nut").js;
  } catch (e) {
    if (e instanceof CompileError) throw new Error(`test program does not compile: ${e.message}`);
    throw e;
  }
  let out = "";
  let err = "";
  engine ??= createQuickJSEngine();
  const vm = await engine.createVm({
    hostCalls: {
      print: (s) => void (out += String(s)),
      error: (s) => void (err += String(s)),
      compile: (src, file) => JSON.stringify({ js: compile(String(src), String(file)).js }),
    },
  });
  try {
    const loaded = vm.evaluate(runtimeWithBlob(), { filename: "vimp-runtime.js" });
    if (!loaded.ok) throw new Error(`runtime did not load: ${JSON.stringify(loaded.failure)}`);
    const ran = vm.evaluate(`__vimp.run(${js}\n, "main.nut")`, {
      filename: "main.nut",
      timeoutMs: 20_000,
    });
    if (!ran.ok) throw new Error(`program failed in the VM: ${JSON.stringify(ran.failure)}`);
    return { out, err, status: ran.value as number };
  } finally {
    vm.dispose();
  }
}

/** Runs a program that must not fail; returns its printed lines. */
async function lines(source: string): Promise<string[]> {
  const r = await run(source);
  expect(r.err).toBe("");
  expect(r.status).toBe(0);
  return r.out.split("\n").slice(0, -1);
}

/** Little-endian hex of a JS double, for the 'd' expectations. */
function doubleHex(v: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b.toString("hex");
}

describe("blob construction and identity", () => {
  it("blob(size) is zero-filled with the pointer at 0; blob() is empty", async () => {
    expect(
      await lines(`
      local b = blob(4);
      print(b.len() + " " + b.tell() + " " + hex(b) + "\\n");
      local e = blob();
      print(e.len() + " " + e.tell() + " " + (e.eos() == 1) + "\\n");
      print(blob(2.9).len() + "\\n");
    `),
    ).toEqual(["4 0 00000000", "0 0 true", "2"]);
  });

  it('is an instance of the class blob whose typeof is "blob"', async () => {
    expect(
      await lines(`
      local b = blob(1);
      print(typeof b + " " + type(b) + " " + (b instanceof blob) + " " + typeof blob + "\\n");
      print((b.getclass() == blob) + "\\n");
    `),
    ).toEqual(["blob instance true class", "true"]);
  });

  it("refuses a negative size and a size that is not a number", async () => {
    expect(
      await lines(`
      print(err(@() blob(-1)) + "\\n");
      print(err(@() blob("4")) + "\\n");
    `),
    ).toEqual([
      "cannot create blob with negative size",
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
    ]);
  });

  it("checks method arguments like any native", async () => {
    expect(
      await lines(`
      local b = blob();
      print(err(@() b.writen(1)) + "\\n");
      print(err(@() b.readn("i")) + "\\n");
      print(err(@() b.writestring(5)) + "\\n");
    `),
    ).toEqual([
      "wrong number of parameters",
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
      "parameter 1 has an invalid type 'integer' ; expected: 'string'",
    ]);
  });
});

describe("writen and readn", () => {
  it("round-trip every type at its limits, with sign", async () => {
    expect(
      await lines(`
      local cases = [
        ['c', -128], ['c', 127], ['c', -1], ['b', 0], ['b', 255],
        ['s', -32768], ['s', 32767], ['s', -2], ['w', 0], ['w', 65535],
        ['i', -2147483648], ['i', 2147483647], ['i', -5]
      ];
      local b = blob();
      foreach (c in cases) b.writen(c[1], c[0]);
      b.seek(0);
      foreach (c in cases) print(b.readn(c[0]) + " ");
      print(b.eos() + "\\n");
      b = blob();
      b.writen(1.5, 'f'); b.writen(-0.25, 'f'); b.writen(1.5, 'd'); b.writen(-1e10, 'd');
      b.seek(0);
      local f1 = b.readn('f'), f2 = b.readn('f'), d1 = b.readn('d'), d2 = b.readn('d');
      print(typeof f1 + " " + f1 + " " + f2 + " " + typeof d1 + " " + d1 + " " + (d2 == -1e10) + "\\n");
    `),
    ).toEqual([
      "-128 127 -1 0 255 -32768 32767 -2 0 65535 -2147483648 2147483647 -5 1",
      "float 1.5 -0.25 float 1.5 true",
    ]);
  });

  it("store little-endian", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writen(0x1234, 'w'); b.writen(-2, 's'); b.writen(0x12345678, 'i'); b.writen(0x80, 'c');
      print(hex(b) + "\\n");
      b = blob(); b.writen(1.0, 'f'); b.writen(-2.0, 'f');
      print(hex(b) + "\\n");
      b = blob(); b.writen(1.0, 'd');
      print(hex(b) + "\\n");
      b = blob(4); b[0] = 0x01; b[1] = 0x80; b[2] = 0xff; b[3] = 0x7f;
      print(b.readn('s') + " " + b.readn('w') + "\\n");
      b.seek(0); print(b.readn('i') + " " + format("%08x", b.tell()) + "\\n");
    `),
    ).toEqual([
      "3412feff7856341280",
      "0000803f000000c0",
      "000000000000f03f",
      "-32767 32767",
      "2147450881 00000004",
    ]);
  });

  it("keep only the low bits for the narrow types and truncate floats written as integers", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writen(256, 'b'); b.writen(-1, 'b'); b.writen(0x1ff, 'c'); b.writen(65536 + 7, 'w'); b.writen(-1, 'w');
      b.writen(3.9, 'i'); b.writen(-1.5, 'b'); b.writen(2, 'f');
      b.seek(0);
      print(b.readn('b') + " " + b.readn('b') + " " + b.readn('c') + " " + b.readn('w') + " " + b.readn('w') + " ");
      print(b.readn('i') + " " + b.readn('b') + " " + b.readn('f') + "\\n");
    `),
    ).toEqual(["0 255 -1 7 65535 3 255 2"]);
  });

  it("'d' writes the double of the 32-bit float and reads back at float precision", async () => {
    const [bytes, back] = await lines(`
      local b = blob();
      b.writen(0.1, 'd');
      print(hex(b) + "\\n");
      b.seek(0);
      local d = b.readn('d');
      print((d == 0.1) + " " + b.tell() + "\\n");
    `);
    expect(bytes).toBe(doubleHex(Math.fround(0.1)));
    expect(back).toBe("true 8");
  });

  it("a double with more precision than a float is rounded to float when read", async () => {
    const precise = doubleHex(0.1); // the full double 0.1, not the float's
    expect(
      await lines(`
      local b = blob();
      foreach (i, ch in "${precise}") if (i % 2 == 0) b.writen("${precise}".slice(i, i + 2).tointeger(16), 'b');
      b.seek(0);
      print((b.readn('d') == 0.1) + "\\n");
    `),
    ).toEqual(["true"]);
  });

  it("write zeros of the type's width for a value that is not a number (impOS 36)", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writen(0xff, 'b'); b.writen("x", 'i'); b.writen(null, 'w'); b.writen(true, 'd'); b.writen([], 'c');
      print(b.len() + " " + hex(b) + "\\n");
    `),
    ).toEqual(["16 ff" + "0".repeat(30)]);
  });

  it('reject an unknown type with "invalid format"', async () => {
    expect(
      await lines(`
      local b = blob(8);
      print(err(@() b.readn('x')) + " " + err(@() b.writen(1, 'q')) + " " + err(@() b.readn('l')) + " " + b.len() + "\\n");
    `),
    ).toEqual(["invalid format invalid format invalid format 8"]);
  });

  it('readn past the end fails with "io error" after moving over what was there', async () => {
    expect(
      await lines(`
      local b = blob(2);
      print(err(@() b.readn('i')) + " " + b.tell() + "\\n");
      print(err(@() b.readn('b')) + " " + b.tell() + "\\n");
      b.seek(1);
      print(b.readn('b') + " " + b.eos() + "\\n");
    `),
    ).toEqual(["io error 2", "io error 2", "0 1"]);
  });
});

describe("seek, tell, eos", () => {
  it("seeks from the beginning, the current position and the end", async () => {
    expect(
      await lines(`
      local b = blob(10);
      print(b.seek(4) + " " + b.tell() + "\\n");
      print(b.seek(3, 'c') + " " + b.tell() + "\\n");
      print(b.seek(-2, 'c') + " " + b.tell() + "\\n");
      print(b.seek(-3, 'e') + " " + b.tell() + "\\n");
      print(b.seek(0, 'e') + " " + b.tell() + " " + b.eos() + "\\n");
      print(b.seek(2, 'b') + " " + b.tell() + " " + b.eos() + "\\n");
    `),
    ).toEqual(["0 4", "0 7", "0 5", "0 7", "0 10 1", "0 2 null"]);
  });

  it("returns -1 and leaves the pointer for a target outside the blob", async () => {
    expect(
      await lines(`
      local b = blob(4);
      b.seek(2);
      print(b.seek(5) + " " + b.seek(-1) + " " + b.seek(3, 'c') + " " + b.seek(-3, 'c') + " " + b.seek(1, 'e') + " " + b.seek(-5, 'e') + " " + b.tell() + "\\n");
      print(b.seek(4) + " " + b.tell() + "\\n");
    `),
    ).toEqual(["-1 -1 -1 -1 -1 -1 2", "0 4"]);
  });

  it("refuses an unknown origin", async () => {
    expect(
      await lines(`
      local b = blob(4);
      print(err(@() b.seek(0, 'x')) + " " + b.tell() + "\\n");
    `),
    ).toEqual(["invalid origin 0"]);
  });
});

describe("growth and resize", () => {
  it("grows when writes run past the end, and only then", async () => {
    expect(
      await lines(`
      local b = blob(4);
      b.seek(2);
      b.writen(0x04030201, 'i');
      print(b.len() + " " + b.tell() + " " + hex(b) + "\\n");
      b.seek(1);
      b.writen(0xaa, 'b');
      print(b.len() + " " + b.tell() + " " + hex(b) + "\\n");
      local big = blob();
      for (local i = 0; i < 5000; i++) big.writen(i & 0xff, 'b');
      local ok = true;
      for (local i = 0; i < 5000; i++) if (big[i] != (i & 0xff)) ok = false;
      print(big.len() + " " + big.tell() + " " + ok + "\\n");
    `),
    ).toEqual(["6 6 000001020304", "6 2 00aa01020304", "5000 5000 true"]);
  });

  it("resize sets the allocation: larger keeps the length, smaller cuts it and the pointer", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writestring("abcdef");
      b.resize(100);
      print(b.len() + " " + b.tell() + " " + b.tostring() + "\\n");
      b.resize(3);
      print(b.len() + " " + b.tell() + " " + b.tostring() + " " + b.eos() + "\\n");
      b.writestring("XY");
      print(b.len() + " " + b.tostring() + "\\n");
      b.seek(1);
      b.resize(0);
      print(b.len() + " " + b.tell() + "\\n");
      print(err(@() b.resize(-1)) + "\\n");
    `),
    ).toEqual(["6 6 abcdef", "3 3 abc 1", "5 abcXY", "0 0", "resize failed"]);
  });
});

describe("indexing and foreach", () => {
  it("reads and writes bytes by index, keeping the low 8 bits", async () => {
    expect(
      await lines(`
      local b = blob(3);
      b[0] = 300; b[1] = -1; b[2.9] = 7.8;
      print(b[0] + " " + b[1] + " " + b[2] + " " + b[1.5] + " " + hex(b) + "\\n");
      print((b[2] = 9) + " " + b.tell() + "\\n");
    `),
    ).toEqual(["44 255 7 255 2cff07", "9 0"]);
  });

  it('raises "index out of range" outside 0..len-1, and a missing slot for other keys', async () => {
    expect(
      await lines(`
      local b = blob(2);
      print(err(@() b[2]) + "|" + err(@() b[-1]) + "|" + err(function() { b[2] = 1; }) + "|" + err(function() { b[-1] = 1; }) + "\\n");
      print(err(@() b.nosuch) + "|" + err(@() b[true]) + "\\n");
      print(err(@() blob()[0]) + "\\n");
    `),
    ).toEqual([
      "index out of range|index out of range|index out of range|index out of range",
      "the index 'nosuch' does not exist|the index 'bool' does not exist",
      "index out of range",
    ]);
  });

  it("an uncaught range error is reported like any Squirrel error", async () => {
    const r = await run(`local b = blob(1);\nprint(b[5]);\n`);
    expect(r.status).toBe(1);
    expect(r.err).toContain("AN ERROR HAS OCCURRED [index out of range]");
    expect(r.err).toContain("main.nut line [5]");
  });

  it("foreach gives index and byte, and nothing for an empty blob", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writestring("AZ\\x00");
      foreach (i, v in b) print(i + ":" + v + " ");
      print("\\n");
      local n = 0;
      foreach (v in blob()) n++;
      print(n + " " + b.tell() + "\\n");
    `),
    ).toEqual(["0:65 1:90 2:0 ", "0 3"]);
  });
});

describe("strings and blobs in and out", () => {
  it("tostring gives every byte, NUL and high bytes included, wherever the pointer is", async () => {
    const r = await run(`
      local b = blob(4);
      b[0] = 0x41; b[1] = 0; b[2] = 0xff; b[3] = 0x80;
      b.seek(2);
      local s = b.tostring();
      print(s.len() + " " + s[0] + " " + s[1] + " " + s[2] + " " + s[3] + " " + b.tell() + "\\n");
      print(s);
    `);
    expect(r.err).toBe("");
    // The bytes are all in the string (above); print itself ends at the NUL, as sq's does.
    expect(r.out).toBe("4 65 0 255 128 2\n" + "A");
  });

  it("writestring writes at the pointer; readstring reads up to n bytes", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writestring("hello");
      print(b.len() + " " + b.tell() + "\\n");
      b.seek(1);
      b.writestring("EL");
      print(b.tostring() + " " + b.tell() + "\\n");
      b.seek(1);
      print(b.readstring(3) + " " + b.tell() + "\\n");
      print(b.readstring(100) + " " + b.tell() + "\\n");
      print(err(@() b.readstring(1)) + " " + err(@() blob(3).readstring(0)) + "\\n");
      local z = blob(); z.writestring("a\\x00b");
      print(z.len() + " " + z[1] + "\\n");
    `),
    ).toEqual([
      "5 5",
      "hELlo 3",
      "ELl 4",
      "o 5",
      "no data left to read no data left to read",
      "3 0",
    ]);
  });

  it("readblob makes a new blob of up to n bytes from the pointer", async () => {
    expect(
      await lines(`
      local b = blob();
      b.writestring("abcdef");
      b.seek(2);
      local r = b.readblob(3);
      print(typeof r + " " + r.len() + " " + r.tell() + " " + r.tostring() + " " + b.tell() + "\\n");
      r = b.readblob(50);
      print(r.len() + " " + r.tostring() + " " + b.tell() + " " + b.eos() + "\\n");
      print(err(@() b.readblob(1)) + " " + err(@() blob(2).readblob(0)) + "\\n");
    `),
    ).toEqual(["blob 3 0 cde 5", "1 f 6 1", "no data left to read no data left to read"]);
  });

  it("writeblob writes the whole other blob at the pointer, itself included", async () => {
    expect(
      await lines(`
      local a = blob(); a.writestring("xyz"); a.seek(1);
      local b = blob(); b.writestring("0123456");
      b.seek(5);
      print(b.writeblob(a) + " " + b.tostring() + " " + b.tell() + " " + a.tell() + "\\n");
      b.writeblob(b);
      print(b.tostring() + " " + b.len() + "\\n");
      print(err(@() b.writeblob(a.getclass()) ) + "|" + err(@() b.writeblob("str")) + "\\n");
      class Other {}
      print(err(@() b.writeblob(Other())) + "\\n");
    `),
    ).toEqual([
      "null 01234xyz 8 1",
      "01234xyz01234xyz 16",
      "parameter 1 has an invalid type 'class' ; expected: 'instance'|parameter 1 has an invalid type 'string' ; expected: 'instance'",
      "invalid parameter",
    ]);
  });
});

describe("byte swaps", () => {
  it("swap2 swaps each pair and swap4 reverses each group of four; tails stay", async () => {
    expect(
      await lines(`
      local b = blob();
      for (local i = 0; i < 7; i++) b.writen(i, 'b');
      b.swap2();
      print(hex(b) + " " + b.tell() + "\\n");
      b = blob();
      for (local i = 0; i < 11; i++) b.writen(i, 'b');
      b.swap4();
      print(hex(b) + "\\n");
      b = blob(); b.writen(0x1234, 'w'); b.swap2(); b.seek(0);
      print(format("%04x", b.readn('w')) + "\\n");
    `),
    ).toEqual(["01000302050406 7", "030201000706050408090a", "3412"]);
  });

  it("the global swap2, swap4, swapfloat, castf2i and casti2f", async () => {
    expect(
      await lines(`
      print(format("%x %x %x %x", swap2(0x1A2B), swap2(0x1A2B3C4D), swap4(0x1A2B3C4D), swap4(0xff)) + "\\n");
      print(format("%x %x", castf2i(1.0), castf2i(-2)) + " " + casti2f(0x40000000) + " " + typeof casti2f(0) + "\\n");
      print(format("%x", castf2i(swapfloat(1.0))) + " " + swapfloat(swapfloat(3.5)) + "\\n");
    `),
    ).toEqual(["2b1a 4d3c 4d3c2b1a ff000000", "3f800000 c0000000 2 float", "803f 3.5"]);
  });
});

describe("clone, flush and subclasses", () => {
  it("a clone has its own bytes and its pointer at 0", async () => {
    expect(
      await lines(`
      local b = blob(); b.writestring("abc");
      local c = clone b;
      c[0] = 'X'; c.writestring("++++");
      print(b.tostring() + " " + b.tell() + " " + c.tostring() + " " + c.len() + "\\n");
      print(typeof c + " " + (c instanceof blob) + " " + (c == b) + "\\n");
      b.writestring("d");
      print(b.tostring() + " " + c.tostring() + "\\n");
    `),
    ).toEqual(["abc 3 ++++ 4", "blob true false", "abcd ++++"]);
  });

  it("has no _tostring: string conversion shows an instance, tostring() the bytes", async () => {
    const [shown, bytes] = await lines(`
      local b = blob(); b.writestring("hi");
      print(("" + b) + "\\n");
      print(b.tostring() + "\\n");
    `);
    expect(shown).toMatch(/^\(instance : 0x[0-9a-f]{8}\)$/);
    expect(bytes).toBe("hi");
  });

  it("flush answers 1 and changes nothing", async () => {
    expect(
      await lines(`
      local b = blob(3); b.seek(1);
      print(b.flush() + " " + b.len() + " " + b.tell() + "\\n");
    `),
    ).toEqual(["1 3 1"]);
  });

  it("a derived class works once the blob constructor ran; other receivers are refused", async () => {
    expect(
      await lines(`
      class Packet extends blob {
        constructor(n) { base.constructor(n); }
        function first() { return this[0]; }
      }
      local p = Packet(2);
      p.writen(0x0102, 'w');
      print(typeof p + " " + (p instanceof blob) + " " + p.len() + " " + p.first() + " " + hex(p) + "\\n");
      class Broken extends blob { constructor() {} }
      print(err(@() Broken().len()) + "\\n");
      class Other {}
      print(err(@() blob.len.call(Other())) + "\\n");
      print(err(@() blob.len.call({})) + "\\n");
    `),
    ).toEqual([
      "blob true 2 2 0201",
      "the blob is invalid",
      "invalid type tag",
      "parameter 0 has an invalid type 'table' ; expected: 'instance'",
    ]);
  });
});

describe("a realistic round trip", () => {
  it("builds a framed record and parses it back, as library code does", async () => {
    expect(
      await lines(`
      local out = blob(64);
      out.writestring("HDR");
      out.writen(0, 'w');                   // length, patched below
      out.writen(-12345, 'i'); out.writen(3.25, 'f'); out.writestring("payload");
      local end = out.tell();
      out.resize(end);
      out.seek(3); out.writen(end - 5, 'w');
      out.seek(0);

      local copy = clone out;
      print(copy.readstring(3) + " " + copy.readn('w') + " " + copy.readn('i') + " " + copy.readn('f') + " ");
      print(copy.readblob(100).tostring() + " " + (copy.eos() == 1) + " " + out.len() + "\\n");
    `),
    ).toEqual(["HDR 15 -12345 3.25 payload true 20"]);
  });
});

describe("helpers for the rest of the imp API", () => {
  it("newBlob copies bytes or a byte string into a blob whose pointer is at 0", () => {
    const source = Uint8Array.of(1, 2, 255);
    const a = newBlob(source);
    source[0] = 9;
    expect(isBlob(a)).toBe(true);
    expect(a.c).toBe(blobClass());
    expect(Array.from(blobBuffer(a)!.view())).toEqual([1, 2, 255]);
    expect(blobBuffer(a)!.pos).toBe(0);
    const b = newBlob("A\u0000\u00ff");
    expect(blobToByteString(b)).toBe("A\u0000\u00ff");
    expect(blobToByteString(newBlob())).toBe("");
  });

  it("tells blobs from other values", () => {
    for (const v of [null, 1, "s", [], new SqTable(), blobClass()]) {
      expect(isBlob(v)).toBe(false);
      expect(blobToByteString(v)).toBeUndefined();
    }
  });

  it("installBlob puts the class and the blob library's globals into a root table", () => {
    const root = new SqTable();
    installBlob(root);
    expect(tableGet(root, "blob")).toBe(blobClass());
    for (const name of ["swap2", "swap4", "swapfloat", "castf2i", "casti2f"]) {
      expect(typeof tableGet(root, name)).toBe("function");
    }
  });
});

describe("BlobBuffer", () => {
  it("grows its capacity geometrically, so n one-byte writes reallocate O(log n) times", () => {
    const b = new BlobBuffer(0);
    let reallocations = 0;
    let capacity = b.capacity;
    for (let i = 0; i < 100_000; i++) {
      b.write(Uint8Array.of(i & 0xff));
      if (b.capacity !== capacity) {
        reallocations++;
        capacity = b.capacity;
      }
    }
    expect(b.size).toBe(100_000);
    expect(b.capacity).toBeLessThanOrEqual(2 * 100_000);
    expect(reallocations).toBeLessThan(20);
    expect(b.view()[99_999]).toBe(99_999 & 0xff);
  });

  it("resize changes the capacity, cuts only when smaller, and never lets cut bytes reappear", () => {
    const b = BlobBuffer.of(Uint8Array.of(1, 2, 3, 4));
    b.resize(64);
    expect([b.size, b.capacity]).toEqual([4, 64]);
    b.resize(2);
    expect([b.size, b.pos, b.capacity]).toEqual([2, 0, 2]);
    b.seek(0, 101);
    b.write(new Uint8Array(0));
    b.resize(8);
    b.writeZeros(100);
    expect(Array.from(b.view())).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("converts to and from byte strings of any length", () => {
    const bytes = new Uint8Array(20_000).map((_, i) => (i * 7) & 0xff);
    const s = BlobBuffer.of(bytes).toByteString();
    expect(s.length).toBe(20_000);
    expect(s.charCodeAt(19_999)).toBe((19_999 * 7) & 0xff);
  });
});
