import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../keyspace/types.ts';
import { Keyspace } from '../../keyspace/keyspace.ts';
import { FsError } from '../../ports/fs.ts';
import { isProcessExit } from '../../base/process-exit.ts';
import { loadManifestFile, persistManifest } from '../manifest/index.ts';
import { makeTestHost, type TestHost } from '../../../testing/aof/rewrite-host.ts';
import { parseCommands, replay, snapshotOf } from '../../../testing/aof/rewrite-support.ts';
import { aofRewriteLimited, bgrewriteaofCommand, createBaseOnServerStart, reapRewriteChild, rewriteAppendOnlyFileBackground } from './index.ts';

const DIR = '/data/appendonlydir';
const MANIFEST = `${DIR}/appendonly.aof.manifest`;
const FIXTURES = new URL('../../../fixtures/redis-7.0.15/', import.meta.url);

function fixtureManifest(rel: string): string {
  return readFileSync(new URL(rel, FIXTURES), 'latin1');
}

function manifestText(h: TestHost): string {
  return fromBytes(h.fs.readFile(MANIFEST));
}

/** Startup as aofOpenIfNeededOnServerStart does it: BASE if needed, open/create the last INCR, persist. */
function start(h: TestHost): void {
  h.state.aofState = 'on';
  createBaseOnServerStart(h);
  const m = h.state.manifest!;
  m.currIncrSeq++;
  const name = `appendonly.aof.${m.currIncrSeq}.incr.aof`;
  m.incrs.push({ name, seq: m.currIncrSeq, type: 'i' });
  h.state.aofFd = h.fs.open(`${DIR}/${name}`, 'append');
  h.state.aofFdPath = `${DIR}/${name}`;
  persistManifest(h.fs, DIR, 'appendonly.aof', m);
}

function redis70Host(extra: Parameters<typeof makeTestHost>[0] = {}): TestHost {
  const h = makeTestHost({ profile: 'redis-7.0', appendonly: true, aofUseRdbPreamble: false, ...extra });
  start(h);
  return h;
}

/** Loads BASE + INCRs as the manifest on disk lists them (RESP only). */
function loadDir(h: TestHost): Keyspace {
  const m = loadManifestFile(h.fs, MANIFEST);
  const ks = new Keyspace();
  for (const f of [...(m.base ? [m.base] : []), ...m.incrs]) {
    replay([['SELECT', '0'], ...parseCommands(fromBytes(h.fs.readFile(`${DIR}/${f.name}`)))], ks);
  }
  return ks;
}

function workload(h: TestHost, n: number, tag: string): void {
  for (let i = 0; i < n; i++) {
    h.write(i % 2, ['SET', `${tag}${i}`, 'v'.repeat(30)]);
    h.write(0, ['RPUSH', `${tag}list`, `e${i}`]);
  }
  h.flush();
}

function runChild(h: TestHost, writesEvery = 0): void {
  const pid = h.state.aofChildPid;
  let i = 0;
  while (h.tasks.stepChild(pid)) {
    if (writesEvery && i++ % writesEvery === 0) {
      h.write(1, ['SET', `during${i}`, String(i)]);
      h.flush();
    }
  }
}

describe('7.x multi-part rewrite (redis-7.0)', () => {
  it('fresh start creates an empty BASE + INCR 1, as the 7.0.15 fixture', () => {
    const h = redis70Host();
    expect(manifestText(h)).toBe(fixtureManifest('preamble-no/1-fresh-start/appendonly.aof.manifest'));
    expect(h.fs.stat(`${DIR}/appendonly.aof.1.base.aof`).sizeBytes).toBe(0);
    expect(h.log.has('Creating AOF base file appendonly.aof.1.base.aof on server start')).toBe(true);
    expect(h.fs.readdir('/data')).toEqual(['.keep', 'appendonlydir']);
  });

  it('BGREWRITEAOF: new INCR listed before the fork, BASE 2 after, history deleted; state reproduced', () => {
    const h = redis70Host();
    workload(h, 200, 'a');
    const oldFd = h.state.aofFd;
    expect(bgrewriteaofCommand(h)).toEqual({ kind: 'status', value: 'Background append only file rewriting started' });
    // As in strace/rewrite-nopre-trace: the manifest names INCR 2 before the child runs.
    expect(manifestText(h)).toBe(
      'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect(h.tasks.queue).toContainEqual({ kind: 'close', handle: oldFd, fsync: true });
    expect(h.state.aofLastIncrSize).toBe(0);
    expect(h.log.has('Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite')).toBe(true);
    runChild(h, 2);
    expect(h.log.has(`Successfully created the temporary AOF base file temp-rewriteaof-bg-`)).toBe(true);
    reapRewriteChild(h);
    expect(h.state.aofLastBgrewriteStatus).toBe('ok');
    expect(manifestText(h)).toBe(fixtureManifest('preamble-no/3-after-bgrewriteaof/appendonly.aof.manifest'));
    expect(h.log.has('Removing the history file appendonly.aof.1.incr.aof in the background')).toBe(true);
    h.tasks.runBio();
    expect(h.fs.readdir(DIR)).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(h.fs.readdir('/data')).toEqual(['.keep', 'appendonlydir']);
    expect(h.state.aofCurrentSize).toBe(h.fs.stat(`${DIR}/appendonly.aof.2.base.aof`).sizeBytes + h.fs.stat(`${DIR}/appendonly.aof.2.incr.aof`).sizeBytes);
    expect(h.state.aofRewriteBaseSize).toBe(h.state.aofCurrentSize);
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
    workload(h, 10, 'b');
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it('aof-disable-auto-gc keeps the history files and lists them', () => {
    const h = redis70Host({ aofDisableAutoGc: true });
    workload(h, 5, 'a');
    rewriteAppendOnlyFileBackground(h);
    runChild(h);
    reapRewriteChild(h);
    expect(manifestText(h)).toBe(
      'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.1.base.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    );
    expect(h.fs.readdir(DIR)).toContain('appendonly.aof.1.incr.aof');
  });

  it('child failure keeps both INCRs (like golden-multiincr), counts the failure and removes temp files', () => {
    const h = redis70Host();
    workload(h, 5, 'a');
    rewriteAppendOnlyFileBackground(h);
    const pid = h.state.aofChildPid;
    h.tasks.stepChild(pid);
    h.tasks.kill(pid, 'SIGKILL');
    reapRewriteChild(h);
    expect(h.state.statAofrwConsecutiveFailures).toBe(1);
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(manifestText(h)).toBe(fixtureManifest('golden/golden-multiincr/appendonly.aof.manifest'));
    h.tasks.runBio();
    expect(h.fs.readdir('/data')).toEqual(['.keep', 'appendonlydir']);
    workload(h, 5, 'b');
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it('SIGUSR1 is not counted as a failure', () => {
    const h = redis70Host();
    rewriteAppendOnlyFileBackground(h);
    h.tasks.kill(h.state.aofChildPid, 'SIGUSR1');
    reapRewriteChild(h);
    expect(h.state.statAofrwConsecutiveFailures).toBe(0);
    expect(h.state.aofLastBgrewriteStatus).toBe('ok');
  });

  it('manifest persist failure in the done handler rolls back: new BASE unlinked, old manifest kept', () => {
    const h = redis70Host();
    workload(h, 5, 'a');
    rewriteAppendOnlyFileBackground(h);
    runChild(h);
    const before = manifestText(h);
    const realRename = h.fs.rename.bind(h.fs);
    h.fs.rename = (from: string, to: string) => {
      if (to === MANIFEST) throw new FsError('EIO', 'rename', from);
      realRename(from, to);
    };
    reapRewriteChild(h);
    h.fs.rename = realRename;
    h.tasks.runBio();
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    expect(h.state.statAofrwConsecutiveFailures).toBe(1);
    expect(manifestText(h)).toBe(before);
    expect(h.fs.readdir(DIR)).not.toContain('appendonly.aof.2.base.aof');
    expect(h.state.manifest!.base!.name).toBe('appendonly.aof.1.base.aof');
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it('fork failure after the new INCR: error status, the INCR stays listed and receives writes', () => {
    const h = redis70Host();
    h.tasks.failNextFork = 'Cannot allocate memory';
    expect(rewriteAppendOnlyFileBackground(h)).toBe('error');
    expect(h.state.aofLastBgrewriteStatus).toBe('err');
    workload(h, 3, 'a');
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it("bug 'old-incr-not-fsynced': the old INCR is closed without fsync", () => {
    const h = redis70Host({ bugs: new Set(['old-incr-not-fsynced']) });
    const oldFd = h.state.aofFd;
    rewriteAppendOnlyFileBackground(h);
    expect(h.tasks.queue).toContainEqual({ kind: 'close', handle: oldFd, fsync: false });
  });

  it('WAIT_REWRITE: writes go to temp-F.incr, the manifest names nothing new until the rewrite succeeds', () => {
    const h = makeTestHost({ profile: 'redis-7.0', aofUseRdbPreamble: false });
    workload(h, 20, 'pre'); // AOF off: data only in memory
    h.fs.mkdir(DIR, true);
    h.state.aofState = 'wait-rewrite';
    expect(rewriteAppendOnlyFileBackground(h)).toBe('started');
    expect(h.fs.tryStat(MANIFEST)).toBeUndefined();
    expect(h.fs.readdir(DIR)).toEqual(['temp-appendonly.aof.incr']);
    workload(h, 5, 'during');
    expect(h.fs.stat(`${DIR}/temp-appendonly.aof.incr`).sizeBytes).toBeGreaterThan(0);
    runChild(h, 3);
    reapRewriteChild(h);
    expect(h.state.aofState).toBe('on');
    expect(manifestText(h)).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(h.log.has('Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof')).toBe(true);
    workload(h, 5, 'after');
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it('WAIT_REWRITE failure: temp INCR deleted, aof_buf dropped, rewrite rescheduled', () => {
    const h = makeTestHost({ profile: 'redis-7.0', aofUseRdbPreamble: false });
    h.fs.mkdir(DIR, true);
    h.state.aofState = 'wait-rewrite';
    rewriteAppendOnlyFileBackground(h);
    h.write(0, ['SET', 'x', '1']);
    h.tasks.kill(h.state.aofChildPid, 'SIGKILL');
    reapRewriteChild(h);
    expect(h.state.aofBuf).toBe('');
    expect(h.state.aofRewriteScheduled).toBe(true);
    expect(h.log.has('Removing the temp incr aof file temp-appendonly.aof.incr in the background')).toBe(true);
    h.tasks.runBio();
    expect(h.fs.readdir(DIR)).toEqual([]);
  });

  it("bug 'temp-incr-in-manifest': WAIT_REWRITE lists a base-less INCR before the rewrite finishes", () => {
    const h = makeTestHost({ profile: 'redis-7.0', aofUseRdbPreamble: false, bugs: new Set(['temp-incr-in-manifest']) });
    workload(h, 20, 'pre');
    h.fs.mkdir(DIR, true);
    h.state.aofState = 'wait-rewrite';
    rewriteAppendOnlyFileBackground(h);
    expect(manifestText(h)).toBe('file appendonly.aof.1.incr.aof seq 1 type i\n');
    h.write(0, ['SET', 'during', '1']);
    h.flush();
    // A crash now: a restart loads only the INCR, losing the 40 pre-existing keys.
    expect(loadDir(h).size()).toBe(1);
    runChild(h);
    reapRewriteChild(h);
    expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
  });

  it('createBaseOnServerStart exits the process when the BASE cannot be written', () => {
    const h = makeTestHost({ profile: 'redis-7.0', aofUseRdbPreamble: false });
    h.state.aofState = 'on';
    h.fs.open = () => {
      throw new FsError('EACCES', 'open', '/data/x');
    };
    let caught: unknown;
    try {
      createBaseOnServerStart(h);
    } catch (e) {
      caught = e;
    }
    expect(isProcessExit(caught)).toBe(true);
  });
});

describe('aofRewriteLimited (7.0 back-off)', () => {
  it('after 3 failures: retry in 1, 2, 4 ... 60 minutes; below 3 no limit; BGREWRITEAOF bypasses', () => {
    const h = redis70Host();
    const fail = (): void => {
      expect(rewriteAppendOnlyFileBackground(h)).toBe('started');
      h.tasks.kill(h.state.aofChildPid, 'SIGKILL');
      reapRewriteChild(h);
    };
    fail();
    fail();
    expect(aofRewriteLimited(h)).toBe(false);
    fail();
    const delays: number[] = [];
    for (let round = 0; round < 8; round++) {
      expect(aofRewriteLimited(h)).toBe(true);
      delays.push(h.state.aofRewriteLimitDelayMinutes);
      expect(h.log.has(`will retry in ${h.state.aofRewriteLimitDelayMinutes} minutes`)).toBe(true);
      h.clockMs.now += h.state.aofRewriteLimitDelayMinutes * 60_000 - 1000;
      expect(aofRewriteLimited(h)).toBe(true);
      h.clockMs.now += 1000;
      expect(aofRewriteLimited(h)).toBe(false);
      fail();
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // An explicit BGREWRITEAOF is not limited.
    expect(aofRewriteLimited(h)).toBe(true);
    expect(bgrewriteaofCommand(h).kind).toBe('status');
    runChild(h);
    reapRewriteChild(h);
    expect(h.state.statAofrwConsecutiveFailures).toBe(0);
    expect(aofRewriteLimited(h)).toBe(false);
    // 11 failed rewrites left no orphan INCR behind after the successful one.
    h.tasks.runBio();
    expect(h.fs.readdir(DIR).filter((n) => n.includes('.incr.'))).toHaveLength(1);
  });
});

describe('7.x bug switches around the rewrite', () => {
  it("short write before a rewrite: skipped by default; 'rewrite-after-short-write' applies the buffer twice", () => {
    for (const bug of [false, true]) {
      const h = redis70Host(bug ? { bugs: new Set(['rewrite-after-short-write']) } : {});
      workload(h, 3, 'a');
      const realFlush = h.flushAppendOnlyFile;
      h.flushAppendOnlyFile = () => {}; // every write comes back short (ftruncated away): aof_buf stays
      h.write(0, ['RPUSH', 'dup', 'x']);
      const r = rewriteAppendOnlyFileBackground(h);
      h.flushAppendOnlyFile = realFlush;
      if (!bug) {
        expect(r).toBe('error');
        expect(h.log.has('Skipping the AOF rewrite')).toBe(true);
        expect(h.state.manifest!.incrs.map((i) => i.name)).toEqual(['appendonly.aof.1.incr.aof']);
        h.flush();
        expect(snapshotOf(loadDir(h))).toEqual(snapshotOf(h.keyspace));
      } else {
        expect(r).toBe('started');
        h.flush(); // the retried buffer lands in the new INCR
        runChild(h);
        reapRewriteChild(h);
        const dup = loadDir(h).db(0).dict.get('dup');
        expect(dup?.type === 'list' && dup.value.toArray()).toEqual(['x', 'x']);
      }
    }
  });

  it("'done-handler-fsync-reset' marks the INCR written during the rewrite as fsynced", () => {
    for (const bug of [false, true]) {
      const h = redis70Host(bug ? { bugs: new Set(['done-handler-fsync-reset']) } : {});
      workload(h, 3000, 'a');
      rewriteAppendOnlyFileBackground(h);
      runChild(h, 1);
      expect(h.state.aofLastIncrSize).toBeGreaterThan(0);
      reapRewriteChild(h);
      expect(h.state.aofLastIncrFsyncOffset).toBe(bug ? h.state.aofLastIncrSize : 0);
    }
  });

  it("'rewrite-skips-expired': a 7.x child drops keys already expired, as 4.0 did", () => {
    for (const bug of [false, true]) {
      const h = redis70Host(bug ? { bugs: new Set(['rewrite-skips-expired']) } : {});
      h.write(0, ['SET', 'a', '5']);
      h.write(0, ['PEXPIREAT', 'a', String(h.clockMs.now - 1)]);
      h.flush();
      rewriteAppendOnlyFileBackground(h);
      runChild(h);
      reapRewriteChild(h);
      const base = fromBytes(h.fs.readFile(`${DIR}/appendonly.aof.2.base.aof`));
      expect(base.includes('PEXPIREAT')).toBe(!bug);
    }
  });
});
