// Differential property: optimistic locking across clients. Two clients interleave WATCH, UNWATCH,
// MULTI, EXEC, DISCARD, SELECT and writes over three keys (one of them volatile: a key that expired
// while watched aborts 7.0's EXEC) on a real redis-server 7.0 (two connections) and on aofsim's
// Executor (two ClientStates); every reply must agree. What only several clients show: a write by
// the other client to a key watched by an earlier WATCH (not the last one) aborts the transaction,
// and UNWATCH / EXEC / DISCARD forget every watched key, so a later write no longer aborts the next.
//
// Budget: AOFSIM_RUNS sequences (default 30); AOFSIM_SEED fixes the seed. Skips LOUDLY without
// redis-server 7.0, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, type ClientState } from '../../src/commands/types.ts';
import { RespClient } from '../../sim/subjects/real-resp-client.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { cliLine, replyString, startLazyExpiryRedis, SimSide, type RealRedis, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '30');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the two-client WATCH differential (optimistic locking across clients)');

type Step = [client: 0 | 1, argv: string[]];

const key = fc.constantFrom('a', 'b', 'v');
const step: fc.Arbitrary<Step> = fc.tuple(
  fc.constantFrom<0 | 1>(0, 1),
  fc.oneof(
    { weight: 4, arbitrary: fc.uniqueArray(key, { minLength: 1, maxLength: 2 }).map((ks) => ['WATCH', ...ks]) },
    { weight: 1, arbitrary: fc.constant<string[]>(['UNWATCH']) },
    { weight: 3, arbitrary: fc.constant<string[]>(['MULTI']) },
    { weight: 3, arbitrary: fc.constant<string[]>(['EXEC']) },
    { weight: 1, arbitrary: fc.constant<string[]>(['DISCARD']) },
    { weight: 1, arbitrary: fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1']) },
    { weight: 4, arbitrary: fc.tuple(key, fc.constantFrom('1', 'x')).map(([k, v]) => ['SET', k, v]) },
    { weight: 2, arbitrary: key.map((k) => ['INCR', k]) },
    { weight: 1, arbitrary: key.map((k) => ['DEL', k]) },
    { weight: 2, arbitrary: key.map((k) => ['GET', k]) },
    // A volatile key that expires 60 ms later (see the pause below).
    { weight: 1, arbitrary: fc.constant<string[]>(['SET', 'v', 'temp', 'PX', '60']) },
  ),
);

// A transaction as a client runs one: one to three WATCHes, writes by the other client, then MULTI,
// queued commands and EXEC (or DISCARD, or a plain UNWATCH), with writes by the other client after it.
const write = (who: 0 | 1): fc.Arbitrary<Step> =>
  fc.tuple(key, fc.constantFrom('SET', 'INCR', 'DEL')).map(([k, c]): Step => [who, c === 'SET' ? ['SET', k, 'w'] : [c, k]]);
const episode: fc.Arbitrary<Step[]> = fc.constantFrom<0 | 1>(0, 1).chain((who) => {
  const other: 0 | 1 = who === 0 ? 1 : 0;
  return fc
    .tuple(
      fc.constantFrom(false, false, false, true),
      fc.array(fc.uniqueArray(key, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
      fc.array(write(other), { maxLength: 2 }),
      fc.array(key.map((k) => ['GET', k]), { maxLength: 2 }),
      fc.constantFrom('EXEC', 'DISCARD', 'UNWATCH'),
      fc.array(write(other), { maxLength: 2 }),
    )
    .map(([volatileFirst, watches, before, queued, end, after]): Step[] => [
      // Sometimes the key to watch is volatile: set just before, so it expires while watched.
      ...(volatileFirst ? [[other, ['SET', 'v', 'temp', 'PX', '60']] as Step] : []),
      ...watches.map((ks): Step => [who, ['WATCH', ...ks]]),
      ...before,
      ...(end === 'UNWATCH' ? [[who, ['UNWATCH']] as Step] : [[who, ['MULTI']] as Step, ...queued.map((q): Step => [who, q]), [who, [end]] as Step]),
      ...after,
    ]);
});
const sequence: fc.Arbitrary<Step[]> = fc
  .array(fc.oneof({ weight: 2, arbitrary: episode }, { weight: 1, arbitrary: step.map((x) => [x]) }), { minLength: 2, maxLength: 8 })
  .map((parts) => parts.flat());

describe.skipIf(skip)('WATCH across two clients vs redis-server 7.0', () => {
  let real: RealRedis | undefined;
  let other: RespClient | undefined;

  beforeAll(async () => {
    requireRedis70();
    real = await startLazyExpiryRedis(['--enable-debug-command', 'yes']);
    other = await RespClient.connect(real.port);
  });

  afterAll(async () => {
    other?.close();
    await real?.stop();
  });

  it('every reply agrees, transactions aborted by the other client and by expiry included', async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async (steps) => {
        const conns = [(real as RealRedis).client, other as RespClient];
        for (const c of conns) await c.pipeline([['DISCARD'], ['UNWATCH'], ['SELECT', '0']]);
        await conns[0].call(['FLUSHALL']);
        const sim = new SimSide();
        const clients: ClientState[] = [sim.client, newClient(2)];
        const lines = ['# replay: two redis-cli sessions, the client number first', 'FLUSHALL'];
        // A volatile SET (run alone, or by the EXEC of its transaction) lives 60 ms: the step after it
        // meets the key alive on both sides (a WATCH of it then watches a live key), then both wait
        // 90 ms, so every later command meets it expired on both clocks, not a race with the millisecond.
        let volatileQueued = false;
        let pauseAfterNext = false;
        for (const [who, argv] of steps) {
          const pauseNow = pauseAfterNext;
          pauseAfterNext = false;
          lines.push(`${who + 1}> ${cliLine(argv)}`);
          const a = await conns[who].call(argv);
          const b = sim.ex.call(clients[who], argv).reply;
          const ra = replyString(a);
          const rb = replyString(b);
          if (ra !== rb) throw new Error(`${lines.join('\n')}\n^ replies differ:\n  real ${ra}\n  sim  ${rb}`);
          const volatileSet = argv.length === 5 && argv[3] === 'PX';
          const queued = b.kind === 'status' && b.value === 'QUEUED';
          if (volatileSet && queued) volatileQueued = true;
          if ((volatileSet && !queued) || (argv[0] === 'EXEC' && volatileQueued)) pauseAfterNext = true;
          if (argv[0] === 'EXEC' || argv[0] === 'DISCARD') volatileQueued = false;
          if (pauseNow) await new Promise((r) => setTimeout(r, 90));
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    expect(RUNS).toBeGreaterThan(0);
  });
});
