// A run as JUnit XML, the report every CI system reads (impt has none; this is vimp's own):
// one <testsuite> per test file, one <testcase> per test method (setUp and tearDown appear
// only when they fail), a <failure> with impUnit's message, an <error> for a session that
// ended without a result (timeout, crash, build error), <skipped/> for a skipped file.

import type { RunOutcome } from "./test-run.ts";

export function junitReport(outcome: RunOutcome): string {
  const suites = outcome.files.map((f) => {
    const name = attr(f.file.name);
    if (f.result === null)
      return `  <testsuite name="${name}" tests="0" failures="0" errors="0" skipped="1" time="0">\n    <testcase classname="${name}" name="${name}"><skipped message="the selected test case or method is not in this file"/></testcase>\n  </testsuite>`;
    const r = f.result;
    const cases = r.cases.filter(
      (c) => c.outcome !== "passed" || !/::(setUp|tearDown)\(\)$/.test(c.test),
    );
    const lines = cases.map((c) => {
      const [cls, method] = splitTest(c.test);
      const open = `    <testcase classname="${attr(`${f.file.name}:${cls}`)}" name="${attr(method)}" time="${c.seconds.toFixed(3)}"`;
      if (c.outcome === "passed") return `${open}/>`;
      const tag = c.outcome === "failed" && c.message !== r.error ? "failure" : "error";
      const message = c.message ?? r.error ?? "did not finish";
      return `${open}>\n      <${tag} message="${attr(message)}">${text(message)}</${tag}>\n    </testcase>`;
    });
    const errored = r.error !== null && !cases.some((c) => c.message === r.error);
    if (errored)
      lines.push(
        `    <testcase classname="${name}" name="session"><error message="${attr(r.error!)}">${text(r.error!)}</error></testcase>`,
      );
    const failures = cases.filter((c) => c.outcome === "failed" && c.message !== r.error).length;
    const errors =
      cases.filter((c) => c.outcome !== "passed").length - failures + (errored ? 1 : 0);
    return `  <testsuite name="${name}" tests="${lines.length}" failures="${failures}" errors="${errors}" skipped="0" time="${r.virtualSeconds.toFixed(3)}">\n${lines.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vimp test" tests="${outcome.tests}" failures="${outcome.failures}">\n${suites.join("\n")}\n</testsuites>\n`;
}

function splitTest(test: string): [string, string] {
  const m = /^(.*)::(.*?)(\(\))?$/.exec(test);
  return m === null ? ["", test] : [m[1]!, m[2]!];
}

function text(s: string): string {
  return withoutControlCharacters(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** XML 1.0 has no form for control characters other than tab, newline and carriage return. */
function withoutControlCharacters(s: string): string {
  return [...s]
    .filter((c) => c.charCodeAt(0) >= 0x20 || c === "\t" || c === "\n" || c === "\r")
    .join("");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}
