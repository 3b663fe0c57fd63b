// The code of one test session, put together in impt's order (imp-central-impt, TestHelper
// `_getSessionCode`): on the side the test runs on, the impUnit framework, that side's source
// file, the test file inside `function __module_tests(ImpTestCase)`, and a bootstrap that starts
// ImpUnitRunner two seconds after boot; on the other side, its source file and the partner
// file. Each side then goes through Builder (line control on, the builderConfig variables),
// and its #require lines are resolved from the library store.

import { createHash } from "node:crypto";
import path from "node:path";
import { build, type BuildOptions } from "../builder/builder.ts";
import type { SourceMap } from "../builder/source-map.ts";
import type { LibraryStore } from "./library-store.ts";

export type Side = "device" | "agent";

/** One side's code, ready to compile: `name` is what error positions in it are called. */
export interface SideCode {
  readonly name: string;
  readonly code: string;
  readonly map: SourceMap;
}

export interface SessionCodeOptions {
  readonly testFile: string;
  readonly side: Side;
  /** The partner file (`x.device.nut` for `x.agent.test.nut`, and the reverse), if there is one. */
  readonly partner: string | null;
  readonly deviceFile: string | null;
  readonly agentFile: string | null;
  /** The directory of the impUnit to use (its index.nut). */
  readonly impunitDir: string;
  readonly sessionId: string;
  readonly timeout: number;
  readonly stopOnFail: boolean;
  readonly testClass: string;
  readonly testMethod: string;
  /** Where relative includes are finally tried, and where the session's own source "lives". */
  readonly testHome: string;
  readonly builder: BuildOptions;
  readonly libraries: LibraryStore;
}

export interface SessionCode {
  readonly device: SideCode;
  readonly agent: SideCode;
}

export function sessionCode(options: SessionCodeOptions): SessionCode {
  const other: Side = options.side === "device" ? "agent" : "device";
  const sideFile = (side: Side) => (side === "device" ? options.deviceFile : options.agentFile);
  const include = (file: string) => `@include ${JSON.stringify(file)}`;
  const sourceOf = (side: Side) => {
    const file = sideFile(side);
    return file === null ? `/* no ${side} source */` : include(file);
  };
  const q = (s: string) => JSON.stringify(s);

  const testSide = [
    include(path.join(options.impunitDir, "index.nut")),
    sourceOf(options.side),
    "// tests module",
    "function __module_tests(ImpTestCase) {",
    include(options.testFile),
    "}",
    "// tests bootstrap module",
    "function __module_tests_bootstrap(ImpUnitRunner) {",
    "  imp.wakeup(2, function() {",
    "    local t = ImpUnitRunner();",
    "    t.readableOutput = false;",
    `    t.session = ${q(options.sessionId)};`,
    `    t.timeout = ${options.timeout};`,
    `    t.stopOnFailure = ${options.stopOnFail};`,
    `    t.testClass = ${q(options.testClass)};`,
    `    t.testCase = ${q(options.testMethod)};`,
    "    t.run();",
    "  });",
    "}",
    "__module_tests(__module_impUnit_exports.ImpTestCase);",
    "__module_tests_bootstrap(__module_impUnit_exports.ImpUnitRunner);",
  ];
  const otherSide = [sourceOf(other)];
  if (options.partner !== null) otherSide.push(include(options.partner));

  const sources: Record<Side, string[]> =
    options.side === "device"
      ? { device: testSide, agent: otherSide }
      : { device: otherSide, agent: testSide };
  // impt ends the device code with a random string so every run is a new deployment; here it
  // is derived from the session id, so runs repeat exactly.
  const stamp = createHash("sha256").update(options.sessionId).digest("hex").slice(0, 32);
  sources.device.push("// force code update", `${q(stamp)};`);

  const side = (which: Side): SideCode => {
    const name = `${which}_code`;
    // A file standing in the test home, so that Builder's last resort for relative includes is there.
    const virtual = path.join(
      options.testHome,
      which === options.side ? "__tests_bootstrap__" : `__${which}_code__`,
    );
    const built = build(
      virtual,
      { ...options.builder, cwd: options.testHome },
      sources[which].join("\n") + "\n",
    );
    const linked = options.libraries.link(built.code, built.map);
    return { name, code: linked.code, map: linked.map };
  };
  return { device: side("device"), agent: side("agent") };
}
