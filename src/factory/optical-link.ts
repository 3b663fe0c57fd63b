// The optical BlinkUp link of a DUT station (issue 4; /manufacturing/factoryfirmware: factory BlinkUp "is an optical
// process … made by a BlinkUp fixture equipped with an LED"): the fixture's BlinkUp LED is a
// pin; whatever that pin's line does, the DUT in front of it senses as light. Nothing else
// passes between them — no token is handed over in code — so firmware that flashes the wrong
// pin, or a DUT not in place, gets no BlinkUp.
//
// chosen: the LED is wired active-high (line high = light), the BLINKUP_ACTIVEHIGH wiring; a
// floating line is dark.

import type { Device } from "../device/device.ts";

export class OpticalLink {
  private stop: (() => void) | null = null;

  constructor(
    readonly fixture: Device,
    readonly ledPin: string,
  ) {
    fixture.pin(ledPin); // an unknown pin fails here, with the pin's own message
  }

  /** Puts `dut` in front of the fixture's LED; the previous DUT, if any, is taken away. */
  place(dut: Device): void {
    this.remove();
    this.stop = this.fixture.pin(this.ledPin).watch((line, t) => dut.senseLight(line === 1, t));
  }

  remove(): void {
    this.stop?.();
    this.stop = null;
  }
}
