import { describe, expect, it } from 'vitest';
import { World } from './world.ts';
import { ToyServer, type ToyConfig } from '../../testing/sim/toy-server.ts';
import { scheduleRandomWorkload } from './random-workload.ts';
import { formatReply } from '../trace/reply-text.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';

function toyWorld(seed: number, config: ToyConfig = { appendfsync: 'always' }, faults?: FaultPlan): World<ToyConfig> {
  return new World<ToyConfig>({
    seed,
    config,
    faults,
    createServer: (deps, cfg) => new ToyServer(deps, cfg),
  });
}

describe('World', () => {
  it('with the trace off, builds syscall events only once a listener or an armed crash needs them', () => {
    const w = new World<ToyConfig>({
      seed: 3,
      config: { appendfsync: 'always' },
      trace: false,
      createServer: (deps, cfg) => new ToyServer(deps, cfg),
    });
    expect(w.fs.hooks.onSyscall).toBeUndefined();
    w.start();
    w.settle([w.send(['SET', 'a', '1'])]);
    const seen: string[] = [];
    w.onSyscallEvent = (e, actor) => seen.push(`${actor} ${e.name} ${e.path}`);
    w.settle([w.send(['SET', 'b', '2'])]);
    expect(seen).toContain('main write /data/toy.aof');
    w.onSyscallEvent = null;
    expect(w.fs.hooks.onSyscall).toBeUndefined();
    // An armed crash at an op index still fires with the trace off and no listener.
    w.crashAt({ atOp: w.fs.opCount + 1 }, { model: 'process-kill' });
    const lost = w.send(['SET', 'c', '3']);
    w.settle([lost]);
    expect(lost.state).toBe('dropped');
    expect(w.crashes).toHaveLength(1);
  });

  it('runs commands through the event loop: execute, beforeSleep flush, then replies', () => {
    const w = toyWorld(1);
    expect(w.start().outcome).toBe('ok');
    const a = w.send(['SET', 'a', '1']);
    const b = w.send(['GET', 'a']);
    expect(w.settle([a, b])).toBe(true);
    expect(formatReply(a.reply!)).toBe('OK');
    expect(formatReply(b.reply!)).toBe('"1"');
    const tl = w.trace.timeline();
    // The write syscall happens before the reply is released.
    expect(tl.indexOf('write /data/toy.aof')).toBeGreaterThan(-1);
    expect(tl.indexOf('write /data/toy.aof')).toBeLessThan(tl.indexOf('#1 OK'));
    expect(new TextDecoder().decode(w.fs.readFile('/data/toy.aof'))).toBe('SET a 1\n');
  });

  it('process-kill then restart loads what the process wrote; requests in flight are dropped', () => {
    const w = toyWorld(2);
    w.start();
    const r = [w.send(['SET', 'a', '1']), w.send(['SET', 'b', '2'])];
    w.settle(r);
    const lost = w.send(['SET', 'c', '3']);
    w.crash({ model: 'process-kill' });
    expect(lost.state).toBe('dropped');
    expect(w.processState).toBe('crashed');
    expect(w.send(['GET', 'a']).state).toBe('dropped'); // nobody listens
    expect(w.restart().outcome).toBe('ok');
    expect(w.incarnation).toBe(2);
    expect([...w.server!.keyspace.db(0).dict.keys()].sort()).toEqual(['a', 'b']);
    expect(w.crashes).toHaveLength(1);
    expect(w.trace.timeline()).toContain('crash      process-kill (step)');
  });

  it('a restart is a new incarnation: the dead one never runs again, connections start over', () => {
    const servers: { server: ToyServer; calls: number; clients: number }[] = [];
    const w = new World<ToyConfig>({
      seed: 6,
      config: { appendfsync: 'everysec' },
      createServer: (deps, cfg) => {
        const s = new ToyServer(deps, cfg);
        const entry = { server: s, calls: 0, clients: 0 };
        const newClient = s.newClient.bind(s);
        s.newClient = () => {
          entry.clients++;
          return newClient();
        };
        for (const m of ['execute', 'beforeSleep', 'cron'] as const) {
          const f = s[m].bind(s) as (...a: unknown[]) => void;
          (s as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
            entry.calls++;
            f(...a);
          };
        }
        servers.push(entry);
        return s;
      },
    });
    w.start();
    w.settle([w.send(['SET', 'a', '1']), w.send(['SET', 'b', '2'], 1)]);
    w.advance(1500); // cron turns and a bio fsync in flight
    w.crash({ model: 'process-kill' });
    const deadCalls = servers[0].calls;
    expect(w.restart().outcome).toBe('ok');
    const r = w.send(['GET', 'a'], 1);
    w.settle([r]);
    w.advance(3000);
    expect(servers).toHaveLength(2);
    expect(servers[0].calls).toBe(deadCalls);
    expect(servers[1].calls).toBeGreaterThan(10);
    expect(r.incarnation).toBe(2);
    // Connections do not survive the process: client 1 connects again to the new server.
    expect(servers.map((e) => e.clients)).toEqual([2, 1]);
    expect(w.processState).toBe('running');
  });

  it('runs serverCron at hz and bio fsync jobs under everysec', () => {
    const w = toyWorld(3, { appendfsync: 'everysec' });
    w.start();
    w.settle([w.send(['SET', 'a', '1'])]);
    w.advance(2500);
    expect(w.trace.events.filter((e) => e.kind === 'bio' && e.text.startsWith('fsync')).length).toBeGreaterThanOrEqual(2);
    expect(w.nowMs() - w.clock.startMs).toBe(2500);
  });

  it('steps the rewrite child as its own actor and crashes at a named point', () => {
    const plan: FaultPlan = { faults: [{ kind: 'crash', point: 'rewrite-switched', model: 'process-kill' }] };
    const w = toyWorld(4, { appendfsync: 'always' }, plan);
    w.start();
    w.settle([w.send(['SET', 'a', '1']), w.send(['SET', 'b', '2'])]);
    w.settle([w.send(['BGREWRITEAOF'])]);
    w.advance(1000);
    expect(w.trace.events.some((e) => e.actor === 'child' && e.text.includes(' rename '))).toBe(true);
    expect(w.crashes.map((c) => c.cause)).toEqual(['point rewrite-switched #1']);
    expect(w.processState).toBe('crashed');
    expect(w.logged('Background AOF rewrite terminated')).toHaveLength(0); // stopped before the log line
  });

  it('records a process that exits by itself and refuses later commands', () => {
    const w = new World<ToyConfig>({
      seed: 5,
      config: { appendfsync: 'always' },
      createServer: (deps, cfg) => new ToyServer(deps, cfg),
      files: { '/data/toy.aof': 'garbage line\n' },
    });
    const load = w.start();
    expect(load.outcome).toBe('exited');
    expect(load.exitCode).toBe(1);
    expect(load.reason).toContain("bad line 'garbage line'");
    expect(w.processState).toBe('exited');
  });

  it('gives the same trace for the same seed (200 seeds, twice each) and different ones across seeds', () => {
    const run = (seed: number): string => {
      const w = toyWorld(seed, { appendfsync: seed % 2 === 0 ? 'everysec' : 'always' });
      w.start();
      const sent = scheduleRandomWorkload(w, w.prng.stream('workload'), { ops: 12, keys: 4, clients: 3, maxGapMs: 400 });
      w.advance(6000);
      expect(sent.every((r) => r.state === 'replied')).toBe(true);
      if (seed % 3 === 0) {
        w.crash({ model: 'process-kill' });
        w.restart();
        w.advance(200);
      }
      return w.trace.hash();
    };
    const hashes = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const h = run(seed);
      expect(run(seed), `seed ${seed}`).toBe(h);
      hashes.add(h);
    }
    expect(hashes.size).toBeGreaterThan(190);
  });
});
