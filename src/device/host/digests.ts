// The hash functions behind the imp API's `crypto` (device and agent) and the agent's
// `http.hash` (developer.electricimp.com/api/crypto, /api/http/hash): MD5, SHA-1, SHA-256 and
// SHA-512, plain or as HMAC. Host side, so each VM's script stays small; nothing here knows of a
// device, so an agent's host can serve the same `digest` host call. Byte data crosses the
// sandbox as byte strings (one char code 0-255 per byte).

import { hmac } from "@noble/hashes/hmac.js";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";

/** The algorithms by the names the host call takes, with their digest sizes in bytes. */
export const DIGEST_ALGORITHMS = {
  md5: { hash: md5, size: 16 },
  sha1: { hash: sha1, size: 20 },
  sha256: { hash: sha256, size: 32 },
  sha512: { hash: sha512, size: 64 },
} as const;

export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

function bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function byteString(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/**
 * The digest of `data` with `algorithm`, or its HMAC when `key` is a string (null: plain hash).
 * Throws for an algorithm it does not know.
 */
export function digest(algorithm: string, data: string, key: string | null): string {
  if (!Object.prototype.hasOwnProperty.call(DIGEST_ALGORITHMS, algorithm)) {
    throw new Error(
      `no hash function '${algorithm}' (there are ${Object.keys(DIGEST_ALGORITHMS).join(", ")})`,
    );
  }
  const { hash } = DIGEST_ALGORITHMS[algorithm as DigestAlgorithm];
  const result = key === null ? hash(bytes(data)) : hmac(hash, bytes(key), bytes(data));
  return byteString(result);
}
