// Every emulated model, by the name `imp.info().type` gives and `--model` takes.

import { imp001 } from "./imp001.ts";
import { imp003 } from "./imp003.ts";
import type { ImpModel } from "./model.ts";

export { imp001, imp003 };
export type { BusSpec, I2cSpec, ImpModel, PinCapability, PinSpec, SpiSpec, StatusLedSpec, UartSpec } from "./model.ts";

export const MODELS: Readonly<Record<ImpModel["type"], ImpModel>> = { imp001, imp003 };

/** The model a device is when none is named: the imp001, the original developer card. */
export const DEFAULT_MODEL: ImpModel["type"] = "imp001";

/** The model named `name`; throws a sentence that lists the emulated models otherwise. */
export function modelNamed(name: string): ImpModel {
  if (Object.hasOwn(MODELS, name)) return MODELS[name as ImpModel["type"]];
  throw new Error(`unknown imp model '${name}'; the emulated models are ${Object.keys(MODELS).join(" and ")}`);
}
