import { describe, expect, it } from "vitest";
import { StatusLed } from "../../src/device/led.ts";
import { BLINKUP_WINDOW_MS, StatusIndicator } from "../../src/device/status-indicator.ts";
import { Scheduler } from "../../src/sim/scheduler.ts";

const S = 1_000_000;
const WINDOW = BLINKUP_WINDOW_MS * 1000;

function setup() {
  const scheduler = new Scheduler();
  const led = new StatusLed();
  const indicator = new StatusIndicator(led, scheduler);
  return { scheduler, led, indicator };
}

describe("StatusIndicator (/api/imp/enableblinkup)", () => {
  it("should show status while no Squirrel runs, whatever the window", () => {
    const { scheduler, led, indicator } = setup();
    indicator.coldBoot();
    indicator.setStatus("unactivated");
    scheduler.runFor(10 * WINDOW);
    expect(led.state).toBe("unactivated");
    expect(indicator.blinkUpEnabled).toBe(true);
  });

  it("should go dark when BOOTING ends with Squirrel running and imp.enableblinkup never called", () => {
    const { scheduler, led, indicator } = setup();
    indicator.coldBoot();
    indicator.setStatus("online");
    indicator.setSquirrelRunning(true);
    scheduler.runFor(WINDOW - 1);
    expect(led.state).toBe("online");
    scheduler.runFor(1);
    expect(led.state).toBe("off");
    expect(indicator.window).toBe("idle");
  });

  it("should keep status on in IDLE after imp.enableblinkup(true), applied at the next window change", () => {
    const { scheduler, led, indicator } = setup();
    indicator.coldBoot();
    indicator.setStatus("online");
    indicator.setSquirrelRunning(true);
    indicator.enableBlinkUp(true);
    scheduler.runFor(2 * WINDOW);
    expect(led.state).toBe("online");
  });

  it("should turn status off for CONNECTING after imp.enableblinkup(false), but not during BOOTING", () => {
    const { scheduler, led, indicator } = setup();
    indicator.coldBoot();
    indicator.setStatus("connectingToServer");
    indicator.setSquirrelRunning(true);
    indicator.enableBlinkUp(false);
    scheduler.runFor(10 * S);
    indicator.connectAttempt(); // CONNECTING until 70 s, BOOTING until 60 s
    expect(led.state).toBe("connectingToServer");
    scheduler.runFor(WINDOW - 10 * S);
    expect(indicator.window).toBe("connecting");
    expect(led.state).toBe("off");
  });

  it("should apply a call at once in IDLE (a warm start)", () => {
    const { led, indicator } = setup();
    indicator.warmBoot();
    indicator.setStatus("online");
    indicator.setSquirrelRunning(true);
    expect(led.state).toBe("off");
    indicator.enableBlinkUp(true);
    expect(led.state).toBe("online");
  });

  it("should show an override for a time, then status again, and nothing when dark", () => {
    const { scheduler, led, indicator } = setup();
    indicator.coldBoot();
    indicator.setStatus("unactivated");
    indicator.showFor("blinkupOk", 3000);
    expect(led.state).toBe("blinkupOk");
    scheduler.runFor(3 * S);
    expect(led.state).toBe("unactivated");
    indicator.goDark();
    expect(led.state).toBe("off");
    expect(indicator.blinkUpEnabled).toBe(false);
  });
});
