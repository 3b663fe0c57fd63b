// The differential fuzzer: generates programs (program-generator.ts), runs each through a
// reference `sq` and `vimp sq`, and prints the mismatch rate, the kinds of mismatch with their
// counts, and a minimised example of each kind.
//
//   npm run fuzz -- --sq /path/to/sq --count 1000 [--seed 7] [--examples 8] [--out DIR] [--spawn]
//
// `--spawn` runs `node bin/vimp.js sq` per program instead of the library's runSquirrel in this
// process (the same code; the process start makes it about ten times slower). `--out DIR` keeps
// every mismatching program with both outputs. The same --seed always gives the same programs.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  classify,
  compare,
  inProcessRunner,
  processRunner,
  type Comparison,
  type VimpRunner,
} from "./differential-run.ts";
import { minimise } from "./minimise.ts";
import { generateProgram, renderProgram, type GeneratedProgram } from "./program-generator.ts";
import { programSeed } from "./random-source.ts";

interface Options {
  sq: string;
  count: number;
  seed: number;
  examples: number;
  out?: string;
  spawn: boolean;
  root: string;
}

function usage(message: string): never {
  process.stderr.write(
    `fuzz: ${message}\nusage: npm run fuzz -- --sq PATH [--count N] [--seed S] [--examples K] [--out DIR] [--spawn]\n`,
  );
  process.exit(2);
}

function parseOptions(argv: string[], root: string): Options {
  const o: Partial<Options> = { count: 100, seed: 1, examples: 8, spawn: false, root };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    const whole = (name: string) => {
      const v = value();
      if (!/^\d+$/.test(v)) usage(`${name} must be a whole number, not '${v}'`);
      return Number(v);
    };
    if (a === "--sq") o.sq = value();
    else if (a === "--count") o.count = whole("--count");
    else if (a === "--seed") o.seed = whole("--seed");
    else if (a === "--examples") o.examples = whole("--examples");
    else if (a === "--out") o.out = value();
    else if (a === "--spawn") o.spawn = true;
    else usage(`unknown option '${a}'`);
  }
  if (o.sq === undefined) usage("--sq PATH (the reference interpreter) is required");
  if (!existsSync(o.sq)) usage(`no reference interpreter at ${o.sq}`);
  return o as Options;
}

async function vimpRunner(o: Options): Promise<VimpRunner> {
  const dist = path.join(o.root, "dist", "index.js");
  if (!existsSync(dist)) usage("dist/index.js is missing: run `npm run build` first");
  if (o.spawn) return processRunner(path.join(o.root, "bin", "vimp.js"));
  const lib = (await import(pathToFileURL(dist).href)) as {
    runSquirrel: Parameters<typeof inProcessRunner>[0];
  };
  return inProcessRunner(lib.runSquirrel);
}

interface MismatchClass {
  count: number;
  first: { program: GeneratedProgram; comparison: Comparison };
}

async function main(): Promise<void> {
  // scripts/fuzz.mjs runs a bundled copy of this file from elsewhere and says where the repository is.
  const root =
    process.env.VIMP_FUZZ_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const o = parseOptions(process.argv.slice(2), root);
  const vimp = await vimpRunner(o);
  if (o.out !== undefined) mkdirSync(o.out, { recursive: true });

  const classes = new Map<string, MismatchClass>();
  let mismatches = 0;
  let referenceFailures = 0;
  const started = Date.now();
  for (let i = 0; i < o.count; i++) {
    const program = generateProgram(programSeed(o.seed, i));
    const source = renderProgram(program);
    const c = await compare(o.sq, vimp, source);
    if (c.referenceFailed) {
      referenceFailures++;
    } else if (!c.same) {
      mismatches++;
      const kind = classify(c);
      const known = classes.get(kind);
      if (known) known.count++;
      else classes.set(kind, { count: 1, first: { program, comparison: c } });
      if (o.out !== undefined) {
        const base = path.join(o.out, `program-${program.seed}`);
        writeFileSync(`${base}.nut`, source, "latin1");
        writeFileSync(`${base}.sq.out`, c.reference.stdout + c.reference.error, "latin1");
        writeFileSync(`${base}.vimp.out`, c.vimp.stdout + c.vimp.error, "latin1");
      }
    }
    if ((i + 1) % 100 === 0)
      process.stderr.write(`fuzz: ${i + 1}/${o.count} programs, ${mismatches} mismatches\n`);
  }

  const ran = o.count - referenceFailures;
  const rate = ran === 0 ? 0 : (100 * mismatches) / ran;
  console.log(
    `seed ${o.seed}: ${o.count} programs, ${mismatches} mismatches (${rate.toFixed(2)}%), ` +
      `${referenceFailures} skipped (the reference crashed or hung), ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const sorted = [...classes.entries()].sort((a, b) => b[1].count - a[1].count);
  if (sorted.length > 0) {
    console.log(`\n${sorted.length} kinds of mismatch:`);
    for (const [kind, k] of sorted)
      console.log(
        `${String(k.count).padStart(6)}  ${kind}  (program seed ${k.first.program.seed})`,
      );
  }
  for (const [kind, k] of sorted.slice(0, o.examples)) {
    const small = await minimise(k.first.program, async (p) => {
      const c = await compare(o.sq, vimp, renderProgram(p));
      return !c.same && !c.referenceFailed && classify(c) === kind;
    });
    const c = await compare(o.sq, vimp, renderProgram(small));
    console.log(
      `\n==== ${kind}\n---- program (minimised from seed ${small.seed})\n${renderProgram(small)}` +
        `---- sq\n${c.reference.stdout}${c.reference.error}\n---- vimp sq\n${c.vimp.stdout}${c.vimp.error}`,
    );
  }
  process.exitCode = mismatches > 0 ? 1 : 0;
}

await main();
