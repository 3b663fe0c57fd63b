// Compiled Squirrel by a key (its file and source, or its hash): a thousand devices or agents
// running one deployment compile it once. Bounded, oldest out first, so a long run through many
// deployments does not grow it.
//
// It also counts the VMs started for each code, to say when a VM should be created with the code
// already loaded (a preload layer: the engine then keeps a snapshot with it loaded, and later VMs
// start from that). Making that snapshot costs about 15 ms and a parse of the code, paid back by
// every later start: so code is preloaded from its third start, or from its second when it is
// large enough that parsing it costs about as much.
import { compile } from "./index.ts";

/** Compiled JavaScript from which the second start already preloads (about 15 ms to parse). */
export const PRELOAD_EARLY_BYTES = 32 * 1024;

export interface CompiledCode {
  readonly js: string;
  readonly file: string;
}

export class CompiledCodeCache {
  private readonly entries = new Map<string, { js: string; starts: number }>();

  constructor(private readonly kept = 32) {}

  /** The code compiled (throws CompileError as compile does). */
  compiled(key: string, source: string, file: string): string {
    return this.entry(key, source, file).js;
  }

  /**
   * Counts one more VM started for this code, and says whether to create it with the code
   * already loaded: undefined for the first starts (and for code that does not compile, whose
   * error the caller reports when it loads the code).
   */
  startPreload(key: string, source: string, file: string): CompiledCode | undefined {
    let entry;
    try {
      entry = this.entry(key, source, file);
    } catch {
      return undefined;
    }
    const before = entry.starts++;
    const preload = before >= 2 || (before === 1 && entry.js.length >= PRELOAD_EARLY_BYTES);
    return preload ? { js: entry.js, file } : undefined;
  }

  private entry(key: string, source: string, file: string): { js: string; starts: number } {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { js: compile(source, file).js, starts: 0 };
      if (this.entries.size >= this.kept) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, entry);
    }
    return entry;
  }
}
