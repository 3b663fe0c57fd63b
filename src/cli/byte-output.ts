// The CLI's stdout and stderr for byte strings. Program output is gathered into large writes
// (firmware prints many small pieces), and flushed before anything goes to stderr so a terminal
// shows both in the order they happened.

const FLUSH_AT = 64 * 1024;

export class ByteOutput {
  private pending: string[] = [];
  private size = 0;

  /** Program output: buffered. */
  readonly stdout = (bytes: string): void => {
    this.pending.push(bytes);
    this.size += bytes.length;
    if (this.size >= FLUSH_AT) this.flush();
  };

  /** Error reports: written at once, after what stdout holds. */
  readonly stderr = (bytes: string): void => {
    this.flush();
    process.stderr.write(Buffer.from(bytes, "latin1"));
  };

  flush(): void {
    if (this.size === 0 && this.pending.length === 0) return;
    const bytes = this.pending.join("");
    this.pending = [];
    this.size = 0;
    process.stdout.write(Buffer.from(bytes, "latin1"));
  }
}
