// One real serial port, opened with serialport 13: what the Firmata and UART bridges stand on.
// Its failures become sentences that name the port and say what to do, never a host crash:
// a port that does not exist, one another program holds, one that vanishes mid-run (cable
// pulled, the peer closed). DTR and RTS are optional: a pseudo-terminal refuses them, and that
// is fine.

import { SerialPort } from "serialport";

/** A serial port problem, in words that name the port. */
export class SerialLinkError extends Error {
  override name = "SerialLinkError";
  constructor(
    readonly port: string,
    /** What went wrong, without the port's name. */
    readonly reason: string,
  ) {
    super(`${port}: ${reason}`);
  }
}

export interface SerialLinkOptions {
  readonly path: string;
  readonly baud: number;
  /** Bytes from the port. */
  readonly onData: (bytes: Uint8Array) => void;
  /** The port went away while open (not called after close()). */
  readonly onLost: (error: SerialLinkError) => void;
}

/** Why opening failed, in words: the errno serialport reports, turned into advice. */
function openFailure(path: string, error: Error): SerialLinkError {
  const text = error.message;
  if (/ENOENT|No such file/i.test(text))
    return new SerialLinkError(
      path,
      "no such serial port (is the board plugged in? `ls /dev/tty*` lists the ports)",
    );
  if (/EBUSY|Cannot lock port|Resource temporarily unavailable|EAGAIN/i.test(text)) {
    return new SerialLinkError(
      path,
      "the port is busy: another program has it open (a serial monitor, another vimp?)",
    );
  }
  if (/EACCES|Permission denied/i.test(text))
    return new SerialLinkError(
      path,
      "permission denied (on Linux, add yourself to the dialout group)",
    );
  return new SerialLinkError(path, `cannot open it: ${text}`);
}

export class SerialLink {
  private closing = false;
  private lost = false;

  private constructor(
    private readonly port: SerialPort,
    readonly path: string,
  ) {}

  /** Opens the port; rejects with a SerialLinkError that names it. */
  static open(options: SerialLinkOptions): Promise<SerialLink> {
    const { path } = options;
    return new Promise((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({ path, baudRate: options.baud, autoOpen: false, lock: true });
      } catch (error) {
        reject(new SerialLinkError(path, error instanceof Error ? error.message : String(error)));
        return;
      }
      const link = new SerialLink(port, path);
      port.open((error) => {
        if (error) {
          reject(openFailure(path, error));
          return;
        }
        port.on("data", (data: Buffer) =>
          options.onData(new Uint8Array(data.buffer, data.byteOffset, data.length)),
        );
        const lose = (why: string) => {
          if (link.closing || link.lost) return;
          link.lost = true;
          options.onLost(new SerialLinkError(path, why));
        };
        port.on("error", (e: Error) => lose(`the port failed: ${e.message}`));
        port.on("close", (e: (Error & { disconnected?: boolean }) | null | undefined) =>
          lose(
            e?.disconnected === true || e == null
              ? "the port disappeared (cable pulled, or the other end closed)"
              : `the port closed: ${e.message}`,
          ),
        );
        resolve(link);
      });
    });
  }

  /** True once the port went away. */
  get isLost(): boolean {
    return this.lost;
  }

  write(bytes: readonly number[] | Uint8Array): void {
    if (this.lost || this.closing) return;
    this.port.write(Buffer.from(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)));
  }

  /**
   * Sets DTR and RTS where the port has them (a USB serial adapter); a pseudo-terminal refuses,
   * which is not an error. Resolves whether they were set.
   */
  setControlLines(levels: { dtr?: boolean; rts?: boolean }): Promise<boolean> {
    return new Promise((resolve) => {
      try {
        this.port.set(levels, (error) => resolve(error === null || error === undefined));
      } catch {
        resolve(false);
      }
    });
  }

  close(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.closing = true;
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}
