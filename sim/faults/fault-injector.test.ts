import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFsError } from '../../src/ports/fs.ts';
import { applyCrash } from '../crash/apply-crash.ts';
import { SimFs } from '../fs/sim-fs.ts';
import type { SyscallEvent } from '../fs/syscall.ts';
import { describeFaultPlan } from './describe-fault-plan.ts';
import { FaultInjector } from './fault-injector.ts';
import { faultPlanArbitrary } from './fault-plan-arbitrary.ts';
import { validateFaultPlan, type CrashFault, type FaultPlan } from './fault-plan.ts';
import { compilePathPattern } from './path-pattern.ts';

const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(120);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isFsError(e)) return e.code;
    throw e;
  }
  return 'ok';
}

function world(plan: FaultPlan, nowMs = { t: 0 }) {
  const costs: [number, string][] = [];
  const crashes: CrashFault[] = [];
  const injector = new FaultInjector(plan, { clock: { nowMs: () => nowMs.t } });
  const fs = new SimFs({
    injector,
    hooks: { onCost: (ms, why) => costs.push([ms, why]), onCrashDue: (f) => crashes.push(f) },
  });
  fs.mkdir('/data');
  return { fs, injector, costs, crashes, nowMs };
}

describe('FaultInjector + SimFs', () => {
  it('short-writes the nth matching write by k bytes, then fails the next write with thenError', () => {
    const { fs, injector } = world({ faults: [{ kind: 'short-write', path: '*.aof', nth: 2, shortByBytes: 3, thenError: 'ENOSPC' }] });
    const other = fs.open('/data/x.rdb', 'append');
    const h = fs.open('/data/appendonly.aof', 'append');
    expect(other.write(bytes(10))).toBe(10);
    expect(h.write(bytes(10))).toBe(10);
    expect(other.write(bytes(10))).toBe(10);
    expect(h.write(bytes(10))).toBe(7);
    expect(code(() => h.write(bytes(10)))).toBe('ENOSPC');
    expect(h.write(bytes(10))).toBe(10);
    expect(fs.stat('/data/appendonly.aof').sizeBytes).toBe(27);
    expect(injector.injected.map((f) => f.kind)).toEqual(['short-write', 'short-write']);
    expect(injector.injected[0].detail).toBe('short write: 7 of 10 bytes, next write ENOSPC');
  });

  it('never shortens a write to 0 bytes', () => {
    const { fs } = world({ faults: [{ kind: 'short-write', path: '**', nth: 1, shortByBytes: 50 }] });
    expect(fs.open('/data/f', 'append').write(bytes(10))).toBe(1);
  });

  it('enforces the byte quota with a short write, then ENOSPC, until space is freed at an op index', () => {
    const { fs, injector } = world({
      faults: [
        { kind: 'quota', quotaBytes: 10 },
        { kind: 'quota', quotaBytes: null, atOp: 10 },
      ],
    });
    const h = fs.open('/data/a', 'append'); // op 2
    expect(h.write(bytes(6))).toBe(6); // op 3
    expect(h.write(bytes(6))).toBe(4); // op 4, short at the quota
    expect(code(() => h.write(bytes(6)))).toBe('ENOSPC'); // op 5
    h.truncate(5); // op 6: frees 5 bytes
    expect(h.write(bytes(6))).toBe(5); // op 7
    expect(code(() => fs.open('/data/b', 'append').write(bytes(1)))).toBe('ENOSPC'); // ops 8 (open), 9 (write)
    expect(fs.open('/data/c', 'append').write(bytes(100))).toBe(100); // ops 10, 11: quota lifted from op 10
    expect(injector.injected.filter((f) => f.kind === 'quota').map((f) => f.opIndex)).toEqual([4, 5, 7, 9]);
    expect(fs.usedBytes).toBe(110);
  });

  it('frees space by time (atMs) and by hand (setQuota)', () => {
    const now = { t: 0 };
    const { fs, injector } = world({ faults: [{ kind: 'quota', quotaBytes: 4 }, { kind: 'quota', quotaBytes: null, atMs: 1000 }] }, now);
    const h = fs.open('/data/a', 'append');
    expect(h.write(bytes(8))).toBe(4);
    expect(code(() => h.write(bytes(1)))).toBe('ENOSPC');
    now.t = 1000;
    expect(h.write(bytes(8))).toBe(8);
    injector.setQuota(14);
    expect(h.write(bytes(8))).toBe(2);
    expect(code(() => h.write(bytes(8)))).toBe('ENOSPC');
    injector.setQuota(null);
    expect(h.write(bytes(8))).toBe(8);
  });

  it('counts unlinked-but-open files in the quota until they are closed', () => {
    const { fs, injector } = world({ faults: [] });
    injector.setQuota(10);
    const h = fs.open('/data/a', 'append');
    h.write(bytes(10));
    fs.unlink('/data/a');
    expect(code(() => fs.open('/data/b', 'append').write(bytes(1)))).toBe('ENOSPC');
    h.close();
    expect(fs.open('/data/c', 'append').write(bytes(10))).toBe(10);
  });

  it('fails the nth matching call once, or sticky from the nth on', () => {
    const { fs, injector } = world({
      faults: [
        { kind: 'error', syscall: 'fsync', path: '**', nth: 2 },
        { kind: 'error', syscall: 'rename', path: '/data/temp*', nth: 1, sticky: true },
        { kind: 'error', syscall: 'open', path: 'manifest', nth: 1, code: 'EACCES' },
        { kind: 'error', syscall: 'ftruncate', path: '**', nth: 1 },
        { kind: 'error', syscall: 'fsyncDir', path: '/data', nth: 1 },
        { kind: 'error', syscall: 'fdatasync', path: '**', nth: 1 },
      ],
    });
    const h = fs.open('/data/f', 'append');
    h.write(bytes(3));
    const res = [h.fsync, h.fsync, h.fsync].map((f) => code(() => f.call(h)));
    expect(res).toEqual(['ok', 'EIO', 'ok']);
    fs.open('/data/temp1', 'append').close();
    fs.open('/data/temp2', 'append').close();
    expect([code(() => fs.rename('/data/temp1', '/data/x')), code(() => fs.rename('/data/temp2', '/data/x'))]).toEqual(['EIO', 'EIO']);
    expect(code(() => fs.rename('/data/f', '/data/g'))).toBe('ok');
    expect(code(() => fs.open('/data/manifest', 'append'))).toBe('EACCES');
    expect(code(() => fs.open('/data/manifest', 'append'))).toBe('ok');
    expect(code(() => h.truncate(0))).toBe('EIO');
    expect(code(() => fs.fsyncDir('/data'))).toBe('EIO');
    expect(code(() => fs.fsyncDir('/data'))).toBe('ok');
    expect(injector.injectedCount).toBe(6);
    expect(injector.countsByKind()).toEqual({ error: 6 });
    expect(fs.snapshot()['/data/g']).toBe('xxx');
  });

  it('a failed fsync makes nothing durable', () => {
    const { fs } = world({ faults: [{ kind: 'error', syscall: 'fdatasync', path: '**', nth: 1 }] });
    fs.fsyncDir('/');
    const h = fs.open('/data/f', 'append');
    fs.fsyncDir('/data');
    h.write(bytes(5));
    expect(code(() => h.fdatasync())).toBe('EIO');
    expect(applyCrash(fs, { model: 'strict' }).stat('/data/f').sizeBytes).toBe(0);
    h.fdatasync();
    expect(applyCrash(fs, { model: 'strict' }).stat('/data/f').sizeBytes).toBe(5);
  });

  it('reports fsync latency (fixed and per call) as cost, and blocks writes behind an in-flight fsync', () => {
    const now = { t: 0 };
    const { fs, costs } = world(
      {
        faults: [
          { kind: 'latency', path: '*.aof', ms: 10, perCallMs: [100, 0] },
          { kind: 'write-blocked-by-fsync', path: '*.aof' },
        ],
      },
      now,
    );
    const h = fs.open('/data/a.aof', 'append');
    h.write(bytes(1));
    h.fdatasync(); // 100ms, in flight until t=100
    now.t = 30;
    h.write(bytes(1)); // waits 70ms
    now.t = 200;
    h.write(bytes(1)); // no wait
    h.fsync(); // 0ms (second per-call value)
    h.fsync(); // 10ms (fixed)
    fs.open('/data/x.rdb', 'append').fsync(); // not matching
    expect(costs).toEqual([
      [100, 'fdatasync latency'],
      [70, 'write blocked behind fsync'],
      [10, 'fsync latency'],
    ]);
  });

  it('signals a crash right after the planned op, and at the nth named point', () => {
    const events: SyscallEvent[] = [];
    const { fs, injector, crashes } = world({
      faults: [
        { kind: 'crash', atOp: 3, model: 'prefix' },
        { kind: 'crash', point: 'manifest-renamed', nth: 2, model: 'strict' },
      ],
    });
    fs.hooks.onSyscall = (e) => events.push(e);
    fs.open('/data/a', 'append'); // op 2
    expect(crashes).toEqual([]);
    fs.open('/data/b', 'append'); // op 3
    expect(crashes.map((c) => c.model)).toEqual(['prefix']);
    expect(events.at(-1)?.opIndex).toBe(3);
    fs.open('/data/c', 'append');
    expect(crashes.length).toBe(1);
    expect(injector.crashAtPoint('manifest-renamed')).toBeNull();
    expect(injector.crashAtPoint('manifest-renamed')?.model).toBe('strict');
    expect(injector.crashAtPoint('manifest-renamed')).toBeNull();
  });

  it('answers fork-failure and child-killed queries for the simulated Tasks', () => {
    const injector = new FaultInjector({
      faults: [
        { kind: 'fork-failure', nth: 2 },
        { kind: 'child-killed', nth: 3, afterSteps: 4, signal: 'SIGKILL' },
        { kind: 'child-killed', nth: 4, point: 'rewrite-child-renamed' },
      ],
    });
    expect([1, 2, 3].map(() => injector.forkFailure()?.kind ?? null)).toEqual([null, 'fork-failure', null]);
    const kill = injector.childKill(3);
    expect(kill?.afterSteps).toBe(4);
    expect(injector.childKill(1)).toBeNull();
    injector.recordChildKilled(kill!);
    const atPoint = injector.childKill(4)!;
    expect(atPoint.point).toBe('rewrite-child-renamed');
    injector.recordChildKilled(atPoint);
    expect(injector.injected.map((f) => f.detail)).toEqual([
      'fork #2 fails: Cannot allocate memory',
      'child of fork #3 killed with SIGKILL after 4 steps',
      "child of fork #4 killed with SIGKILL at 'rewrite-child-renamed'",
    ]);
    expect(() => validateFaultPlan({ faults: [{ kind: 'child-killed', nth: 1 }] })).toThrow(/exactly one of afterSteps or point/);
  });

  it('gives the same syscall log for the same plan and operations', () => {
    const run = (): string => {
      const events: SyscallEvent[] = [];
      const plan: FaultPlan = {
        faults: [
          { kind: 'short-write', path: '**', nth: 4, shortByBytes: 3, thenError: 'ENOSPC' },
          { kind: 'error', syscall: 'fdatasync', path: '**', nth: 2, code: 'EIO' },
          { kind: 'error', syscall: 'rename', path: '**', nth: 3, code: 'EIO', sticky: true },
          { kind: 'quota', quotaBytes: 300, atOp: 60 },
        ],
      };
      const fs = new SimFs({ injector: new FaultInjector(plan), hooks: { onSyscall: (e) => events.push(e) } });
      for (let i = 0; i < 40; i++) {
        try {
          const h = fs.open(`/f${i % 3}`, 'append');
          h.write(bytes(i * 7));
          if (i % 2) h.fdatasync();
          if (i % 5 === 0) fs.rename(`/f${i % 3}`, `/g${i}`);
          h.close();
        } catch (e) {
          if (!isFsError(e)) throw e;
        }
      }
      return JSON.stringify(events);
    };
    const a = run();
    expect(a).toBe(run());
    expect(a).toContain('"error"');
  });

  it('needs a clock for time-triggered faults', () => {
    expect(() => new FaultInjector({ faults: [{ kind: 'write-blocked-by-fsync', path: '**' }] })).toThrow(/options.clock/);
  });
});

describe('fault plans as data', () => {
  it('validates plans with actionable messages', () => {
    expect(() => validateFaultPlan({ faults: [{ kind: 'error', syscall: 'write', path: '**', nth: 0 }] })).toThrow(
      /faults\[0\].*nth must be an integer >= 1, got 0/,
    );
    expect(() => validateFaultPlan({ faults: [{ kind: 'crash', model: 'strict' }] })).toThrow(/exactly one of atOp or point/);
    expect(() => validateFaultPlan({ faults: [{ kind: 'bogus' } as never] })).toThrow(/unknown fault kind bogus/);
    expect(() => validateFaultPlan({ faults: [{ kind: 'error', syscall: 'write', path: '**', nth: 1, code: 'EWHAT' as never }] })).toThrow(
      /errno code/,
    );
    expect(() => new FaultInjector({ faults: [{ kind: 'latency', path: 're:(', ms: 1 }] })).toThrow(/invalid regular expression/);
  });

  it('describes a plan line by line', () => {
    const lines = describeFaultPlan({
      seed: 9,
      faults: [
        { kind: 'short-write', path: 'appendonly.aof', nth: 3, shortByBytes: 5, thenError: 'ENOSPC' },
        { kind: 'quota', quotaBytes: 1000 },
        { kind: 'quota', quotaBytes: null, atMs: 5000 },
        { kind: 'error', syscall: 'fsync', path: '**', nth: 1, sticky: true },
        { kind: 'latency', path: '*.aof', ms: 30, perCallMs: [1500] },
        { kind: 'write-blocked-by-fsync', path: '**' },
        { kind: 'fork-failure', nth: 2 },
        { kind: 'child-killed', nth: 1, afterSteps: 3 },
        { kind: 'crash', point: 'rewrite-child-renamed', model: 'prefix' },
        { kind: 'crash', atOp: 120, model: 'torn', sectorBytes: 4096 },
      ],
    });
    expect(lines).toEqual([
      'fault plan (seed=9): 10 faults',
      "  #0 short-write: the 3rd write to 'appendonly.aof' is short by 5 bytes, then the next write to that file fails with ENOSPC",
      '  #1 quota: from the start: ENOSPC above 1000 visible bytes',
      '  #2 quota: from t=5000ms: no disk quota (space freed)',
      '  #3 error: fsync on any file fails with EIO on the 1st call and every later one',
      "  #4 latency: fsync/fdatasync on '*.aof' takes 30ms (calls 1..1: 1500ms)",
      '  #5 write-blocked-by-fsync: writes to any file wait for an in-flight fsync of the same file',
      '  #6 fork-failure: the 2nd fork fails (Cannot allocate memory)',
      '  #7 child-killed: the child of the 1st fork is killed with SIGKILL after 3 steps',
      "  #8 crash: crash at 'rewrite-child-renamed' (1st time): power loss, prefix",
      '  #9 crash: crash after op 120: power loss, torn (4096-byte sectors)',
    ]);
    expect(describeFaultPlan({ faults: [] })).toEqual(['fault plan: 0 faults (none)']);
  });

  it('generates valid plans with fast-check that an injector accepts', () => {
    fc.assert(
      fc.property(faultPlanArbitrary({ crashPoints: ['rewrite-renamed'] }), (plan) => {
        validateFaultPlan(plan);
        new FaultInjector(plan, { clock: { nowMs: () => 0 } });
        return describeFaultPlan(plan).length === Math.max(1, plan.faults.length + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('matches paths by glob, base name, or regex', () => {
    const m = (p: string, path: string): boolean => compilePathPattern(p)(path);
    expect(m('*.aof', '/data/appendonlydir/appendonly.aof.1.incr.aof')).toBe(true);
    expect(m('*.aof', '/data/appendonly.aof.manifest')).toBe(false);
    expect(m('/data/*', '/data/appendonlydir/x')).toBe(false);
    expect(m('/data/**', '/data/appendonlydir/x')).toBe(true);
    expect(m('temp-rewriteaof-?.aof', '/d/temp-rewriteaof-7.aof')).toBe(true);
    expect(m('re:incr\\.aof$', '/d/appendonly.aof.2.incr.aof')).toBe(true);
    expect(m('a.b', '/axb')).toBe(false);
    expect(() => compilePathPattern('')).toThrow(/non-empty/);
  });
});
