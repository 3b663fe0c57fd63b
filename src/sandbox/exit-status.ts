// The exit status of a Squirrel run, one value per way a run can end. `vimp sq` exits with it.

export const ExitStatus = {
  /** The program finished (a top-level `return n` of an integer gives n instead, as in `sq`). */
  ok: 0,
  /** An uncaught Squirrel error; the reference `sq` exits 0 here (see README, Deviations). */
  uncaughtError: 1,
  /** Bad command line (used by the CLI). */
  usage: 2,
  /** Stopped at its deadline. */
  deadline: 3,
  /** Ran out of the VM's memory. */
  outOfMemory: 4,
  /** Overflowed the VM's stack outside anything Squirrel can catch. */
  stackOverflow: 5,
  /** A failure of the emulator itself (translator, runtime bundle or engine), not of the program. */
  internalError: 70,
  /** The program did not compile; the same status as the reference `sq`. */
  compileError: 254,
} as const;
