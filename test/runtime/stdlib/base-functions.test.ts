import { afterEach, describe, expect, it } from "vitest";
import { tableGet } from "../../../src/runtime/access.ts";
import { host } from "../../../src/runtime/host.ts";
import { vm } from "../../../src/runtime/state.ts";
import { vmHandlers } from "../../../src/runtime/stdlib/vm-handlers.ts";
import { SqTable } from "../../../src/runtime/values.ts";
import { closure, errorOf, f, global, table } from "./helpers.ts";

describe("print and error", () => {
  const saved = { print: host.print, error: host.error };
  afterEach(() => Object.assign(host, saved));

  it("write tostring() of the value, without a newline, to stdout / stderr", () => {
    const out: string[] = [];
    const err: string[] = [];
    host.print = (s) => out.push(s);
    host.error = (s) => err.push(s);
    expect(global("print", "a")).toBe(null);
    global("print", 1);
    global("print", f(0.1));
    global("print", null);
    global("error", "oops");
    expect(out).toEqual(["a", "1", "0.1", "null"]);
    expect(err).toEqual(["oops"]);
    expect(errorOf(() => global("print"))).toBe("wrong number of parameters");
  });
});

describe("assert (conformance 146)", () => {
  it("passes on truthy values and throws 'assertion failed' or the message", () => {
    expect(global("assert", true)).toBe(null);
    expect(global("assert", 1)).toBe(null);
    expect(global("assert", "")).toBe(null);
    expect(errorOf(() => global("assert", false))).toBe("assertion failed");
    expect(errorOf(() => global("assert", 0))).toBe("assertion failed");
    expect(errorOf(() => global("assert", null))).toBe("assertion failed");
    expect(errorOf(() => global("assert", f(0)))).toBe("assertion failed");
    expect(errorOf(() => global("assert", false, "custom message"))).toBe("custom message");
    expect(errorOf(() => global("assert", false, 42))).toBe("42");
  });
});

describe("type and array", () => {
  it("type ignores _typeof (conformance 171)", () => {
    expect(global("type", null)).toBe("null");
    expect(global("type", 1)).toBe("integer");
    expect(global("type", f(2))).toBe("float");
    expect(global("type", "x")).toBe("string");
    expect(global("type", new SqTable())).toBe("table");
    expect(
      global(
        "type",
        closure(() => 1),
      ),
    ).toBe("function");
    expect(global("type", tableGet(vm.root, "print"))).toBe("function");
  });

  it("array(n [, fill]) fills with one shared value (conformance 070)", () => {
    expect(global("array", 3)).toEqual([null, null, null]);
    expect(global("array", 4, 7)).toEqual([7, 7, 7, 7]);
    const shared = global("array", 2, []) as unknown[][];
    expect(shared[0]).toBe(shared[1]);
    expect(global("array", 0)).toEqual([]);
    expect(global("array", f(2.9))).toEqual([null, null]);
    expect(errorOf(() => global("array", -1))).toBe("negative size");
    expect(errorOf(() => global("array", "x"))).toBe(
      "parameter 1 has an invalid type 'string' ; expected: 'integer|float'",
    );
  });
});

describe("root and const tables", () => {
  it("getroottable / setroottable swap the VM's root (setroottable returns the old one)", () => {
    const root = vm.root;
    expect(global("getroottable")).toBe(root);
    const other = table({ x: 1 });
    expect(global("setroottable", other)).toBe(root);
    expect(vm.root).toBe(other);
    vm.root = root;
    expect(errorOf(() => global("setroottable", 1))).toBe("invalid type");
  });

  it("getconsttable / setconsttable (conformance 161)", () => {
    const consts = vm.consts;
    expect(global("getconsttable")).toBe(consts);
    const other = new SqTable();
    expect(global("setconsttable", other)).toBe(consts);
    expect(vm.consts).toBe(other);
    vm.consts = consts;
    expect(errorOf(() => global("setconsttable", null))).toBe("invalid type, expected table");
  });
});

describe("handlers and the garbage collector", () => {
  it("seterrorhandler / setdebughook keep functions or null and ignore anything else", () => {
    const h = closure(() => null);
    global("seterrorhandler", h);
    expect(vmHandlers.errorHandler).toBe(h);
    global("seterrorhandler", 5);
    expect(vmHandlers.errorHandler).toBe(h);
    global("seterrorhandler", null);
    expect(vmHandlers.errorHandler).toBe(null);
    global("setdebughook", h);
    expect(vmHandlers.debugHook).toBe(h);
    global("setdebughook", null);
    global("enabledebuginfo", true);
    expect(vmHandlers.debugInfo).toBe(true);
  });

  it("collectgarbage finds nothing to free", () => {
    expect(global("collectgarbage")).toBe(0);
    expect(global("resurrectunreachable")).toBe(null);
  });
});

describe("the root table of a fresh VM", () => {
  it("holds the version and sizes of a 32-bit build (conformance 182)", () => {
    expect(tableGet(vm.root, "_version_")).toBe("Squirrel 3.2 stable");
    expect(tableGet(vm.root, "_versionnumber_")).toBe(320);
    expect(tableGet(vm.root, "_charsize_")).toBe(1);
    expect(tableGet(vm.root, "_intsize_")).toBe(4);
    expect(tableGet(vm.root, "_floatsize_")).toBe(4);
  });

  it("holds the base, math and string libraries", () => {
    for (const name of [
      "print",
      "error",
      "type",
      "array",
      "assert",
      "getroottable",
      "setroottable",
      "getconsttable",
      "setconsttable",
      "collectgarbage",
      "resurrectunreachable",
      "seterrorhandler",
      "setdebughook",
      "enabledebuginfo",
      "abs",
      "fabs",
      "sqrt",
      "floor",
      "ceil",
      "pow",
      "sin",
      "cos",
      "tan",
      "asin",
      "acos",
      "atan",
      "atan2",
      "exp",
      "log",
      "log10",
      "rand",
      "srand",
      "format",
      "split",
      "strip",
      "lstrip",
      "rstrip",
      "startswith",
      "endswith",
      "escape",
      "regexp",
      "math",
      "PI",
      "RAND_MAX",
    ]) {
      expect(tableGet(vm.root, name), name).toBeDefined();
    }
  });
});
