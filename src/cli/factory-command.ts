// `vimp factory line.json|dir [--json FILE] [--state DIR]`: runs a production line in virtual
// time and prints, per DUT, what happened and a summary table (issue 4). A progress bar shows
// on stderr only when stderr is a terminal. Exit status 0 when every DUT ended as the line
// expected, 1 when one did not, 2 for a mistake on the command line or in the line file.

import { writeFileSync } from "node:fs";
import { ExitStatus } from "../sandbox/exit-status.ts";
import { dutLine, summaryTable } from "../factory/dut-report.ts";
import { LineError, loadLine } from "../factory/line-file.ts";
import { runLine } from "../factory/production-line.ts";
import { UsageError, type Command } from "./command.ts";
import { optionValue, parseArgs } from "./option-parser.ts";

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} DUTs`;
}

export const factoryCommand: Command = {
  name: "factory",
  summary: "run a Connected Factory production line (line.json) in virtual time",
  help: `usage: vimp factory [--json FILE] [--state DIR] line.json|DIR

Runs the production line a line.json describes (or DIR/line.json): the impCloud's product,
device groups and deployments, the BlinkUp fixtures, and the DUTs they configure, test and
bless. Prints one line per DUT and a summary table.

  --json FILE   also write the whole report as JSON
  --state DIR   keep the impCloud's state (groups, devices, blessings, logs) in DIR between runs

Exit status: 0 when every DUT ended as the line expected, 1 when one did not, 2 for a mistake
on the command line or in the line file.`,

  async run(args) {
    const parsed = parseArgs(args, { json: { value: "FILE" }, state: { value: "DIR" } }, "factory");
    const { positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError(`'vimp factory' takes one line.json or directory, got ${positionals.length}`);
    let spec;
    try {
      spec = loadLine(positionals[0]!);
    } catch (error) {
      if (error instanceof LineError) throw new UsageError(error.message, { helpHint: false });
      throw error;
    }
    const tty = process.stderr.isTTY === true;
    const { report } = await runLine(spec, {
      stateDir: optionValue(parsed, "state") ?? null,
      retainTrace: false,
      onProgress: tty ? (done, total) => process.stderr.write(progressBar(done, total)) : undefined,
    });
    if (tty) process.stderr.write("\n");
    process.stdout.write(`${report.product}: ${spec.file}\n`);
    for (const dut of report.duts) process.stdout.write(`${dutLine(dut)}\n`);
    process.stdout.write(`\n${summaryTable(report)}\n`);
    const json = optionValue(parsed, "json");
    if (json !== undefined) writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
    return report.ok ? ExitStatus.ok : 1;
  },
};
