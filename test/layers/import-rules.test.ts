// The layers of docs/architecture.md (principle 5) are import rules in eslint.config.js; `npm test`
// runs ESLint over the tree. These cases show each rule fires on the import it forbids and
// lets the allowed ones through, so a rule that silently stopped matching fails here.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function forbidden(file: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nvoid 0;\n`, { filePath: file });
  return result!.messages
    .filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports")
    .map((m) => m.message);
}

const CASES: readonly { file: string; line: string; allowed: boolean }[] = [
  {
    file: "src/sim/trace.ts",
    line: 'import { Device } from "../device/device.ts";',
    allowed: false,
  },
  { file: "src/sim/trace.ts", line: 'import { Scheduler } from "./scheduler.ts";', allowed: true },
  {
    file: "src/squirrel/compiler.ts",
    line: 'import { Pins } from "../device/pins.ts";',
    allowed: false,
  },
  {
    file: "src/squirrel/compiler.ts",
    line: 'import { rt } from "../runtime/index.ts";',
    allowed: false,
  },
  {
    file: "src/squirrel/compiler.ts",
    line: 'import type { rt } from "../runtime/index.ts";',
    allowed: true,
  },
  {
    file: "src/runtime/ops.ts",
    line: 'import { compile } from "../squirrel/index.ts";',
    allowed: false,
  },
  {
    file: "src/runtime/stdlib/math.ts",
    line: 'import { Pins } from "../../device/pins.ts";',
    allowed: false,
  },
  {
    file: "src/runtime/stdlib/math.ts",
    line: 'import { native } from "../native.ts";',
    allowed: true,
  },
  {
    file: "src/sandbox/squirrel-vm.ts",
    line: 'import { Pins } from "../device/pins.ts";',
    allowed: false,
  },
  {
    file: "src/device/device.ts",
    line: 'import { ImpCloud } from "../cloud/imp-cloud.ts";',
    allowed: false,
  },
  {
    file: "src/device/device.ts",
    line: 'import { Simulation } from "../world/simulation.ts";',
    allowed: false,
  },
  {
    file: "src/device/host/device-vm.ts",
    line: 'import { runLine } from "../../factory/production-line.ts";',
    allowed: false,
  },
  {
    file: "src/device/guest/pins.ts",
    line: 'import { ImpApiHost } from "../host/imp-api-host.ts";',
    allowed: false,
  },
  { file: "src/device/guest/pins.ts", line: 'import { Pins } from "../pins.ts";', allowed: false },
  {
    file: "src/device/guest/pins.ts",
    line: 'import { Scheduler } from "../../sim/scheduler.ts";',
    allowed: false,
  },
  {
    file: "src/device/guest/pins.ts",
    line: 'import { PIN_MODES } from "../shared/pin-modes.ts";',
    allowed: true,
  },
  {
    file: "src/device/guest/pins.ts",
    line: 'import { native } from "../../runtime/native.ts";',
    allowed: true,
  },
  {
    file: "src/device/shared/pin-modes.ts",
    line: 'import { makePin } from "../guest/pins.ts";',
    allowed: false,
  },
  {
    file: "src/cloud/imp-cloud.ts",
    line: 'import { Device } from "../device/device.ts";',
    allowed: false,
  },
  {
    file: "src/cloud/imp-cloud.ts",
    line: 'import type { CloudLink } from "../device/cloud-link.ts";',
    allowed: true,
  },
  {
    file: "src/cloud/imp-cloud.ts",
    line: 'import { Simulation } from "../world/simulation.ts";',
    allowed: false,
  },
  {
    file: "src/world/simulation.ts",
    line: 'import { runLine } from "../factory/production-line.ts";',
    allowed: false,
  },
  {
    file: "src/factory/production-line.ts",
    line: 'import { bootDevice } from "../testing/boot-device.ts";',
    allowed: false,
  },
  {
    file: "src/testing/boot-device.ts",
    line: 'import { main } from "../cli/main.ts";',
    allowed: false,
  },
  {
    file: "src/board/board.ts",
    line: 'import { ImpCloud } from "../cloud/imp-cloud.ts";',
    allowed: false,
  },
  { file: "src/board/board.ts", line: 'import { Pins } from "../device/pins.ts";', allowed: true },
  {
    file: "src/bridge/pin-bridge.ts",
    line: 'import { runLine } from "../factory/production-line.ts";',
    allowed: false,
  },
];

describe("the layers' import rules", () => {
  it.each(CASES)("$file: $line → allowed $allowed", async ({ file, line, allowed }) => {
    const messages = await forbidden(file, line);
    if (allowed) expect(messages).toEqual([]);
    else expect(messages).toHaveLength(1);
  });
});
