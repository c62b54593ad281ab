// The scores of a mutation run: `node mutation/score.mjs [--survivors]` after `npm run mutation`
// (same AOFSIM_MUTATE / AOFSIM_MUTATION_SAMPLE* variables as the run it reads).
//
// Reads mutation/report-all.json and, over the sampled mutants only (mutation/sample.mjs; every
// mutant when the fraction is 1), prints:
// - the whole suite's score: killed or timed out, over all but compile/runtime errors;
// - the property suites' score: mutants some test of properties/ or scenarios/ failed on. The run
//   does not bail, so the report lists every test that failed on a mutant. A timeout names no test;
//   it is counted for the properties only when nothing but property tests cover the mutant;
// - both again over the non-equivalent mutants: mutation/triage.md lists the survivors judged
//   equivalent (a table row per mutant, keyed `file:line:column Mutator`).
// With --survivors it lists the survivors not in the triage, and those the properties miss.
import fs from 'node:fs';
import { filesOf, instrument, sampleFraction, sampleSeed, sampledSites, siteLocation } from './sample.mjs';
import { mutateGlobs } from '../stryker.config.mjs';

// The report of the last run: StrykerJS's report when the run ended, else the verdicts the
// progress log (mutation/progress-log.mjs) kept of a run that was stopped or is still going.
const given = process.argv.slice(2).find((a) => a.endsWith('.json') || a.endsWith('.jsonl'));
const reportFile = given ?? newest('mutation/report-all.json', 'mutation/progress-all.jsonl');
const report = reportFile.endsWith('.jsonl') ? fromProgressLog(reportFile) : JSON.parse(fs.readFileSync(reportFile, 'utf8'));
console.log(`verdicts from ${reportFile}`);

function newest(...files) {
  const present = files.filter((f) => fs.existsSync(f) && fs.statSync(f).size > 0);
  if (present.length === 0) {
    console.error(`mutation/score.mjs: no report: run npm run mutation first (looked for ${files.join(', ')})`);
    process.exit(2);
  }
  return present.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/** The progress log in the shape of StrykerJS's JSON report (files -> mutants, testFiles -> tests). */
function fromProgressLog(file) {
  const out = { files: {}, testFiles: {} };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line);
    if (r.event === 'tests') {
      for (const t of r.tests) (out.testFiles[t.file] ??= { tests: [] }).tests.push({ id: t.id });
    } else if (r.event === 'mutant') {
      (out.files[r.file] ??= { mutants: [] }).mutants.push(r);
    }
  }
  return out;
}

// Which tests belong to the property suites: their file decides.
const propertyTest = new Set();
for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) {
  if (/^(properties|scenarios)\//.test(file)) for (const t of tests) propertyTest.add(t.id);
}

// The report's locations count lines and columns from 1; the sample's from 0.
const toZero = (loc) => ({
  start: { line: loc.start.line - 1, column: loc.start.column - 1 },
  end: { line: loc.end.line - 1, column: loc.end.column - 1 },
});
export const mutantKey = (file, m) => `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`;

if (sampleFraction < 1) await instrument(filesOf(mutateGlobs));
const inScope = new Set(filesOf(mutateGlobs));

// mutation/triage.md: rows `| \`file:line:column Mutator\` | replacement | verdict | why |`.
const triage = new Map();
if (fs.existsSync('mutation/triage.md')) {
  for (const line of fs.readFileSync('mutation/triage.md', 'utf8').split('\n')) {
    const row = /^\|\s*`([^`]+)`\s*\|[^|]*\|\s*([a-z-]+)\s*\|/.exec(line);
    if (row) triage.set(row[1], row[2]);
  }
}

const counts = { total: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, byProperties: 0, equivalent: 0 };
const survivors = [];
const missedByProperties = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  if (!inScope.has(file)) continue;
  for (const m of mutants) {
    if (m.status === 'Ignored') continue;
    if (sampleFraction < 1 && !sampledSites.has(siteLocation(file, toZero(m.location)))) continue;
    if (m.status === 'CompileError' || m.status === 'RuntimeError') {
      counts.errors++;
      continue;
    }
    counts.total++;
    const key = mutantKey(file, m);
    const equivalent = triage.get(key) === 'equivalent';
    if (equivalent) counts.equivalent++;
    let props = false;
    if (m.status === 'Killed') {
      counts.killed++;
      props = (m.killedBy ?? []).some((id) => propertyTest.has(id));
    } else if (m.status === 'Timeout') {
      counts.timeout++;
      props = (m.coveredBy ?? []).length > 0 && m.coveredBy.every((id) => propertyTest.has(id));
    } else if (m.status === 'Survived') counts.survived++;
    else counts.noCoverage++;
    if (props) counts.byProperties++;
    if ((m.status === 'Survived' || m.status === 'NoCoverage') && !equivalent) survivors.push({ key, m });
    if (!props && !equivalent && (m.status === 'Killed' || m.status === 'Timeout')) missedByProperties.push({ key, m });
  }
}

const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const detected = counts.killed + counts.timeout;
const nonEquivalent = counts.total - counts.equivalent;
console.log(`sample: fraction ${sampleFraction}, seed ${sampleSeed}; ${counts.total} mutants (${counts.errors} compile/runtime errors left out)`);
console.log(
  `whole suite: ${detected} detected (${counts.killed} killed, ${counts.timeout} timed out), ${counts.survived} survived, ` +
    `${counts.noCoverage} not covered: ${pct(detected, counts.total)}; of the ${nonEquivalent} non-equivalent: ${pct(detected, nonEquivalent)}`,
);
console.log(
  `property suites alone: ${counts.byProperties} detected: ${pct(counts.byProperties, counts.total)}; ` +
    `of the non-equivalent: ${pct(counts.byProperties, nonEquivalent)}`,
);
console.log(`triage: ${counts.equivalent} equivalent; ${survivors.length} survivors not triaged as equivalent`);
if (process.argv.includes('--survivors')) {
  const show = ({ key, m }) => `  ${key} -> ${JSON.stringify(m.replacement)} [${m.status}]`;
  console.log('survivors (whole suite):');
  for (const s of survivors) console.log(show(s));
  console.log('detected only outside the property suites:');
  for (const s of missedByProperties) console.log(show(s));
}
