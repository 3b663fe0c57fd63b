// How many bytes of the imp's NVRAM an `nv` table takes (issue 13). impOS keeps `nv` in its
// own binary serialisation, not as text, so a string costs its bytes — 1,000 NUL bytes are
// about 1,000 bytes, not the 6,000 of their JSON escapes. The format is not published; chosen,
// a compact binary form: a type byte per value; integers and floats 4 bytes (32-bit, as on the
// imp); a bool 1 byte; strings, arrays and tables a 4-byte length, then their bytes, items, or
// key and value pairs. It reads the tagged JSON of device/guest/squirrel-json.ts.

/** The bytes `value` (parsed tagged JSON) takes serialised. */
function sizeOf(value: unknown): number {
  if (value === null) return 1;
  switch (typeof value) {
    case "boolean":
      return 2;
    case "number":
      return 5;
    case "string":
      return 5 + value.length; // a byte string: one char per byte
  }
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + sizeOf(item), 5);
  const tagged = value as { f?: unknown; t?: [unknown, unknown][] };
  if (tagged.f !== undefined) return 5;
  if (Array.isArray(tagged.t)) return tagged.t.reduce((n, [k, v]) => n + sizeOf(k) + sizeOf(v), 5);
  throw new Error("not a Squirrel value in tagged JSON");
}

/** The serialised size of the `nv` image (tagged JSON text, as the guest hands it over). */
export function nvImageSize(image: string): number {
  return sizeOf(JSON.parse(image));
}
