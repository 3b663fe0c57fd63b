// The `nv` table as a test reads it: NVRAM holds it in the guest's tagged JSON
// (device/guest/squirrel-json.ts: floats as {"f": x}, tables as {"t": [[key, value], ...]}), which
// becomes plain JavaScript here: tables are objects (keys as their text), arrays arrays, integers
// and floats numbers, strings the byte strings they are (one char per byte).

/** A Squirrel value as plain JavaScript. */
export type NvValue = null | boolean | number | string | NvValue[] | { [key: string]: NvValue };

/** Decodes an NVRAM image; null stays null (nothing saved). */
export function nvValue(image: string | null): NvValue {
  if (image === null) return null;
  return fromTagged(JSON.parse(image) as unknown);
}

function fromTagged(j: unknown): NvValue {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string")
    return j;
  if (Array.isArray(j)) return j.map(fromTagged);
  const tagged = j as { f?: number | string; t?: [unknown, unknown][] };
  if (tagged.f !== undefined) {
    if (tagged.f === "nan") return NaN;
    if (tagged.f === "inf") return Infinity;
    if (tagged.f === "-inf") return -Infinity;
    return Number(tagged.f);
  }
  const table: { [key: string]: NvValue } = {};
  for (const [key, value] of tagged.t ?? []) table[keyText(key)] = fromTagged(value);
  return table;
}

function keyText(key: unknown): string {
  const value = fromTagged(key);
  return typeof value === "string" ? value : String(value);
}
