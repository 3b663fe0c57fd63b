// The math library (sqstdlib/sqstdmath.cpp): C math on the float argument, results as floats,
// abs() on the integer value, and rand()/srand() as glibc's rand(), so that a VM starting with
// the default seed 1 draws the same numbers as the reference `sq` on Linux.

import { native } from "../native.ts";
import { float } from "../values.ts";
import type { SqNative } from "../values.ts";
import { toFloatValue, toInteger } from "./clib.ts";

/** RAND_MAX of glibc, the reference's 32-bit build. */
export const RAND_MAX = 0x7fffffff;

/**
 * glibc's random(): an additive feedback generator over 34 words seeded by a
 * Lehmer generator (the TYPE_3 state that rand() uses).
 */
export class CRandom {
  private readonly state = new Int32Array(31);
  /** The two taps, three words apart (glibc's fptr and rptr). */
  private front = 3;
  private rear = 0;

  constructor(seed = 1) {
    this.seed(seed);
  }

  seed(seed: number): void {
    const st = this.state;
    st[0] = seed >>> 0 === 0 ? 1 : seed | 0;
    for (let i = 1; i < 31; i++) {
      // 16807 * st[i-1] mod (2^31 - 1) without overflow (Schrage), in signed arithmetic as glibc.
      const prev = st[i - 1]!;
      const hi = Math.trunc(prev / 127773);
      const lo = prev % 127773;
      let word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      st[i] = word;
    }
    this.front = 3;
    this.rear = 0;
    // glibc discards the first 310 outputs.
    for (let k = 0; k < 310; k++) this.next();
  }

  next(): number {
    const st = this.state;
    const v = (st[this.front]! + st[this.rear]!) | 0;
    st[this.front] = v;
    this.front = (this.front + 1) % 31;
    this.rear = (this.rear + 1) % 31;
    return v >>> 1;
  }
}

function unary(name: string, f: (x: number) => number): SqNative {
  return native(name, 2, ".n", (_self, args) => float(f(toFloatValue(args[0]))));
}

function binary(name: string, f: (x: number, y: number) => number): SqNative {
  return native(name, 3, ".nn", (_self, args) =>
    float(f(toFloatValue(args[0]), toFloatValue(args[1]))),
  );
}

/** The math functions of one VM (each VM has its own random generator). */
export function mathFunctions(): SqNative[] {
  const random = new CRandom(1);
  return [
    unary("sqrt", Math.sqrt),
    unary("sin", Math.sin),
    unary("cos", Math.cos),
    unary("asin", Math.asin),
    unary("acos", Math.acos),
    unary("log", Math.log),
    unary("log10", Math.log10),
    unary("tan", Math.tan),
    unary("atan", Math.atan),
    binary("atan2", Math.atan2),
    binary("pow", Math.pow),
    unary("floor", Math.floor),
    unary("ceil", Math.ceil),
    unary("exp", Math.exp),
    native("srand", 2, ".n", (_self, args) => {
      random.seed(toInteger(args[0]));
      return null;
    }),
    native("rand", 1, null, () => random.next()),
    unary("fabs", Math.abs),
    // abs((int)n): abs(INT_MIN) stays INT_MIN.
    native("abs", 2, ".n", (_self, args) => Math.abs(toInteger(args[0])) | 0),
  ];
}

/** PI as the float the reference stores. */
export const PI = float(Math.PI);
