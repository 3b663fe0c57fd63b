// The only door out of the VM: a table of host calls with primitive arguments,
// defined by the sandbox as `globalThis.__host` before the runtime is evaluated.
export interface Host {
  print(bytes: string): void;
  error(bytes: string): void;
  /** Compiles Squirrel for compilestring(): JSON `{"js": ...}` or `{"error": ...}`. */
  compile(source: string, file: string): string;
}

const fallback: Host = {
  print() {},
  error() {},
  compile() {
    return JSON.stringify({ error: "compilestring is not available here" });
  },
};

export const host: Host = (globalThis as { __host?: Host }).__host ?? fallback;
