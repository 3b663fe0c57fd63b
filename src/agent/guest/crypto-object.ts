// The agent's `crypto` object (developer.electricimp.com /api/crypto): the hashes both sides have
// and crypto.equals. Signing and verification are not emulated: they throw naming themselves.

import { sqError } from "../../runtime/errors.ts";
import { native } from "../../runtime/native.ts";
import type { SqTable } from "../../runtime/values.ts";
import { typeOf } from "../../runtime/values.ts";
import { apiTable } from "../../device/guest/api-object.ts";
import { blobToByteString, newBlob } from "../../device/guest/blob.ts";
import { host, viaHost } from "./agent-host.ts";

function bytesOf(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  const b = blobToByteString(v);
  if (b === undefined) sqError(`${what} must be a string or a blob, not ${typeOf(v)}`);
  return b;
}

export function makeCrypto(): SqTable {
  return apiTable("crypto", [
    native("sha256", 2, null, (_self, args) => newBlob(viaHost(() => host.hash("sha256", bytesOf(args[0], "crypto.sha256(): the data"), null)))),
    native("hmacsha256", 3, null, (_self, args) => {
      const data = bytesOf(args[0], "crypto.hmacsha256(): the data");
      const key = bytesOf(args[1], "crypto.hmacsha256(): the key");
      return newBlob(viaHost(() => host.hash("sha256", data, key)));
    }),
    // Compares in time independent of where the bytes differ, as the imp's does.
    native("equals", 3, null, (_self, args) => {
      const a = bytesOf(args[0], "crypto.equals(): the first value");
      const b = bytesOf(args[1], "crypto.equals(): the second value");
      let diff = a.length ^ b.length;
      for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
      return diff === 0;
    }),
  ], { notEmulated: ["sign", "verify", "RSASSA_PKCS1_SHA256"] });
}
