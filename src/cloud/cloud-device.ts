// A device as the impCloud records it (the impt Production Guide "Devices", /resources/imp-boot-procedure): its identity, the group
// it is assigned to, whether it is blessed (a production device) and how far it is activated.

export type Activation =
  /** Never enrolled, or sent back to Unactivated. */
  | "unactivated"
  /** Enrolled by a factory token (a fixture's DUT). */
  | "factory"
  /** A development device or fixture, activated by its owner's BlinkUp. */
  | "development"
  /** A production device an end user has activated (it now has an agent, /api/server/bless). */
  | "activated";

export interface CloudDevice {
  readonly id: string;
  readonly mac: string;
  readonly model: string;
  readonly groupId: string | null;
  readonly blessed: boolean;
  /** Cloud time of the blessing, or null. */
  readonly blessedAt: number | null;
  readonly activation: Activation;
  /** The fixture whose factory BlinkUp enrolled it last (imp.configparams.factory_imp, /api/imp/configparams). */
  readonly fixtureId: string | null;
  /** The fixture group of that BlinkUp: its targets decide the DUT and production groups. */
  readonly fixtureGroupId: string | null;
  /** An agent runs for it (/api/server/bless: not until an end user activates a production device). */
  readonly agent: boolean;
  /** The impOS release it last reported. */
  readonly impOSVersion: string | null;
}
