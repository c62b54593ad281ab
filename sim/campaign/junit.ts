// JUnit XML for CI (the Ant/Surefire schema every CI renders): `aofsim run --junit FILE` writes one
// test case per property x combination, `aofsim validate --junit FILE` one per fault x property.
// A failure carries its finding and the command that replays it; a case that did not run is
// <skipped/> with the reason, never a pass.
//
// Invariants: pure (the caller writes the file); text is XML-escaped, control characters other
// than tab/newline are replaced (XML 1.0 forbids them), so any failure message yields valid XML.

export interface JUnitCase {
  /** Shown as the test's group (classname): the property. */
  classname: string;
  /** The combination or fault. */
  name: string;
  timeSeconds?: number;
  failure?: { message: string; body: string };
  skipped?: string;
  /** Extra lines for <system-out> (runs, seeds). */
  out?: string;
}

export interface JUnitSuite {
  name: string;
  timeSeconds: number;
  properties?: Record<string, string>;
  cases: JUnitCase[];
}

export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function junitXml(suites: readonly JUnitSuite[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = (k: 'all' | 'failures' | 'skipped') =>
    suites.reduce((n, s) => n + s.cases.filter((c) => k === 'all' || (k === 'failures' ? c.failure !== undefined : c.skipped !== undefined)).length, 0);
  lines.push(`<testsuites tests="${total('all')}" failures="${total('failures')}" skipped="${total('skipped')}" errors="0">`);
  for (const s of suites) {
    const failures = s.cases.filter((c) => c.failure !== undefined).length;
    const skipped = s.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(`  <testsuite name="${xmlEscape(s.name)}" tests="${s.cases.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${s.timeSeconds.toFixed(3)}">`);
    if (s.properties && Object.keys(s.properties).length > 0) {
      lines.push('    <properties>');
      for (const [k, v] of Object.entries(s.properties)) lines.push(`      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) {
      const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${(c.timeSeconds ?? 0).toFixed(3)}"`;
      if (c.failure === undefined && c.skipped === undefined && c.out === undefined) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (c.failure !== undefined) lines.push(`      <failure message="${xmlEscape(c.failure.message)}" type="property">${xmlEscape(c.failure.body)}</failure>`);
      if (c.skipped !== undefined) lines.push(`      <skipped message="${xmlEscape(c.skipped)}"/>`);
      if (c.out !== undefined) lines.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
