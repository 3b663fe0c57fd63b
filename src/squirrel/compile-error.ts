// A Squirrel compile error, reported the way the reference `sq` prints it on stderr:
//   `file line = (L) column = (C) : error reason`
// `reason` alone is what the reference puts in `Error [reason]` and in the VM's last error.

export class CompileError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly reason: string;

  constructor(file: string, line: number, col: number, reason: string) {
    super(`${file} line = (${line}) column = (${col}) : error ${reason}`);
    this.name = "CompileError";
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}
