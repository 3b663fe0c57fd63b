// What an imp keeps in flash across power loss (ARCHITECTURE.md, "the emulated imp"): the
// application code and its hash, and the configuration — WiFi credentials, the plan id and
// enrolment token BlinkUp gave, and whether the cloud has activated the imp. The boot state of
// seed 004 is read from here (boot.ts, bootState()).

import type { DeviceCode } from "./cloud-link.ts";

/** WiFi credentials, as BlinkUp or factory BlinkUp deliver them. */
export interface WifiCredentials {
  readonly ssid: string;
  readonly password: string;
}

/** What `imp.clearconfiguration(flags)` wipes, by bit (spec §2.2; the guest's chosen values). */
export interface ClearConfigurationBits {
  readonly wifi: number;
  readonly staticNetwork: number;
  readonly proxy: number;
}

export class SecureStorage {
  wifi: WifiCredentials | null = null;
  /** Production plan id from BlinkUp (seed 004, Pending Activation). */
  planId: string | null = null;
  enrolmentToken: string | null = null;
  /** True once the cloud has authorised the imp (seed 004 step 1). */
  activated = false;
  /** The application code and its hash (seed 004 step 5), or null for an imp with no Squirrel. */
  code: DeviceCode | null = null;
  /** The configuration came from a factory fixture's BlinkUp (seed 000: such imp001 DUTs may be blessed). */
  factoryConfigured = false;
  /** The impOS release installed. */
  impOSVersion: string;

  constructor(impOSVersion: string) {
    this.impOSVersion = impOSVersion;
  }

  /** True when BlinkUp has given what activation needs: a plan id and an enrolment token. */
  get hasEnrolment(): boolean {
    return this.planId !== null && this.enrolmentToken !== null;
  }

  /**
   * `imp.clearconfiguration(flags)`: the WiFi bit wipes the credentials; all bits together
   * (CONFIG_ALL, the default) wipe the enrolment too, so the imp boots Unactivated (seed 004,
   * "Before Activation", note). Static network and proxy settings are not emulated, so their
   * bits change nothing. The code stays: it is not configuration.
   */
  clearConfiguration(flags: number, bits: ClearConfigurationBits, allBits: number): void {
    if ((flags & bits.wifi) !== 0) this.wifi = null;
    if ((flags & allBits) === allBits) this.eraseCredentials();
  }

  /** The cloud's "erase credentials" trigger (seed 004 step 4, note): back to Unactivated. */
  eraseCredentials(): void {
    this.wifi = null;
    this.planId = null;
    this.enrolmentToken = null;
    this.activated = false;
    this.factoryConfigured = false;
  }
}
