// quickjs-emscripten moves strings through C strings, which end at the first NUL byte. Squirrel
// strings are byte strings and may hold NULs, so strings crossing the boundary are escaped:
// NUL becomes U+0100 "0" and U+0100 itself becomes U+0100 "1". Byte strings never hold U+0100,
// so for them the escape costs one scan and nothing else.

const ESCAPE = "\u0100";

/** Host side: makes a string safe to hand to the guest. */
export function encodeForGuest(s: string): string {
  return /[\0\u0100]/.test(s) ? s.replace(/[\0\u0100]/g, (c) => (c === "\0" ? `${ESCAPE}0` : `${ESCAPE}1`)) : s;
}

/** Host side: restores a string the guest encoded. */
export function decodeFromGuest(s: string): string {
  return s.includes(ESCAPE) ? s.replace(/\u0100([01])/g, (_, d: string) => (d === "0" ? "\0" : ESCAPE)) : s;
}

/**
 * Guest side: a script whose value is a function that takes the object of raw host functions
 * and defines the frozen `globalThis.__host`, whose members escape and unescape strings.
 */
export const GUEST_HOST_TABLE_SCRIPT = String.raw`(function (raw) {
  "use strict";
  var special = /[\0\u0100]/, all = /[\0\u0100]/g, escaped = /\u0100([01])/g;
  function enc(v) {
    return typeof v === "string" && special.test(v)
      ? v.replace(all, function (c) { return c === "\0" ? "\u01000" : "\u01001"; })
      : v;
  }
  function dec(v) {
    return typeof v === "string" && v.indexOf("\u0100") >= 0
      ? v.replace(escaped, function (_, d) { return d === "0" ? "\0" : "\u0100"; })
      : v;
  }
  var host = {};
  Object.keys(raw).forEach(function (name) {
    var f = raw[name];
    host[name] = function () {
      var n = arguments.length, args = new Array(n);
      for (var i = 0; i < n; i++) args[i] = enc(arguments[i]);
      return dec(f.apply(undefined, args));
    };
  });
  Object.defineProperty(globalThis, "__host", { value: Object.freeze(host) });
})`;
