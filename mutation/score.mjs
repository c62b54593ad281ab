// The scores of the mutation sample: `node mutation/score.mjs [--survivors]` (same AOFSIM_MUTATE /
// AOFSIM_MUTATION_SAMPLE* / AOFSIM_MUTATION_SUITE variables as the runs it reads).
//
// The sample's mutants are instrumented afresh from the present files (mutation/sample.mjs), and
// each one's verdict is looked up in the kept verdicts (mutation/verdicts-<suite>.jsonl, which every
// run appends to as it goes, stopped runs included) and in the last run's StrykerJS report, when
// one ended since. A verdict counts only for the file content it was measured on. It prints:
// - how many of the sample's mutants have a verdict (a sample measured in part is said to be);
// - the whole suite's score: killed or timed out, over all but compile/runtime errors;
// - the property suites' score: mutants some test of properties/ or scenarios/ failed on. The runs
//   do not bail, so every test that failed on a mutant is listed. A timeout names no test; it is
//   counted for the properties only when nothing but property tests cover the mutant;
// - both again over the non-equivalent mutants: mutation/triage.md lists the survivors judged
//   equivalent (a table row per mutant, keyed `file:line:column Mutator`);
// - a 95% interval for each score of the scope (Wilson, over the judged mutants);
// - the whole suite's score again counting the survivors the triage says tests added since kill, and
//   the property suites' counting the kills the triage credits to a file of properties/ or scenarios/.
// With --survivors it lists the survivors the triage neither judges equivalent nor killed, and those
// the properties miss.
import fs from 'node:fs';
import { filesOf, instrument, sampleFraction, sampleSeed, sampledSites, siteLocation } from './sample.mjs';
import { countsForProperties, fileSha, readVerdicts, suite, verdictKey, verdictOf, verdictsFileOf } from './verdicts.mjs';
import { mutateGlobs } from '../stryker.config.mjs';

const verdicts = readVerdicts();
// Scoring the whole suite, the verdicts of runs of the property suites alone complete it: a mutant
// the whole-suite run saw survive (or never ran) but a later run of the property suites killed, with
// property tests added since, is detected by those suites, and so by the whole suite.
const propertyVerdicts = suite === 'all' ? readVerdicts(verdictsFileOf('properties')) : new Map();

// A report of a run that ended (StrykerJS's JSON) adds what the kept verdicts lack (a run of a
// checkout that had no kept verdicts yet).
const reportFile = `mutation/report-${suite}.json`;
if (fs.existsSync(reportFile) && fs.statSync(reportFile).size > 0) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    // Only for the file as the run saw it: a report's verdicts of an older version of a file do not
    // judge the present one.
    if (!fs.existsSync(file) || (source !== undefined && source !== fs.readFileSync(file, 'utf8'))) continue;
    for (const m of mutants) {
      const v = verdictOf(file, m);
      if (!verdicts.has(verdictKey(v))) verdicts.set(verdictKey(v), v);
    }
  }
}

export const mutantKey = (v) => {
  const [line, column] = v.site.slice(v.file.length + 1).split('-')[0].split(':');
  return `${v.file}:${Number(line) + 1}:${Number(column) + 1} ${v.mutatorName}`;
};

// mutation/triage.md: rows `| \`file:line:column Mutator\` | replacement | verdict | why |`. The
// replacement cell holds one or more code spans separated by " / " (a span may be fenced with more
// backticks, as ``` `` ```; `... tail` stands for a long replacement ending in `tail`); a row judges
// exactly the mutants of its key with those replacements.
const triage = new Map();
if (fs.existsSync('mutation/triage.md')) {
  for (const line of fs.readFileSync('mutation/triage.md', 'utf8').split('\n')) {
    const row = /^\|\s*`([^`]+)`\s*\|(.*?[^\\])\|\s*([a-z-]+)\s*\|(.*)$/.exec(line);
    if (!row) continue;
    // A kill counts for the property suites when the test it names is a file of theirs.
    const byProperty = row[3] === 'killed' && /(^|[\s(`])(properties|scenarios)\/[\w/.-]+\.test\.ts/.test(row[4]);
    for (const span of row[2].split(' / ')) {
      const code = /^\s*(`+)\s?(.*?)\s?\1\s*$/.exec(span);
      if (!code) continue;
      const text = code[2].replace(/\\\|/g, '|');
      const matches = text.startsWith('... ') ? (r) => r.endsWith(text.slice(4)) : (r) => r === text;
      if (!triage.has(row[1])) triage.set(row[1], []);
      triage.get(row[1]).push({ matches, verdict: row[3], byProperty });
    }
  }
}
// Several rows may judge one mutant (a later section after tests were added): the last one's verdict
// stands, and a kill counts for the property suites when any row that says killed names a property file.
function triageRow(key, replacement) {
  const rows = (triage.get(key) ?? []).filter((t) => t.matches(replacement));
  if (rows.length === 0) return undefined;
  const last = rows[rows.length - 1];
  return { ...last, byProperty: rows.some((t) => t.verdict === 'killed' && t.byProperty) && last.verdict === 'killed' };
}

const files = filesOf(mutateGlobs);
const mutants = await instrument(files);
const counts = { sample: 0, judged: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, byProperties: 0, equivalent: 0, killedSince: 0, propertiesSince: 0, fromPropertyRuns: 0 };
const survivors = [];
const staleEquivalent = [];
const missedByProperties = [];
const untested = new Map();
for (const mutant of mutants) {
  const site = siteLocation(mutant.fileName, mutant.location);
  if (sampleFraction < 1 ? !sampledSites.has(site) : mutant.status) continue;
  counts.sample++;
  const key0 = verdictKey({ file: mutant.fileName, sha: fileSha(mutant.fileName), site, mutatorName: mutant.mutatorName, replacement: mutant.replacement });
  let v = verdicts.get(key0);
  const pv = propertyVerdicts.get(key0);
  if (pv !== undefined && countsForProperties(pv) && (v === undefined || !countsForProperties(v))) {
    v = { ...pv, byProperties: true, onlyProperties: true, fromPropertyRun: true };
    counts.fromPropertyRuns++;
  }
  if (v === undefined) {
    untested.set(mutant.fileName, (untested.get(mutant.fileName) ?? 0) + 1);
    continue;
  }
  if (v.status === 'CompileError' || v.status === 'RuntimeError') {
    counts.errors++;
    continue;
  }
  counts.judged++;
  const key = mutantKey(v);
  const row = triageRow(key, v.replacement);
  const judged = row?.verdict;
  // A triage row judges a survivor: a mutant some test now detects is not equivalent, whatever the
  // row says (the row is stale, or the test tells the two apart where the triage saw no way to).
  const detectedNow = v.status === 'Killed' || v.status === 'Timeout';
  const equivalent = judged === 'equivalent' && !detectedNow;
  if (judged === 'equivalent' && detectedNow) staleEquivalent.push({ key, v });
  if (equivalent) counts.equivalent++;
  let props = false;
  if (v.status === 'Killed') {
    counts.killed++;
    props = v.byProperties;
  } else if (v.status === 'Timeout') {
    counts.timeout++;
    props = v.onlyProperties;
  } else if (v.status === 'Survived') counts.survived++;
  else counts.noCoverage++;
  if (props) counts.byProperties++;
  if ((v.status === 'Survived' || v.status === 'NoCoverage') && !equivalent) {
    if (judged === 'killed') counts.killedSince++;
    else survivors.push({ key, v });
  }
  // A mutant the properties miss that a property test added since kills (the triage names the file).
  const propertiesSince = !props && !equivalent && judged === 'killed' && row.byProperty;
  if (propertiesSince) counts.propertiesSince++;
  if (!props && !equivalent && !propertiesSince && (v.status === 'Killed' || v.status === 'Timeout')) missedByProperties.push({ key, v });
}

const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
/** Wilson score interval, 95%. */
function wilson(k, n) {
  if (n === 0) return 'n/a';
  const z = 1.96;
  const p = k / n;
  const mid = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return `${(100 * (mid - half)).toFixed(1)}-${(100 * (mid + half)).toFixed(1)}%`;
}
const detected = counts.killed + counts.timeout;
const nonEquivalent = counts.judged - counts.equivalent;
const missing = counts.sample - counts.judged - counts.errors;
console.log(
  `sample: fraction ${sampleFraction}, seed ${sampleSeed}, suite ${suite}: ${counts.sample} mutants; ${counts.judged} judged, ` +
    `${counts.errors} compile/runtime errors left out, ${missing} not tested yet${missing > 0 ? ' (a partial measure)' : ''}`,
);
console.log(
  `whole suite: ${detected} detected (${counts.killed} killed, ${counts.timeout} timed out), ${counts.survived} survived, ` +
    `${counts.noCoverage} not covered: ${pct(detected, counts.judged)}; of the ${nonEquivalent} non-equivalent: ` +
    `${pct(detected, nonEquivalent)} (95% interval ${wilson(detected, nonEquivalent)})`,
);
console.log(
  `property suites alone: ${counts.byProperties} detected: ${pct(counts.byProperties, counts.judged)}; ` +
    `of the non-equivalent: ${pct(counts.byProperties, nonEquivalent)} (95% interval ${wilson(counts.byProperties, nonEquivalent)})`,
);
if (counts.fromPropertyRuns > 0) {
  console.log(`(${counts.fromPropertyRuns} of them detected by a later run of the property suites alone: ${verdictsFileOf('properties')})`);
}
console.log(
  `triage: ${counts.equivalent} equivalent; ${counts.killedSince} survivors killed by tests added since; ` +
    `${survivors.length} survivors neither`,
);
if (counts.killedSince > 0) {
  // The triage's kills were checked by applying each mutant by hand (mutation/triage.md); a rerun
  // with AOFSIM_MUTATION_REJUDGE=survivors turns them into StrykerJS verdicts.
  const withSince = detected + counts.killedSince;
  console.log(
    `whole suite with the tests added since (the triage's kills, not yet rerun): ${pct(withSince, nonEquivalent)} of the ` +
      `non-equivalent (95% interval ${wilson(withSince, nonEquivalent)})`,
  );
}
if (counts.propertiesSince > 0) {
  // The same for the property suites: the triage's kills that name a property file (checked by hand,
  // not yet a StrykerJS verdict; AOFSIM_MUTATION_SUITE=properties with a sample turns them into ones).
  const withSince = counts.byProperties + counts.propertiesSince;
  console.log(
    `property suites alone with the property tests added since (${counts.propertiesSince} triage kills, not yet rerun): ` +
      `${pct(withSince, nonEquivalent)} of the non-equivalent (95% interval ${wilson(withSince, nonEquivalent)})`,
  );
}
if (staleEquivalent.length > 0) {
  console.log(`${staleEquivalent.length} mutants the triage calls equivalent are detected now (counted as detected, not as equivalent):`);
  for (const { key, v } of staleEquivalent) console.log(`  ${key} -> ${JSON.stringify(v.replacement)} [${v.status}: ${v.killedIn.join(', ') || 'timeout'}]`);
}
if (missing > 0) {
  console.log(`not tested yet, by file: ${[...untested].map(([f, n]) => `${f} ${n}`).join(', ')}`);
}
if (process.argv.includes('--survivors')) {
  const show = ({ key, v }) => `  ${key} -> ${JSON.stringify(v.replacement)} [${v.status}]`;
  console.log('survivors (whole suite):');
  for (const s of survivors) console.log(show(s));
  console.log('detected only outside the property suites:');
  for (const s of missedByProperties) console.log(show(s));
}
