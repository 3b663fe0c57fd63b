// A pseudo-terminal pair for the bridge tests, made by socat (.ci/run installs it where it is
// missing): two device paths, each the other's serial cable. Killing socat makes both ends
// vanish, as a pulled USB cable does.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Whether socat is on this machine. */
export function hasSocat(): boolean {
  return spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
}

export interface PtyPair {
  /** The two ends, as paths a serial port opens. */
  readonly a: string;
  readonly b: string;
  /** Takes both ends away (the cable is pulled). */
  kill(): void;
}

export async function ptyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(path.join(tmpdir(), "vimp-pty-"));
  const a = path.join(dir, "a");
  const b = path.join(dir, "b");
  const child: ChildProcess = spawn(
    "socat",
    [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: "ignore" },
  );
  const started = Date.now();
  while (!(existsSync(a) && existsSync(b))) {
    if (child.exitCode !== null || Date.now() - started > 5000)
      throw new Error("socat did not make a pseudo-terminal pair");
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    a,
    b,
    kill: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}
