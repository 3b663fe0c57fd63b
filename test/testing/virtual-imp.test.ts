// virtual-imp/testing as a firmware engineer uses it: boot a device, drive it, run its clock,
// wait for what it does, read what it did — and what a failing wait says.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  bootDevice,
  ClockStalledError,
  CompileError,
  FakeTemperatureSensor,
  TMP102_ADDRESS,
  WaitTimeoutError,
  type BootDeviceOptions,
  type VirtualImp,
} from "../../src/testing/index.ts";

const booted: VirtualImp[] = [];
afterEach(async () => {
  for (const imp of booted.splice(0)) await imp.dispose();
});

async function boot(options: BootDeviceOptions): Promise<VirtualImp> {
  const imp = await bootDevice(options);
  booted.push(imp);
  return imp;
}

describe("bootDevice", () => {
  it("powers the device on at virtual time 0 and leaves the clock to the test", async () => {
    const imp = await boot({ firmware: 'server.log("hello from " + imp.info().type);' });
    expect(imp.now).toBe(0);
    expect(imp.phase).toBe("booting");
    expect(imp.logs).toEqual([]);
    await imp.advance("2s");
    expect(imp.now).toBe(2_000_000);
    expect(imp.phase).toBe("running");
    expect(imp.logs).toEqual(["hello from imp001"]);
    expect(imp.model).toBe("imp001");
  });

  it("runs a firmware file under its own name, on the model asked for", async () => {
    const imp = await boot({
      firmwareFile: fileURLToPath(
        new URL("../../firmware-samples/button.device.nut", import.meta.url),
      ),
      model: "imp003",
    });
    await imp.waitForLog("button ready", "5s");
    expect(imp.model).toBe("imp003");
  });

  it("rejects firmware that does not compile with the compiler's file, line and column", async () => {
    const error = await bootDevice({ firmware: 'server.log("a");\nlocal x = (1 + ;\n' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CompileError);
    expect(error).toMatchObject({ file: "device_code", line: 2 });
  });

  it("says which firmware file it could not read", async () => {
    await expect(bootDevice({ firmwareFile: "no/such/file.nut" })).rejects.toThrow(
      "cannot read the firmware file 'no/such/file.nut': no such file",
    );
  });

  it("wants exactly one of firmware and firmwareFile", async () => {
    await expect(bootDevice({})).rejects.toThrow(/exactly one of `firmware`/);
  });

  it("gives the same device and the same random numbers for the same seed", async () => {
    const firmware = 'math.srand(1); server.log(hardware.getdeviceid() + " " + math.rand());';
    const [a, b, c] = [
      await boot({ firmware, seed: 7 }),
      await boot({ firmware, seed: 7 }),
      await boot({ firmware, seed: 8 }),
    ];
    for (const imp of [a, b, c]) await imp.waitForLog(" ", "5s");
    expect(a.logs).toEqual(b.logs);
    expect(a.id).not.toBe(c.id);
  });

  it("attaches peripheral models before the firmware first runs", async () => {
    const imp = await boot({
      firmware:
        'hardware.i2c89.configure(CLOCK_SPEED_100_KHZ); local raw = hardware.i2c89.read(0x90, "\\x00", 2); server.log(raw == null ? "no sensor" : "sensor " + raw[0]);',
      peripherals: [
        { i2c: "i2c89", address: TMP102_ADDRESS, model: new FakeTemperatureSensor(25) },
      ],
    });
    await imp.waitForLog(/^sensor 25$/, "5s");
  });
});

describe("waiting", () => {
  it("waits for new log lines only, and gives a RegExp's groups", async () => {
    const imp = await boot({
      firmware:
        'n <- 0; function tick() { server.log("tick " + ++n); imp.wakeup(1, tick); } tick();',
    });
    const first = await imp.waitForLog(/tick (\d+)/, "5s");
    expect(first).toMatchObject({ message: "tick 1", t: 1_300_000 });
    expect(first.match?.[1]).toBe("1");
    const second = await imp.waitForLog(/tick (\d+)/g, "5s");
    expect(second.match?.[1]).toBe("2");
    expect(imp.now).toBe(2_300_000);
  });

  it("says what it waited for and what it saw last when a log line does not come", async () => {
    const imp = await boot({ firmware: 'server.log("sensor not found");' });
    const error = await imp.waitForLog(/temp=\d+/, "10s").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(
      'waitForLog(/temp=\\d+/) timed out after 10s of virtual time (at +10.000s); the last log line was "sensor not found" at +1.300s (the device is running)',
    );
    expect(imp.now).toBe(10_000_000);
  });

  it("waits for a pin level, and says how the pin stood when it times out", async () => {
    const imp = await boot({
      firmware:
        "hardware.pin1.configure(DIGITAL_IN_PULLDOWN, function() { hardware.pin9.write(hardware.pin1.read()); }); hardware.pin9.configure(DIGITAL_OUT, 0);",
    });
    await imp.waitForPin("pin9", 0, "5s");
    imp.drive("pin1", 1);
    const t = await imp.waitForPin("pin9", 1, "1s");
    expect(t).toBe(imp.now);
    await expect(imp.waitForPin("pin9", 0, "2s")).rejects.toThrow(
      /^waitForPin\("pin9", 0\) timed out after 2s of virtual time \(at \+\d+\.\d{3}s\); pin9 has been 1 since \+\d+\.\d{3}s$/,
    );
    await expect(imp.waitForPin("pinZ", 0)).rejects.toThrow("the imp001 has no pinZ");
  });

  it("waits for an LED colour or state, and reads the LED timeline", async () => {
    const imp = await boot({ firmware: 'server.log("up");' });
    const reading = await imp.waitForLed("green", "10s");
    expect(reading.state).toBe("online");
    expect(imp.ledAt("250ms").colour).toBe("red"); // joining WiFi: red 500 ms, dark 500 ms, …
    expect(imp.ledAt(reading.since + 600_000).colour).toBe("off"); // flashing: 500 ms on, 500 ms off
    expect(imp.ledChanges.at(-1)).toEqual({ t: reading.since, state: "online" });
    await expect(imp.waitForLed("red", "5s")).rejects.toThrow(
      /; the LED has been green \(online: flashing green: connected to the server\) since \+1\.200s$/,
    );
    await imp.waitForLed("off", "2m"); // BlinkUp status goes dark after a minute of Squirrel
    const error = await imp.waitForLed("red", "5s").catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^waitForLed\("red"\) timed out after 5s .*; the LED has been off since \+60\.000s$/,
    );
    await expect(imp.waitForLed("purple" as "red")).rejects.toThrow(
      /'purple' is neither an LED colour/,
    );
  });

  it("waits for wakes and reads nv after deep sleep", async () => {
    const imp = await boot({
      firmware:
        'if (!("nv" in getroottable())) nv <- { boots = 0, t = 1.5 }; nv.boots++; server.log("boot " + nv.boots); imp.onidle(function() { server.sleepfor(60); });',
    });
    expect(await imp.waitForWake(undefined, "5s")).toBe("WAKEREASON_POWER_ON");
    expect(await imp.waitForWake("WAKEREASON_TIMER", "2m")).toBe("WAKEREASON_TIMER");
    expect(imp.wakeReason).toBe("WAKEREASON_TIMER");
    await imp.waitFor(() => imp.phase === "sleeping", "5s", "deep sleep");
    expect(imp.nv).toEqual({ boots: 2, t: 1.5 });
    imp.powerOff();
    expect(imp.nv).toBeNull(); // power loss wipes NVRAM
  });

  it("says what woke the device last when the wake waited for does not come", async () => {
    const imp = await boot({ firmware: 'server.log("up");' });
    await expect(imp.waitForWake("WAKEREASON_PIN", "3s")).rejects.toThrow(
      'waitForWake("WAKEREASON_PIN") timed out after 3s of virtual time (at +3.000s); the last wake reason was WAKEREASON_POWER_ON at +1.300s (the device is running now)',
    );
    await expect(imp.waitForWake("WAKEREASON_NAP" as "WAKEREASON_PIN")).rejects.toThrow(
      /'WAKEREASON_NAP' is not a wake reason/,
    );
  });

  it("sees an uncaught error and the restart that follows", async () => {
    const imp = await boot({
      firmware: "function f() { local t = {}; return t.nope; }\nimp.wakeup(1, f);",
    });
    const error = await imp.waitForError(/does not exist/, "5s");
    expect(error.message).toBe("the index 'nope' does not exist");
    expect(await imp.waitForWake(undefined, "5s")).toBe("WAKEREASON_SQUIRREL_ERROR");
    expect(imp.errors).toContain("  in f device_code:1");
    expect(imp.events("restart").map((e) => e.data.reason)).toEqual(["uncaught Squirrel error"]);
  });

  it("stops with ClockStalledError when an imp.wakeup(0) chain keeps the clock at one instant", async () => {
    const imp = await boot({ firmware: "function spin() { imp.wakeup(0, spin); } spin();" });
    const error = await imp.advance("10s").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClockStalledError);
    expect((error as Error).message).toMatch(
      /^the virtual clock is stuck at \+1\.300s: 100000 events ran there/,
    );
  });
});

describe("the built package", () => {
  it("is importable as virtual-imp/testing", () => {
    // A plain Node process, as a user's test runner would load it: dist/testing.js by the package's exports.
    const script = `
      import { bootDevice } from "virtual-imp/testing";
      const imp = await bootDevice({ firmware: 'server.log("packaged");' });
      const line = await imp.waitForLog("packaged", "5s");
      await imp.dispose();
      console.log(line.message, line.t);`;
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("packaged 1300000\n");
  });
});
