// The HTML report of `aofsim validate redis-server --report FILE` (issue 7 item 5): one
// self-contained page (inline CSS, no script, no external resource) a person can read at a glance:
// a verdict banner that counts distinct findings (not repeats), figures (runs, crash states
// checked, states per second), the findings (id "findings": one card per signature with its count,
// the known Redis behaviour it matches, what can produce its crash model, its shortest
// counterexample and replay command), the summary table (id "summary": one row per fault and
// property with pass/fail counts and a bar, each fault labelled with what can produce it) and, for
// each finding, up to three failures with their timelines (id "failures"); the subject's command
// and features, and the checks skipped for want of a feature with the reason (id "skipped": grey
// SKIPPED badges, counted neither as passed nor as failed).
//
// Invariants: every text from the run is HTML-escaped; the output depends only on the report.

import type { CampaignReport } from './real-campaign.ts';
import { faultLabel } from './real-campaign.ts';
import { describeFeatures, faultProducedBy, verdictText } from './validate-report.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{padding:22px 32px;color:#fff}
header.ok{background:#1f8a4c} header.fail{background:#b42318}
header h1{margin:0 0 4px;font-size:24px} header p{margin:0;opacity:.9}
main{padding:20px 32px;max-width:1200px}
.cards{display:flex;gap:14px;flex-wrap:wrap;margin-bottom:20px}
.card{background:#fff;border-radius:8px;padding:12px 18px;box-shadow:0 1px 2px #0002;min-width:150px}
.card b{display:block;font-size:24px}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002;border-radius:8px;overflow:hidden}
th,td{padding:8px 12px;text-align:left;border-bottom:1px solid #e6e8ec;vertical-align:middle}
th{background:#eef0f4;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:13px;color:#fff}
.badge.pass{background:#1f8a4c} .badge.fail{background:#b42318} .badge.skip{background:#6b7280}
.bar{display:flex;height:10px;width:160px;border-radius:5px;overflow:hidden;background:#e6e8ec}
.bar i{display:block;height:100%} .bar i.p{background:#38b26b} .bar i.f{background:#d92d20}
h2{margin:28px 0 10px}
details{background:#fff;border-left:5px solid #d92d20;border-radius:6px;margin:10px 0;padding:10px 16px;box-shadow:0 1px 2px #0002}
summary{cursor:pointer;font-weight:600}
ol.timeline{font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;background:#f7f8fa;padding:10px 10px 10px 40px;border-radius:6px;white-space:pre-wrap;word-break:break-all}
code.replay{display:block;background:#1d2330;color:#e6edf3;padding:8px 12px;border-radius:6px;font-size:13px;overflow-x:auto}
.muted{color:#5b6474}
.finding{background:#fff;border-radius:8px;padding:12px 18px;margin:10px 0;box-shadow:0 1px 2px #0002;border-left:5px solid #d92d20}
.finding.known{border-left-color:#b7791f}
.finding h3{margin:0 0 6px;font-size:16px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
.finding dt{color:#5b6474}
.count{font-variant-numeric:tabular-nums;background:#1d2330;color:#fff;border-radius:10px;padding:1px 9px;font-size:13px;margin-right:6px}
`;

export function renderReportHtml(r: CampaignReport): string {
  const e = escapeHtml;
  const failed = r.rows.filter((x) => x.failed > 0).length;
  const rows = [...r.rows]
    .sort((a, b) => Number(b.failed > 0) - Number(a.failed > 0))
    .map((x) => {
      const total = x.passed + x.failed;
      const pw = total === 0 ? 0 : (100 * x.passed) / total;
      return `<tr class="${x.failed > 0 ? 'fail' : 'pass'}"><td title="${e(faultProducedBy(x.fault))}">${e(faultLabel(x.fault))}<br><span class="muted">${e(faultProducedBy(x.fault))}</span></td><td>${e(x.property)}</td><td class="num">${x.passed}</td><td class="num">${x.failed}</td>` +
        `<td><div class="bar" title="${x.passed} passed, ${x.failed} failed"><i class="p" style="width:${pw.toFixed(1)}%"></i><i class="f" style="width:${(100 - pw).toFixed(1)}%"></i></div></td>` +
        `<td><span class="badge ${x.failed > 0 ? 'fail' : 'pass'}">${x.failed > 0 ? 'FAIL' : 'PASS'}</span></td></tr>`;
    })
    .join('\n');
  // At most 3 failures per fault and property in full; the rest are counted.
  const perKey = new Map<string, number>();
  const shown = r.failures.filter((f) => {
    const k = `${f.fault}\u0000${f.property}`;
    const n = (perKey.get(k) ?? 0) + 1;
    perKey.set(k, n);
    return n <= 3;
  });
  const more = [...perKey].filter(([, n]) => n > 3).map(([k, n]) => {
    const [fault, property] = k.split('\u0000');
    return `<li>${e(property)} — ${e(faultLabel(fault))}: ${n - 3} more failure(s) of the same kind</li>`;
  });
  const failures = shown
    .map(
      (f, i) => `<details${i < 3 ? ' open' : ''} class="failure"><summary>${e(f.property)} — ${e(faultLabel(f.fault))}: ${e(f.title)}</summary>
<p>${e(f.detail)}</p>
<p class="muted">found after ${(f.foundAfterMs / 1000).toFixed(1)} s</p>
<ol class="timeline">${f.timeline.map((l) => `<li>${e(l)}</li>`).join('')}</ol>
<p>Replay:</p><code class="replay">${e(f.replay)}</code>
</details>`,
    )
    .join('\n');
  const findings = r.findings
    .map(
      (f, i) => `<div class="finding${f.known ? ' known' : ''}"><h3><span class="count">${f.count}&times;</span>${i + 1}. ${e(f.property)}${f.crashModel ? ` under ${e(f.crashModel)}` : ''}</h3>
<dl><dt>matches</dt><dd>${f.known ? e(f.known) : '<b>no known behaviour: a new finding</b>'}</dd>
<dt>step</dt><dd>${e(f.step)}</dd><dt>symptom</dt><dd>${e(f.symptom)}</dd>
${f.producedBy ? `<dt>produced by</dt><dd>${e(f.producedBy)}</dd>` : ''}${f.weakerOnly ? `<dt>note</dt><dd>${e(f.weakerOnly)}</dd>` : ''}
<dt>shortest</dt><dd>${f.example.size} ${e(f.example.sizeUnit)} (${e(f.example.where)})</dd></dl>
<code class="replay">${e(f.example.replay)}</code></div>`,
    )
    .join('\n');
  const known = r.findings.filter((f) => f.known !== null).length;
  const skipped = r.skipped
    .map((x) => `<tr class="skip"><td>${e(faultLabel(x.fault))}</td><td>${e(x.property)}</td><td>${e(x.reason)}</td><td><span class="badge skip">SKIPPED</span></td></tr>`)
    .join('\n');
  const cards = [
    ['runs', Object.values(r.runs).reduce((a, b) => a + b, 0)],
    ['crash states checked', r.alice.statesChecked],
    ['crash states / s', r.alice.statesPerSecond.toFixed(1)],
    ['distinct findings', `${r.findings.length} (${known} known)`],
    ['properties failing', `${failed} / ${r.rows.length}`],
    ['checks skipped', r.skipped.length],
    ['elapsed', `${(r.elapsedMs / 1000).toFixed(0)} s`],
  ]
    .map(([k, v]) => `<div class="card"><b>${e(String(v))}</b>${e(String(k))}</div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aofsim validate: ${e(r.bin)}</title><style>${CSS}</style></head>
<body>
<header class="${r.ok ? 'ok' : 'fail'}"><h1>${r.ok && r.skipped.length === 0 ? 'All properties hold' : e(verdictText(r))}</h1>
<p>${e(r.bin)} — ${e(r.version)} — started ${e(r.startedAt)}, budget ${(r.budgetMs / 1000).toFixed(0)} s</p></header>
<main>
<div class="cards">${cards}</div>
<p id="subject"><b>Subject:</b> <code>${e(r.command)}</code><br><b>Features:</b> ${e(describeFeatures(r.features))}</p>
<h2 id="findings">Findings</h2>
${r.findings.length === 0 ? '<p>None.</p>' : findings}
<h2>Summary per fault and property</h2>
<table id="summary"><thead><tr><th>fault</th><th>property</th><th>passed</th><th>failed</th><th></th><th>verdict</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2 id="skipped">Skipped checks</h2>
${r.skipped.length === 0 ? '<p>None: the subject has every feature the checks need.</p>' : `<table><thead><tr><th>fault</th><th>property</th><th>reason</th><th>verdict</th></tr></thead><tbody>\n${skipped}\n</tbody></table>`}
<h2 id="failures">Failures</h2>
${r.failures.length === 0 ? '<p>None.</p>' : failures}
${more.length > 0 ? `<ul class="muted">${more.join('')}</ul>` : ''}
<p class="muted">Crash states by model: ${e(Object.entries(r.alice.byModel).map(([m, n]) => `${m} ${n}`).join(', ') || 'none')}. Generated by aofsim validate.</p>
</main></body></html>
`;
}
