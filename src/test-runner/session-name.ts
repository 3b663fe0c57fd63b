// Session names as impt gives them, two words joined by "-" (impt picks them at random; here
// they come from the test file and its place in the run, so a run repeats exactly).

import { createHash } from "node:crypto";

const WORDS = [
  "amber", "anchor", "apple", "arrow", "autumn", "badge", "basin", "beacon", "birch", "blossom",
  "breeze", "bridge", "canyon", "cedar", "circuit", "cloud", "comet", "copper", "coral", "crystal",
  "delta", "dune", "echo", "ember", "falcon", "fern", "field", "flint", "forest", "galaxy",
  "garden", "glacier", "harbor", "hazel", "horizon", "island", "ivory", "jasper", "lagoon", "lantern",
  "maple", "meadow", "meteor", "mist", "nectar", "oasis", "ocean", "orbit", "pebble", "pepper",
  "pine", "planet", "prairie", "quartz", "rapid", "raven", "ridge", "river", "saffron", "signal",
  "silver", "spark", "spruce", "summit", "thunder", "timber", "tulip", "valley", "violet", "willow",
];

export function sessionName(file: string, index: number): string {
  const digest = createHash("sha256").update(`${index}\0${file}`).digest();
  return `${WORDS[digest[0]! % WORDS.length]}-${WORDS[digest[1]! % WORDS.length]}`;
}
