// What `aofsim validate redis-server` prints and writes for CI, from a campaign report
// (real-campaign.ts): the distinct findings first (real-findings.ts), then one line per fault and
// property, then the checks skipped for want of a feature of the subject (real-features.ts) with
// the reason; and JUnit XML (sim/campaign/junit.ts) with one test case per fault x property whose
// failure names the findings it belongs to and their replay commands, and one <skipped/> test case
// per skipped check (never a pass, never a failure).
//
// Invariants: pure functions of the report.

import { CRASH_CLASS_LABEL, crashClassOf, describeFinding } from '../campaign/findings.ts';
import type { JUnitSuite } from '../campaign/junit.ts';
import type { CampaignReport } from './real-campaign.ts';
import type { Feature, SubjectFeatures } from './real-features.ts';
import { faultLabel } from './real-campaign.ts';
import { faultCrashModel, realFailureInstance } from './real-findings.ts';
import { signatureKey } from '../campaign/findings.ts';

/** What can produce a fault's crash states, or what the fault is. */
export function faultProducedBy(fault: string): string {
  const cls = crashClassOf(faultCrashModel(fault));
  return cls !== null ? CRASH_CLASS_LABEL[cls] : 'an injected error (strace --inject)';
}

const FEATURE_LABEL: Record<Feature, string> = { 'config-set': 'CONFIG SET', bgrewriteaof: 'BGREWRITEAOF', 'info-persistence': 'INFO persistence', manifest: 'manifest' };

/** One line: what the subject supports, with what the probe saw for each missing feature. */
export function describeFeatures(f: SubjectFeatures): string {
  return (Object.keys(FEATURE_LABEL) as Feature[]).map((k) => `${FEATURE_LABEL[k]} ${f.has[k] ? 'yes' : `no (${f.seen[k]})`}`).join('; ');
}

/** The verdict's words: what held, and how many checks were skipped. */
export function verdictText(r: CampaignReport): string {
  const known = r.findings.filter((f) => f.known !== null).length;
  const skips = r.skipped.length > 0 ? `; ${r.skipped.length} check${r.skipped.length === 1 ? '' : 's'} SKIPPED (not run: see the reasons)` : '';
  if (r.rows.length === 0 && r.skipped.length > 0) return `no check ran${skips}`;
  if (r.ok) return `${r.skipped.length > 0 ? 'every property that ran held' : 'every property held'}${skips}`;
  return `${r.findings.length} distinct finding${r.findings.length === 1 ? '' : 's'} (${known} known Redis behaviour${known === 1 ? '' : 's'}) from ${r.failures.length} failure(s)${skips}`;
}

export function formatValidateSummary(r: CampaignReport): string {
  const out: string[] = [];
  out.push(`${r.bin} (${r.version}): ${verdictText(r)} in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  out.push(`  subject: ${r.command}`);
  out.push(`  features: ${describeFeatures(r.features)}; AOF files in ${r.features.aofDir}, faults target ${r.features.aofFile}`);
  r.findings.forEach((f, i) => out.push(...describeFinding(f, i)));
  if (r.findings.length > 0) out.push('');
  for (const x of r.rows) out.push(`  ${x.failed > 0 ? 'FAIL' : 'pass'}  ${x.fault.padEnd(24)} ${x.property.padEnd(32)} ${x.passed} passed, ${x.failed} failed`);
  for (const x of r.skipped) out.push(`  SKIP  ${x.fault.padEnd(24)} ${x.property.padEnd(32)} ${x.reason}`);
  out.push(`  power-loss crash states checked: ${r.alice.statesChecked} (${r.alice.statesPerSecond.toFixed(1)}/s)`);
  const faults = [...new Set(r.rows.map((x) => x.fault))];
  for (const f of faults) out.push(`  ${f}: ${faultProducedBy(f)}`);
  return out.join('\n') + '\n';
}

export function validateJUnit(r: CampaignReport): JUnitSuite[] {
  return [
    {
      name: `aofsim validate ${r.bin}`,
      timeSeconds: r.elapsedMs / 1000,
      properties: { bin: r.bin, version: r.version, command: r.command, features: describeFeatures(r.features) },
      cases: [
        ...r.rows.map((x) => {
        const base = { classname: x.property, name: `${x.fault}: ${faultLabel(x.fault)}`, out: `${x.passed} passed, ${x.failed} failed; ${faultProducedBy(x.fault)}` };
        if (x.failed === 0) return x.passed > 0 ? base : { ...base, skipped: 'not run' };
        const mine = r.failures.filter((f) => f.fault === x.fault && f.property === x.property).map((f) => signatureKey(realFailureInstance(f)));
        const findings = r.findings.filter((f) => mine.includes(f.key));
        const body = findings.flatMap((f) => [...describeFinding(f, r.findings.indexOf(f)), '']).join('\n');
        const first = findings[0];
        const message = first ? `${x.failed} failed: ${first.known ?? first.symptom} (replay: ${first.example.replay})` : `${x.failed} failed`;
        return { ...base, failure: { message, body } };
        }),
        ...r.skipped.map((x) => ({ classname: x.property, name: `${x.fault}: ${faultLabel(x.fault)}`, skipped: `SKIPPED: ${x.reason}` })),
      ],
    },
  ];
}
