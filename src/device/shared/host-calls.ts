// The narrow door between a device's Squirrel VM and the virtual imp around it
// (docs/architecture.md, principle 3). The guest side (src/device/guest/, bundled into the
// device runtime and evaluated inside QuickJS) implements the imp API objects `hardware`,
// `imp`, `server`, `nv`, `blob`, ... on top of these calls; the host side (src/device/host/)
// implements them against pins, the LED, the scheduler and the cloud link. This file and the
// constant families beside it (src/device/shared/) are what both sides import.
//
// Rules:
// - Arguments and results are primitives (string, number, boolean, null). Structured data
//   crosses as JSON text; byte data (blobs, I2C/SPI/UART payloads) as byte strings.
// - A host call that fails the way the imp would throw (a pin configured for a mode it
//   lacks, a bad argument) throws an Error whose message is the imp's error text; the
//   guest turns it into a Squirrel error with that text.
// - The host never calls into the guest while the guest is inside a host call. Events go
//   in afterwards, one at a time, through the guest entry points in `DeviceGuestEntry`.
// - Callbacks are identified by integers the guest allocates; the host only stores ids.

/** Calls the guest makes (as `__host.<name>(...)`). */
export interface DeviceHostCalls {
  // ---- output
  /**
   * `server.log(text)` and `print(text)`: a [Device] line in the log. Returns 0 or a Send Error
   * Code (send-errors.ts) per the send-timeout policy (added by the host side, which may also
   * return nothing from older implementations: the guest reads a missing result as 0). Under
   * SUSPEND_ON_ERROR while offline the call blocks while the host connects (/api/server/setsendtimeoutpolicy).
   */
  log(text: string): number | void;
  /** `server.error(text)`: an [Error]-styled [Device] line; returns as `log` does, but never blocks. */
  logError(text: string): number | void;

  // ---- time
  /** Microseconds of virtual time since this device booted (hardware.millis/micros, clock()). */
  uptimeMicros(): number;
  /** The RTC: seconds since the Unix epoch, with a fraction (time(), date()). */
  rtcSeconds(): number;
  /** imp.sleep(s): blocks the VM; the host advances this device's time by s. */
  sleep(seconds: number): void;

  // ---- event sources (each registers a callback id; dispatch(id, argsJson) calls it later)
  /** imp.wakeup(s, cb): fire `id` after s seconds (centisecond resolution). */
  wakeup(seconds: number, id: number): void;
  /** imp.cancelwakeup(handle): `id` is the wakeup's id; unknown ids are ignored. */
  cancelWakeup(id: number): void;
  /** imp.onidle(cb): fire `id` once when no other event is pending; 0 clears it. */
  onIdle(id: number): void;

  // ---- pins (names as in the model: "pin1", "pinA", ...)
  /**
   * pin.configure(mode, ...): `argsJson` is a JSON array of the extra numeric arguments
   * (PWM period/duty, pulse-counter window, ...). `callbackId` is 0 for none. Throws the
   * imp's text when the pin lacks the mode.
   */
  pinConfigure(pin: string, mode: number, argsJson: string, callbackId: number): void;
  /** pin.write(v): a number (digital 0/1, PWM duty or DAC level 0.0-1.0). */
  pinWrite(pin: string, value: number): void;
  /** pin.read(): digital level, ADC value, or pulse count (blocks for the window). */
  pinRead(pin: string): number;
  /** pin.disable() */
  pinDisable(pin: string): void;

  // ---- buses and peripherals (bus names as in the model: "i2c89", "spi257", "uart12", ...)
  /** i2c.configure(speed) / spi.configure(flags, kHz) / uart.configure(baud, bits, parity, stop, flags, cb). */
  busConfigure(bus: string, argsJson: string, callbackId: number): void;
  /** i2c.write(addr, data): 0 on success or the imp's I2C error code. `addr` is the 8-bit address. */
  i2cWrite(bus: string, address: number, data: string): number;
  /** i2c.read(addr, reg, n): the bytes, or null on error (then i2cReadError gives the code). */
  i2cRead(bus: string, address: number, register: string, count: number): string | null;
  i2cReadError(bus: string): number;
  /** spi.writeread(data): bytes clocked in while data was clocked out. */
  spiWriteRead(bus: string, data: string): string;
  /** uart.write(data) */
  uartWrite(bus: string, data: string): void;
  /** uart.read(): next byte, or -1 when the FIFO is empty. */
  uartRead(bus: string): number;
  /**
   * i2c.disable() / spi.disable() / uart.disable(): the bus lets go of its pins (they go back
   * to their power-on state) and forgets its configuration and callback. Added by the guest side
   * (src/device/guest/buses.ts); the bus API needs it and no other call fits.
   */
  busDisable(bus: string): void;

  // ---- the imp itself
  /** JSON object: deviceId, mac, model type, memory, software version, ... for imp.info/getdeviceid/getmacaddress. */
  /** The shape the guest reads is {@link DeviceIdentityInfo}. */
  identityJson(): string;
  /** Bytes of Squirrel memory still free (imp.getmemoryfree()). */
  memoryFree(): number;
  /** imp.configparams as JSON (an object; empty before the cloud sent any). */
  configParamsJson(): string;
  /** imp.enableblinkup(on) */
  enableBlinkUp(on: boolean): void;
  /** imp.setpowersave(on) */
  setPowerSave(on: boolean): void;
  /** imp.clearconfiguration(flags): wipes credentials and enrolment token (factory API). */
  clearConfiguration(flags: number): void;
  /**
   * The WiFi network as imp.getssid(), getbssid(), rssi() and imp.net.info() see it: JSON of
   * `NetworkInfo` (src/device/wifi-network.ts), asked at each call since the connection comes and goes.
   */
  networkJson(): string;
  /**
   * crypto's hashes (host/digests.ts): the digest of byte string `data` with `algorithm` ("md5",
   * "sha1", "sha256", "sha512"), or its HMAC when `key` is a byte string; a byte string back.
   */
  digest(algorithm: string, data: string, key: string | null): string;

  // ---- leaving this VM (the host tears the VM down after the current event returns)
  /**
   * server.sleepfor / imp.deepsleepfor / sleepuntil: deep sleep for `seconds`; `flush` is
   * true for the server.* forms. `nvJson` is the serialised `nv` table (null when empty),
   * kept across the sleep.
   */
  deepSleep(seconds: number, flush: boolean, nvJson: string | null): void;
  /** imp.reset(): a cold start (wake reason SW_RESET); nv is lost. */
  reset(): void;
  /** server.restart(): a VM restart (wake reason SW_RESTART, or NEW_SQUIRREL if an update waits). */
  restart(nvJson: string | null): void;

  // ---- the cloud
  /** server.connect(cb, timeout): `id` 0 for no callback. */
  connect(id: number, timeoutSeconds: number): void;
  /** server.disconnect() */
  disconnect(): void;
  isConnected(): boolean;
  /** server.setsendtimeoutpolicy(errorPolicy, waitPolicy, timeout) */
  setSendTimeoutPolicy(errorPolicy: number, waitPolicy: number, timeoutSeconds: number): void;
  /** server.onunexpecteddisconnect(cb) / server.onshutdown(cb): 0 clears. */
  onUnexpectedDisconnect(id: number): void;
  onShutdown(id: number): void;
  /** server.flush(timeout): true when everything was sent. */
  flush(timeoutSeconds: number): boolean;
  /** agent.send(name, data): data as JSON; returns a send error code (0 = sent). */
  agentSend(name: string, dataJson: string): number;
  /**
   * agent.on(name, cb): `id` 0 removes the handler. A message for it is dispatched with
   * argsJson `[<dataJson>]`: the payload as the sender encoded it, in the tagged JSON of
   * src/device/guest/squirrel-json.ts (the same form `agentSend` receives).
   */
  agentOn(name: string, id: number): void;
  /** server.bless(pass, cb) (factory API, issue 4). */
  bless(pass: boolean, id: number): void;
  /** server.factoryblinkup(ssid, password, pin, flags) (factory API, issue 4). */
  factoryBlinkUp(ssid: string, password: string, pin: string, flags: number): void;
}

/**
 * What `identityJson()` returns, as the guest reads it (added by the guest side,
 * src/device/guest/identity-info.ts). The guest asks once per VM and keeps the answer.
 */
export interface DeviceIdentityInfo {
  /** hardware.getdeviceid(): 16 lowercase hex digits. */
  deviceId: string;
  /** imp.getmacaddress(): 12 lowercase hex digits. (`mac` is read too, as the note above spells it.) */
  macAddress: string;
  /** The model, "imp001" | "imp003": imp.info().type. */
  type: string;
  /** imp.getsoftwareversion(); when absent the guest shows a version string of its own. */
  softwareVersion?: string;
}

/** The `ipv4` table of imp.net.info() (present only while an interface is connected). */
export interface Ipv4Info {
  address: string;
  netmask: string;
  broadcast: string;
  gateway: string;
  dhcpserver: string;
  dnsserver: string[];
}

/** What the guest needs for imp.getssid() and friends and imp.net.info() (`networkJson()`; the host's side is wifi-network.ts). */
export interface NetworkInfo {
  /** The SSID configured on the imp; "" when it has none. */
  ssid: string;
  bssid: string;
  channel: number;
  /** dBm. */
  rssi: number;
  /** The WiFi interface's MAC: 12 lowercase hex digits. */
  macAddress: string;
  /** True while the imp is connected to the server (imp.net.info()'s `active` is present). */
  connected: boolean;
  /** Present while connected. */
  ipv4?: Ipv4Info;
  /** While not connected: why the last attempt failed or the last session ended (connect reasons). */
  lastError?: number;
}

/** What the host tells the guest when a VM starts (JSON through `__imp.boot(json)`). */
export interface DeviceBootInfo {
  /** hardware.wakereason() */
  wakeReason: number;
  /** The serialised `nv` table kept from before, or null (then `nv` does not exist until created). */
  nv: string | null;
  /** Model facts the guest needs to build `hardware`: pin names, bus names. */
  pins: string[];
  buses: { name: string; kind: "i2c" | "spi" | "uart" }[];
  /** imp.environment(): the model's ENVIRONMENT_* value. */
  environment: number;
  /**
   * The model-specific API members the model has (ImpModel.otherHardware, apiMembers): the guest
   * makes them loud "not emulated" and leaves the other model-specific names absent.
   */
  apiMembers: { hardware: string[]; imp: string[]; impNet: string[] };
  /** hardware.lightlevel()'s fixed reading, or null on a model without the light sensor. */
  lightLevel: number | null;
  /** Seed for math.rand / rand() so runs are reproducible. */
  randomSeed: number;
}

/**
 * Entry points the guest bundle defines on `globalThis.__imp`; the host calls them by
 * evaluating small scripts with primitive arguments.
 */
export interface DeviceGuestEntry {
  /** Sets up hardware/imp/server/nv for this VM (before the firmware runs). */
  boot(bootInfoJson: string): void;
  /**
   * Runs the callback registered under `id` with the arguments in `argsJson` (a JSON array).
   * Returns 0, or 1 after an uncaught Squirrel error — which the guest has already reported
   * through onunhandledexception (if set) and `logError`.
   */
  dispatch(id: number, argsJson: string): number;
  /**
   * Runs the compiled firmware's top-level code (added by the guest side). The host evaluates
   * `globalThis.__vimpFirmware = (<compile(source, file).js>\n)` as a script named `file` — so
   * the functions are parsed there and guest stack lines are Squirrel lines — measures the heap
   * with the code loaded (device-vm.ts), then evaluates `__imp.runFirmware(globalThis.__vimpFirmware)`.
   * Returns 0, or 1 after an uncaught Squirrel error (reported as for
   * `dispatch`). A call that leaves the VM (deepSleep, reset, restart) ends the run with 0.
   * Out of memory and the deadline are not caught: they reach the host as they are.
   */
  runFirmware(factory: (rt: unknown) => (self: unknown, vargv: unknown[]) => unknown): number;
}
