// The blob library's global functions (imp-api.md /squirrel/blob; developer.electricimp.com
// /squirrel/system/*): byte swaps of one integer or float, and reinterpreting the 32 bits of
// an integer as a float and back. The reference registers them with the blob class
// (sqstdlib/sqstdblob.cpp, bloblib_funcs); each takes one number (typemask ".n").

import { native } from "../../runtime/native.ts";
import { toFloatValue, toInteger } from "../../runtime/stdlib/clib.ts";
import { float } from "../../runtime/values.ts";
import type { SqNative } from "../../runtime/values.ts";

const bits = new DataView(new ArrayBuffer(4));

function swapBytes32(i: number): number {
  return ((i & 0xff) << 24) | ((i & 0xff00) << 8) | ((i >>> 8) & 0xff00) | ((i >>> 24) & 0xff);
}

export function blobGlobalFunctions(): SqNative[] {
  return [
    // The imp's swap2 keeps only the low 16 bits: swap2(0x1A2B3C4D) is 0x4D3C (documented).
    native("swap2", 2, ".n", (_self, args) => {
      const i = toInteger(args[0]);
      return ((i & 0xff) << 8) | ((i >> 8) & 0xff);
    }),
    native("swap4", 2, ".n", (_self, args) => swapBytes32(toInteger(args[0]))),
    native("swapfloat", 2, ".n", (_self, args) => {
      bits.setFloat32(0, toFloatValue(args[0]), true);
      bits.setInt32(0, swapBytes32(bits.getInt32(0, true)), true);
      return float(bits.getFloat32(0, true));
    }),
    native("castf2i", 2, ".n", (_self, args) => {
      bits.setFloat32(0, toFloatValue(args[0]), true);
      return bits.getInt32(0, true);
    }),
    native("casti2f", 2, ".n", (_self, args) => {
      bits.setInt32(0, toInteger(args[0]), true);
      return float(bits.getFloat32(0, true));
    }),
  ];
}
