// An Arduino Uno for the bridge tests: an ATmega328P emulated by avr8js at 16 MHz, running a
// real .hex (StandardFirmata), its USART joined to one end of a pseudo-terminal through
// serialport — the virtual imp's bridge opens the other end, as it would a real /dev/ttyACM0.
// The emulation is paced so the AVR's time never runs ahead of the wall clock.

import { readFileSync } from "node:fs";
import {
  AVRADC,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  CPU,
  PinState,
  adcConfig,
  avrInstruction,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  usart0Config,
} from "avr8js";
import { SerialPort } from "serialport";

const FREQUENCY = 16_000_000;
/** Emulated cycles per slice before the host's event loop gets a turn. */
const SLICE_CYCLES = 80_000;

/** Intel HEX → flash words. */
function loadHex(text: string): Uint16Array {
  const flash = new Uint8Array(0x8000);
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith(":")) continue;
    const bytes = Buffer.from(line.slice(1), "hex");
    const [count, hi, lo, type] = bytes as unknown as [number, number, number, number];
    if (type === 0) flash.set(bytes.subarray(4, 4 + count), (hi << 8) | lo);
  }
  return new Uint16Array(flash.buffer);
}

export class AvrUno {
  readonly cpu: CPU;
  readonly portB: AVRIOPort;
  readonly portC: AVRIOPort;
  readonly portD: AVRIOPort;
  readonly adc: AVRADC;
  readonly usart: AVRUSART;
  /** Every change of pin 13 (PB5), wall ms and level. */
  readonly pin13: { at: number; level: 0 | 1 }[] = [];
  private readonly rx: number[] = [];
  private running = false;
  private started = 0;
  private port: SerialPort | null = null;

  constructor(hexFile: string) {
    this.cpu = new CPU(loadHex(readFileSync(hexFile, "latin1")));
    new AVRTimer(this.cpu, timer0Config);
    new AVRTimer(this.cpu, timer1Config);
    new AVRTimer(this.cpu, timer2Config);
    this.portB = new AVRIOPort(this.cpu, portBConfig);
    this.portC = new AVRIOPort(this.cpu, portCConfig);
    this.portD = new AVRIOPort(this.cpu, portDConfig);
    this.adc = new AVRADC(this.cpu, adcConfig);
    this.usart = new AVRUSART(this.cpu, usart0Config, FREQUENCY);
    this.usart.onByteTransmit = (byte) => this.port?.write(Buffer.of(byte));
    this.usart.onRxComplete = () => this.feed();
    let last: 0 | 1 = 0;
    this.portB.addListener(() => {
      const level = this.portB.pinState(5) === PinState.High ? 1 : 0;
      if (level !== last) this.pin13.push({ at: performance.now(), level });
      last = level;
    });
  }

  /** Joins the USART to a serial port (one end of a pseudo-terminal) and starts the CPU. */
  async start(path: string): Promise<void> {
    const port = new SerialPort({ path, baudRate: 57_600, autoOpen: false, lock: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on("data", (data: Buffer) => {
      this.rx.push(...data);
      this.feed();
    });
    this.port = port;
    this.running = true;
    this.started = performance.now();
    this.loop();
  }

  /** Presses (true) or releases a button wired from a digital pin to ground... or to 5 V: sets the pin's input level. */
  setDigital(pin: number, high: boolean): void {
    if (pin < 8) this.portD.setPin(pin, high);
    else this.portB.setPin(pin - 8, high);
  }

  /** Puts volts on an analog input (A0 = 0), against the Uno's 5 V reference. */
  setAnalog(channel: number, volts: number): void {
    this.adc.channelValues[channel] = volts;
  }

  async stop(): Promise<void> {
    this.running = false;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private feed(): void {
    if (this.rx.length > 0 && !this.usart.rxBusy) this.usart.writeByte(this.rx.shift()!);
  }

  private loop(): void {
    if (!this.running) return;
    const { cpu } = this;
    // Never ahead of the wall clock; behind it, catch up a slice at a time.
    const due = ((performance.now() - this.started) / 1000) * FREQUENCY;
    if (cpu.cycles >= due) {
      setTimeout(() => this.loop(), 1);
      return;
    }
    const until = Math.min(due, cpu.cycles + SLICE_CYCLES);
    while (cpu.cycles < until) {
      avrInstruction(cpu);
      cpu.tick();
    }
    setImmediate(() => this.loop());
  }
}
