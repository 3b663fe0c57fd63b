// Peripheral models the user writes (`"model": "./my-sensor.ts"` in a board file). The module's
// default export makes the model: a class (constructed with the part's `options`) or a function
// (called with them). TypeScript is bundled with esbuild (already a dependency, for dist/) into a
// temporary ES module, so it runs from `vimp run` as well as inside vitest.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { BoardError, type PartSpec } from "./board-file.ts";

type ModelPart = PartSpec & { type: "model" };

const loaded = new Map<string, Promise<unknown>>();

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.m?js$/.test(file))
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const result = await build({
    entryPoints: [file],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    packages: "external",
    logLevel: "silent",
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "vimp-model-"));
  const out = path.join(dir, `${path.basename(file).replace(/\.m?ts$/, "")}.mjs`);
  try {
    writeFileSync(out, result.outputFiles[0]!.text);
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads the module a part names and returns what makes its model, one fresh instance per call
 * (each board of a factory line gets its own). Errors name the board file, the part and what to fix.
 */
export async function userModelMaker(file: string, part: ModelPart): Promise<() => unknown> {
  let module = loaded.get(part.module);
  if (module === undefined) {
    module = importModule(part.module);
    loaded.set(part.module, module);
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await module) as Record<string, unknown>;
  } catch (error) {
    loaded.delete(part.module);
    const text =
      error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : String(error);
    throw new BoardError(file, `${part.field}.model`, `cannot load ${part.module}: ${text}`);
  }
  const make = exports.default;
  if (typeof make !== "function") {
    throw new BoardError(
      file,
      `${part.field}.model`,
      `${part.module} must have a default export: a class or a function that makes the ${part.bus.kind} peripheral model`,
    );
  }
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(make));
  const maker = (): unknown => {
    let model: unknown;
    try {
      model = isClass
        ? new (make as new (options: unknown) => unknown)(part.options)
        : (make as (options: unknown) => unknown)(part.options);
    } catch (error) {
      throw new BoardError(
        file,
        `${part.field}.model`,
        `${part.module} failed to make its model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const needs =
      part.bus.kind === "i2c"
        ? ["write", "read"]
        : part.bus.kind === "spi"
          ? ["transfer"]
          : ["receive"];
    const lacking = needs.filter(
      (m) => typeof (model as Record<string, unknown> | null)?.[m] !== "function",
    );
    if (lacking.length > 0) {
      throw new BoardError(
        file,
        `${part.field}.model`,
        `the model from ${part.module} is not an ${part.bus.kind} peripheral: it has no ${lacking.join(" or ")} method`,
      );
    }
    return model;
  };
  maker(); // a model that cannot be made fails here, before any device is wired
  return maker;
}
