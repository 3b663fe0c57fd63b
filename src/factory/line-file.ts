// A production line described in a `line.json` (issue 4, "The line file"), in the seeds'
// vocabulary: the product; its device groups with their types, targets, deployments,
// load-code-after-blessing and webhooks; the fixtures; the DUTs with their hardware conditions
// and what the line expects of them. Loading checks every field and names the one that is wrong.

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  DEVICE_GROUP_TYPES,
  isFixtureGroupType,
  isProductionGroupType,
  targetTypes,
  type DeviceGroupType,
} from "../cloud/device-group.ts";
import {
  describeJsonValue as describe,
  JsonFieldReader,
  type Json,
} from "../config/json-fields.ts";
import { MODELS, modelNamed } from "../device/models/index.ts";
import { CompileError } from "../squirrel/compile-error.ts";
import { compile } from "../squirrel/index.ts";
import type { BoardSpec } from "../board/board-file.ts";
import { buttonNamed } from "../board/board-file.ts";
import { bareBoard, lineBoard, lineFaults, type LineFault } from "./line-hardware.ts";
import {
  WEBHOOK_EVENTS,
  WEBHOOK_MIMES,
  type WebhookEvent,
  type WebhookMime,
} from "../cloud/webhook.ts";

/** What the line expects a DUT to end as (the report's verdicts). */
export const DUT_OUTCOMES = ["blessed", "failed", "unindicated", "refused"] as const;
export type DutOutcome = (typeof DUT_OUTCOMES)[number];

export interface LineWebhook {
  readonly event: WebhookEvent;
  readonly url: string;
  readonly mime: WebhookMime;
}

export interface LineGroup {
  readonly name: string;
  readonly type: DeviceGroupType;
  readonly dutTarget?: string;
  readonly productionTarget?: string;
  readonly loadCodeAfterBlessing: boolean;
  /** Device and agent code, read from the files named. */
  readonly deployment: {
    readonly device: string;
    readonly deviceFile: string;
    readonly agent: string;
  } | null;
  readonly webhooks: readonly LineWebhook[];
}

export interface LineFixture {
  readonly name: string;
  readonly model: string;
  readonly group: string;
  /** The pin the fixture's BlinkUp LED is wired to: the light the DUT in front of it sees. */
  readonly blinkUpLed: string;
  /** The pin of the operator's button (or a button part of its board), pressed when a DUT is placed; none: the firmware starts BlinkUp by itself. */
  readonly button: string | null;
  /** The fixture's board file, if the line names one (line-hardware.ts). */
  readonly board: BoardSpec | null;
}

export interface LineDuts {
  readonly count: number;
  readonly model: string;
  /** Hardware faults: pins held at a level whatever the firmware does (a pin stuck low). */
  readonly stuckPins: Readonly<Record<string, 0 | 1>>;
  readonly expect: DutOutcome;
  /** The DUT leaves assembly on an older impOS and updates at its first connection (the Connected Factory quick start). */
  readonly oldImpOS: boolean;
  /** The DUTs' board file, if the line names one: what their self-test can test. */
  readonly board: BoardSpec | null;
}

export interface LineSpec {
  readonly file: string;
  readonly product: string;
  readonly seed: string;
  readonly groups: readonly LineGroup[];
  readonly fixtures: readonly LineFixture[];
  readonly duts: readonly LineDuts[];
  /** An end user activates every blessed DUT after the line (plan id + token BlinkUp, /resources/imp-boot-procedure). */
  readonly activate: boolean;
  /** How long a DUT may take at its station before it counts as unindicated (virtual s). */
  readonly stationTimeoutSeconds: number;
  /** Hardware faults injected into DUTs (line-hardware.ts). */
  readonly faults: readonly LineFault[];
}

/**
 * chosen bounds for the numbers a line file gives, so a typo (1e300) is a named mistake, not a
 * host that runs out of memory: a line of up to 10,000 DUTs (each is a virtual imp with its own
 * VM in turn) and up to 64 fixtures (each a VM all the time), a station time of up to a day.
 */
export const LINE_LIMITS = { duts: 10_000, fixtures: 64, stationTimeoutSeconds: 86_400 } as const;

/** A mistake in a line file: `field` is its path ("duts[1].count"). */
export class LineError extends Error {
  override name = "LineError";
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}

class Reader extends JsonFieldReader {
  fail(field: string, message: string): never {
    throw new LineError(this.file, field, message);
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be an array, not ${describe(v)}`);
    return v;
  }

  optionalString(o: Json, key: string, field: string): string | undefined {
    return o[key] === undefined ? undefined : this.string(o[key], `${field}.${key}`);
  }

  boolean(o: Json, key: string, field: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== "boolean")
      this.fail(`${field}.${key}`.replace(/^\./, ""), `must be true or false, not ${describe(v)}`);
    return v;
  }

  count(o: Json, key: string, field: string, fallback: number, min: number, max: number): number {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
      this.fail(
        `${field}.${key}`.replace(/^\./, ""),
        `must be a whole number from ${min} to ${max}, not ${describe(v)}`,
      );
    return v;
  }

  pin(v: unknown, field: string, model: string): string {
    const name = this.string(v, field);
    const pins = MODELS[model as keyof typeof MODELS].pins.map((p) => p.name);
    if (!pins.includes(name))
      this.fail(
        field,
        `the ${model} has no pin ${JSON.stringify(name)} (its pins: ${pins.join(", ")})`,
      );
    return name;
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
    if (typeof v !== "string" || !allowed.includes(v as T))
      this.fail(field, `must be one of ${allowed.join(", ")}, not ${describe(v)}`);
    return v as T;
  }

  known(o: Json, field: string, keys: readonly string[]): void {
    for (const key of Object.keys(o))
      if (!keys.includes(key))
        this.fail(
          `${field}.${key}`.replace(/^\./, ""),
          `is not a line-file field (expected one of ${keys.join(", ")})`,
        );
  }

  /** A Squirrel file: it must exist, be a file, and compile (so a line never starts with firmware that cannot run). */
  code(v: unknown, field: string): { text: string; name: string } {
    const name = this.string(v, field);
    const full = path.resolve(this.dir, name);
    if (!existsSync(full)) this.fail(field, `file ${name} not found (relative to ${this.dir})`);
    if (statSync(full).isDirectory())
      this.fail(field, `${name} is a directory, not a Squirrel file`);
    const text = readFileSync(full, "latin1");
    try {
      compile(text, path.basename(name));
    } catch (error) {
      if (error instanceof CompileError)
        this.fail(
          field,
          `${name}:${error.line}:${error.col}: ${error.reason} (the firmware does not compile)`,
        );
      throw error;
    }
    return { text, name: path.basename(name) };
  }
}

/** Reads a line from `line.json` or from a directory holding one. */
export function loadLine(target: string): LineSpec {
  const file =
    existsSync(target) && statSync(target).isDirectory() ? path.join(target, "line.json") : target;
  if (!existsSync(file)) throw new LineError(file, "(file)", "not found");
  if (statSync(file).isDirectory())
    throw new LineError(file, "(file)", "is a directory without a line.json");
  let raw: unknown;
  try {
    // Editors on Windows write a byte-order mark; it is not part of the JSON.
    raw = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new LineError(
      file,
      "(file)",
      `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseLine(raw, file);
}

/** Checks a parsed line file; paths of code files are relative to `file`'s directory. */
export function parseLine(raw: unknown, file: string): LineSpec {
  const r = new Reader(file, path.dirname(path.resolve(file)));
  const top = r.object(raw, "(top level)");
  r.known(top, "", [
    "product",
    "seed",
    "deviceGroups",
    "fixtures",
    "duts",
    "activate",
    "stationTimeoutSeconds",
    "faults",
    "$comment",
  ]);
  const product = r.string(top.product, "product");
  const groups: LineGroup[] = r.array(top.deviceGroups, "deviceGroups").map((g, i) => {
    const field = `deviceGroups[${i}]`;
    const o = r.object(g, field);
    r.known(o, field, [
      "name",
      "type",
      "dutTarget",
      "productionTarget",
      "loadCodeAfterBlessing",
      "deployment",
      "webhooks",
      "description",
    ]);
    const type = r.oneOf(o.type, `${field}.type`, DEVICE_GROUP_TYPES);
    let deployment: LineGroup["deployment"] = null;
    if (o.deployment !== undefined) {
      const d = r.object(o.deployment, `${field}.deployment`);
      r.known(d, `${field}.deployment`, ["device", "agent"]);
      const device = r.code(d.device, `${field}.deployment.device`);
      const agent = d.agent === undefined ? "" : r.code(d.agent, `${field}.deployment.agent`).text;
      deployment = { device: device.text, deviceFile: device.name, agent };
    }
    const webhooks = (o.webhooks === undefined ? [] : r.array(o.webhooks, `${field}.webhooks`)).map(
      (w, j) => {
        const wf = `${field}.webhooks[${j}]`;
        const wo = r.object(w, wf);
        r.known(wo, wf, ["event", "url", "mime"]);
        const url = r.string(wo.url, `${wf}.url`);
        if (!/^https?:\/\//.test(url))
          r.fail(`${wf}.url`, `must be an http:// or https:// URL, not ${JSON.stringify(url)}`);
        const event = r.oneOf(wo.event, `${wf}.event`, WEBHOOK_EVENTS);
        if (event !== "deployment" && !isProductionGroupType(type))
          r.fail(
            `${wf}.event`,
            `${event} webhooks are set on production groups (seed 003); this group is ${type}`,
          );
        return {
          event,
          url,
          mime: wo.mime === undefined ? "json" : r.oneOf(wo.mime, `${wf}.mime`, WEBHOOK_MIMES),
        };
      },
    );
    if (!isFixtureGroupType(type)) {
      for (const key of ["dutTarget", "productionTarget"])
        if (o[key] !== undefined)
          r.fail(
            `${field}.${key}`,
            `only fixture groups (factory, pre-factory) have targets; this group is ${type}`,
          );
    }
    return {
      name: r.string(o.name, `${field}.name`),
      type,
      dutTarget: r.optionalString(o, "dutTarget", field),
      productionTarget: r.optionalString(o, "productionTarget", field),
      loadCodeAfterBlessing: r.boolean(o, "loadCodeAfterBlessing", field, true),
      deployment,
      webhooks,
    };
  });
  const names = new Set<string>();
  groups.forEach((g, i) => {
    if (names.has(g.name))
      r.fail(`deviceGroups[${i}].name`, `"${g.name}" is used by another device group`);
    names.add(g.name);
  });
  groups.forEach((g, i) => {
    for (const key of ["dutTarget", "productionTarget"] as const) {
      const target = g[key];
      if (target === undefined) continue;
      const found =
        groups.find((x) => x.name === target) ??
        r.fail(`deviceGroups[${i}].${key}`, `no device group is named "${target}"`);
      // A target of the wrong type (itself, the other target swapped in, the other zone) is what makes a cycle.
      const want = targetTypes(g.type)[key === "dutTarget" ? "dut" : "production"];
      if (found.type !== want)
        r.fail(
          `deviceGroups[${i}].${key}`,
          `"${target}" is a ${found.type} group; the ${key} of a ${g.type} group must be a ${want} group`,
        );
    }
    if (
      isFixtureGroupType(g.type) &&
      (g.dutTarget === undefined || g.productionTarget === undefined)
    ) {
      r.fail(
        `deviceGroups[${i}]`,
        `a ${g.type} group needs both a dutTarget and a productionTarget (seed 001)`,
      );
    }
  });
  const fixtures: LineFixture[] = r.array(top.fixtures, "fixtures").map((f, i) => {
    const field = `fixtures[${i}]`;
    const o = r.object(f, field);
    r.known(o, field, ["name", "model", "group", "blinkUpLed", "button", "board"]);
    const board = o.board === undefined ? null : lineBoard(file, r.dir, o.board, `${field}.board`);
    const group = r.string(o.group, `${field}.group`);
    const found =
      groups.find((g) => g.name === group) ??
      r.fail(`${field}.group`, `no device group is named "${group}"`);
    if (!isFixtureGroupType(found.type))
      r.fail(
        `${field}.group`,
        `"${group}" is a ${found.type} group, not a fixture group (factory or pre-factory)`,
      );
    const model = boardModel(r, o, field, board);
    const blinkUpLed = r.pin(o.blinkUpLed, `${field}.blinkUpLed`, model);
    // The operator's button: a button part of the fixture's board, or a pin.
    const button =
      o.button === undefined
        ? null
        : board !== null &&
            typeof o.button === "string" &&
            buttonNamed(board, o.button) !== undefined
          ? o.button
          : r.pin(o.button, `${field}.button`, model);
    if (button === blinkUpLed)
      r.fail(
        `${field}.button`,
        `is the BlinkUp LED's pin ${blinkUpLed}; the button needs a pin of its own`,
      );
    return {
      name: o.name === undefined ? `fixture-${i + 1}` : r.string(o.name, `${field}.name`),
      model,
      group,
      blinkUpLed,
      button,
      board,
    };
  });
  if (fixtures.length === 0) r.fail("fixtures", "a line needs at least one fixture");
  if (fixtures.length > LINE_LIMITS.fixtures)
    r.fail(
      "fixtures",
      `a line has at most ${LINE_LIMITS.fixtures} fixtures, not ${fixtures.length}`,
    );
  const fixtureNames = new Set<string>();
  fixtures.forEach((f, i) => {
    if (fixtureNames.has(f.name))
      r.fail(`fixtures[${i}].name`, `"${f.name}" is used by another fixture`);
    fixtureNames.add(f.name);
  });
  const duts: LineDuts[] = r.array(top.duts, "duts").map((d, i) => {
    const field = `duts[${i}]`;
    const o = r.object(d, field);
    r.known(o, field, ["count", "model", "stuckPins", "expect", "oldImpOS", "board", "$comment"]);
    const board = o.board === undefined ? null : lineBoard(file, r.dir, o.board, `${field}.board`);
    const model = boardModel(r, o, field, board);
    const stuckPins: Record<string, 0 | 1> = {};
    if (o.stuckPins !== undefined) {
      for (const [pin, level] of Object.entries(r.object(o.stuckPins, `${field}.stuckPins`))) {
        r.pin(pin, `${field}.stuckPins.${pin}`, model);
        if (level !== 0 && level !== 1)
          r.fail(
            `${field}.stuckPins.${pin}`,
            `must be 0 (stuck low) or 1 (stuck high), not ${describe(level)}`,
          );
        stuckPins[pin] = level as 0 | 1;
      }
    }
    return {
      count: r.count(o, "count", field, 1, 1, LINE_LIMITS.duts),
      model,
      stuckPins,
      expect:
        o.expect === undefined ? "blessed" : r.oneOf(o.expect, `${field}.expect`, DUT_OUTCOMES),
      oldImpOS: r.boolean(o, "oldImpOS", field, false),
      board,
    };
  });
  const total = duts.reduce((n, d) => n + d.count, 0);
  if (total > LINE_LIMITS.duts)
    r.fail("duts", `a line has at most ${LINE_LIMITS.duts} DUTs in all, not ${total}`);
  const dutBoards = duts.flatMap((d) =>
    Array.from({ length: d.count }, () => d.board ?? bareBoard(modelNamed(d.model))),
  );
  return {
    file,
    product,
    seed: top.seed === undefined ? "virtual-imp" : r.string(top.seed, "seed"),
    groups,
    fixtures,
    duts,
    activate: r.boolean(top, "activate", "", false),
    stationTimeoutSeconds: r.count(
      top,
      "stationTimeoutSeconds",
      "",
      120,
      1,
      LINE_LIMITS.stationTimeoutSeconds,
    ),
    faults: lineFaults(file, top.faults, dutBoards, DUT_OUTCOMES),
  };
}

/** A fixture's or DUT's model: as given, or its board's module; the two must agree. */
function boardModel(r: Reader, o: Json, field: string, board: BoardSpec | null): string {
  if (o.model === undefined) return board?.model.type ?? "imp003";
  const model = r.oneOf(o.model, `${field}.model`, Object.keys(MODELS));
  if (board !== null && board.model.type !== model)
    r.fail(
      `${field}.model`,
      `${model} does not match its board, whose module is ${board.model.type}`,
    );
  return model;
}
