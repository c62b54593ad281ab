// Property: a server driven through generated lives (writes, BGREWRITEAOF, BGSAVE, CONFIG SET
// appendonly yes/no, DEBUG AOF-FLUSH-SLEEP, failed writes, fsyncs, forks, stats and opens,
// restarts) says and does what Redis says and does, for both profiles:
// - every warning it logs is one of Redis's printf formats (properties/redis-log-catalogue.ts,
//   each found in the real binary), and every MISCONF reply about the AOF is 7.0.15's
//   `MISCONF Errors writing to the AOF file: <strerror>` with the errno the fault injected;
// - writes are refused for the AOF only while the AOF is on (redis: writeCommandsDeniedByDiskError
//   looks at aof_last_write_status and aof_bio_fsync_status only when aof_state != AOF_OFF);
// - 7.0: once CONFIG SET appendonly no returns, no rewrite is scheduled (stopAppendOnly clears
//   aof_rewrite_scheduled);
// - DEBUG AOF-FLUSH-SLEEP <us> (7.0): a flush that writes sleeps <us> first; with 0 nothing sleeps;
// - the facts the simulator reads are emitted where they happen: each fsync error a bio job met
//   reaches the server as a bio-fsync-error event, and each INCR file a 7.0 rewrite creates is
//   announced by a rewrite-incr-opened event while the manifest on disk does not name it yet;
// - a startup that cannot open its INCR file exits 1, and says which file;
// - the filesystem sees only valid syscalls (no EINVAL), and a rename over appendonly.aof never
//   frees the old file's blocks on the main thread (4.0 keeps the old file open and closes it on a
//   bio thread, with the AOF on or off: redis 4.0 aof.c backgroundRewriteDoneHandler).
// The oracles come from the generated plan (which fault was injected where) and from Redis's source
// and binaries, not from aofsim's code.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualTasks } from '../src/adapters/memory/manual-tasks.ts';
import { parseInfo } from '../src/aof/info.ts';
import type { Profile } from '../src/base/profile.ts';
import type { AofEvent } from '../src/ports/events.ts';
import { FsError, type FileHandle, type FsErrorCode, type OpenMode } from '../src/ports/fs.ts';
import { MemoryLog } from '../src/ports/log.ts';
import { SeededRandom } from '../src/ports/random.ts';
import { isProcessExit } from '../src/server-types.ts';
import { Server } from '../src/server.ts';
import type { Reply } from '../src/commands/reply.ts';
import { SimFs } from '../sim/fs/sim-fs.ts';
import type { SyscallEvent } from '../sim/fs/syscall.ts';
import { FaultyFs } from '../testing/aof/writer-support.ts';
import { fcParams } from './loader-arbitraries.ts';
import { testSeed } from '../sim/campaign/suite-options.ts';
import { matchingFormat, redisWarningFormats } from './redis-log-catalogue.ts';

const STRERROR: Record<string, string> = { EIO: 'Input/output error', ENOSPC: 'No space left on device', EACCES: 'Permission denied' };

// The refusal when the last BGSAVE failed (stop-writes-on-bgsave-error yes), as each binary words it.
const RDB_MISCONF: Record<Profile, string> = {
  'redis-7.0':
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  'redis-4.0':
    'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.',
};

type Op =
  | { op: 'set'; key: string; value: string }
  | { op: 'bgrewriteaof' }
  | { op: 'bgsave' }
  | { op: 'appendonly'; on: boolean }
  | { op: 'flush-sleep'; us: number }
  | { op: 'fail-write'; errno: 'EIO' | 'ENOSPC' }
  | { op: 'short-write' }
  | { op: 'disk-full'; errno: 'ENOSPC' | null }
  | { op: 'fail-fsync' }
  | { op: 'bio-fsync-fails' }
  | { op: 'enable-without-fork' }
  | { op: 'rewrite-while-off' }
  | { op: 'fail-fork' }
  | { op: 'children'; refuseBaseStat: boolean }
  | { op: 'bio' }
  | { op: 'cron'; ms: number }
  | { op: 'restart'; refuseIncrOpen: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c'), value: fc.constantFrom('1', 'xy', 'z'.repeat(40)) }) },
  { weight: 3, arbitrary: fc.constant({ op: 'bgrewriteaof' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bgsave' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('appendonly' as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('flush-sleep' as const), us: fc.constantFrom(0, 1000, 250_000) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fail-write' as const), errno: fc.constantFrom('EIO' as const, 'ENOSPC' as const) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'short-write' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('disk-full' as const), errno: fc.constantFrom('ENOSPC' as const, null) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'fail-fsync' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'bio-fsync-fails' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'enable-without-fork' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'rewrite-while-off' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'fail-fork' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('children' as const), refuseBaseStat: fc.boolean() }) },
  { weight: 3, arbitrary: fc.constant({ op: 'bio' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('cron' as const), ms: fc.constantFrom(100, 1000, 2500) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), refuseIncrOpen: fc.boolean() }) },
);

/** A clock whose sleeps move time and are counted (DEBUG AOF-FLUSH-SLEEP). */
class SleepClock {
  ms = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  nowMs(): number {
    return this.ms;
  }
  sleepMs(ms: number): void {
    this.sleeps.push(ms);
    this.ms += ms;
  }
}

/** FaultyFs that can also refuse one stat or the append-opens of matching paths (EACCES). */
class RefusingFs extends FaultyFs {
  refuseStat: RegExp | null = null;
  refuseOpen: RegExp | null = null;
  override open(path: string, mode: OpenMode): FileHandle {
    if (mode === 'append' && this.refuseOpen?.test(path)) throw new FsError('EACCES', 'open', path);
    return super.open(path, mode);
  }
  override stat(path: string) {
    if (this.refuseStat?.test(path)) {
      this.refuseStat = null;
      throw new FsError('EACCES', 'stat', path);
    }
    return super.stat(path);
  }
}

interface Config {
  profile: Profile;
  appendfsync: 'always' | 'everysec' | 'no';
  appendonly: boolean;
}

const configArb: fc.Arbitrary<Config> = fc.record({
  profile: fc.constantFrom('redis-7.0' as const, 'redis-4.0' as const),
  appendfsync: fc.constantFrom('always' as const, 'everysec' as const, 'no' as const),
  appendonly: fc.boolean(),
});

// A 7.0 INCR: appendonly.aof.<n>.incr.aof, or temp-appendonly.aof.incr while an enabling rewrite runs.
const INCR = /\.incr(\.aof)?$/;
const AOF_DATA = /(^|\/)(appendonly\.aof|[^/]*\.incr\.aof|[^/]*\.base\.(aof|rdb))$/;

/** Runs one life; throws (an expect) at the first thing Redis would not say or do. */
function live(cfg: Config, ops: Op[]): void {
  const syscalls: SyscallEvent[] = [];
  let usedBefore = 0;
  let mainThread = true;
  const freedOnMain: string[] = [];
  const sim = new SimFs({
    hooks: {
      onSyscall: (e) => {
        syscalls.push(e);
        const used = sim.usedBytes;
        if (e.name === 'rename' && mainThread && e.path2 !== undefined && /\/appendonly\.aof$/.test(e.path2) && used < usedBefore) {
          freedOnMain.push(`rename ${e.path} -> ${e.path2} freed ${usedBefore - used} bytes`);
        }
        usedBefore = used;
      },
    },
  });
  sim.mkdir('/d');
  const fs = new RefusingFs(sim);
  const clock = new SleepClock();
  const formats = redisWarningFormats(cfg.profile);
  const v7 = cfg.profile === 'redis-7.0';

  let log = new MemoryLog();
  let tasks = new ManualTasks(fs);
  let events: AofEvent[] = [];
  let server: Server | null = null;
  let aofOn = cfg.appendonly;
  let flushSleepUs = 0;
  let bioFsyncFaults = 0;

  const checkLog = (): void => {
    for (const l of log.lines) {
      if (l.level !== 'warning') continue;
      expect(matchingFormat(l.message, formats), `a warning Redis does not print: ${JSON.stringify(l.message)}`).not.toBeNull();
    }
  };

  const boot = (refuseIncrOpen: boolean, retry = true): void => {
    checkLog();
    log = new MemoryLog();
    tasks = new ManualTasks(fs);
    events = [];
    bioFsyncFaults = 0;
    flushSleepUs = 0;
    fs.refuseOpen = refuseIncrOpen && v7 && aofOn ? /\.incr\.aof$/ : null;
    const s = new Server(
      { fs, clock, tasks, log, random: new SeededRandom(7), events: (e) => onEvent(e) },
      { profile: cfg.profile, dir: '/d', appendonly: aofOn, appendfsync: cfg.appendfsync },
    );
    const createdBefore = incrCreations();
    try {
      s.start();
      server = s;
    } catch (e) {
      if (!isProcessExit(e)) throw e;
      expect(e.exitCode).toBe(1);
      if (fs.refuseOpen !== null && syscalls.length > 0) {
        // aofOpenIfNeededOnServerStart: "Can't open the append-only file <name>: <strerror>", exit(1).
        const refused = /Can't open the append-only file (\S+): Permission denied/.exec(log.lines.map((l) => l.message).join('\n'));
        if (refused !== null) expect(e.reason, 'the exit names the file it could not open').toContain(refused[1]);
      }
      // A start that failed on a queued fault: the next start finds the disk healthy.
      fs.script.writes.length = 0;
      fs.script.fsyncs.length = 0;
      fs.diskFull = null;
      server = null;
    }
    fs.refuseOpen = null;
    incrAtStart += incrCreations() - createdBefore;
    // One more start on a healthy disk; if the files themselves are refused, this life ends here.
    if (server === null && retry) boot(false, false);
  };

  // INCR files opened (O_CREAT|O_TRUNC; aofsim adds O_APPEND unless the switch incr-short-write-leaves-nul-hole
  // restores 7.x's flags) after start: each open must be announced by rewrite-incr-opened.
  const CREATES = /^mode=create-truncate(-append)?$/;
  let incrAtStart = 0;
  let incrAnnounced = 0;
  const incrCreations = (): number =>
    syscalls.filter((e) => e.name === 'open' && e.error === undefined && CREATES.test(e.args) && INCR.test(e.path)).length;

  const manifestNames = (): string => {
    const p = '/d/appendonlydir/appendonly.aof.manifest';
    return fs.tryStat(p) === undefined ? '' : fs.text(p);
  };

  const onEvent = (e: AofEvent): void => {
    events.push(e);
    if (e.kind === 'rewrite-incr-opened') {
      incrAnnounced++;
      const created = syscalls.filter((x) => x.name === 'open' && x.error === undefined && CREATES.test(x.args) && INCR.test(x.path));
      const newest = created.at(-1)?.path.split('/').at(-1) ?? '';
      expect(newest, 'rewrite-incr-opened with no INCR opened').not.toBe('');
      expect(manifestNames(), 'the manifest names the INCR before rewrite-incr-opened').not.toContain(`file ${newest} `);
    }
  };

  const call = (argv: string[]): Reply | null => {
    if (server === null) return null;
    const s = server;
    try {
      const before = syscalls.length;
      const sleepsBefore = clock.sleeps.length;
      const r = s.call(s.newClient(), argv); // one event-loop iteration: the command, then beforeSleep's flush
      s.beforeSleep();
      // flushAppendOnlyFile: `if (server.aof_flush_sleep && sdslen(server.aof_buf)) usleep(server.aof_flush_sleep)`
      // before the write: a flush that wrote slept first, each sleep the configured time.
      const wrote = syscalls.slice(before).some((x) => x.name === 'write' && AOF_DATA.test(x.path));
      const slept = clock.sleeps.slice(sleepsBefore);
      if (flushSleepUs > 0 && wrote) expect(slept.length, 'a flush that wrote did not sleep first').toBeGreaterThan(0);
      const ok = flushSleepUs === 0 ? slept.length === 0 : slept.every((ms) => ms === flushSleepUs / 1000);
      expect(ok, `sleeps [${slept.join(',')}] ms with AOF-FLUSH-SLEEP ${flushSleepUs} us`).toBe(true);
      return r;
    } catch (e) {
      if (!isProcessExit(e)) throw e;
      boot(false);
      return null;
    }
  };

  const guarded = (fn: (s: Server) => void): void => {
    if (server === null) return;
    try {
      fn(server);
    } catch (e) {
      if (!isProcessExit(e)) throw e;
      boot(false);
    }
  };

  /** Runs every child to its end (a 4.0 child waits on the parent's acks: event-loop turns between steps), then reaps. */
  const runChildren = (): void =>
    guarded((s) => {
      for (const pid of tasks.childPids) {
        for (let steps = 0; tasks.stepChild(pid); steps++) {
          if (steps % 50 === 0) s.beforeSleep();
          if (steps > 200_000) throw new Error('a child did not finish');
        }
      }
      clock.ms += 100;
      s.cron();
      s.beforeSleep();
    });

  /** One event-loop turn `ms` of server time later: serverCron, then beforeSleep. */
  const tick = (ms: number): void =>
    guarded((s) => {
      clock.ms += ms;
      s.cron();
      s.beforeSleep();
    });

  /** Runs the queued bio jobs off the main thread, counting the fsync faults they meet. */
  const runBioThread = (): void => {
    mainThread = false;
    const before = fs.calls.length;
    tasks.runBio();
    bioFsyncFaults += fs.calls.slice(before).filter((c) => /^(fsync|fdatasync) .* fault=/.test(c)).length;
    mainThread = true;
  };

  const infoField = (name: string): string | undefined => (server === null ? undefined : parseInfo(server.info('persistence')).get(name));

  boot(false);
  for (const op of ops) {
    switch (op.op) {
      case 'set': {
        const r = call(['SET', op.key, op.value]);
        if (r?.kind === 'error') {
          // writeCommandsDeniedByDiskError: the AOF's refusal, with strerror of the failed call.
          const m = /^MISCONF Errors writing to the AOF file: (.*)$/.exec(r.value);
          expect(m !== null || r.value === RDB_MISCONF[cfg.profile], `SET refused with words Redis does not say: ${r.value}`).toBe(true);
          if (m !== null) {
            expect(aofOn, `refused for the AOF while the AOF is off: ${r.value}`).toBe(true);
            expect(Object.values(STRERROR)).toContain(m[1]);
          }
        }
        break;
      }
      case 'bgrewriteaof':
        call(['BGREWRITEAOF']);
        break;
      case 'bgsave':
        call(['BGSAVE']);
        break;
      case 'appendonly': {
        const wasOn = aofOn;
        const r = call(['CONFIG', 'SET', 'appendonly', op.on ? 'yes' : 'no']);
        if (r?.kind === 'status') aofOn = op.on;
        // 7.0 stopAppendOnly (run only when the AOF was on) sets aof_rewrite_scheduled = 0.
        if (r?.kind === 'status' && wasOn && !op.on && v7) expect(infoField('aof_rewrite_scheduled')).toBe('0');
        break;
      }
      case 'flush-sleep':
        if (v7 && server !== null) {
          // set before the call: the beforeSleep after DEBUG already flushes with the new value
          flushSleepUs = op.us;
          const r = call(['DEBUG', 'AOF-FLUSH-SLEEP', String(op.us)]);
          if (r !== null) expect(r).toEqual({ kind: 'status', value: 'OK' });
        }
        break;
      case 'fail-write':
        fs.script.writes.push(op.errno);
        break;
      case 'disk-full':
        fs.diskFull = op.errno;
        break;
      case 'short-write':
        fs.script.writes.push(3);
        break;
      case 'fail-fsync':
        fs.script.fsyncs.push('EIO');
        break;
      case 'fail-fork':
        tasks.failNextFork = 'Cannot allocate memory';
        break;
      case 'children':
        // The done handler's stat of the new BASE (7.0) or of the rewritten file (4.0) may be refused.
        fs.refuseStat = op.refuseBaseStat ? /(\.base\.(aof|rdb)|\/appendonly\.aof)$/ : null;
        runChildren();
        fs.refuseStat = null;
        break;
      case 'enable-without-fork': {
        // CONFIG SET appendonly yes whose rewrite cannot fork (turned off first when it is on)
        if (aofOn && call(['CONFIG', 'SET', 'appendonly', 'no'])?.kind === 'status') aofOn = false;
        tasks.failNextFork = 'Cannot allocate memory';
        const r = call(['CONFIG', 'SET', 'appendonly', 'yes']);
        if (r?.kind === 'status') aofOn = true;
        tasks.failNextFork = null;
        break;
      }
      case 'rewrite-while-off':
        // BGREWRITEAOF with the AOF turned off over a file it wrote (4.0: the rename replaces it)
        call(['SET', 'k', 'v']);
        if (aofOn && call(['CONFIG', 'SET', 'appendonly', 'no'])?.kind === 'status') aofOn = false;
        call(['BGREWRITEAOF']);
        runChildren();
        break;
      case 'bio-fsync-fails':
        // everysec's next fsync goes to a bio thread after a second, and fails there
        fs.script.fsyncs.push('EIO');
        tick(1100);
        runBioThread();
        tick(100);
        break;
      case 'bio':
        runBioThread();
        break;
      case 'cron':
        tick(op.ms);
        break;
      case 'restart':
        tick(0);
        expect(events.filter((e) => e.kind === 'bio-fsync-error').length, 'bio fsync errors announced').toBe(bioFsyncFaults);
        boot(op.refuseIncrOpen);
        break;
    }
  }
  tick(0);
  expect(events.filter((e) => e.kind === 'bio-fsync-error').length, 'bio fsync errors announced').toBe(bioFsyncFaults);
  checkLog();
  if (v7) expect(incrAnnounced, 'INCR files opened by rewrites, each announced').toBe(incrCreations() - incrAtStart);
  expect(syscalls.filter((e) => e.error === 'EINVAL'), 'invalid syscalls').toEqual([]);
  expect(freedOnMain).toEqual([]);
}

describe('AOF lives under faults: Redis words and Redis acts', () => {
  it('warnings, MISCONF replies, toggles, flush sleeps, events, start failures, syscalls', () => {
    fc.assert(
      fc.property(configArb, fc.array(opArb, { minLength: 5, maxLength: 40 }), (cfg, ops) => live(cfg, ops)),
      { ...fcParams(1000), seed: testSeed(process.env) },
    );
  });
});
