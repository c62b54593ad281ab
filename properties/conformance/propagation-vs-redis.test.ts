// Propagation differential: the same generated command sequences (command-arbitraries.ts) run on a
// real redis-server 7.0 with `appendonly yes` and on aofsim's Executor (redis-7.0 profile); what the
// server appended to its INCR file for the sequence must equal, record by record and db by db, what
// the Executor propagated (MULTI/EXEC wrapping, XCLAIM/XGROUP SETID for XREADGROUP, SREM for SPOP,
// LPOP for BLPOP, `=` for approximate trims, PXAT/PEXPIREAT rewrites, ...). Absolute millisecond
// times (13-digit numbers: PXAT, PEXPIREAT, XCLAIM TIME) are masked: the two clocks differ. The real
// server's active expire cycle is switched off (DEBUG SET-ACTIVE-EXPIRE 0) so expiry is lazy on both.
//
// Budget: AOFSIM_RUNS / AOFSIM_SEED as the reply suite (default 20 per family here). Skips LOUDLY
// without redis-server 7.0; fails instead with AOFSIM_REQUIRE_REDIS=1.

import { join } from 'node:path';
import fc from 'fast-check';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Propagated } from '../../src/commands/types.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { Cmd } from './command-arbitraries.ts';
import { FAMILIES, sequence } from './command-arbitraries.ts';
import { pauseAfterExpiry, resetConnection, withPayload } from './differential.ts';
import { AofTail, simLines } from './aof-records.ts';
import { startLazyExpiryRedis, type RealRedis, SimSide, cliLine, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '20');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the propagation differential suite');

const RANDOM = new Set(['spop', 'srandmember', 'hrandfield', 'zrandmember', 'randomkey']);

/** The members a SPOP reply names (a bulk, or an array of bulks). */
function popped(r: Reply): string[] {
  if (r.kind === 'bulk') return r.value === null ? [] : [r.value];
  if (r.kind === 'array' && r.value) return r.value.flatMap((x) => (x.kind === 'bulk' && x.value !== null ? [x.value] : []));
  return [];
}

/** A record line with an SREM's members masked (each side draws its own). */
function maskSrem(line: string): string {
  return line.replace(/^(\d+: SREM \S+) .+$/, '$1 <members>');
}

describe.skipIf(skip)('aofsim propagation vs redis-server 7.0 AOF', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();
  let incr = '';

  beforeAll(async () => {
    requireRedis70();
    real = await startLazyExpiryRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--aof-timestamp-enabled', 'no', '--enable-debug-command', 'yes']);
    incr = join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  });

  afterAll(async () => {
    await real?.stop();
  });

  /** What the server appended since the last call. */
  const tail = new AofTail(() => incr);
  const appended = (): string[] => tail.next();

  async function run(cmds: Cmd[]): Promise<void> {
    const server = real as RealRedis;
    await resetConnection(server);
    appended();
    sim.reset();
    const log: string[] = ['FLUSHALL'];
    let peeked: string[] | null = null;
    const peek = (): string[] => (peeked ??= appended());
    for (const spec of cmds) {
      const c = await withPayload(server, spec, (dump) => {
        log.push(cliLine(dump));
        sim.ex.call(sim.client, dump);
      });
      appended();
      log.push(cliLine(c));
      const a = await server.client.call(c);
      let got: Propagated[];
      const name = c[0].toLowerCase();
      if (name === 'randomkey') {
        // The real RANDOMKEY expired (DEL) the expired keys it happened to draw: expire exactly those
        // here (EXISTS: lazy expiry, nothing else) and compare the DELs.
        got = [];
        for (const l of peek()) {
          const m = /^\d+: DEL (k\d)$/.exec(l);
          if (m) got.push(...sim.ex.call(sim.client, ['EXISTS', m[1]]).propagate);
        }
      } else if (RANDOM.has(name) && name !== 'spop') {
        // A random read: its choice is random, its lazy expiry of the key is not (EXISTS does the same).
        got = sim.ex.call(sim.client, ['EXISTS', c[1]]).propagate;
      } else if (name === 'spop') {
        const want = peek();
        got = ownSpop(c, a, want);
      } else got = sim.ex.call(sim.client, c).propagate;
      const want = peeked ?? appended();
      peeked = null;
      const mine = simLines(got);
      // SPOP's records name the members each side drew: compared with the members masked (ownSpop
      // checked aofsim's own members against its state).
      const same = name === 'spop' ? JSON.stringify(mine.map(maskSrem)) === JSON.stringify(want.map(maskSrem)) : JSON.stringify(mine) === JSON.stringify(want);
      if (!same) {
        throw new Error(`${log.join('\n')}\n^ propagation differs:\n  redis  ${JSON.stringify(want)}\n  aofsim ${JSON.stringify(mine)}`);
      }
      await pauseAfterExpiry(c);
    }
  }

  /**
   * aofsim's own SPOP, its record checked against its own state: the SREMs (or the DEL of a set
   * popped whole) name distinct members that were in the set, exactly the members aofsim replied,
   * and replaying them on the set as it was gives aofsim's set after the pop. Then the simulator
   * is brought to the real server's state (its popped members back, the real ones removed), so
   * the sequence goes on from the same state on both sides. Returns aofsim's records.
   */
  function ownSpop(c: Cmd, real: Reply, want: string[]): Propagated[] {
    const db = sim.ks.dbs[sim.client.db];
    const before = db.dict.get(c[1]);
    const pre = before?.type === 'set' ? new Set(before.value) : null;
    const r = sim.ex.call(sim.client, c);
    const mine = popped(r.reply);
    const fail = (why: string): never => {
      throw new Error(`${c.join(' ')} on ${pre ? JSON.stringify([...pre].sort()) : 'no set'}: aofsim's own SPOP ${why}\n  aofsim reply ${JSON.stringify(mine)} records ${JSON.stringify(simLines(r.propagate))}\n  redis records ${JSON.stringify(want)}`);
    };
    if (pre === null || mine.length === 0) return r.propagate;
    const removed: string[] = [];
    let deleted = false;
    for (const p of r.propagate) {
      const cmd = p.argv[0].toUpperCase();
      if (cmd === 'SREM' && p.argv[1] === c[1]) removed.push(...p.argv.slice(2));
      else if ((cmd === 'DEL' || cmd === 'UNLINK') && p.argv[1] === c[1]) deleted = true;
      else if (cmd !== 'MULTI' && cmd !== 'EXEC') fail(`propagated ${p.argv[0]}`);
    }
    const named = deleted ? [...pre] : removed;
    if (new Set(named).size !== named.length) fail('removes a member twice');
    if (named.some((m) => !pre.has(m))) fail('removes a member that was not in the set');
    if (JSON.stringify([...named].sort()) !== JSON.stringify([...mine].sort())) fail('removes other members than it replied');
    const count = c.length > 2 ? Number(c[2]) : 1;
    if (mine.length !== Math.min(count, pre.size)) fail(`popped ${mine.length} of ${pre.size} members for a count of ${count}`);
    const replayed = [...pre].filter((m) => !named.includes(m)).sort();
    const after = db.dict.get(c[1]);
    const left = after?.type === 'set' ? [...after.value].sort() : [];
    if (JSON.stringify(replayed) !== JSON.stringify(left)) fail(`leaves ${JSON.stringify(left)}, its records replayed leave ${JSON.stringify(replayed)}`);
    // Follow the real server: what it popped is gone, what aofsim alone popped comes back.
    const theirs = popped(real);
    const back = mine.filter((m) => !theirs.includes(m));
    const gone = theirs.filter((m) => !mine.includes(m));
    if (back.length > 0) sim.ex.call(sim.client, ['SADD', c[1], ...back]);
    if (gone.length > 0) sim.ex.call(sim.client, ['SREM', c[1], ...gone]);
    return r.propagate;
  }

  it('SPOP with a count: per-member SREMs in MULTI/EXEC, as redis 7.0.15 writes them', async () => {
    await expect(run([['SADD', 'k1', 'a', 'b', 'c'], ['SPOP', 'k1', '2'], ['SPOP', 'k1', '5']])).resolves.toBeUndefined();
  });

  it("SPOP: aofsim's own records remove members it held, as many as it popped (sets of 1-600 members, intsets too)", async () => {
    const small = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '2', '300', '70000', '-5'), { minLength: 1, maxLength: 10 });
    // 600 integers: an intset past 512 entries becomes a hash table.
    const large = fc.constantFrom(40, 600).map((n) => Array.from({ length: n }, (_, i) => String(i * 7)));
    const count = fc.constantFrom([], ['1'], ['2'], ['3'], ['20'], ['0']);
    const steps = fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: small }, { weight: 1, arbitrary: large }), count, count), { minLength: 1, maxLength: 4 });
    const seq = steps.map((ss) => ss.flatMap(([ms, a, b]): Cmd[] => [['SADD', 'k1', ...ms], ['SPOP', 'k1', ...a], ['SPOP', 'k1', ...b]]));
    await fc.assert(fc.asyncProperty(seq, run), { numRuns: RUNS, seed: SEED });
    expect(RUNS).toBeGreaterThan(0);
  });

  for (const family of Object.keys(FAMILIES)) {
    it(`${family}: same AOF records as redis 7.0`, async () => {
      await fc.assert(fc.asyncProperty(sequence(family), run), { numRuns: RUNS, seed: SEED });
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
