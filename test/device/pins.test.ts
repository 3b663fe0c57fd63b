import { describe, expect, it } from "vitest";
import { imp001, imp003 } from "../../src/device/models/index.ts";
import { PIN_MODES } from "../../src/device/shared/pin-modes.ts";
import { ADC_FULL_SCALE, PinError, Pins } from "../../src/device/pins.ts";
import type { DigitalLevel } from "../../src/device/pins.ts";
import type { ImpModel } from "../../src/device/models/model.ts";
import { Trace } from "../../src/sim/trace.ts";
import { toVcd } from "../../src/sim/vcd.ts";

function device(model: ImpModel = imp001) {
  const trace = new Trace();
  let now = 0;
  const pins = new Pins(model, { now: () => now, emit: trace.emitter("dev") });
  return {
    pins,
    trace,
    setTime: (t: number) => {
      now = t;
    },
  };
}

describe("Pins", () => {
  describe("configure", () => {
    it("should start every pin disabled and floating", () => {
      const { pins } = device();
      for (const pin of pins) {
        expect(pin.mode).toBeNull();
        expect(pin.line).toBe("z");
      }
    });

    it("should throw the pin's supported modes when a mode is missing (imp001 pin 2 has no DAC)", () => {
      const { pins } = device();
      expect(() => pins.get("pin2").configure("ANALOG_OUT")).toThrow(PinError);
      expect(() => pins.get("pin2").configure("ANALOG_OUT")).toThrow(
        "hardware.pin2 cannot be configured as ANALOG_OUT: the imp001 pin 2 supports DIGITAL_IN, DIGITAL_IN_PULLUP, " +
          "DIGITAL_IN_PULLDOWN, DIGITAL_OUT, DIGITAL_OUT_OD, ANALOG_IN, PWM_OUT",
      );
      expect(pins.get("pin2").mode).toBeNull();
    });

    it("should allow DIGITAL_IN_WAKEUP only on the wake pin (imp001 pin 1, imp003 pin W)", () => {
      const a = device(imp001).pins;
      expect(() => a.get("pin1").configure("DIGITAL_IN_WAKEUP")).not.toThrow();
      expect(() => a.get("pin5").configure("DIGITAL_IN_WAKEUP")).toThrow(
        /cannot be configured as DIGITAL_IN_WAKEUP/,
      );
      const b = device(imp003).pins;
      expect(() => b.get("pinW").configure("DIGITAL_IN_WAKEUP")).not.toThrow();
      expect(() => b.get("pinA").configure("DIGITAL_IN_WAKEUP")).toThrow(PinError);
    });

    it("should allow ANALOG_OUT only on DAC pins and PULSE_COUNTER only where counted", () => {
      const { pins } = device(imp003);
      expect(() => pins.get("pinC").configure("ANALOG_OUT")).not.toThrow();
      expect(() => pins.get("pinD").configure("ANALOG_OUT")).toThrow(PinError);
      expect(() => pins.get("pinD").configure("PULSE_COUNTER", { window: 1 })).toThrow(PinError);
    });

    it("should refuse a state-change callback on imp003 pins S and Y, but take a plain input there", () => {
      const { pins } = device(imp003);
      expect(() => pins.get("pinS").configure("DIGITAL_IN", { onChange: () => {} })).toThrow(
        "hardware.pinS cannot call a state-change callback: the imp003 pin S has none; configure it without a callback and poll read()",
      );
      expect(() => pins.get("pinY").configure("DIGITAL_IN")).not.toThrow();
    });

    it("should refuse a callback on a mode that is not a digital input", () => {
      const { pins } = device();
      expect(() => pins.get("pin1").configure("DIGITAL_OUT", { onChange: () => {} })).toThrow(
        /only digital inputs/,
      );
    });

    it("should take the numeric constants firmware passes and refuse an unknown one", () => {
      const { pins } = device();
      pins.get("pin7").configure(PIN_MODES.DIGITAL_OUT);
      expect(pins.get("pin7").mode).toBe("DIGITAL_OUT");
      expect(() => pins.get("pin7").configure(999)).toThrow(
        "hardware.pin7.configure(): 999 is not a pin mode",
      );
    });

    it("should need a period and duty for PWM_OUT and a window for PULSE_COUNTER", () => {
      const { pins } = device();
      expect(() => pins.get("pin2").configure("PWM_OUT")).toThrow(/needs a period/);
      expect(() => pins.get("pin2").configure("PWM_OUT", { period: 0, duty: 0.5 })).toThrow(
        /needs a period/,
      );
      expect(() => pins.get("pin1").configure("PULSE_COUNTER", { window: 0 })).toThrow(
        /needs a counting window/,
      );
    });

    it("should throw for a pin the model lacks, naming its pins", () => {
      const { pins } = device();
      expect(() => pins.get("pin6")).toThrow(
        "the imp001 has no pin6; its pins are pin1, pin2, pin5, pin7, pin8, pin9",
      );
      expect(pins.has("pin6")).toBe(false);
    });
  });

  describe("digital outputs", () => {
    it("should start low unless an initial level is given, and read back what was written", () => {
      const { pins } = device();
      const led = pins.get("pin9");
      led.configure("DIGITAL_OUT");
      expect(led.read()).toBe(0);
      led.write(1);
      expect(led.read()).toBe(1);
      const other = pins.get("pin8");
      other.configure("DIGITAL_OUT", { initial: 1 });
      expect(other.read()).toBe(1);
    });

    it("should treat any non-zero write as high", () => {
      const { pins } = device();
      const pin = pins.get("pin1");
      pin.configure("DIGITAL_OUT");
      pin.write(7);
      expect(pin.line).toBe(1);
    });

    it("should win over an outside driver on a push-pull output", () => {
      const { pins } = device();
      const pin = pins.get("pin1");
      pin.configure("DIGITAL_OUT", { initial: 1 });
      pin.drive(0);
      expect(pin.read()).toBe(1);
    });

    it("should only pull low in open drain, leaving high to the outside (the bus pull-up)", () => {
      const { pins } = device();
      const pin = pins.get("pin8");
      pin.configure("DIGITAL_OUT_OD", { initial: 1 });
      expect(pin.line).toBe("z");
      expect(pin.read()).toBe(0);
      pin.drive(1);
      expect(pin.read()).toBe(1);
      pin.write(0);
      expect(pin.read()).toBe(0);
      pin.write(1);
      expect(pin.read()).toBe(1);
      pin.drive(0); // another device on the bus pulls low
      expect(pin.read()).toBe(0);
    });

    it("should refuse write on an input or an unconfigured pin", () => {
      const { pins } = device();
      expect(() => pins.get("pin1").write(1)).toThrow(
        "hardware.pin1 is not configured; configure it as DIGITAL_OUT, DIGITAL_OUT_OD, PWM_OUT or ANALOG_OUT before write()",
      );
      pins.get("pin2").configure("DIGITAL_IN");
      expect(() => pins.get("pin2").write(1)).toThrow(
        /is configured as DIGITAL_IN; configure it as DIGITAL_OUT/,
      );
    });
  });

  describe("digital inputs", () => {
    it("should read what the outside drives, and 0 when floating", () => {
      const { pins } = device();
      const pin = pins.get("pin5");
      pin.configure("DIGITAL_IN");
      expect(pin.line).toBe("z");
      expect(pin.read()).toBe(0);
      pin.drive(1);
      expect(pin.read()).toBe(1);
      pin.drive(null);
      expect(pin.read()).toBe(0);
    });

    it("should read high through a pull-up and low through a pull-down when nothing drives", () => {
      const { pins } = device();
      pins.get("pin1").configure("DIGITAL_IN_PULLUP");
      pins.get("pin2").configure("DIGITAL_IN_PULLDOWN");
      expect(pins.get("pin1").read()).toBe(1);
      expect(pins.get("pin2").read()).toBe(0);
      pins.get("pin1").drive(0);
      expect(pins.get("pin1").read()).toBe(0);
    });

    it("should call the callback with the new level on every change, and only on a change", () => {
      const { pins } = device();
      const calls: DigitalLevel[] = [];
      const button = pins.get("pin1");
      button.configure("DIGITAL_IN_PULLUP", { onChange: (level) => calls.push(level) });
      button.drive(0);
      button.drive(0);
      button.drive(null); // released: the pull-up brings it back high
      button.drive(1); // already high
      expect(calls).toEqual([0, 1]);
    });

    it("should not call a callback for the change that configuring causes", () => {
      const { pins } = device();
      const calls: DigitalLevel[] = [];
      pins.get("pin1").configure("DIGITAL_IN_PULLUP", { onChange: (level) => calls.push(level) });
      expect(pins.get("pin1").read()).toBe(1);
      expect(calls).toEqual([]);
    });

    it("should not call anything without a callback, on outputs, or after reconfiguring", () => {
      const { pins } = device();
      const calls: DigitalLevel[] = [];
      const pin = pins.get("pin2");
      pin.configure("DIGITAL_IN", { onChange: (level) => calls.push(level) });
      pin.configure("DIGITAL_IN");
      pin.drive(1);
      pin.configure("DIGITAL_OUT_OD", { initial: 1 });
      pin.drive(0);
      expect(calls).toEqual([]);
    });

    it("should stop calling after disable", () => {
      const { pins } = device();
      const calls: DigitalLevel[] = [];
      const pin = pins.get("pin2");
      pin.configure("DIGITAL_IN", { onChange: (level) => calls.push(level) });
      pin.disable();
      pin.drive(1);
      expect(calls).toEqual([]);
      expect(() => pin.read()).toThrow(
        "hardware.pin2 is not configured; call configure() before read()",
      );
    });

    it("should hold the wake pin low through its weak pull-down and see it go high", () => {
      const { pins } = device(imp003);
      const calls: DigitalLevel[] = [];
      const wake = pins.get("pinW");
      wake.configure("DIGITAL_IN_WAKEUP", { onChange: (level) => calls.push(level) });
      expect(wake.read()).toBe(0);
      wake.drive(1);
      expect(calls).toEqual([1]);
    });
  });

  describe("analog", () => {
    it("should read an ADC value 0–65535 from the analog level driven outside, at 12-bit resolution", () => {
      const { pins } = device();
      const adc = pins.get("pin7");
      adc.configure("ANALOG_IN");
      expect(adc.read()).toBe(0);
      adc.driveAnalog(1);
      expect(adc.read()).toBe(ADC_FULL_SCALE);
      adc.driveAnalog(0.5);
      expect(adc.read()).toBe(32776); // 2048 of 4095
      adc.driveAnalog(0.5 + 1 / 65535); // less than one 12-bit step: the same reading
      expect(adc.read()).toBe(32776);
      adc.driveAnalog(null);
      adc.drive(1);
      expect(adc.read()).toBe(ADC_FULL_SCALE);
    });

    it("should set a DAC level as a fraction of the supply and refuse to read it", () => {
      const { pins, trace } = device(imp003);
      const dac = pins.get("pinA");
      dac.configure("ANALOG_OUT");
      dac.write(0.25);
      dac.write(2);
      expect(dac.analogOut).toBe(1);
      expect(trace.ofKind("analog").map((e) => e.data.value)).toEqual([0, 0.25, 1]);
      expect(() => dac.read()).toThrow(
        "hardware.pinA cannot be read while it is configured as ANALOG_OUT",
      );
    });

    it("should keep PWM period and duty, refusing a duty cycle outside 0–1", () => {
      const { pins, trace } = device();
      const pwm = pins.get("pin2");
      pwm.configure("PWM_OUT", { period: 0.001, duty: 0.5 });
      pwm.write(0.75);
      expect(() => pwm.write(-1)).toThrow(
        "hardware.pin2.write(): a PWM duty cycle is from 0.0 to 1.0, not -1",
      );
      expect(() => pwm.write(1.5)).toThrow(
        "hardware.pin2.write(): a PWM duty cycle is from 0.0 to 1.0, not 1.5",
      );
      pwm.write(0);
      expect(pwm.pwm).toEqual({ period: 0.001, duty: 0 });
      expect(trace.ofKind("pwm").map((e) => e.data.duty)).toEqual([0.5, 0.75, 0]);
      expect(pwm.line).toBe(0);
      expect(() => pins.get("pin2").configure("PWM_OUT", { period: 0.001, duty: 2 })).toThrow(
        /a duty cycle from 0 to 1/,
      );
    });
  });

  describe("pulse counter", () => {
    it("should count rising edges in the window that ends now", () => {
      const { pins, setTime } = device();
      const counter = pins.get("pin1");
      counter.configure("PULSE_COUNTER", { window: 1 });
      for (let i = 0; i < 5; i++) {
        setTime(i * 300_000);
        counter.drive(1);
        setTime(i * 300_000 + 100_000);
        counter.drive(0);
      }
      // Rising edges at 0, 0.3, 0.6, 0.9 and 1.2 s; the 1 s window ending at 1.3 s holds the last three.
      setTime(1_300_000);
      expect(counter.read()).toBe(3);
    });
  });

  describe("trace", () => {
    it("should emit mode and level changes stamped with the device's time", () => {
      const { pins, trace, setTime } = device();
      const pin = pins.get("pin9");
      setTime(100);
      pin.configure("DIGITAL_OUT");
      setTime(250);
      pin.write(1);
      pin.write(1);
      setTime(400);
      pin.disable();
      expect(trace.events.map((e) => [e.t, e.kind, e.data])).toEqual([
        [100, "pin-mode", { pin: "pin9", mode: "DIGITAL_OUT" }],
        [100, "pin", { pin: "pin9", level: 0 }],
        [250, "pin", { pin: "pin9", level: 1 }],
        [400, "pin-mode", { pin: "pin9", mode: null }],
        [400, "pin", { pin: "pin9", level: "z" }],
      ]);
      expect(trace.events.every((e) => e.device === "dev")).toBe(true);
    });

    it("should give a VCD of a blinking pin", () => {
      const { pins, trace, setTime } = device();
      const pin = pins.get("pin9");
      pin.configure("DIGITAL_OUT");
      for (let i = 1; i <= 3; i++) {
        setTime(i * 500_000);
        pin.write(i % 2);
      }
      expect(toVcd(trace.events).split("$enddefinitions $end\n")[1]).toBe(
        "#0\n$dumpvars\nx!\n$end\n0!\n#500000\n1!\n#1000000\n0!\n#1500000\n1!\n",
      );
    });
  });

  describe("reset", () => {
    it("should return every pin to disabled, keeping what the outside drives", () => {
      const { pins } = device();
      pins.get("pin1").configure("DIGITAL_OUT", { initial: 1 });
      pins.get("pin2").configure("DIGITAL_IN");
      pins.get("pin2").drive(1);
      pins.reset();
      expect([...pins].every((pin) => pin.mode === null)).toBe(true);
      expect(pins.get("pin1").line).toBe("z");
      expect(pins.get("pin2").line).toBe(1);
    });
  });
});
