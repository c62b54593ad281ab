// The World driving this project's Server (src/server.ts): determinism over 200 seeds, the slow
// fsync postpone window in virtual time, and crash points inside a rewrite.
import { beforeAll, describe, expect, it } from 'vitest';
import { World, type ServerFactory } from './world.ts';
import { loadServerFactory } from './server-factory.ts';
import { scheduleRandomWorkload } from './random-workload.ts';
import { WorldReuse } from './world-reuse.ts';
import { resolveAofConfig, type AofConfig, type AofConfigInput } from '../../src/aof/config.ts';
import { canonicalDump } from '../../src/keyspace/canonical-dump.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

function world(seed: number, config: AofConfigInput, faults?: FaultPlan, reuse?: WorldReuse): World<AofConfig> {
  return new World<AofConfig>({
    seed,
    config: resolveAofConfig({ appendonly: true, dir: '/data', ...config }),
    createServer,
    faults,
    reuse,
    files: { '/data/.keep': '' },
  });
}

describe('World + Server', () => {
  it('same seed, same trace: 200 seeds twice each, once in a reused world and once in a fresh one (both profiles, all policies, rewrites, crashes)', () => {
    const reuse = new WorldReuse();
    const run = (seed: number, shared?: WorldReuse): string => {
      const w = world(seed, {
        profile: seed % 2 === 0 ? 'redis-4.0' : 'redis-7.0',
        appendfsync: (['always', 'everysec', 'no'] as const)[seed % 3],
      }, undefined, shared);
      w.start();
      const sent = scheduleRandomWorkload(w, w.prng.stream('workload'), { ops: 8, keys: 4, clients: 2, maxGapMs: 150 });
      if (seed % 4 === 0) w.scheduler.at(w.nowMs() + 200, 'client', 'send', () => void w.send(['BGREWRITEAOF']));
      w.advance(1500);
      expect(sent.length).toBe(8);
      w.crash(seed % 5 === 0 ? { model: 'strict', dirs: { '2': 1000 } } : { model: 'process-kill' });
      w.restart();
      return w.trace.hash();
    };
    const hashes = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const h = run(seed, reuse);
      expect(run(seed), `seed ${seed}`).toBe(h);
      hashes.add(h);
    }
    expect(hashes.size).toBe(200);
  });

  it('a WorldReuse carries nothing from one world to the next: worlds in other directories, with other files, alternating on one WorldReuse, trace as fresh ones', () => {
    const reuse = new WorldReuse();
    const run = (seed: number, shared?: WorldReuse): string => {
      // Directories that share a prefix and one that does not, names that differ in one byte.
      const dir = ['/data', '/data/x', '/srv/r1', '/srv/r2'][seed % 4];
      const w = new World<AofConfig>({
        seed,
        config: resolveAofConfig({ appendonly: true, dir, profile: seed % 3 === 0 ? 'redis-4.0' : 'redis-7.0', appendfsync: 'always' }),
        createServer,
        reuse: shared,
        files: { [`${dir}/.keep`]: '', [`${dir}/appendonly.aof${seed % 2 === 0 ? '' : '.old'}`]: '' },
      });
      w.start();
      const sent = scheduleRandomWorkload(w, w.prng.stream('workload'), { ops: 6, keys: 3, clients: 1, maxGapMs: 50 });
      w.advance(500);
      expect(sent.length).toBe(6);
      w.crash({ model: 'process-kill' });
      w.restart();
      w.settle([w.send(['DBSIZE'])]);
      return w.trace.hash();
    };
    for (let seed = 0; seed < 24; seed++) expect(run(seed, reuse), `seed ${seed}`).toBe(run(seed));
  });

  it('a world whose WorldReuse a newer world claimed refuses to run', () => {
    const reuse = new WorldReuse();
    const old = world(1, { appendfsync: 'always' }, undefined, reuse);
    old.start();
    const next = world(2, { appendfsync: 'always' }, undefined, reuse);
    expect(() => old.send(['SET', 'a', '1'])).toThrow(/newer world claimed its WorldReuse/);
    expect(() => old.advance(10)).toThrow(/newer world claimed/);
    expect(next.start().outcome).toBe('ok');
    expect(next.nowMs()).toBe(next.clock.startMs);
  });

  it('process-kill keeps every acknowledged write (always)', () => {
    const w = world(7, { profile: 'redis-7.0', appendfsync: 'always' });
    w.start();
    const reqs = scheduleRandomWorkload(w, w.prng.stream('workload'), { ops: 30, keys: 6, maxGapMs: 20 });
    w.advance(2000);
    expect(reqs.every((r) => r.state === 'replied')).toBe(true);
    const live = JSON.stringify(canonicalDump(w.server!.keyspace, w.nowMs()));
    w.crash({ model: 'process-kill' });
    expect(w.restart().status).toBe('ok');
    expect(JSON.stringify(canonicalDump(w.server!.keyspace, w.nowMs()))).toBe(live);
  });

  it('a slow bio fsync keeps its job pending in virtual time: the flush is postponed, then written after 2 s', () => {
    const w = world(3, { profile: 'redis-4.0', appendfsync: 'everysec' }, { faults: [{ kind: 'latency', path: '**/appendonly.aof', ms: 5000 }] });
    w.start();
    for (let i = 0; i < 40; i++) {
      w.settle([w.send(['SET', `k${i % 3}`, `v${i}`])]);
      w.advance(100);
    }
    expect(w.marks.get('aof.flush.postponed') ?? 0).toBeGreaterThan(0);
    expect(w.logged('Asynchronous AOF fsync is taking too long').length).toBeGreaterThan(0);
    const postponedSyscallTimes = w.trace.events.filter((e) => e.kind === 'syscall' && e.text.includes('fdatasync')).map((e) => e.t);
    expect(postponedSyscallTimes.length).toBeGreaterThan(0);
  });

  it('a write blocked behind an in-flight fsync of the same file costs the main thread virtual time', () => {
    const w = world(5, { profile: 'redis-4.0', appendfsync: 'everysec' }, {
      faults: [
        { kind: 'latency', path: '**/appendonly.aof', ms: 4000 },
        { kind: 'write-blocked-by-fsync', path: '**/appendonly.aof' },
      ],
    });
    w.start();
    const reqs = [];
    for (let i = 0; i < 40; i++) {
      reqs.push(w.send(['SET', 'k', `v${i}`]));
      w.advance(100);
    }
    w.settle(reqs);
    const blocked = w.trace.events.find((e) => e.actor === 'main' && e.kind === 'syscall' && / write .*\(\+\d+ms\)/.test(e.text));
    expect(blocked, 'a main-thread write with a cost').toBeDefined();
    // Replies wait for the blocked write: some command took more than a second of virtual time.
    const slowest = Math.max(...reqs.map((r) => r.repliedAtMs - r.sentAtMs));
    expect(slowest).toBeGreaterThan(1000);
    expect(reqs.every((r) => r.state === 'replied')).toBe(true);
  });

  it('a child killed at a named point (fault plan): the rewrite fails, the server goes on, the next one succeeds', () => {
    const w = world(13, { profile: 'redis-7.0', appendfsync: 'everysec' }, {
      faults: [{ kind: 'child-killed', nth: 1, point: 'rewrite-child-renamed', signal: 'SIGKILL' }],
    });
    w.start();
    w.settle([w.send(['SET', 'a', '1'])]);
    w.settle([w.send(['BGREWRITEAOF'])]);
    w.advance(500);
    expect(w.childExits).toEqual([{ pid: 1000, exitCode: 1, signal: 'SIGKILL' }]);
    expect(w.injector.injected.some((f) => f.kind === 'child-killed')).toBe(true);
    expect(w.processState).toBe('running');
    expect(w.marks.get('rewrite.redis70.switched') ?? 0).toBe(0);
    w.settle([w.send(['BGREWRITEAOF'])]);
    w.advance(500);
    expect(w.marks.get('rewrite.redis70.switched')).toBe(1);
    expect(w.childExits.at(-1)?.exitCode).toBe(0);
  });

  it('crash at a named point of the rewrite (4.0 switch) recovers every acknowledged write', () => {
    const w = world(11, { profile: 'redis-4.0', appendfsync: 'always' }, { faults: [{ kind: 'crash', point: 'rewrite-switched', model: 'process-kill' }] });
    w.start();
    w.settle([w.send(['SET', 'a', '1']), w.send(['INCR', 'n'])]);
    w.settle([w.send(['BGREWRITEAOF'])]);
    w.settle([w.send(['INCR', 'n'])]);
    w.advance(3000);
    expect(w.crashes.map((c) => c.cause)).toEqual(['point rewrite-switched #1']);
    w.restart();
    expect(w.server!.keyspace.db(0).dict.get('n')).toEqual({ type: 'string', value: '2' });
  });
});
