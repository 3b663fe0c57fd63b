import { describe, expect, it } from "vitest";
import { deviceTests, FakeHost } from "./guest-device.ts";

const { boot, run } = deviceTests();

describe("uncaught errors on the device", () => {
  it("should end the run with 1 and log the error and its Squirrel call stack, innermost first", async () => {
    const { host, status } = await run(`
function inner(t) {
  return t.missing;
}
function outer() {
  return inner({});
}
outer();
server.log("not reached");
`);
    expect(status).toBe(1);
    expect(host.logs).toEqual([]);
    // Each line is one logError: impCentral shows them as "ERROR: …" (/api/imp/onunhandledexception).
    expect(host.errors).toEqual([
      "the index 'missing' does not exist",
      "  in inner device_code:3",
      "  in outer device_code:6",
      "  in main device_code:8",
    ]);
  });

  it("should report an error in a callback the same way, anonymous functions as 'unknown'", async () => {
    const { device, host, status } = await run(`
imp.wakeup(1, function() {
  local x = null;
  x.foo();
});
`);
    expect(status).toBe(0);
    const [[, id]] = host.callsTo("wakeup");
    expect(device.dispatch(id as number)).toBe(1);
    expect(host.errors).toEqual(["the index 'foo' does not exist", "  in unknown device_code:4"]);
  });

  it("should call imp.onunhandledexception with the error text before the error is logged", async () => {
    const { host, status } = await run(`
imp.onunhandledexception(function(err) {
  server.log("handler got: " + err);
});
throw "sensor failed";
`);
    expect(status).toBe(1);
    expect(host.calls).toEqual([
      ["log", "handler got: sensor failed"],
      ["logError", "sensor failed"],
      ["logError", "  in main device_code:5"],
    ]);
  });

  it("should call the handler for errors in callbacks too, and report an error the handler throws", async () => {
    const { device, host } = await run(`
imp.onunhandledexception(function(err) {
  throw "handler broke on: " + err;
});
imp.wakeup(0, function() { throw 42; });
`);
    const [[, id]] = host.callsTo("wakeup");
    expect(device.dispatch(id as number)).toBe(1);
    expect(host.errors).toEqual([
      "42",
      "  in unknown device_code:5",
      "handler broke on: 42",
      "  in unknown device_code:3",
    ]);
  });

  it("should still report the error when the handler sends the imp to sleep, after the host was told", async () => {
    const { host, status } = await run(`
imp.onunhandledexception(function(err) {
  server.sleepfor(600);
  server.log("not reached");
});
local a = [];
a[3];
`);
    expect(status).toBe(1);
    expect(host.calls.map((c) => c[0])).toEqual(["deepSleep", "logError", "logError"]);
    expect(host.errors[0]).toBe("the index '3' does not exist");
  });

  it("should keep the Squirrel line of an error a host call raised", async () => {
    const host = new FakeHost();
    host.pinConfigureError = () => "hardware.pin9 cannot be configured as ANALOG_OUT";
    const { status } = await run(
      `
function setup() {
  hardware.pin9.configure(ANALOG_OUT);
}
setup();
`,
      { host },
    );
    expect(status).toBe(1);
    expect(host.errors).toEqual([
      "hardware.pin9 cannot be configured as ANALOG_OUT",
      "  in setup device_code:3",
      "  in main device_code:5",
    ]);
  });

  it("should report a runaway recursion as a stack overflow", async () => {
    const { host, status } = await run(`
function f(n) { return f(n + 1) + 1; }
f(0);
`);
    expect(status).toBe(1);
    expect(host.errors[0]).toBe("stack overflow");
  });

  it("should leave the deadline to the host: no handler, no log, the failure reaches the host", async () => {
    const device = await boot({ timeoutMs: 200 });
    const result = device.runRaw(`
imp.onunhandledexception(function(err) { server.log("handler " + err); });
while (true) {}
`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.kind).toBe("deadline");
    expect(device.host.calls).toEqual([]);
  });

  it("should leave out of memory to the host: no catch, no handler, no log", async () => {
    const device = await boot({ memoryLimit: 32 * 1024 * 1024, timeoutMs: 20_000 });
    const result = device.runRaw(`
imp.onunhandledexception(function(err) { server.log("handler " + err); });
local hoard = [];
try {
  while (true) hoard.append(array(1000, hoard.len()));
} catch (e) {
  server.log("caught " + e);
}
`);
    expect(!result.ok && result.failure.kind).toBe("out-of-memory");
    expect(device.host.calls).toEqual([]);
  });

  it("should treat a deep sleep, a reset or a restart as the end of the run, not an error", async () => {
    const device = await boot();
    expect(device.run(`try { server.restart(); } catch (e) { server.log("caught"); }`)).toBe(0);
    expect(device.host.logs).toEqual([]);
    expect(device.host.errors).toEqual([]);
  });
});
