// Every emulated model, by the name `imp.info().type` gives and `--model` takes.

import { imp001 } from "./imp001.ts";
import { imp002 } from "./imp002.ts";
import { imp003 } from "./imp003.ts";
import { imp004m } from "./imp004m.ts";
import { imp005 } from "./imp005.ts";
import { imp006 } from "./imp006.ts";
import type { ImpModel } from "./model.ts";

export { imp001, imp002, imp003, imp004m, imp005, imp006 };
export type {
  BusSpec,
  I2cSpec,
  ImpModel,
  PinCapability,
  PinSpec,
  SpiSpec,
  StatusLedSpec,
  UartSpec,
} from "./model.ts";

export const MODELS: Readonly<Record<ImpModel["type"], ImpModel>> = {
  imp001,
  imp002,
  imp003,
  imp004m,
  imp005,
  imp006,
};

/** The model a device is when none is named: the imp001, the original developer card. */
export const DEFAULT_MODEL: ImpModel["type"] = "imp001";

/** The model named `name`; throws a sentence that lists the emulated models otherwise. */
export function modelNamed(name: string): ImpModel {
  if (Object.hasOwn(MODELS, name)) return MODELS[name as ImpModel["type"]];
  const names = Object.keys(MODELS);
  throw new Error(
    `unknown imp model '${name}'; the emulated models are ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`,
  );
}
