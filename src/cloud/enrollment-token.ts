// Enrolment tokens. A factory enrolment token is what a fixture fetches for each
// server.factoryblinkup() and flashes to the DUT (/manufacturing/factoryfirmware): the DUT presents it at activation
// and the cloud enrols it into the fixture group's target DUT group. A production plan id and
// token are what the BlinkUp SDK gives an end user's BlinkUp (/resources/imp-boot-procedure, Pending Activation).

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export interface EnrollmentToken {
  readonly token: string;
  readonly kind: "factory" | "production";
  /** The plan id that goes with it. */
  readonly planId: string;
  /** Factory tokens: the fixture that asked and its group. */
  readonly fixtureId: string | null;
  readonly fixtureGroupId: string | null;
  /** Cloud time (Unix seconds) it was issued. */
  readonly issuedAt: number;
}

/**
 * A token's text: deterministic from the account seed and a counter, so runs are reproducible.
 * chosen: 32 hex digits (real tokens are opaque strings).
 */
export function tokenText(seed: string, kind: string, n: number): string {
  return bytesToHex(sha256(utf8ToBytes(`${seed}\0${kind}\0${n}`))).slice(0, 32);
}
