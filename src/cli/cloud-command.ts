// `vimp cloud devices|logs|groups --state DIR [...]`: impt-style reads of the impCloud state a
// `vimp factory --state DIR` run left behind (the impt Production Guide: `impt device list`, `impt log get`).

import { CloudStateError } from "../cloud/cloud-state.ts";
import { ImpCloud } from "../cloud/imp-cloud.ts";
import { ExitStatus } from "../sandbox/exit-status.ts";
import { Scheduler } from "../sim/scheduler.ts";
import { Trace } from "../sim/trace.ts";
import { UsageError, type Command } from "./command.ts";
import { optionValue, parseArgs } from "./option-parser.ts";

export const cloudCommand: Command = {
  name: "cloud",
  help: `usage: vimp cloud devices --state DIR [--dg GROUP]
       vimp cloud groups  --state DIR
       vimp cloud logs    --state DIR [--dg GROUP] [--device ID]
       vimp cloud webhooks --state DIR
       vimp cloud unassign --state DIR --device ID --unbond KEY

Reads (or, for unassign, changes) the impCloud kept in DIR by 'vimp factory --state DIR'.

  devices    one line per device: id, MAC, model, device group, blessed or not, activation
  groups     one line per device group: id, name, type, current deployment
  logs       the log, oldest first: UTC time, group, device id, [kind] message
  webhooks   one line per webhook (id, group, event, mime, URL), then one per delivery not
             yet made: "pending", its id, event, device id, URL, attempts, last error
  unassign   removes a blessed device from its production group (the unblessing key: seed
             002); the key is the account's, printed by 'vimp cloud key'
  key        the account's unblessing key`,

  async run(args) {
    const parsed = parseArgs(
      args,
      {
        state: { value: "DIR" },
        dg: { value: "GROUP" },
        device: { value: "ID" },
        unbond: { value: "KEY" },
      },
      "cloud",
    );
    const { positionals } = parsed;
    const [what] = positionals;
    const dir = optionValue(parsed, "state");
    if (dir === undefined) throw new UsageError("'vimp cloud' needs --state DIR");
    let cloud: ImpCloud;
    try {
      cloud = new ImpCloud({
        scheduler: new Scheduler(),
        trace: new Trace({ retain: false }),
        stateDir: dir,
        createState: false,
      });
    } catch (error) {
      if (error instanceof CloudStateError)
        throw new UsageError(error.message, { helpHint: false });
      throw error;
    }
    const groupName = (id: string | null) =>
      id === null ? "-" : (cloud.state.groups.get(id)?.name ?? id);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    try {
      switch (what) {
        case "devices":
          for (const d of cloud.devices({ group: optionValue(parsed, "dg") })) {
            out(
              `${d.id}  ${d.mac}  ${d.model}  ${groupName(d.groupId).padEnd(20)} ${d.blessed ? "blessed" : "not blessed"}  ${d.activation}`,
            );
          }
          return ExitStatus.ok;
        case "groups":
          for (const g of cloud.groups)
            out(
              `${g.id}  ${g.name.padEnd(20)} ${g.type.padEnd(14)} deployment ${g.currentDeployment ?? "-"}`,
            );
          return ExitStatus.ok;
        case "logs":
          for (const l of cloud.logs({
            group: optionValue(parsed, "dg"),
            device: optionValue(parsed, "device"),
          })) {
            out(
              `${new Date(l.time * 1000).toISOString()} ${groupName(l.groupId)} ${l.deviceId} [${l.kind}] ${l.message}`,
            );
          }
          return ExitStatus.ok;
        case "webhooks":
          for (const w of cloud.state.webhooks.values())
            out(
              `${w.id}  ${groupName(w.groupId).padEnd(20)} ${w.event.padEnd(10)} ${w.mime.padEnd(10)} ${w.url}`,
            );
          for (const d of cloud.state.deliveries.values()) {
            out(
              `pending  ${d.id}  ${d.event}  ${d.deviceId ?? "-"}  ${d.url}  ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}, last: ${d.lastError ?? "none yet"}`,
            );
          }
          return ExitStatus.ok;
        case "key":
          out(cloud.unblessingKey);
          return ExitStatus.ok;
        case "unassign": {
          const device = optionValue(parsed, "device");
          if (device === undefined) throw new UsageError("'vimp cloud unassign' needs --device ID");
          cloud.unassign(device, { unbond: optionValue(parsed, "unbond") });
          cloud.save();
          out(`${device} unassigned`);
          return ExitStatus.ok;
        }
        default:
          throw new UsageError(
            `'vimp cloud' takes devices, groups, logs, webhooks, key or unassign, not ${what === undefined ? "nothing" : `'${what}'`}`,
          );
      }
    } catch (error) {
      if (
        error instanceof Error &&
        (error.name === "CloudError" || error instanceof CloudStateError)
      )
        throw new UsageError(error.message, { helpHint: false });
      throw error;
    }
  },
};
