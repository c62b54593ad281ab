// bench/detect/mutants: which StrykerJS mutants of the rewrite and flush paths the default
// campaign kills. This script draws the sample: it lists every mutant StrykerJS generates in
// SCOPE (its own instrumenter, the same mutators and options as `stryker run`), draws SIZE of them
// with a seeded generator, and writes their nodes to sample.json: the mutate ranges for
// stryker.config.mjs and the list the sample ignorer (ignorer.mjs) keeps. A node drawn brings all
// of its mutants (e.g. `<` -> `<=` and `>=`), never the mutants of the nodes nested in it.
//
//   node bench/detect/mutants/sample.mjs [--size 12] [--seed 1]
//
// Invariant: the sample is a function of (SCOPE's sources, size, seed).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instrumenter } from '@stryker-mutator/instrumenter';

/** The rewrite and the flush/write paths (tests excluded). */
export const SCOPE = ['src/aof/rewrite', 'src/aof/writer'];

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

/** mulberry32: a small seeded generator, so the sample is reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = Number(arg('--size', '12'));
const seed = Number(arg('--seed', '1'));
const files = SCOPE.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f)),
);
const quiet = { debug() {}, info() {}, warn() {}, error() {}, trace() {}, fatal() {}, isDebugEnabled: () => false, isTraceEnabled: () => false, isInfoEnabled: () => false, isWarnEnabled: () => false, isErrorEnabled: () => false, isFatalEnabled: () => false };
const { mutants } = await new Instrumenter(quiet).instrument(
  files.map((name) => ({ name, mutate: true, content: readFileSync(name, 'utf8') })),
  { plugins: null, excludedMutations: [], ignorers: [] },
);
const key = (m) => `${m.fileName}:${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}`;
const rand = prng(seed);
const order = mutants.map((m, i) => [rand(), i]).sort((x, y) => x[0] - y[0]);
const nodes = new Map();
for (const [, i] of order) {
  if (nodes.size >= size) break;
  const m = mutants[i];
  nodes.set(key(m), { file: m.fileName, start: m.location.start, end: m.location.end });
}
const picked = [...nodes.values()];
const count = mutants.filter((m) => nodes.has(key(m))).length;
// StrykerJS's mutate ranges: 1-based lines, 0-based columns (the API's locations are 0-based lines).
const ranges = picked.map((n) => `${n.file}:${n.start.line + 1}:${n.start.column}-${n.end.line + 1}:${n.end.column}`);
writeFileSync(
  new URL('./sample.json', import.meta.url),
  JSON.stringify({ seed, size, scope: SCOPE, mutantsInScope: mutants.length, mutantsInSample: count, nodes: picked, ranges }, null, 2) + '\n',
);
process.stdout.write(`${mutants.length} mutants in ${files.length} files; sample (seed ${seed}): ${picked.length} nodes holding ${count} mutants\n`);
