// The small interface a device uses to talk to a cloud (docs/architecture.md, principle 5): the
// device never reaches into the cloud, and the cloud never into the device. The impCloud
// (src/cloud/imp-cloud.ts) implements it for development, factory and production devices alike.
//
// The conversation follows /resources/imp-boot-procedure, "Message Sequence": once connected, (1) a not-yet-activated
// imp asks for activation with its plan id and enrolment token, (2) reports its state (no
// answer), (3) sends the hash of the code it holds, (4) the cloud answers with new code if the
// hash does not match, always with RTC sync data and imp.configparams, and (5) the imp stores
// the code and starts Squirrel. Afterwards either side may speak: the device logs and sends
// agent messages, the cloud sends reload ("new code deployed") and agent messages.
//
// Everything is asynchronous: an implementation answers through the one scheduler, after its
// network latency, never from inside the call that asked.

/** Who is calling: what the imp sends when it connects and in its state report (/resources/imp-boot-procedure step 2). */
/**
 * chosen: the impOS release a new virtual imp runs (imp.getsoftwareversion()), and the one
 * the impCloud offers unless told otherwise: both ends of the link start from it.
 */
export const DEFAULT_IMPOS_VERSION = "0000000 - release-43.11 - virtual-imp";

export interface DeviceHello {
  /** hardware.getdeviceid(). */
  readonly deviceId: string;
  /** imp.getmacaddress(). */
  readonly macAddress: string;
  /** imp.info().type. */
  readonly model: string;
  /** The impOS release the imp runs. */
  readonly impOSVersion: string;
}

/** What the imp reports about itself once connected (/resources/imp-boot-procedure step 2). The cloud does not answer. */
export interface DeviceStateReport extends DeviceHello {
  /** Why the imp last started Squirrel, if it runs Squirrel (hardware.wakereason()). */
  readonly wakeReason: number | null;
}

/** Application code as the cloud delivers it and secure storage keeps it. */
export interface DeviceCode {
  /** The Squirrel source, as a byte string. */
  readonly source: string;
  /** The deployment's hash, which the imp sends back in step 3. */
  readonly hash: string;
  /** The file name used in error messages and call stacks ("device_code" on the real imp). */
  readonly file: string;
}

/** The cloud's answer to the code hash (/resources/imp-boot-procedure step 4). */
export interface CodeCheckAnswer {
  /** New code when the hash did not match; null when it matched or nothing is deployed. */
  readonly code: DeviceCode | null;
  /** RTC sync: the cloud's time in Unix seconds (with a fraction). */
  readonly time: number;
  /** imp.configparams (/api/imp/configparams): keys absent when irrelevant. */
  readonly configParams: Readonly<Record<string, unknown>>;
  /**
   * Erase stored WiFi and enrolment credentials (/resources/imp-boot-procedure step 4, note): a rejected device goes
   * back to Unactivated and does not start Squirrel.
   */
  readonly eraseCredentials?: boolean;
  /** A newer impOS release the imp must install before it runs Squirrel (/resources/imp-boot-procedure, polite impOS deployment). */
  readonly impOSUpdate?: string | null;
}

/** Why the cloud asks a running device to restart (/resources/imp-boot-procedure, "Further Server Messages"). */
export type ReloadReason = "new-squirrel" | "new-firmware";

/** What the cloud may send at any time, unprompted. */
export interface CloudInbox {
  /**
   * New code (or a new impOS) waits: the device restarts Squirrel, politely through
   * server.onshutdown unless `force` (impCentral's "Build and Force Restart", /api/server/onshutdown).
   */
  reload(reason: ReloadReason, force: boolean): void;
  /** `device.send(name, data)` from the agent: `dataJson` is the payload in the guest's tagged JSON form. */
  agentMessage(name: string, dataJson: string): void;
  /** The cloud dropped the connection (it went down, or the device was deleted). */
  closed(): void;
}

/** One open connection between a device and the cloud. */
export interface CloudSession {
  /** Step 1: asks for activation with what BlinkUp gave; `done(true)` once activated. */
  activate(planId: string, enrolmentToken: string, done: (activated: boolean) => void): void;
  /** Step 2. */
  reportState(report: DeviceStateReport): void;
  /** Steps 3 and 4: `hash` is null for an imp with no Squirrel (the imp sends zeroes). */
  checkCode(hash: string | null, done: (answer: CodeCheckAnswer) => void): void;
  /** server.log / server.error reaching impCentral. */
  log(kind: "log" | "error", message: string): void;
  /** agent.send(name, data): `dataJson` in the guest's tagged JSON form. */
  agentSend(name: string, dataJson: string): void;
  /** server.bless(pass, cb): `done(blessed)` when the cloud has decided (factory API, /manufacturing/factoryfirmware). */
  bless(pass: boolean, done: (blessed: boolean) => void): void;
  /** The device closes the connection (server.disconnect(), deep sleep, power off). */
  close(): void;
  /**
   * server.factoryblinkup(): a fixture asks for a factory enrolment token (/manufacturing/factoryfirmware: "the
   * request for the factory enrollment token is performed asynchronously"). `done(null)` when
   * the cloud refuses (not a factory fixture). Optional: a cloud with no factory leaves it out
   * and the request fails.
   */
  requestFactoryToken?(done: (grant: FactoryTokenGrant | null) => void): void;
}

/** What a fixture flashes to the DUT besides the network credentials. */
export interface FactoryTokenGrant {
  readonly planId: string;
  readonly enrolmentToken: string;
}

export interface CloudLink {
  /**
   * Opens a connection: after the network's latency `done` gets the session, or null when the
   * cloud cannot be reached. `inbox` receives what the cloud sends while the session is open.
   */
  connect(
    hello: DeviceHello,
    inbox: CloudInbox,
    done: (session: CloudSession | null) => void,
  ): void;
}

/**
 * chosen: the largest device firmware (source bytes) a virtual imp loads. An imp has well under
 * a megabyte for code and data (the imp001 85 KB for Squirrel), so larger firmware can never
 * load on one; it ends in the imp's out-of-memory reset, named, without translating megabytes
 * of code first (10 MB used to take the host to 2.4 GB and a crash of the engine).
 */
export const MAX_FIRMWARE_BYTES = 1024 * 1024;

/** Why firmware of `bytes` cannot load, or null when it can. */
export function firmwareTooLarge(bytes: number): string | null {
  return bytes > MAX_FIRMWARE_BYTES
    ? `the firmware is ${bytes} bytes, too large to load (at most ${MAX_FIRMWARE_BYTES})`
    : null;
}
