// What imp.environment() returns: the guest installs the names, each model's file says which
// one it is (models/*.ts), and the host hands the value to the guest at boot.

/** What imp.environment() returns (/api/imp, docs/sources.md, "Chosen values"). chosen values (0, 1, 2 in the order the names are usually listed). */
export const ENVIRONMENTS = {
  ENVIRONMENT_CARD: 0, // imp001: the card
  ENVIRONMENT_MODULE: 1, // imp002 and later: solder-down modules
  ENVIRONMENT_AGENT: 2,
} as const;

export type EnvironmentName = keyof typeof ENVIRONMENTS;
