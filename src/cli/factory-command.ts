// `vimp factory line.json|dir [--json FILE] [--state DIR] [--webhook-…]`: runs a production line
// in virtual time and prints, per DUT, what happened and a summary table (issue 4), then a line
// per webhook that could not be delivered (issue 13). A progress bar shows on stderr only when
// stderr is a terminal. Exit status 0 when every DUT ended as the line expected and every
// webhook was delivered, 1 when not, 2 for a mistake on the command line, in the line file or
// in the state directory.

import { writeFileSync } from "node:fs";
import { CloudStateError } from "../cloud/cloud-state.ts";
import { WEBHOOK_RETRY, type WebhookRetry } from "../cloud/webhook-delivery.ts";
import { ExitStatus } from "../sandbox/exit-status.ts";
import { dutLine, summaryTable, type LineReport } from "../factory/dut-report.ts";
import { LineError, loadLine } from "../factory/line-file.ts";
import { runLine } from "../factory/production-line.ts";
import { UsageError, type Command } from "./command.ts";
import { optionValue, parseArgs, type ParsedArgs } from "./option-parser.ts";
import { checkOutputFiles } from "./output-file.ts";
import { ENGINE_HELP, ENGINE_OPTION, engineNamed } from "./engine-option.ts";

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} DUTs`;
}

/** A number option within its range, or a UsageError naming it. */
function numberOption(
  parsed: ParsedArgs,
  name: string,
  min: number,
  max: number,
  fallback: number,
  integer: boolean,
): number {
  const text = optionValue(parsed, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (
    text.trim() === "" ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `--${name} '${text}' must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}`,
    );
  }
  return value;
}

function webhookRetry(parsed: ParsedArgs): WebhookRetry {
  return {
    attempts: numberOption(parsed, "webhook-attempts", 1, 100, WEBHOOK_RETRY.attempts, true),
    firstBackoffMs:
      numberOption(parsed, "webhook-backoff", 0, 3600, WEBHOOK_RETRY.firstBackoffMs / 1000, false) *
      1000,
    wallTimeoutMs:
      numberOption(
        parsed,
        "webhook-timeout",
        0.001,
        600,
        WEBHOOK_RETRY.wallTimeoutMs / 1000,
        false,
      ) * 1000,
  };
}

/** One line per webhook delivery that spent its attempts, and what becomes of it. */
function undeliveredLines(report: LineReport, stateDir: string | undefined): string[] {
  return report.undeliveredWebhooks.map((d) => {
    const device = d.deviceId === null ? "" : ` for device ${d.deviceId}`;
    const fate =
      stateDir !== undefined
        ? `kept in ${stateDir}, sent again by the next run with --state ${stateDir}`
        : "lost: run with --state DIR to keep it for the next run";
    return `webhook not delivered: ${d.event}${device} to ${d.url} (${d.attempts} attempt${d.attempts === 1 ? "" : "s"}, last: ${d.lastError ?? "no answer"}); ${fate}`;
  });
}

export const factoryCommand: Command = {
  name: "factory",
  help: `usage: vimp factory [options] line.json|DIR

Runs the production line a line.json describes (or DIR/line.json): the impCloud's product,
device groups and deployments, the BlinkUp fixtures, and the DUTs they configure, test and
bless. Prints one line per DUT, a summary table, and a line per webhook not delivered.

  --json FILE               also write the whole report as JSON
  --state DIR               keep the impCloud's state (groups, devices, blessings, logs, webhooks
                            not yet delivered) in DIR between runs; DIR must be new, empty, or
                            a state directory of an earlier run
  --webhook-attempts N      attempts per webhook delivery and run (default ${WEBHOOK_RETRY.attempts})
  --webhook-backoff SECONDS wall time before the second attempt, doubling after (default ${WEBHOOK_RETRY.firstBackoffMs / 1000})
  --webhook-timeout SECONDS how long an answer is waited for (default ${WEBHOOK_RETRY.wallTimeoutMs / 1000})
${ENGINE_HELP}

Webhooks are POSTed in wall time while the line runs in virtual time; at the end the run waits
for the deliveries still under way.

Exit status: 0 when every DUT ended as the line expected and every webhook was delivered, 1
when one did not or was not, 2 for a mistake on the command line, in the line file or in the
state directory.`,

  async run(args) {
    const parsed = parseArgs(
      args,
      {
        json: { value: "FILE" },
        state: { value: "DIR" },
        "webhook-attempts": { value: "N" },
        "webhook-backoff": { value: "SECONDS" },
        "webhook-timeout": { value: "SECONDS" },
        ...ENGINE_OPTION,
      },
      "factory",
    );
    const { positionals } = parsed;
    if (positionals.length !== 1)
      throw new UsageError(
        `'vimp factory' takes one line.json or directory, got ${positionals.length}`,
      );
    const retry = webhookRetry(parsed);
    const json = optionValue(parsed, "json");
    const stateDir = optionValue(parsed, "state");
    let spec;
    try {
      spec = loadLine(positionals[0]!);
    } catch (error) {
      if (error instanceof LineError) throw new UsageError(error.message, { helpHint: false });
      throw error;
    }
    checkOutputFiles([["--json", json]]);
    const engine = engineNamed(optionValue(parsed, "engine"));
    const tty = process.stderr.isTTY === true;
    let report: LineReport;
    try {
      ({ report } = await runLine(spec, {
        stateDir: stateDir ?? null,
        retainTrace: false,
        webhookRetry: retry,
        engine,
        onProgress: tty
          ? (done, total) => process.stderr.write(progressBar(done, total))
          : undefined,
        onWebhookWait: tty
          ? (n) =>
              process.stderr.write(`\nwaiting for ${n} webhook deliver${n === 1 ? "y" : "ies"}…`)
          : undefined,
      }));
    } catch (error) {
      if (error instanceof CloudStateError)
        throw new UsageError(error.message, { helpHint: false });
      throw error;
    }
    if (tty) process.stderr.write("\n");
    process.stdout.write(`${report.product}: ${spec.file}\n`);
    for (const dut of report.duts) process.stdout.write(`${dutLine(dut)}\n`);
    process.stdout.write(`\n${summaryTable(report)}\n`);
    const undelivered = undeliveredLines(report, stateDir);
    if (undelivered.length > 0) process.stdout.write(`\n${undelivered.join("\n")}\n`);
    if (json !== undefined) writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
    return report.ok && undelivered.length === 0 ? ExitStatus.ok : 1;
  },
};
