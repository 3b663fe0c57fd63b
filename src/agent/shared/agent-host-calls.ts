// The narrow door between an agent's Squirrel VM and the impCloud around it, as
// src/device/host-calls.ts is for a device (ARCHITECTURE.md, principle 3). The guest side
// (src/agent/guest/, bundled into dist/agent-runtime.js) builds the agent API — `device`, `http`,
// `server`, `imp`, `crypto` — on these calls; the host side (agent.ts) implements them against the
// scheduler, the device's connection and real HTTP.
//
// The same rules: primitive arguments and results, structured data as JSON text, byte data as
// byte strings; a failing host call throws an Error whose message is the Squirrel error text;
// callbacks are integers the guest allocates; the host calls into the guest only between slices.

/** Calls the guest makes (as `__host.<name>(...)`). */
export interface AgentHostCalls {
  // ---- output (impCentral's log pane: [Agent] lines)
  log(text: string): void;
  logError(text: string): void;

  // ---- time: the cloud's clock, which is the simulation's virtual clock
  /** Seconds since the Unix epoch, with a fraction (time(), date(), date().usec). */
  rtcSeconds(): number;
  /** Microseconds since this agent started (clock()). */
  uptimeMicros(): number;
  /** imp.sleep(s): blocks the agent; virtual time runs on by s meanwhile. */
  sleep(seconds: number): void;

  // ---- timers
  wakeup(seconds: number, id: number): void;
  cancelWakeup(id: number): void;

  // ---- identity and configuration
  /** JSON {@link AgentIdentityInfo}. */
  identityJson(): string;
  /** imp.configparams as a JSON object. */
  configParamsJson(): string;
  memoryFree(): number;

  // ---- leaving
  /** server.restart(): restart this agent (not its device) after the current event. */
  restart(): void;

  // ---- persistence (server.save / server.load)
  /** Stores the encoded table (the guest has checked the size); null clears. */
  save(data: string | null): void;
  /** What save stored, or null. */
  load(): string | null;

  // ---- the device
  /** device.send(name, data): `wire` is the payload in the message wire form (src/messages/). */
  deviceSend(name: string, wire: string): void;
  /** device.on(name, cb): `id` 0 removes it. A message is dispatched with args `[<wire>]`. */
  deviceOn(name: string, id: number): void;
  deviceIsConnected(): boolean;
  /** JSON {id, isconnected, ipaddress} for device.info(). */
  deviceInfoJson(): string;
  /** device.onconnect(cb) / device.ondisconnect(cb): 0 clears. */
  onDeviceConnect(id: number): void;
  onDeviceDisconnect(id: number): void;

  // ---- incoming HTTP
  /** http.onrequest(cb): 0 clears. A request is dispatched with args `[<IncomingRequest>, requestId]`. */
  onRequest(id: number): void;
  /** response.send(status, body): `headersJson` is an object of the headers set with response.header(). */
  respond(requestId: number, status: number, headersJson: string, body: string): void;

  // ---- outgoing HTTP
  /**
   * httprequest.sendasync(done[, stream][, timeout]): `requestJson` is an {@link OutgoingRequest}.
   * Dispatches `doneId` with `[<HttpResponse>]` once, later. Returns a handle for cancel.
   */
  httpSend(requestJson: string, doneId: number, timeoutSeconds: number): number;
  /** httprequest.sendsync(): blocks the agent until the answer; JSON {@link HttpResponse}. */
  httpSendSync(requestJson: string): string;
  /** httprequest.cancel(): the done callback never fires. */
  httpCancel(handle: number): void;

  // ---- hashing (http.hash.*, crypto.sha256 / hmacsha256)
  /** `algorithm` md5 | sha1 | sha256 | sha512; `key` null for a plain hash, else the HMAC key. The digest's bytes. */
  hash(algorithm: string, data: string, key: string | null): string;
}

/** What identityJson returns. */
export interface AgentIdentityInfo {
  /** The agent's id (the last part of its URL). */
  readonly agentId: string;
  /** http.agenturl(). */
  readonly agentUrl: string;
  /** Its device's id. */
  readonly deviceId: string;
}

/** An incoming request as the guest receives it (byte strings throughout). */
export interface IncomingRequest {
  readonly method: string;
  /** What follows the agent id in the URL, without the query. */
  readonly path: string;
  /** The decoded query (a repeated key keeps its last value). */
  readonly query: Readonly<Record<string, string>>;
  /** Names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An outgoing request as the guest describes it. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The response table of sendsync/sendasync. */
export interface HttpResponse {
  /** The HTTP status, or below 100 when the request could not be made (curl's error codes). */
  readonly statuscode: number;
  /** Names lower-cased; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as a byte string. */
  readonly body: string;
}

/** What the host tells the guest when the agent's VM starts (JSON through `__agent.boot`). */
export interface AgentBootInfo {
  readonly randomSeed: number;
}

/** Entry points the agent bundle defines on `globalThis.__agent`. */
export interface AgentGuestEntry {
  boot(bootInfoJson: string): void;
  /** Runs callback `id` with the JSON array of arguments; 0, or 1 after an uncaught error (already logged). */
  dispatch(id: number, argsJson: string): number;
  /** Runs the agent code's top level; 0 or 1 as dispatch. */
  runAgent(factory: (rt: unknown) => (self: unknown, vargv: unknown[]) => unknown): number;
}
