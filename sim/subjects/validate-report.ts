// What `aofsim validate redis-server` prints and writes for CI, from a campaign report
// (real-campaign.ts): the distinct findings first (real-findings.ts), then one line per fault and
// property; and JUnit XML (sim/campaign/junit.ts) with one test case per fault x property whose
// failure names the findings it belongs to and their replay commands.
//
// Invariants: pure functions of the report.

import { CRASH_CLASS_LABEL, crashClassOf, describeFinding } from '../campaign/findings.ts';
import type { JUnitSuite } from '../campaign/junit.ts';
import type { CampaignReport } from './real-campaign.ts';
import { faultLabel } from './real-campaign.ts';
import { faultCrashModel, realFailureInstance } from './real-findings.ts';
import { signatureKey } from '../campaign/findings.ts';

/** What can produce a fault's crash states, or what the fault is. */
export function faultProducedBy(fault: string): string {
  const cls = crashClassOf(faultCrashModel(fault));
  return cls !== null ? CRASH_CLASS_LABEL[cls] : 'an injected error (strace --inject)';
}

export function formatValidateSummary(r: CampaignReport): string {
  const out: string[] = [];
  const known = r.findings.filter((f) => f.known !== null).length;
  out.push(
    `${r.bin} (${r.version}): ${
      r.ok ? 'every property held' : `${r.findings.length} distinct finding${r.findings.length === 1 ? '' : 's'} (${known} known Redis behaviour${known === 1 ? '' : 's'}) from ${r.failures.length} failure(s)`
    } in ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  r.findings.forEach((f, i) => out.push(...describeFinding(f, i)));
  if (r.findings.length > 0) out.push('');
  for (const x of r.rows) out.push(`  ${x.failed > 0 ? 'FAIL' : 'pass'}  ${x.fault.padEnd(24)} ${x.property.padEnd(32)} ${x.passed} passed, ${x.failed} failed`);
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
      properties: { bin: r.bin, version: r.version },
      cases: r.rows.map((x) => {
        const base = { classname: x.property, name: `${x.fault}: ${faultLabel(x.fault)}`, out: `${x.passed} passed, ${x.failed} failed; ${faultProducedBy(x.fault)}` };
        if (x.failed === 0) return x.passed > 0 ? base : { ...base, skipped: 'not run' };
        const mine = r.failures.filter((f) => f.fault === x.fault && f.property === x.property).map((f) => signatureKey(realFailureInstance(f)));
        const findings = r.findings.filter((f) => mine.includes(f.key));
        const body = findings.flatMap((f) => [...describeFinding(f, r.findings.indexOf(f)), '']).join('\n');
        const first = findings[0];
        const message = first ? `${x.failed} failed: ${first.known ?? first.symptom} (replay: ${first.example.replay})` : `${x.failed} failed`;
        return { ...base, failure: { message, body } };
      }),
    },
  ];
}
