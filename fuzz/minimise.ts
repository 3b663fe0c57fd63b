// Shrinking a mismatching program: delete whole blocks, then single statements, for as long as
// the program still shows the same kind of mismatch (fuzz/differential-run.ts, classify). A
// deletion that changes the kind (say, by removing a declaration a later statement needs) is
// undone, so the result still shows the bug it was found with.

import type { GeneratedProgram } from "./program-generator.ts";

/** Whether a candidate program still shows the mismatch being chased. */
export type StillFails = (program: GeneratedProgram) => Promise<boolean>;

function without<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

export async function minimise(
  program: GeneratedProgram,
  stillFails: StillFails,
): Promise<GeneratedProgram> {
  let best = program;
  let changed = true;
  while (changed) {
    changed = false;
    // Whole blocks first: one check removes many statements.
    for (let b = best.blocks.length - 1; b >= 0 && best.blocks.length > 1; b--) {
      const candidate = { ...best, blocks: without(best.blocks, b) };
      if (await stillFails(candidate)) {
        best = candidate;
        changed = true;
      }
    }
    for (let b = 0; b < best.blocks.length; b++) {
      for (let s = best.blocks[b]!.statements.length - 1; s >= 0; s--) {
        const block = best.blocks[b]!;
        const candidate = {
          ...best,
          blocks: best.blocks.map((x, i) =>
            i === b ? { ...block, statements: without(block.statements, s) } : x,
          ),
        };
        if (await stillFails(candidate)) {
          best = candidate;
          changed = true;
        }
      }
    }
  }
  return best;
}
