// The deterministic mutant sample of `npm run mutation` (see mutation/README.md).
//
// The full scope is thousands of mutants, each running the property suites that cover it: days of
// CPU on a 2-core machine. A run can instead test a seeded sample of mutation sites (a site is a
// syntax node StrykerJS mutates; its mutants are the 1-3 replacements of that node). A site is in
// the sample when a hash of (seed, file, enclosing top-level declaration, the site's offset and
// length inside it, node type) falls under the fraction: keyed that way, edits elsewhere in a file
// do not reshuffle the sample, and the incremental files stay valid across runs.
//
// StrykerJS selects code in two ways, neither of which picks single nodes: a mutate range takes a
// node and everything inside it, an ignorer leaves out a node and everything inside it. So the
// sample is applied with both: stryker.config.mjs turns every sampled site into a mutate range of
// exactly its location (which leaves out the nodes enclosing it), and the ignorer below leaves out
// every node inside a range that is neither a sampled site nor encloses one. What StrykerJS tests
// is then exactly the sampled sites' mutants, and its score is the sample's score.
//   AOFSIM_MUTATION_SAMPLE: the fraction of sites tested, in (0, 1]; default 1 (everything);
//   AOFSIM_MUTATION_SAMPLE_SEED: the seed of the choice; default 1.
import fs from 'node:fs';
import path from 'node:path';
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { countsForProperties, fileSha, readVerdicts, suite, verdictsFileOf, verdictsPerSite } from './verdicts.mjs';

// StrykerJS's own mutators and type-node test, so that "this node is a site" means what it means
// to the instrumenter (they are not exported by the package, hence the file URLs).
const instrumenterSrc = new URL('../node_modules/@stryker-mutator/instrumenter/dist/src/', import.meta.url);
const { allMutators } = await import(new URL('mutators/mutate.js', instrumenterSrc).href);
const { isTypeNode, isImportDeclaration } = await import(new URL('util/syntax-helpers.js', instrumenterSrc).href);

export const sampleFraction = parseFraction(process.env.AOFSIM_MUTATION_SAMPLE ?? '1');
export const sampleSeed = process.env.AOFSIM_MUTATION_SAMPLE_SEED ?? '1';

function parseFraction(text) {
  const fraction = Number(text);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new Error(`AOFSIM_MUTATION_SAMPLE must be a fraction in (0, 1], got "${text}"`);
  }
  return fraction;
}

// FNV-1a, 32 bits: stable across Node versions and platforms.
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function declaredName(node) {
  const declaration =
    (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') && node.declaration
      ? node.declaration
      : node;
  if (declaration.id?.type === 'Identifier') return declaration.id.name;
  if (declaration.type === 'VariableDeclaration' && declaration.declarations[0]?.id.type === 'Identifier') {
    return declaration.declarations[0].id.name;
  }
  return `${node.type}@${node.loc?.start.line}`;
}

/** The top-level declaration holding `nodePath`: its name and its start offset. */
function enclosingUnit(nodePath) {
  const top = nodePath.find((p) => p.parentPath?.isProgram());
  return top ? { name: declaredName(top.node), start: top.node.start } : { name: '', start: 0 };
}

function isSite(nodePath) {
  return allMutators.some((mutator) => !mutator.mutate(nodePath).next().done);
}

function siteKey(file, nodePath) {
  const unit = enclosingUnit(nodePath);
  const { node } = nodePath;
  return `${file}\0${unit.name}\0${node.start - unit.start}\0${node.end - node.start}\0${node.type}`;
}

/** Whether the site `nodePath` of `file` is in the sample. */
export function inSample(file, nodePath, fraction = sampleFraction, seed = sampleSeed) {
  if (fraction >= 1) return true;
  return fnv1a(`${seed}\0${siteKey(file, nodePath)}`) / 2 ** 32 < fraction;
}

function relativeFile(nodePath) {
  const filename = nodePath.hub?.file?.opts?.filename ?? '';
  return path.relative(process.cwd(), filename).split(path.sep).join('/');
}

/** `file:line:column-line:column` of a site, lines counted from `firstLine` (babel: 1, StrykerJS's mutants: 0). */
export function siteLocation(file, loc, firstLine = 0) {
  const line = (n) => n - firstLine;
  return `${file}:${line(loc.start.line)}:${loc.start.column}-${line(loc.end.line)}:${loc.end.column}`;
}

// The sampled sites of every file instrumented so far (read by mutation/score.mjs), and, per
// Program node, the nodes to keep: the sampled sites still to test and their ancestors.
export const sampledSites = new Set();
const keptByProgram = new WeakMap();

// Sites whose every mutant has a kept verdict for the file's present content are not tested again
// (mutation/verdicts.mjs), unless AOFSIM_MUTATION_RESUME=no. mutation/score.mjs still counts them.
// AOFSIM_MUTATION_REJUDGE=survivors keeps only the verdicts of detected mutants: the survivors are
// tested again (after tests were added for them).
export const resume = process.env.AOFSIM_MUTATION_RESUME !== 'no';
const rejudgeSurvivors = process.env.AOFSIM_MUTATION_REJUDGE === 'survivors';
// A run of the `properties` suite also takes as done the mutants a run of the whole suite already
// saw a property test kill: that run ran the same property tests, so only the property misses are
// tested again (how the property suites' score is completed after property tests were added).
// A run of the whole suite likewise skips what a run of the property suites killed, and a run of
// the property suites what the whole suite let survive.
let keptPerSite = null;
export const skippedSites = new Set();
function keptVerdicts() {
  const kept = new Map([...readVerdicts()].filter(([, v]) => !rejudgeSurvivors || v.status === 'Killed' || v.status === 'Timeout'));
  // The other way round, a mutant a run of the property suites killed is detected by the whole suite.
  const other = suite === 'properties' ? 'all' : 'properties';
  for (const [key, v] of readVerdicts(verdictsFileOf(other))) {
    if (kept.has(key)) continue;
    if (countsForProperties(v)) kept.set(key, v);
    // The property suites are part of the whole suite: what it let survive they let survive too
    // (unless tests were added since: AOFSIM_MUTATION_REJUDGE=survivors tests those again).
    else if (suite === 'properties' && !rejudgeSurvivors && (v.status === 'Survived' || v.status === 'NoCoverage')) kept.set(key, v);
  }
  return kept;
}
function alreadyJudged(file, site, nodePath) {
  if (!resume) return false;
  keptPerSite ??= verdictsPerSite(keptVerdicts());
  const kept = keptPerSite.get(`${fileSha(file)}\0${site}`) ?? 0;
  if (kept === 0) return false;
  const mutants = allMutators.reduce((n, mutator) => n + [...mutator.mutate(nodePath)].length, 0);
  return kept >= mutants;
}

function plan(programPath) {
  const file = relativeFile(programPath);
  const keep = new Set([programPath.node]);
  programPath.traverse({
    enter(p) {
      if (isTypeNode(p) || isImportDeclaration(p) || p.isDecorator()) {
        p.skip();
        return;
      }
      if (!isSite(p) || !inSample(file, p)) return;
      const site = siteLocation(file, p.node.loc, 1);
      sampledSites.add(site);
      if (alreadyJudged(file, site, p)) {
        skippedSites.add(site);
        return;
      }
      for (let q = p; q && !keep.has(q.node); q = q.parentPath) keep.add(q.node);
    },
  });
  return keep;
}

export const sampleIgnorer = {
  shouldIgnore(nodePath) {
    if (sampleFraction >= 1) return undefined;
    const programPath = nodePath.isProgram() ? nodePath : nodePath.findParent((p) => p.isProgram());
    let keep = keptByProgram.get(programPath.node);
    if (!keep) {
      keep = plan(programPath);
      keptByProgram.set(programPath.node, keep);
    }
    if (keep.has(nodePath.node)) return undefined;
    return `outside the sample (AOFSIM_MUTATION_SAMPLE=${sampleFraction}, seed ${sampleSeed})`;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'aofsim-sample', sampleIgnorer)];

function globToRegExp(glob) {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '(?:.*/)?')}$`);
}

/** The files under src/ the globs select (`!glob` excludes), sorted: StrykerJS's `mutate` semantics for plain globs. */
export function filesOf(globs) {
  const include = globs.filter((g) => !g.startsWith('!')).map(globToRegExp);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => globToRegExp(g.slice(1)));
  return fs
    .readdirSync('src', { recursive: true })
    .map((f) => `src/${f.split(path.sep).join('/')}`)
    .filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)))
    .sort();
}

const quiet = {
  isDebugEnabled: () => false,
  isTraceEnabled: () => false,
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Instruments `files` as StrykerJS does, with the sample's ignorer: every mutant, ignored or not. */
export async function instrument(files) {
  const { mutants } = await new Instrumenter(quiet).instrument(
    files.map((name) => ({ name: path.resolve(name), mutate: true, content: fs.readFileSync(name, 'utf8') })),
    { plugins: null, excludedMutations: [], ignorers: [sampleIgnorer] },
  );
  return mutants.map((mutant) => ({
    ...mutant,
    fileName: path.relative(process.cwd(), mutant.fileName).split(path.sep).join('/'),
  }));
}

/** StrykerJS `mutate` patterns (`file:line:column-line:column`, lines from 1) for the sampled sites of `files`. */
export async function sampleMutatePatterns(files) {
  const patterns = new Set();
  for (const mutant of await instrument(files)) {
    const key = siteLocation(mutant.fileName, mutant.location);
    if (mutant.status || !sampledSites.has(key) || skippedSites.has(key)) continue;
    const { start, end } = mutant.location;
    patterns.add(`${mutant.fileName}:${start.line + 1}:${start.column}-${end.line + 1}:${end.column}`);
  }
  return [...patterns];
}
