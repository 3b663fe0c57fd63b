// Device groups (the impt Production Guide "Device Groups", the impt Production Guide): what kind of software a group holds and,
// for fixture groups, its two targets — the DUT group DUTs join after factory BlinkUp and the
// production group they join when blessed (/manufacturing/factoryfirmware, "Developing Factory Firmware").
//
// Types are impt's names (`impt dg create --dg-type …`); the Test Zone's groups are the
// `pre-` ones, the Production Zone's the others (the Connected Factory quick start, "Connected Factory Process Setup").

export const DEVICE_GROUP_TYPES = [
  "development",
  "pre-factory",
  "pre-dut",
  "pre-production",
  "factory",
  "dut",
  "production",
] as const;

export type DeviceGroupType = (typeof DEVICE_GROUP_TYPES)[number];

/** impCentral's and `__EI.DEVICEGROUP_TYPE`'s spelling (the impt Production Guide). */
export const EI_GROUP_TYPE: Readonly<Record<DeviceGroupType, string>> = {
  development: "development",
  "pre-factory": "pre_factoryfixture",
  "pre-dut": "pre_dut",
  "pre-production": "pre_production",
  factory: "factoryfixture",
  dut: "dut",
  production: "production",
};

export function isFixtureGroupType(type: DeviceGroupType): boolean {
  return type === "factory" || type === "pre-factory";
}

export function isDutGroupType(type: DeviceGroupType): boolean {
  return type === "dut" || type === "pre-dut";
}

export function isProductionGroupType(type: DeviceGroupType): boolean {
  return type === "production" || type === "pre-production";
}

/** The type a fixture group's targets must have: a Test Fixture group targets Test groups (/manufacturing/factoryfirmware). */
export function targetTypes(fixture: DeviceGroupType): {
  dut: DeviceGroupType;
  production: DeviceGroupType;
} {
  return fixture === "pre-factory"
    ? { dut: "pre-dut", production: "pre-production" }
    : { dut: "dut", production: "production" };
}

export interface DeviceGroup {
  readonly id: string;
  readonly name: string;
  readonly productId: string;
  readonly type: DeviceGroupType;
  readonly description: string;
  /** Fixture groups: the DUT group factory-BlinkUp'd DUTs join. */
  readonly dutTarget: string | null;
  /** Fixture groups: the production group blessed DUTs join. */
  readonly productionTarget: string | null;
  /** Production groups (the impt Production Guide): application code at blessing (true, the default) or at end-user BlinkUp. */
  readonly loadCodeAfterBlessing: boolean;
  /** The deployment devices of the group run, or null before the first. */
  readonly currentDeployment: string | null;
}
