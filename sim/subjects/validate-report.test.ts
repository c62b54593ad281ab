// The validate report leads with distinct findings: hundreds of failures that are two known Redis
// behaviours read as two findings with their counts, shortest counterexample, replay command and
// the crash model's label, in the console summary, the HTML report and JUnit.
import { describe, expect, it } from 'vitest';
import type { CampaignFailure, CampaignReport } from './real-campaign.ts';
import type { SubjectFeatures } from './real-features.ts';
import { keyLogLine, realFindings } from './real-findings.ts';
import { renderReportHtml } from './report-html.ts';
import { formatValidateSummary, validateJUnit } from './validate-report.ts';
import { junitXml } from '../campaign/junit.ts';

function fail(model: string, property: string, op: number, log: string[], detail: string): CampaignFailure {
  return {
    fault: `power-loss ${model}`, property, title: `power loss after write (seed ${op})`, detail, timeline: [], replay: `aofsim replay s${op}.scenario.json --timeline`,
    foundAfterMs: op, step: `power loss after write(appendonlydir/appendonly.aof.1.incr.aof, ${100 + op} bytes)`, log, size: op, sizeUnit: 'traced syscalls before the crash', where: `seed ${op}`,
  };
}

const FEATURES: SubjectFeatures = {
  has: { 'config-set': true, bgrewriteaof: true, 'info-persistence': true, manifest: true },
  seen: { 'config-set': 'CONFIG SET appendfsync always -> OK', bgrewriteaof: 'BGREWRITEAOF -> Background append only file rewriting started', 'info-persistence': 'INFO persistence lists aof_rewrite_in_progress', manifest: 'manifest appendonlydir/appendonly.aof.manifest' },
  aofDir: 'appendonlydir', aofFile: 'appendonlydir/appendonly.aof.1.incr.aof', checkFile: 'appendonlydir/appendonly.aof.manifest', version: '7.0.15',
};

function report(): CampaignReport {
  const failures: CampaignFailure[] = [];
  const bad = ['12345:M 06 Dec 2026 15:00:00.000 # Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file'];
  for (let i = 0; i < 128; i++) failures.push(fail('reorder', 'server-starts', 60 + i, bad, `the server refused to start (exit 1) on this crash state`));
  for (let i = 0; i < 200; i++) failures.push(fail('zero-fill', 'server-starts', 40 + i, bad, `the server refused to start (exit 1) on this crash state`));
  for (let i = 0; i < 24; i++) failures.push(fail('torn', 'writes-after-recovery-survive', 90 + i, [], `after recovery, SET aofsim:probe ${i} replied OK, then SIGKILL and restart: aofsim:probe is (absent)`));
  return {
    bin: 'redis-server', command: "redis-server --port {port} --bind 127.0.0.1 --dir {dir} --daemonize no --save ''", version: 'v=7.0.15', features: FEATURES, skipped: [], startedAt: '2026-12-06T15:00:00.000Z', elapsedMs: 60_000, budgetMs: 60_000,
    rows: [
      { fault: 'power-loss reorder', property: 'server-starts', passed: 0, failed: 128 },
      { fault: 'power-loss torn', property: 'writes-after-recovery-survive', passed: 30, failed: 24 },
      { fault: 'power-loss zero-fill', property: 'server-starts', passed: 3, failed: 200 },
      { fault: 'sigkill', property: 'acked-writes-survive', passed: 4, failed: 0 },
    ],
    failures, findings: realFindings(failures), runs: { 'power-loss': 4, sigkill: 4 },
    alice: { statesChecked: 600, statesTotal: 700, crashPoints: 90, checkMs: 50_000, statesPerSecond: 12, byModel: { reorder: 128, 'zero-fill': 203, torn: 54 } }, ok: false,
  };
}

describe('validate findings', () => {
  it("redis 4.0.14's classes are known: an ignored fsync error under always, and a rewrite rename lost to a power loss", () => {
    const eio: CampaignFailure = {
      ...fail('prefix', 'always-exits-on-fsync-error', 1, [], 'the server kept running after the fsync error'),
      fault: 'fsync-eio-always',
    };
    const crash = (files: string): CampaignFailure => ({
      ...fail('prefix', 'acked-writes-survive', 2, [], 'acknowledged writes lost: no live state S_k with 7 <= k <= 8 matches the recovery'),
      timeline: [`crash state: power-loss prefix files{7:1} dirs{4:3}; files: ${files}`],
    });
    const [a, b, c] = [eio, crash('appendonly.aof (1265 bytes), temp-rewriteaof-bg-31722.aof (1508 bytes)'), crash('appendonly.aof (1265 bytes)')].map(
      (f) => realFindings([f])[0]!.known,
    );
    expect(a).toContain('docs/redis-bugs.md#bug-1');
    expect(b).toContain('docs/redis-bugs.md#bug-4');
    expect(c).toBeNull(); // no rewrite in flight: not explained by the rename
  });

  it('a torn non-last INCR is the known refusal, though "Truncating" is logged before the fatal line (7.0.15 and valkey 8.0.1 log both)', () => {
    const log = [
      "4497:M 07 Dec 2026 12:04:44.284 # !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!",
      '4497:M 07 Dec 2026 12:04:44.284 # !!! Truncating the AOF appendonly.aof.1.incr.aof at offset 986 !!!',
      '4497:M 07 Dec 2026 12:04:44.284 # AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      '4497:M 07 Dec 2026 12:04:44.285 # Fatal error: the truncated file is not the last file',
    ];
    const [f] = realFindings([fail('torn', 'server-starts', 68, log, 'the server refused to start (exit 1) on this crash state')]);
    expect(f!.known).toContain('docs/redis-bugs.md#bug-10');
    expect(f!.symptom).toContain('[log: Fatal error: the truncated file is not the last file]');
    // Without a decisive line, the first warning that names an error or a truncation is the reason.
    expect(keyLogLine([log[0]!, log[1]!, log[2]!])).toBe('!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 986 !!!');
    expect(keyLogLine(['1:M # Server initialized'])).toBe('');
  });

  it('352 failures of two known behaviours are three findings (one per crash model), all known', () => {
    const r = report();
    expect(r.findings.map((f) => [f.property, f.crashModel, f.count])).toEqual([
      ['server-starts', 'zero-fill', 200],
      ['server-starts', 'reorder', 128],
      ['writes-after-recovery-survive', 'torn', 24],
    ]);
    expect(r.findings.every((f) => f.known !== null)).toBe(true);
    expect(r.findings[0].known).toContain('docs/redis-bugs.md#bug-8');
    expect(r.findings[2].known).toContain('docs/redis-bugs.md#bug-22');
    expect(r.findings[0].example.replay).toBe('aofsim replay s40.scenario.json --timeline');
    expect(r.findings[1].weakerOnly).toContain('weaker than ext4 data=ordered');
  });

  it('the console summary and the HTML report lead with the findings', () => {
    const r = report();
    const text = formatValidateSummary(r);
    expect(text.split('\n')[0]).toContain('3 distinct findings (3 known Redis behaviours) from 352 failure(s)');
    expect(text.indexOf('finding 1:')).toBeLessThan(text.indexOf('FAIL  power-loss'));
    expect(text).toContain('power-loss reorder: power loss on any POSIX file system');
    const html = renderReportHtml(r);
    expect(html).toContain('<h1>3 distinct findings (3 known Redis behaviours) from 352 failure(s)</h1>');
    expect(html.indexOf('id="findings"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('<span class="count">200&times;</span>');
  });

  it('JUnit: one test case per fault x property, failures naming the finding and its replay', () => {
    const xml = junitXml(validateJUnit(report()));
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('failures="3"');
    expect(xml).toMatch(/<failure message="200 failed: known Redis behaviour[^"]*\(replay: aofsim replay s40\.scenario\.json --timeline\)"/);
  });
});

describe('validate on a subject without BGREWRITEAOF', () => {
  /** Every sigkill run passed; the rewrite fault was not run. */
  function skippedReport(): CampaignReport {
    const features: SubjectFeatures = {
      ...FEATURES,
      has: { ...FEATURES.has, bgrewriteaof: false },
      seen: { ...FEATURES.seen, bgrewriteaof: "BGREWRITEAOF -> (error) ERR unknown command 'BGREWRITEAOF'" },
    };
    return {
      bin: 'my-server', command: 'my-server --port {port} --dir {dir} --appendonly yes --appendfsync {fsync}', version: '7.0.15', features,
      skipped: [
        { fault: 'sigkill-rewrite', property: '(all)', reason: `needs BGREWRITEAOF (${features.seen.bgrewriteaof})` },
      ],
      startedAt: '2026-12-06T15:00:00.000Z', elapsedMs: 10_000, budgetMs: 10_000,
      rows: [{ fault: 'sigkill', property: 'acked-writes-survive', passed: 3, failed: 0 }],
      failures: [], findings: [], runs: { sigkill: 3 },
      alice: { statesChecked: 0, statesTotal: 0, crashPoints: 0, checkMs: 0, statesPerSecond: 0, byModel: {} }, ok: true,
    };
  }

  it('the console summary says SKIP with the reason, and the verdict counts what ran', () => {
    const text = formatValidateSummary(skippedReport());
    expect(text.split('\n')[0]).toContain('every property that ran held; 1 check SKIPPED (not run: see the reasons)');
    expect(text).toMatch(/SKIP {2}sigkill-rewrite +\(all\) +needs BGREWRITEAOF \(BGREWRITEAOF -> \(error\) ERR unknown command/);
    expect(text).toContain("BGREWRITEAOF no (BGREWRITEAOF -> (error) ERR unknown command 'BGREWRITEAOF')");
    expect(text).not.toMatch(/(pass|FAIL) +sigkill-rewrite/);
  });

  it('HTML: a grey SKIPPED row with the reason, and no "All properties hold" banner', () => {
    const html = renderReportHtml(skippedReport());
    expect(html).toContain('id="skipped"');
    expect(html).toMatch(/<tr class="skip"><td>SIGKILL during BGREWRITEAOF<\/td><td>\(all\)<\/td><td>needs BGREWRITEAOF[^<]*<\/td><td><span class="badge skip">SKIPPED<\/span>/);
    expect(html).not.toContain('All properties hold');
  });

  it('JUnit: the skipped check is a <skipped/> test case with the reason, neither passed nor failed', () => {
    const xml = junitXml(validateJUnit(skippedReport()));
    expect(xml).toContain('tests="2" failures="0" skipped="1"');
    expect(xml).toMatch(/<testcase classname="\(all\)" name="sigkill-rewrite: SIGKILL during BGREWRITEAOF"[^>]*>\s*<skipped message="SKIPPED: needs BGREWRITEAOF/);
  });
});
