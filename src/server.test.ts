import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import type { Bytes } from './keyspace/types.ts';
import { encodeCommand } from './resp/encode.ts';
import { isProcessExit } from './server-types.ts';
import { Server } from './server.ts';
import type { AofConfig, AofConfigInput } from './aof/config.ts';
import { parseInfo } from './aof/info.ts';
import { FaultyFs, TestClock } from '../testing/aof/writer-support.ts';
import { readFileSync } from 'node:fs';
import { canonicalDump } from './keyspace/canonical-dump.ts';

interface World {
  fs: FaultyFs;
  tasks: ManualTasks;
  clock: TestClock;
  log: MemoryLog;
}

function newWorld(): World {
  const fs = new FaultyFs(createMemoryFs({ '/d/.keep': '' }));
  return { fs, tasks: new ManualTasks(fs), clock: new TestClock(), log: new MemoryLog() };
}

function boot(w: World, config: AofConfigInput): Server {
  const s = new Server({ fs: w.fs, clock: w.clock, tasks: w.tasks, log: w.log, random: new SeededRandom(7) }, { dir: '/d', appendonly: true, ...config });
  s.start();
  return s;
}

/** Runs the rewrite child to its end, interleaved with event-loop iterations, then reaps it. */
function finishRewrite(s: Server, w: World): void {
  for (const pid of w.tasks.childPids) {
    let steps = 0;
    while (w.tasks.stepChild(pid)) {
      s.beforeSleep();
      if (++steps > 100_000) throw new Error('child did not finish');
    }
  }
  w.tasks.runBio();
  s.cron();
  w.tasks.runBio();
  s.cron();
}

const text = (r: ReturnType<Server['call']>) => (r.kind === 'error' ? `-${r.value}` : r.kind === 'array' ? JSON.stringify(r.value) : String(r.value));

describe('Server: replies and the fsync policy', () => {
  it('always: a reply is released only after the beforeSleep that wrote and fsynced its command', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'always' });
    const c = s.newClient();
    s.execute(c, ['SET', 'k', 'v']);
    expect(s.takeReplies()).toEqual([]);
    const before = w.fs.calls.length;
    s.beforeSleep();
    expect(w.fs.calls.slice(before)).toEqual(['write /d/appendonly.aof 50', 'fdatasync /d/appendonly.aof']);
    expect(s.takeReplies()).toEqual([{ clientId: c.id, reply: { kind: 'status', value: 'OK' } }]);
  });

  it('a driver may take the held replies as they are made (aofsim serve encodes them at once); beforeSleep then releases only the rest', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'always' });
    const c = s.newClient();
    expect(s.takeHeldReplies()).toEqual([]);
    s.execute(c, ['SET', 'k', 'v']);
    s.execute(c, ['GET', 'k']);
    expect(s.takeHeldReplies()).toEqual([
      { clientId: c.id, reply: { kind: 'status', value: 'OK' } },
      { clientId: c.id, reply: { kind: 'bulk', value: 'v' } },
    ]);
    expect(s.heldReplies).toBe(0);
    s.execute(c, ['LLEN', 'k']);
    s.beforeSleep();
    expect(s.takeReplies()).toEqual([{ clientId: c.id, reply: { kind: 'error', value: 'WRONGTYPE Operation against a key holding the wrong kind of value' } }]);
  });

  it('always + fsync EIO: the process exits, the reply is never released, the server stays dead', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'always' });
    const c = s.newClient();
    s.execute(c, ['SET', 'k', 'v']);
    w.fs.script.fsyncs.push('EIO');
    let exit: unknown;
    try {
      s.beforeSleep();
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit)).toBe(true);
    expect(s.takeReplies()).toEqual([]);
    expect(() => s.execute(c, ['GET', 'k'])).toThrow(/process exited/);
  });
});

describe('Server: MISCONF and recovery (docs/redis-behaviour.md#fsync-policy observed ENOSPC, bug 5)', () => {
  it('everysec: the SET is acked, the next write and PING get MISCONF, reads work; the cron retry recovers', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    w.fs.script.writes.push(20);
    w.fs.diskFull = 'ENOSPC';
    expect(text(s.call(c, ['SET', 'big', 'x'.repeat(100)]))).toBe('OK');
    expect(s.state.aofLastWriteStatus).toBe('err');
    const misconf = '-MISCONF Errors writing to the AOF file: No space left on device';
    expect(text(s.call(c, ['SET', 'k', 'v']))).toBe(misconf);
    expect(text(s.call(c, ['PING']))).toBe(misconf);
    expect(text(s.call(c, ['GET', 'big']))).toBe('x'.repeat(100));
    expect(parseInfo(text(s.call(c, ['INFO', 'persistence']))).get('aof_last_write_status')).toBe('err');
    w.fs.diskFull = null;
    // space is back: the next flush attempt (beforeSleep / the 1 s cron retry) clears the error
    for (let i = 0; i < 10; i++) {
      w.clock.advance(100);
      s.cron();
    }
    expect(w.log.has('AOF write error looks solved, Redis can write again.')).toBe(true);
    expect(text(s.call(c, ['SET', 'k', 'v']))).toBe('OK');
    // restart: the acked value is there
    const s2 = boot(w, { profile: 'redis-7.0' });
    expect(text(s2.call(s2.newClient(), ['GET', 'big']))).toBe('x'.repeat(100));
  });

  it('MISCONF inside MULTI flags the transaction; EXEC of writes is aborted (7.0)', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    s.call(c, ['MULTI']);
    s.call(c, ['SET', 'a', '1']);
    s.state.aofLastWriteStatus = 'err';
    s.state.aofLastWriteErrno = 'ENOSPC';
    expect(text(s.call(c, ['EXEC']))).toBe('-EXECABORT Transaction discarded because of: MISCONF Errors writing to the AOF file: No space left on device');
    expect(c.multi).toBeNull();
    s.call(c, ['MULTI']);
    expect(text(s.call(c, ['INCR', 'n']))).toMatch(/^-MISCONF/);
    expect(c.multiDirty).toBe(true);
  });

  function bug21(bugs: string[]): string {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'everysec', bugs: new Set(bugs) });
    const c = s.newClient();
    s.call(c, ['SET', 'a', '1']);
    w.fs.diskFull = 'ENOSPC';
    s.call(c, ['SET', 'b', '2']); // acked, write fails
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'no']))).toBe('OK'); // its forced flush fails too
    expect(s.state.aofLastWriteStatus).toBe('err');
    w.fs.diskFull = null;
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']))).toBe('OK');
    finishRewrite(s, w);
    expect(s.state.aofState).toBe('on');
    return text(s.call(c, ['SET', 'c', '3']));
  }
  it('appendonly no/yes clears a write error (redis#8030); bug write-error-sticky refuses writes forever', () => {
    expect(bug21([])).toBe('OK');
    // The 4.0 switch drops aof_buf, and aofsim forgets the error of dropped bytes there: both
    // switches are needed for 4.0's "forever" (4.0 has both behaviours).
    expect(bug21(['write-error-sticky', 'dropped-buffer-error-sticky'])).toBe('-MISCONF Errors writing to the AOF file: No space left on device');
    expect(bug21(['write-error-sticky'])).toBe('OK');
  });
});

describe('Server: startup and restart', () => {
  const workload: Bytes[][] = [
    ['SET', 'a', '1', 'EX', '100'],
    ['RPUSH', 'l', 'x', 'y', 'z'],
    ['SELECT', '3'],
    ['INCR', 'n'],
    ['INCR', 'n'],
    ['MULTI'],
    ['SET', 't1', '1'],
    ['HSET', 'h', 'f', 'v'],
    ['EXEC'],
    ['SETEX', 'e', '50', 'v'],
  ];
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    it(`${profile}: what was acked is there after a restart, with absolute TTLs`, () => {
      const w = newWorld();
      const s = boot(w, { profile, appendfsync: 'always' });
      const c = s.newClient();
      for (const argv of workload) s.call(c, argv);
      w.clock.advance(20_000);
      const s2 = boot(w, { profile });
      const c2 = s2.newClient();
      expect(text(s2.call(c2, ['GET', 'a']))).toBe('1');
      expect(text(s2.call(c2, ['PTTL', 'a']))).toBe('80000');
      s2.call(c2, ['SELECT', '3']);
      expect(text(s2.call(c2, ['GET', 'n']))).toBe('2');
      expect(text(s2.call(c2, ['HGET', 'h', 'f']))).toBe('v');
      expect(text(s2.call(c2, ['TTL', 'e']))).toBe('30');
    });
  }

  it('redis-4.0 writes the 4.0 dialect: SET EX -> SET + PEXPIREAT', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'always' });
    s.call(s.newClient(), ['set', 'a', '1', 'EX', '100']);
    expect(w.fs.text('/d/appendonly.aof')).toBe(
      encodeCommand(['SELECT', '0']) + encodeCommand(['set', 'a', '1']) + encodeCommand(['PEXPIREAT', 'a', String(w.clock.ms + 100_000)]),
    );
  });

  it('redis-7.0 fresh start: BASE created synchronously, INCR created, manifest persisted (strace order)', () => {
    const w = newWorld();
    boot(w, { profile: 'redis-7.0', aofUseRdbPreamble: false });
    expect(w.fs.readdir('/d/appendonlydir')).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(w.fs.text('/d/appendonlydir/appendonly.aof.manifest')).toBe(
      'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    );
    expect(w.log.has('Creating AOF incr file appendonly.aof.1.incr.aof on server start')).toBe(true);
    const s2 = boot(w, { profile: 'redis-7.0' });
    expect(w.log.has('Opening AOF incr file appendonly.aof.1.incr.aof on server start')).toBe(true);
    expect(s2.state.aofState).toBe('on');
  });

  it('7.0 aof-timestamp-enabled: no #TS in the second of a fresh RESP BASE (docs/redis-behaviour.md#timestamps), one per later second', () => {
    const w = newWorld();
    w.clock.ms = 1_700_000_000_000;
    const s = boot(w, { profile: 'redis-7.0', aofTimestampEnabled: true, aofUseRdbPreamble: false, appendfsync: 'always' });
    const c = s.newClient();
    s.call(c, ['SET', 'a', '1']);
    w.clock.advance(1000);
    s.call(c, ['SET', 'b', '1']);
    expect(w.fs.text('/d/appendonlydir/appendonly.aof.1.base.aof')).toBe('#TS:1700000000\r\n');
    expect(w.fs.text('/d/appendonlydir/appendonly.aof.1.incr.aof')).toBe(
      encodeCommand(['SELECT', '0']) + encodeCommand(['SET', 'a', '1']) + '#TS:1700000001\r\n' + encodeCommand(['SET', 'b', '1']),
    );
  });

  it("7.0 start on redis-server's old-style appendonly.aof: upgraded like real 7.0.15 (fixture legacy-upgrade)", () => {
    const fx = new URL('../fixtures/redis-7.0.15/legacy-upgrade/', import.meta.url);
    const w = newWorld();
    const fh = w.fs.open('/d/appendonly.aof', 'create-truncate');
    fh.write(readFileSync(new URL('before/appendonly.aof', fx)));
    fh.close();
    const s = boot(w, { profile: 'redis-7.0' });
    const expected = JSON.parse(readFileSync(new URL('before/expected.json', fx), 'latin1')) as { atMs: number };
    expect(canonicalDump(s.keyspace, expected.atMs)).toEqual(expected);
    expect(w.fs.text('/d/appendonlydir/appendonly.aof.manifest')).toBe(readFileSync(new URL('after/appendonly.aof.manifest', fx), 'latin1'));
    expect(w.fs.tryStat('/d/appendonly.aof')).toBeUndefined();
  });

  it('a redis-4.0 profile AOF upgrades into a redis-7.0 profile server with the same data', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'always' });
    const c = s.newClient();
    for (const argv of workload) s.call(c, argv);
    const s2 = boot(w, { profile: 'redis-7.0' });
    expect(canonicalDump(s2.keyspace, w.clock.ms)).toEqual(canonicalDump(s.keyspace, w.clock.ms));
  });

  it('a corrupt AOF makes start() exit 1', () => {
    const w = newWorld();
    boot(w, { profile: 'redis-4.0' }).call(s0(), ['SET', 'a', '1']);
    function s0() {
      return { id: 1, db: 0, multi: null, multiDirty: false, aofLoading: false };
    }
    const fh = w.fs.open('/d/appendonly.aof', 'append');
    fh.write(Buffer.from('garbage'));
    fh.close();
    let exit: unknown;
    try {
      boot(w, { profile: 'redis-4.0' });
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(1);
  });
});

describe('Server: rewrites', () => {
  it('BGREWRITEAOF replies (7.0 texts) and the rewritten AOF loads to the same data', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    for (let i = 0; i < 20; i++) s.call(c, ['INCR', 'n']);
    expect(text(s.call(c, ['BGREWRITEAOF']))).toBe('Background append only file rewriting started');
    expect(text(s.call(c, ['BGREWRITEAOF']))).toBe('-ERR Background append only file rewriting already in progress');
    s.call(c, ['SET', 'during', '1']);
    finishRewrite(s, w);
    expect(s.state.aofChildPid).toBe(-1);
    expect(s.state.aofLastBgrewriteStatus).toBe('ok');
    const s2 = boot(w, { profile: 'redis-7.0' });
    const c2 = s2.newClient();
    expect(text(s2.call(c2, ['GET', 'n']))).toBe('20');
    expect(text(s2.call(c2, ['GET', 'during']))).toBe('1');
  });

  for (const preamble of [false, true]) {
    it(`redis-4.0 BGREWRITEAOF (preamble ${preamble ? 'yes' : 'no'}): writes during the rewrite reach the new file via the diff`, () => {
      const w = newWorld();
      const s = boot(w, { profile: 'redis-4.0', appendfsync: 'everysec', aofUseRdbPreamble: preamble });
      const c = s.newClient();
      for (let i = 0; i < 50; i++) s.call(c, ['RPUSH', 'l', String(i)]);
      expect(text(s.call(c, ['BGREWRITEAOF']))).toBe('Background append only file rewriting started');
      const pid = w.tasks.childPids[0];
      let steps = 0;
      while (w.tasks.stepChild(pid)) {
        if (steps++ % 3 === 0) s.call(c, ['INCR', 'during']); // fed to aof_buf and the rewrite buffer
        else s.beforeSleep();
        if (steps > 100_000) throw new Error('child did not finish');
      }
      s.call(c, ['INCR', 'during']); // after the child exited, before the parent reaped it
      finishRewrite(s, w);
      expect(s.state.aofLastBgrewriteStatus).toBe('ok');
      expect(w.fs.readdir('/d').filter((n) => n.startsWith('temp-'))).toEqual([]);
      const during = text(s.call(c, ['GET', 'during']));
      s.call(c, ['SET', 'after', '1']);
      const head = w.fs.text('/d/appendonly.aof').slice(0, 5);
      expect(head === 'REDIS').toBe(preamble);
      const s2 = boot(w, { profile: 'redis-4.0' });
      const c2 = s2.newClient();
      expect(text(s2.call(c2, ['GET', 'during']))).toBe(during);
      expect(text(s2.call(c2, ['LLEN', 'l']))).toBe('50');
      expect(text(s2.call(c2, ['GET', 'after']))).toBe('1');
    });
  }

  it('7.0 inside MULTI/EXEC: BGREWRITEAOF and appendonly yes are only scheduled; the cron starts the rewrite', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendonly: false });
    const c = s.newClient();
    s.call(c, ['MULTI']);
    s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']);
    s.call(c, ['BGREWRITEAOF']);
    expect(text(s.call(c, ['EXEC']))).toBe(
      JSON.stringify([{ kind: 'status', value: 'OK' }, { kind: 'status', value: 'Background append only file rewriting scheduled' }]),
    );
    expect(w.log.has('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.')).toBe(true);
    expect(s.state.aofState).toBe('wait-rewrite');
    expect(s.state.aofChildPid).toBe(-1);
    s.cron();
    expect(s.state.aofChildPid).not.toBe(-1);
    finishRewrite(s, w);
    expect(s.state.aofState).toBe('on');
  });

  it('auto rewrite on growth (docs/redis-behaviour.md#auto-rewrite): logs the growth and starts a child', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', autoAofRewriteMinSizeBytes: 100, autoAofRewritePercentage: 100 });
    const c = s.newClient();
    s.call(c, ['SET', 'a', '1']);
    s.state.aofRewriteBaseSize = s.state.aofCurrentSize; // as after a rewrite
    s.cron();
    expect(s.state.aofChildPid).toBe(-1);
    for (let i = 0; i < 10; i++) s.call(c, ['SET', 'a', String(i)]);
    s.cron();
    const growth = Math.floor((s.state.aofCurrentSize * 100) / s.state.aofRewriteBaseSize) - 100;
    expect(w.log.has(`Starting automatic rewriting of AOF on ${growth}% growth`)).toBe(true);
    expect(s.state.aofChildPid).not.toBe(-1);
    finishRewrite(s, w);
    expect(s.state.aofRewriteBaseSize).toBe(s.state.aofCurrentSize);
  });

  it('7.0 CONFIG SET appendonly yes at runtime: WAIT_REWRITE, then ON with BASE + INCR in the manifest', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendonly: false });
    const c = s.newClient();
    s.call(c, ['SET', 'before', '1']);
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']))).toBe('OK');
    expect(s.state.aofState).toBe('wait-rewrite');
    s.call(c, ['SET', 'during', '1']);
    finishRewrite(s, w);
    expect(s.state.aofState).toBe('on');
    s.call(c, ['SET', 'after', '1']);
    expect(text(s.call(c, ['CONFIG', 'GET', 'appendonly']))).toBe(JSON.stringify([
      { kind: 'bulk', value: 'appendonly' },
      { kind: 'bulk', value: 'yes' },
    ]));
    const s2 = boot(w, { profile: 'redis-7.0' });
    const c2 = s2.newClient();
    for (const k of ['before', 'during', 'after']) expect(text(s2.call(c2, ['GET', k]))).toBe('1');
  });
});

describe('Server: appendonly toggles', () => {
  for (const profile of ['redis-4.0', 'redis-7.0'] as const) {
    it(`${profile}: a failing fork makes CONFIG SET appendonly yes fail with Redis's text and leaves AOF off`, () => {
      const w = newWorld();
      const s = boot(w, { profile, appendonly: false });
      const c = s.newClient();
      w.tasks.failNextFork = 'Cannot allocate memory';
      // 4.0 config.c replies startAppendOnly's failure as it is; 7.0's configSetCommand wraps it.
      expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']))).toBe(
        profile === 'redis-4.0'
          ? '-ERR Unable to turn on AOF. Check server logs.'
          : "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
      );
      expect(s.state.aofState).toBe('off');
      // 4.0 closes the file it opened; 7.0 leaves the temp INCR fd open, as Redis does.
      if (profile === 'redis-4.0') expect(s.state.aofFd).toBeNull();
      s.call(c, ['SET', 'x', '1']);
      expect(s.state.aofBuf).toBe('');
      expect(text(s.call(c, ['CONFIG', 'GET', 'appendonly']))).toContain('"no"');
    });

    it(`${profile}: appendonly no flushes, fsyncs and closes; writes then stop reaching the file`, () => {
      const w = newWorld();
      const s = boot(w, { profile, appendfsync: 'no' });
      const c = s.newClient();
      s.execute(c, ['SET', 'a', '1']);
      expect(text(s.call(c, ['CONFIG', 'SET', 'appendonly', 'no']))).toBe('OK');
      const path = profile === 'redis-4.0' ? '/d/appendonly.aof' : '/d/appendonlydir/appendonly.aof.1.incr.aof';
      const size = w.fs.stat(path).sizeBytes;
      expect(size).toBeGreaterThan(0);
      expect(w.fs.calls).toContain(`fdatasync ${path}`);
      expect(w.fs.calls.at(-1)).toBe(`close ${path}`);
      s.call(c, ['SET', 'b', '2']);
      expect(w.fs.stat(path).sizeBytes).toBe(size);
      expect(parseInfo(text(s.call(c, ['INFO', 'persistence']))).get('aof_enabled')).toBe('0');
    });
  }
});

describe('Server: INFO, CONFIG, SHUTDOWN', () => {
  it('INFO persistence has the AOF fields', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0' });
    const info = parseInfo(text(s.call(s.newClient(), ['INFO', 'persistence'])));
    for (const f of [
      'aof_enabled', 'aof_rewrite_in_progress', 'aof_rewrite_scheduled', 'aof_last_bgrewrite_status', 'aof_last_write_status',
      'aof_current_size', 'aof_base_size', 'aof_buffer_length', 'aof_rewrite_buffer_length', 'aof_pending_bio_fsync', 'aof_delayed_fsync',
    ]) {
      expect(info.has(f), f).toBe(true);
    }
    expect(info.get('aof_enabled')).toBe('1');
  });

  it('INFO reports the buffer, pending bio fsyncs, delayed fsyncs and err while a bio fsync failed (7.0)', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    w.clock.advance(1000);
    s.call(c, ['SET', 'a', '1']); // bio fsync submitted, stays pending
    s.execute(c, ['SET', 'b', '2']);
    s.beforeSleep(); // postponed: stays in aof_buf
    s.takeReplies();
    let info = parseInfo(text(s.call(c, ['INFO', 'persistence'])));
    expect(info.get('aof_pending_bio_fsync')).toBe('1');
    expect(info.get('aof_buffer_length')).toBe(String(s.state.aofBuf.length));
    expect(Number(info.get('aof_buffer_length'))).toBeGreaterThan(0);
    w.fs.script.fsyncs.push('EIO');
    w.tasks.runBio();
    info = parseInfo(text(s.call(c, ['INFO', 'persistence'])));
    expect(info.get('aof_pending_bio_fsync')).toBe('0');
    expect(info.get('aof_last_write_status')).toBe('err');
  });

  it('CONFIG GET/SET validate like Redis 7.0', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0' });
    const c = s.newClient();
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendfsync', 'sometimes']))).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no",
    );
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendfilename', 'x']))).toMatch(/can't set immutable config/);
    expect(text(s.call(c, ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1mb']))).toBe('OK');
    expect(s.config.autoAofRewriteMinSizeBytes).toBe(1024 * 1024);
    expect(text(s.call(c, ['CONFIG', 'SET', 'appendfsync', 'always']))).toBe('OK');
    expect(s.config.appendfsync).toBe('always');
  });

  it('CONFIG in the 4.0 profile answers in 4.0.14\'s words (replies recorded from redis-server 4.0.14)', () => {
    const s = boot(newWorld(), { profile: 'redis-4.0' });
    const c = s.newClient();
    const cases: [string[], string][] = [
      [['CONFIG', 'SET', 'appendfsync', 'sometimes'], "-ERR Invalid argument 'sometimes' for CONFIG SET 'appendfsync'"],
      [['CONFIG', 'SET', 'APPENDFSYNC', 'sometimes'], "-ERR Invalid argument 'sometimes' for CONFIG SET 'APPENDFSYNC'"],
      [['CONFIG', 'SET', 'appendfilename', 'x'], '-ERR Unsupported CONFIG parameter: appendfilename'],
      [['CONFIG', 'SET', 'nosuch', '1'], '-ERR Unsupported CONFIG parameter: nosuch'],
      [['CONFIG', 'SET', 'auto-aof-rewrite-percentage', '-1'], "-ERR Invalid argument '-1' for CONFIG SET 'auto-aof-rewrite-percentage'"],
      [['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1x'], "-ERR Invalid argument '1x' for CONFIG SET 'auto-aof-rewrite-min-size'"],
      [['CONFIG', 'SET', 'aof-load-truncated', 'maybe'], "-ERR Invalid argument 'maybe' for CONFIG SET 'aof-load-truncated'"],
      [['CONFIG', 'SET', 'appendonly', 'maybe'], "-ERR Invalid argument 'maybe' for CONFIG SET 'appendonly'"],
      [['CONFIG', 'SET', 'hz', '0'], 'OK'],
      [['CONFIG', 'GET', 'hz'], '[{"kind":"bulk","value":"hz"},{"kind":"bulk","value":"1"}]'],
      [['CONFIG', 'SET', 'hz', '-5'], "-ERR Invalid argument '-5' for CONFIG SET 'hz'"],
      [['CONFIG', 'SET', 'auto-aof-rewrite-min-size', ''], 'OK'],
      [['CONFIG', 'GET', 'AUTO-AOF-REWRITE-MIN-SIZE'], '[{"kind":"bulk","value":"auto-aof-rewrite-min-size"},{"kind":"bulk","value":"0"}]'],
      [['CONFIG', 'GET', 'a', 'b'], '-ERR Wrong number of arguments for CONFIG GET'],
      [['CONFIG', 'set'], '-ERR Wrong number of arguments for CONFIG set'],
      [['CONFIG', 'SET', 'appendfsync', 'always', 'appendfsync', 'no'], '-ERR Wrong number of arguments for CONFIG SET'],
      [['CONFIG', 'foo'], '-ERR CONFIG subcommand must be one of GET, SET, RESETSTAT, REWRITE'],
      [['CONFIG', 'REWRITE'], '-ERR The server is running without a config file'],
    ];
    for (const [argv, want] of cases) expect(text(s.call(c, argv)), argv.join(' ')).toBe(want);
  });

  it('SHUTDOWN flushes and fsyncs, then exits 0; 7.0 refuses in WAIT_REWRITE without FORCE', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'no' });
    const c = s.newClient();
    s.execute(c, ['SET', 'a', '1']);
    let exit: unknown;
    try {
      s.execute(c, ['SHUTDOWN']);
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(0);
    expect(w.fs.calls.slice(-2)).toEqual(['write /d/appendonly.aof 50', 'fdatasync /d/appendonly.aof']);

    const w2 = newWorld();
    const s2 = boot(w2, { profile: 'redis-7.0', appendonly: false });
    const c2 = s2.newClient();
    s2.call(c2, ['CONFIG', 'SET', 'appendonly', 'yes']);
    expect(text(s2.call(c2, ['SHUTDOWN']))).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    expect(w2.log.has("Writing initial AOF, can't exit.")).toBe(true);
  });

  it('4.0 refuses too while the enabling rewrite runs (no FORCE there); a signal logs 4.0.14\'s own refusal line', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendonly: false });
    const c = s.newClient();
    s.call(c, ['SET', 'a', '1']);
    s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']);
    expect(text(s.call(c, ['SHUTDOWN', 'FORCE']))).toBe('-ERR syntax error');
    expect(text(s.call(c, ['SHUTDOWN', 'NOSAVE']))).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    s.shutdownOnSignal('SIGINT');
    expect(w.log.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['User requested shutdown...', "Writing initial AOF, can't exit.", 'SIGTERM received but errors trying to shut down the server, check the logs for more information']),
    );
    expect(w.log.has('Errors trying to shut down the server. Check the logs for more information.')).toBe(false);
    finishRewrite(s, w);
    let exit: unknown;
    try {
      s.shutdownOnSignal('SIGTERM');
    } catch (e) {
      exit = e;
    }
    expect(isProcessExit(exit) && exit.exitCode).toBe(0);
  });

  it('7.0: a signal shuts down with shutdown-on-sigterm\'s flags (FORCE exits during the initial rewrite); ABORT finds nothing in progress', () => {
    const run = (setting: string) => {
      const w = newWorld();
      const s = new Server(
        { fs: w.fs, clock: w.clock, tasks: w.tasks, log: w.log, random: new SeededRandom(7) },
        { dir: '/d', profile: 'redis-7.0' },
        { directives: new Map([['shutdown-on-sigterm', setting]]) },
      );
      s.start();
      const c = s.newClient();
      s.call(c, ['CONFIG', 'SET', 'appendonly', 'yes']);
      expect(text(s.call(c, ['SHUTDOWN', 'ABORT']))).toBe('-ERR No shutdown in progress.');
      try {
        s.shutdownOnSignal('SIGTERM');
        return { exited: false, log: w.log };
      } catch (e) {
        if (!isProcessExit(e)) throw e;
        return { exited: true, log: w.log };
      }
    };
    const refused = run('default');
    expect(refused.exited).toBe(false);
    expect(refused.log.has('Errors trying to shut down the server. Check the logs for more information.')).toBe(true);
    const forced = run('force');
    expect(forced.exited).toBe(true);
    expect(forced.log.has('Writing initial AOF. Exit anyway.')).toBe(true);
  });
});

describe('Server: serverCron', () => {
  it('everysec: while a bio fsync is pending the flush is postponed (replies still go), the cron writes it after 2 s', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    w.clock.advance(1000);
    s.call(c, ['SET', 'a', '1']); // written, bio fsync submitted and left pending (ManualTasks)
    expect(w.tasks.pendingBio('fsync')).toBe(1);
    expect(text(s.call(c, ['SET', 'b', '2']))).toBe('OK');
    expect(s.state.aofBuf.length).toBeGreaterThan(0);
    w.clock.advance(1000);
    s.cron();
    expect(s.state.aofBuf.length).toBeGreaterThan(0);
    w.clock.advance(1000);
    s.cron();
    expect(s.state.aofBuf).toBe('');
    expect(parseInfo(text(s.call(c, ['INFO', 'persistence']))).get('aof_delayed_fsync')).toBe('1');
  });

  it('DEBUG LOADAOF reloads the data set from the AOF', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-4.0', appendfsync: 'always' });
    const c = s.newClient();
    s.call(c, ['SET', 'a', '1']);
    s.keyspace.dbs[0].dict.clear(); // the data set diverges from the file
    expect(text(s.call(c, ['DEBUG', 'LOADAOF']))).toBe('OK');
    expect(text(s.call(c, ['GET', 'a']))).toBe('1');
  });

  it('DEBUG SET-ACTIVE-EXPIRE 0 stops active expiry', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0' });
    const c = s.newClient();
    expect(text(s.call(c, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']))).toBe('OK');
    s.call(c, ['SET', 'k', 'v', 'PX', '50']);
    w.clock.advance(100);
    s.cron();
    expect(s.keyspace.dbs[0].dict.has('k')).toBe(true);
  });

  it('active expiry feeds DEL to the AOF', () => {
    const w = newWorld();
    const s = boot(w, { profile: 'redis-7.0', appendfsync: 'everysec' });
    const c = s.newClient();
    s.call(c, ['SET', 'k', 'v', 'PX', '50']);
    w.clock.advance(100);
    s.cron();
    expect(w.fs.text('/d/appendonlydir/appendonly.aof.1.incr.aof').endsWith(encodeCommand(['DEL', 'k']))).toBe(true);
  });
});
