// `aofsim validate server --cmd TEMPLATE` drives any RESP server that writes Redis-format AOF (issue
// 16 item 3, issue 11 item 3): redis-server 7.0.15, Valkey 8.0.1 and redis-server 4.0.14 (single
// AOF file, no manifest) through their command lines, and `aofsim serve` itself, each with the same
// faults, oracle and report as `validate redis-server`. A subject without BGREWRITEAOF (redis-server
// with the command renamed away) shows the skip path: the checks that need it are SKIPPED with the
// reason in the summary, JSON, JUnit and HTML, never passed or failed; one without CONFIG SET and a
// template without {fsync} runs nothing and says so. Bad templates are one line and exit 2.
//
// Every run spawns the CLI from the source (cli/dev.mjs) for one fault and one seed. Skips LOUDLY
// when a binary (or strace) is absent; fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignReport } from '../../sim/subjects/real-campaign.ts';
import { REDIS40_BIN, REQUIRE_REAL, VALKEY_BIN, redis40Missing, redisServerMissing, skipLoudly, straceMissing, valkeyMissing } from '../../sim/subjects/real-availability.ts';
import { DEFAULT_REDIS_BIN } from '../../sim/subjects/real-redis-server.ts';

const CLI = new URL('../../cli/dev.mjs', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

const noRedis = redisServerMissing();
const noStrace = straceMissing();
const noValkey = valkeyMissing();
const noRedis40 = redis40Missing();

const work = mkdtempSync(join(tmpdir(), 'aofsim-subjects-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function aofsim(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 180_000, cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `validate server --cmd CMD --only FAULT --seed SEED --json [extra]`: the parsed report. */
function validate(cmd: string, fault: string, seed: number, extra: string[] = []): { run: Run; report: CampaignReport } {
  const run = aofsim(['validate', 'server', '--cmd', cmd, '--only', fault, '--seed', String(seed), '--json', ...extra]);
  expect(run.status, `${run.stderr}\n${run.stdout}`).not.toBe(2);
  return { run, report: JSON.parse(run.stdout) as CampaignReport };
}

/** The rows of `fault` as property -> "passed/failed". */
function rowsOf(r: CampaignReport, fault: string): Record<string, string> {
  return Object.fromEntries(r.rows.filter((x) => x.fault === fault).map((x) => [x.property, `${x.passed}/${x.failed}`]));
}

const redisLike = (bin: string, fsync = true): string =>
  `${bin} --port {port} --bind 127.0.0.1 --dir {dir} --save '' --appendonly yes${fsync ? ' --appendfsync {fsync}' : ''}`;

describe('validate server: bad templates', () => {
  it.each([
    ['redis-server --port 6379 --dir {dir}', '--cmd: the template has no {port}'],
    ['redis-server --port {port}', '--cmd: the template has no {dir}'],
    ['redis-server --port {port} --dir {dir} --appendfsync {policy}', '--cmd: unknown placeholder {policy}'],
    ["redis-server --port {port} --dir {dir} --logfile 'x", "--cmd: unclosed ' quote"],
    ['/nonexistent/my-server --port {port} --dir {dir}', '--cmd: /nonexistent/my-server: no such executable file'],
  ])('%s: one line, exit 2', (cmd, message) => {
    const r = aofsim(['validate', 'server', '--cmd', cmd]);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`aofsim validate: ${message}`), lines[0]).toBe(true);
    expect(r.stdout).toBe('');
  });

  it.skipIf(skipLoudly('validate server (no AOF written)', noRedis))('a server that writes no AOF file (appendonly not on) is one line, exit 2, before any fault', () => {
    const r = aofsim(['validate', 'server', '--cmd', `${DEFAULT_REDIS_BIN} --port {port} --bind 127.0.0.1 --dir {dir} --save ''`]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^aofsim validate: \S*redis-server: no AOF file under the data dir or appendonlydir\/ after an acknowledged SET \(is appendonly on in the template\?\)$/);
  });
});

describe.skipIf(skipLoudly('validate server --cmd redis-server 7.0', noRedis ?? noStrace))('validate server --cmd: redis-server 7.0.15', () => {
  it('is available', () => {
    if (REQUIRE_REAL) expect(noRedis ?? noStrace).toBeNull();
  });

  it('ENOSPC under everysec with redis-check-aof as --check-cmd: every check passes, every feature detected', () => {
    const check = join(dirname(spawnSync('sh', ['-c', `command -v ${DEFAULT_REDIS_BIN}`], { encoding: 'utf8' }).stdout.trim()), 'redis-check-aof');
    const { run, report } = validate(redisLike(DEFAULT_REDIS_BIN), 'enospc-everysec', 1, ['--check-cmd', `${check} {file}`]);
    expect(run.status, run.stdout).toBe(0);
    expect(report.features.has).toEqual({ 'config-set': true, bgrewriteaof: true, 'info-persistence': true, manifest: true });
    expect(report.features.aofFile).toBe('appendonlydir/appendonly.aof.1.incr.aof');
    expect(report.version).toMatch(/^7\.0\./);
    expect(rowsOf(report, 'enospc-everysec')).toEqual({
      'acked-writes-survive': '1/0', 'check-ok-means-loadable': '1/0', 'log-reports-enospc': '1/0', 'misconf-while-writes-fail': '1/0', 'server-restarts': '1/0', 'writes-accepted-after': '1/0',
    });
    expect(report.skipped).toEqual([]);
  });

  it('without BGREWRITEAOF (renamed away): SIGKILL-during-rewrite is SKIPPED with the reason in JSON, summary, JUnit and HTML', () => {
    const cmd = `${redisLike(DEFAULT_REDIS_BIN)} --rename-command BGREWRITEAOF ''`;
    const { run, report } = validate(cmd, 'sigkill-rewrite', 1);
    expect(run.status).toBe(3); // nothing ran: not a pass
    expect(report.features.has.bgrewriteaof).toBe(false);
    expect(report.features.seen.bgrewriteaof).toContain("ERR unknown command 'BGREWRITEAOF'");
    expect(report.rows).toEqual([]); // not run: neither passed nor failed
    expect(report.runs).toEqual({});
    expect(report.skipped.map((x) => [x.fault, x.property])).toEqual([['sigkill-rewrite', '(all)'], ['every process-level fault', 'check-ok-means-loadable']]);
    expect(report.skipped[0]?.reason).toMatch(/^needs BGREWRITEAOF \(BGREWRITEAOF -> \(error\) ERR unknown command 'BGREWRITEAOF'/);
    const junit = join(work, 'skip.junit.xml');
    const html = join(work, 'skip.html');
    const text = aofsim(['validate', 'server', '--cmd', cmd, '--only', 'sigkill-rewrite', '--seed', '1', '--junit', junit, '--report', html]);
    expect(text.status).toBe(3);
    expect(text.stdout.split('\n')[0]).toContain('no check ran; 2 checks SKIPPED (not run: see the reasons)');
    expect(text.stdout).toMatch(/ {2}SKIP {2}sigkill-rewrite +\(all\) +needs BGREWRITEAOF/);
    expect(text.stdout).not.toMatch(/ (pass|FAIL) {2}sigkill-rewrite/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="0" skipped="2"');
    expect(xml).toMatch(/<testcase classname="\(all\)" name="sigkill-rewrite: SIGKILL during BGREWRITEAOF"[^>]*>\s*<skipped message="SKIPPED: needs BGREWRITEAOF/);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<tr class="skip"><td>SIGKILL during BGREWRITEAOF<\/td><td>\(all\)<\/td><td>needs BGREWRITEAOF/);
    expect(page).not.toContain('All properties hold');
  });

  it('without BGREWRITEAOF, SIGKILL during a workload still runs and passes', () => {
    const { run, report } = validate(`${redisLike(DEFAULT_REDIS_BIN)} --rename-command BGREWRITEAOF ''`, 'sigkill', 2);
    expect(run.status, run.stdout).toBe(0);
    expect(rowsOf(report, 'sigkill')).toEqual({ 'acked-writes-survive': '1/0', 'server-restarts': '1/0' });
  });

  it('without CONFIG SET and without {fsync} nothing can choose the fsync policy: every check SKIPPED, none passed', () => {
    const { run, report } = validate(`${redisLike(DEFAULT_REDIS_BIN, false)} --rename-command CONFIG ''`, 'sigkill', 1);
    expect(run.status).toBe(3);
    expect(report.features.has['config-set']).toBe(false);
    expect(report.rows).toEqual([]);
    expect(report.skipped.map((x) => x.fault)).toEqual(['sigkill']);
    expect(report.skipped[0]?.reason).toMatch(/^cannot choose appendfsync: the template has no \{fsync\} and the subject has no CONFIG SET/);
  });

  it('without {fsync} but with CONFIG SET, the policy is set after each start: fsync-eio-always sees the exit of appendfsync always', () => {
    const { run, report } = validate(redisLike(DEFAULT_REDIS_BIN, false), 'fsync-eio-always', 1);
    expect(run.status, run.stdout).toBe(0);
    expect(rowsOf(report, 'fsync-eio-always')['always-exits-on-fsync-error']).toBe('1/0');
  });
});

describe.skipIf(skipLoudly('validate server --cmd valkey-server 8.0', noValkey ?? noStrace))('validate server --cmd: Valkey 8.0.1', () => {
  it('is available', () => {
    if (REQUIRE_REAL) expect(noValkey ?? noStrace).toBeNull();
  });

  it.each([
    ['sigkill-rewrite', 4, ['acked-writes-survive', 'server-restarts', 'check-ok-means-loadable']],
    ['enospc-everysec', 1, ['acked-writes-survive', 'check-ok-means-loadable', 'log-reports-enospc', 'misconf-while-writes-fail', 'server-restarts', 'writes-accepted-after']],
  ] as const)('%s seed %i with valkey-check-aof: every check passes', (fault, seed, props) => {
    const check = join(dirname(VALKEY_BIN), 'valkey-check-aof');
    const { run, report } = validate(redisLike(VALKEY_BIN), fault, seed, ['--check-cmd', `${check} {file}`]);
    expect(run.status, run.stdout).toBe(0);
    expect(report.version).toBe('valkey 8.0.1');
    expect(report.features.has).toEqual({ 'config-set': true, bgrewriteaof: true, 'info-persistence': true, manifest: true });
    expect(Object.keys(rowsOf(report, fault)).sort()).toEqual([...props].sort());
    expect(report.failures).toEqual([]);
  });
});

describe.skipIf(skipLoudly('validate server --cmd redis-server 4.0', noRedis40 ?? noStrace))('validate server --cmd: redis-server 4.0.14 (one AOF file, no manifest)', () => {
  it('is available', () => {
    if (REQUIRE_REAL) expect(noRedis40 ?? noStrace).toBeNull();
  });

  it('--aof-dir .: the single appendonly.aof is detected and is what ENOSPC targets; every check passes', () => {
    const { run, report } = validate(redisLike(REDIS40_BIN), 'enospc-everysec', 1, ['--aof-dir', '.']);
    expect(run.status, run.stdout).toBe(0);
    expect(report.features.has.manifest).toBe(false);
    expect(report.features.seen.manifest).toBe('single file appendonly.aof, no manifest');
    expect(report.features.aofFile).toBe('appendonly.aof');
    expect(rowsOf(report, 'enospc-everysec')['misconf-while-writes-fail']).toBe('1/0');
  });
});

describe.skipIf(skipLoudly('validate server --cmd aofsim serve', noStrace))('validate server --cmd: aofsim serve', () => {
  it('is available', () => {
    if (REQUIRE_REAL) expect(noStrace).toBeNull();
  });

  it('SIGKILL during BGREWRITEAOF on aofsim serve --profile redis-7.0: every check passes', () => {
    const cmd = `${process.execPath} ${CLI} serve --port {port} --dir {dir} --profile redis-7.0 --quiet --config appendonly yes --config appendfsync {fsync}`;
    const { run, report } = validate(cmd, 'sigkill-rewrite', 2);
    expect(run.status, run.stdout).toBe(0);
    expect(report.features.has).toEqual({ 'config-set': true, bgrewriteaof: true, 'info-persistence': true, manifest: true });
    expect(rowsOf(report, 'sigkill-rewrite')).toEqual({ 'acked-writes-survive': '1/0', 'server-restarts': '1/0' });
  });
});
