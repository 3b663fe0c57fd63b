// A Deployment (the Connected Factory quick start: "a specific, fixed release of your application or factory firmware"):
// device and agent code, deployed to exactly one device group (the impt Production Guide), with its SHA (seed
// 003 "you can also note … the deployment's SHA"), and a promoted flag (/manufacturing/factoryfirmware: firmware is
// promoted from the Test Zone before a Production Zone group may use it).

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** The file name the imp gives device code in error messages ("in unknown device_code:24"). */
export const DEVICE_CODE_FILE = "device_code";

/** The file name the imp gives agent code in error messages. */
export const AGENT_CODE_FILE = "agent_code";

export interface Deployment {
  readonly id: string;
  readonly groupId: string;
  /** SHA-256 of the device code, hex: also the hash the imp compares (/resources/imp-boot-procedure steps 3–4). */
  readonly sha: string;
  readonly deviceCode: string;
  readonly agentCode: string;
  /** The file name device code runs under ("device_code" on the real imp, /api/imp/onunhandledexception). */
  readonly file: string;
  readonly description: string;
  readonly promoted: boolean;
  /** Cloud time (Unix seconds) it was made. */
  readonly createdAt: number;
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/**
 * The deployment's SHA. chosen: the hash of the device code alone, so the imp's code check
 * (/resources/imp-boot-procedure) and a deployment's SHA are one value and agent-only changes need no device restart.
 */
export function deploymentSha(deviceCode: string): string {
  return bytesToHex(sha256(bytesOf(deviceCode)));
}
