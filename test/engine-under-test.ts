// The engine the tests run Squirrel in: QuickJS, or V8 when VIMP_TEST_ENGINE=v8 (the "v8"
// project of vitest.config.ts runs a representative subset of the suite that way).
import type { Engine } from "../src/sandbox/engine.ts";
import { createV8Engine } from "../src/sandbox/v8-engine.ts";

/** undefined: the default engine (QuickJS). */
export const engineUnderTest: Engine | undefined =
  process.env.VIMP_TEST_ENGINE === "v8" ? createV8Engine() : undefined;
