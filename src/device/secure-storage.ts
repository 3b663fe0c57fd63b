// What an imp keeps in flash across power loss (/resources/imp-boot-procedure): the
// application code and its hash, and the configuration — WiFi credentials, the plan id and
// enrolment token BlinkUp gave, and whether the cloud has activated the imp. The boot state of
// /resources/imp-boot-procedure is read from here (boot.ts, bootState()).

import type { DeviceCode } from "./cloud-link.ts";

/** WiFi credentials, as BlinkUp or factory BlinkUp deliver them. */
export interface WifiCredentials {
  readonly ssid: string;
  readonly password: string;
}

/** What `imp.clearconfiguration(flags)` wipes, by bit (/api/imp; the guest's chosen values). */
export interface ClearConfigurationBits {
  readonly wifi: number;
  readonly staticNetwork: number;
  readonly proxy: number;
}

export class SecureStorage {
  wifi: WifiCredentials | null = null;
  /** Production plan id from BlinkUp (/resources/imp-boot-procedure, Pending Activation). */
  planId: string | null = null;
  enrolmentToken: string | null = null;
  /** True once the cloud has authorised the imp (/resources/imp-boot-procedure step 1). */
  activated = false;
  /** The application code and its hash (/resources/imp-boot-procedure step 5), or null for an imp with no Squirrel. */
  code: DeviceCode | null = null;
  /** The configuration came from a factory fixture's BlinkUp (/api/server/bless: such imp001 DUTs may be blessed). */
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
   * (CONFIG_ALL, the default) wipe the enrolment too, so the imp boots Unactivated (/resources/imp-boot-procedure,
   * "Before Activation", note). Static network and proxy settings are not emulated, so their
   * bits change nothing. The code stays: it is not configuration.
   */
  clearConfiguration(flags: number, bits: ClearConfigurationBits, allBits: number): void {
    if ((flags & bits.wifi) !== 0) this.wifi = null;
    if ((flags & allBits) === allBits) this.eraseCredentials();
  }

  /** The cloud's "erase credentials" trigger (/resources/imp-boot-procedure step 4, note): back to Unactivated. */
  eraseCredentials(): void {
    this.wifi = null;
    this.planId = null;
    this.enrolmentToken = null;
    this.activated = false;
    this.factoryConfigured = false;
  }
}
