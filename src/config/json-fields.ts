// Reading a JSON file a user wrote (a line file, a board file): each mistake names the file and
// the field, e.g. `line.json: duts[0].count: must be an integer…`. The file kinds add their own
// fields (pins, durations, counts) on top of these.

export type Json = Record<string, unknown>;

/** A value as a mistake's message shows it: `missing`, `null`, `an array`, `"text"`, `3`. */
export function describeJsonValue(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string"
    ? JSON.stringify(v)
    : typeof v === "object"
      ? "an object"
      : String(v);
}

/** The fields every such file has; `fail` throws the file kind's own error. */
export abstract class JsonFieldReader {
  constructor(
    readonly file: string,
    readonly dir: string,
  ) {}

  abstract fail(field: string, message: string): never;

  object(v: unknown, field: string): Json {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      this.fail(field, `must be an object, not ${describeJsonValue(v)}`);
    return v as Json;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== "string" || v === "")
      this.fail(field, `must be a non-empty string, not ${describeJsonValue(v)}`);
    return v;
  }
}
