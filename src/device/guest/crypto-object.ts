// The `crypto` object (developer.electricimp.com/api/crypto): constant-time comparison and the
// hashes the device has (sha256, hmacsha256). The hashing itself is done by the host through a
// `digest` call (src/device/host/digests.ts), handed in, so this file depends on nothing of the
// device and an agent's guest can build its `crypto` and `http.hash` from it too: the agent adds
// crypto.sign and crypto.verify (agent only, so on a device reading them gives the imp's
// "the index 'sign' does not exist").

import { native } from "../../runtime/native.ts";
import type { SqNative, SqTable } from "../../runtime/values.ts";
import { apiTable } from "./api-object.ts";
import { bytesOf, newBlob } from "./byte-data.ts";

/** The host's hash function: the documentation (or, with a key, the HMAC) of byte string `data`, as a byte string. */
export type DigestCall = (algorithm: "md5" | "sha1" | "sha256" | "sha512", data: string, key: string | null) => string;

/** crypto.equals(): true when both hold the same bytes, comparing every byte whatever it finds. */
function constantTimeEquals(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(b.length, 1));
  return diff === 0;
}

/** A hash native: `name(data)`, or `name(data, key)` for an HMAC; a string or blob in, a blob out. */
function hashNative(path: string, name: string, algorithm: Parameters<DigestCall>[0], keyed: boolean, digest: DigestCall): SqNative {
  return native(name, keyed ? 3 : 2, keyed ? ".s|xs|x" : ".s|x", (_self, args) => {
    const data = bytesOf(args[0], `${path}.${name}()'s data`);
    const key = keyed ? bytesOf(args[1], `${path}.${name}()'s key`) : null;
    return newBlob(digest(algorithm, data, key));
  });
}

/**
 * The hash natives the imp API has anywhere, for a table named `path`: the agent's `http.hash`
 * holds all of them (md5, sha1, sha256, sha512 and their HMACs but md5's); the device's `crypto`
 * sha256 and hmacsha256.
 */
export function hashNatives(path: string, digest: DigestCall): Record<string, SqNative> {
  return {
    md5: hashNative(path, "md5", "md5", false, digest),
    sha1: hashNative(path, "sha1", "sha1", false, digest),
    sha256: hashNative(path, "sha256", "sha256", false, digest),
    sha512: hashNative(path, "sha512", "sha512", false, digest),
    hmacsha1: hashNative(path, "hmacsha1", "sha1", true, digest),
    hmacsha256: hashNative(path, "hmacsha256", "sha256", true, digest),
    hmacsha512: hashNative(path, "hmacsha512", "sha512", true, digest),
  };
}

/** `crypto` as the device has it; `more` adds members (an agent's sign and verify). */
export function makeCrypto(digest: DigestCall, more: readonly SqNative[] = []): SqTable {
  const hashes = hashNatives("crypto", digest);
  return apiTable("crypto", [
    native("equals", 3, ".s|xs|x", (_self, args) =>
      constantTimeEquals(bytesOf(args[0], "crypto.equals()'s first argument"), bytesOf(args[1], "crypto.equals()'s second argument")),
    ),
    hashes.sha256!,
    hashes.hmacsha256!,
    ...more,
  ]);
}
