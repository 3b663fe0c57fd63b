// What an agent's server.save holds, as a test reads it: format 1 is JSON, format 2 the message
// wire form (src/messages/message-codec.ts: floats {"f": x}, blobs {"b": bytes}, tables
// {"t": [[key, value], ...]}). Both become plain JavaScript: tables objects, blobs Uint8Arrays,
// strings the byte strings they are (one char per byte).

/** A saved Squirrel value as plain JavaScript. */
export type StoredValue =
  null | boolean | number | string | Uint8Array | StoredValue[] | { [key: string]: StoredValue };

/** Decodes what the agent stored ("1:<json>" or "2:<wire>"); null when nothing is saved. */
export function storedValue(text: string | null): StoredValue {
  if (text === null) return null;
  const body = JSON.parse(text.slice(2)) as unknown;
  return text.startsWith("2:") ? fromWire(body) : (body as StoredValue);
}

function fromWire(j: unknown): StoredValue {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string")
    return j;
  if (Array.isArray(j)) return j.map(fromWire);
  const tagged = j as { f?: number | string; b?: string; t?: [string, unknown][] };
  if (tagged.f !== undefined)
    return tagged.f === "nan"
      ? NaN
      : tagged.f === "inf"
        ? Infinity
        : tagged.f === "-inf"
          ? -Infinity
          : Number(tagged.f);
  if (tagged.b !== undefined) return Uint8Array.from(tagged.b, (c) => c.charCodeAt(0) & 0xff);
  const table: { [key: string]: StoredValue } = {};
  for (const [key, value] of tagged.t ?? []) table[key] = fromWire(value);
  return table;
}
