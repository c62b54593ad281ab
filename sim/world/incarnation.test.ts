// The incarnation's reply path: a connection gets its replies in the order of its requests, each
// reply the one of its own request (redis: one connection's replies are written in command order),
// whatever the scheduler's tie-breaks. The risky shape: a loop turn whose blocking calls cost
// virtual time releases its replies later, at the same instant as the next turn; that turn must not
// overtake them. Over many seeds, with pipelined bursts read in random prefixes.
import { describe, expect, it } from 'vitest';
import { World, type Request, type ServerFactory } from './world.ts';
import { loadServerFactory } from './server-factory.ts';
import { ToyServer, type ToyConfig } from '../../testing/sim/toy-server.ts';
import { formatReply } from '../trace/reply-text.ts';
import { resolveAofConfig, type AofConfig } from '../../src/aof/config.ts';
import type { Bytes } from '../../src/keyspace/types.ts';
import { testSeed } from '../../src/base/test-seed.ts';

const BASE_SEED = testSeed(process.env);
const seeds = (n: number): number[] => Array.from({ length: n }, (_, i) => (BASE_SEED + i) | 0);

/** Each client's replies as its requests expect them, and the order they reached it. */
function checkReplies<C>(w: World<C>, sent: readonly { req: Request; expected: string }[], order: Map<number, number[]>): void {
  for (const { req, expected } of sent) {
    expect(req.state, `seed ${w.seed}: #${req.seq} ${req.argv.join(' ')}`).toBe('replied');
    expect(formatReply(req.reply!), `seed ${w.seed}: reply to #${req.seq} ${req.argv.join(' ')}`).toBe(expected);
  }
  for (const [client, seqs] of order) {
    expect(seqs, `seed ${w.seed}: order of client ${client}'s replies`).toEqual([...seqs].sort((a, b) => a - b));
  }
}

/** The order in which each client's replies reach it (request seqs). */
function recordOrder<C>(w: World<C>): Map<number, number[]> {
  const order = new Map<number, number[]>();
  w.onReplied = (req) => {
    const seqs = order.get(req.client) ?? [];
    seqs.push(req.seq);
    order.set(req.client, seqs);
  };
  return order;
}

/**
 * Loop turns that ran at the instant an earlier turn's delayed replies were due: the shape in which
 * the scheduler's tie-break may run the new turn first. Counted so the tests prove they reach it.
 */
function turnsAtReplyInstants<C>(w: World<C>): number {
  const delayedAt = new Set(w.requests.filter((r) => r.state === 'replied' && r.repliedAtMs > r.executedAtMs).map((r) => r.repliedAtMs));
  return new Set(w.requests.filter((r) => r.executedAtMs >= 0 && delayedAt.has(r.executedAtMs)).map((r) => r.executedAtMs)).size;
}

describe('Incarnation replies', () => {
  it('pipelined bursts from two clients: every reply is its own request\'s, in request order, over many seeds (slow fsync: turns cost time)', () => {
    let shapes = 0;
    for (const seed of seeds(24)) {
      const w = new World<ToyConfig>({
        seed,
        config: { appendfsync: 'always' },
        createServer: (deps, cfg) => new ToyServer(deps, cfg),
        // Every turn that writes fsyncs in the loop and releases its replies 1..7 ms later; a turn
        // that only reads costs nothing and would send its replies at once.
        faults: { faults: [{ kind: 'latency', path: '**', ms: 1 + (seed % 7), syscalls: ['fdatasync'] }] },
      });
      w.start();
      const order = recordOrder(w);
      const sent: { req: Request; expected: string }[] = [];
      // Each client has its own keys: its expected replies do not depend on the other client.
      const a: (string | null)[] = [null, null];
      const n = [0, 0];
      for (let round = 0; round < 12; round++) {
        const burst: Request[] = [];
        for (let client = 0; client < 2; client++) {
          for (let i = 0; i < 6; i++) {
            // A write, then reads: a short batch of reads is a turn that costs nothing.
            const step = (i + round + client) % 6;
            let argv: Bytes[];
            let expected: string;
            if (step === 0) {
              argv = ['SET', `a${client}`, `v${round}.${i}`];
              a[client] = `v${round}.${i}`;
              expected = 'OK';
            } else if (step === 3) {
              argv = ['INCR', `n${client}`];
              expected = `(integer) ${++n[client]}`;
            } else if (step % 2 === 1) {
              argv = ['GET', `a${client}`];
              expected = a[client] === null ? '(nil)' : `"${a[client]}"`;
            } else {
              argv = ['GET', `n${client}`];
              expected = n[client] === 0 ? '(nil)' : `"${n[client]}"`;
            }
            const req = w.send(argv, client);
            burst.push(req);
            sent.push({ req, expected });
          }
        }
        expect(w.settle(burst), `seed ${seed}: round ${round} settled`).toBe(true);
      }
      checkReplies(w, sent, order);
      shapes += turnsAtReplyInstants(w);
    }
    expect(shapes).toBeGreaterThanOrEqual(100);
  });

  it('this project\'s Server, redis-7.0: BGREWRITEAOF then a pipelined burst of INCRs on a zset and counters (the run that showed the bug)', async () => {
    const createServer: ServerFactory<AofConfig> = await loadServerFactory();
    let shapes = 0;
    for (const seed of seeds(12)) {
      const w = new World<AofConfig>({
        seed,
        config: resolveAofConfig({ appendonly: true, dir: '/data', profile: 'redis-7.0', appendfsync: 'no' }),
        createServer,
        files: { '/data/.keep': '' },
        faults: { faults: [{ kind: 'latency', path: '**', ms: 100, syscalls: ['fsync', 'fdatasync'] }, { kind: 'child-killed', nth: 1, afterSteps: 0 }] },
      });
      w.start();
      const zadd = w.send(['ZADD', 'k3', '0', 'm1']);
      expect(w.settle([zadd])).toBe(true);
      const order = recordOrder(w);
      const sent: { req: Request; expected: string }[] = [
        { req: w.send(['BGREWRITEAOF']), expected: 'Background append only file rewriting started' },
      ];
      const counts = [0, 0, 0];
      for (let i = 0; i < 120; i++) {
        const k = i % 4;
        const expected = k === 3 ? '(error) WRONGTYPE Operation against a key holding the wrong kind of value' : `(integer) ${++counts[k]}`;
        sent.push({ req: w.send(['INCR', `k${k}`]), expected });
      }
      expect(w.settle(sent.map((s) => s.req), 600_000), `seed ${w.seed}: settled`).toBe(true);
      checkReplies(w, sent, order);
      shapes += turnsAtReplyInstants(w);
    }
    expect(shapes).toBeGreaterThanOrEqual(6);
  });
});
