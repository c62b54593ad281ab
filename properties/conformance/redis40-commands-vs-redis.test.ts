// Differential suite of the redis-4.0 profile against a real redis-server 4.0.14 (issue 11): the
// same generated command sequences (redis40-workload.ts: 4.0's write commands, syntax only later
// versions have, reads; plain and inside MULTI ... EXEC) run on 4.0.14 with appendonly yes and on
// aofsim's Executor with the redis-4.0 profile. For every command the replies must be equal, and
// what 4.0.14 appended to appendonly.aof must equal, record by record and db by db, what the
// Executor propagated (SET EX -> SET + PEXPIREAT, MULTI before the first write of an EXEC, the EXEC
// record, SUNIONSTORE/SDIFFSTORE with an empty result, INCRBYFLOAT -> SET, ...). Absolute
// millisecond times computed from each side's clock are masked (aof-records.ts).
//
// Budget: AOFSIM_RUNS sequences per family (default 15), AOFSIM_SEED. Needs the 4.0.14 binary
// (AOFSIM_REDIS40_BIN; scripts/build-subject.sh): skips loudly without it, fails instead with
// AOFSIM_REQUIRE_REDIS=1.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/commands/reply.ts';
import type { RealRedis } from './harness.ts';
import { Feed40, records } from './aof-records.ts';
import { SimSide, cliLine, replyString } from './harness.ts';
import { require40, skip40, startRedis40 } from './redis40.ts';
import type { Cmd } from './redis40-workload.ts';
import { FAMILIES40, sequence40 } from './redis40-workload.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '15');
const SEED = process.env.AOFSIM_SEED === undefined ? 4014 : Number(process.env.AOFSIM_SEED);
const skip = skip40('the redis-4.0 command and propagation differential suite');

const UNORDERED = new Set(['smembers', 'hgetall']);

/** A reply as comparable text; hash-table orders sorted; EXEC's replies each by its queued command. */
function normalised(c: Cmd, r: Reply, queued: Cmd[] = []): string {
  const n = c[0].toLowerCase();
  if (n === 'exec' && r.kind === 'array' && r.value !== null && r.value.length === queued.length) {
    return '[' + r.value.map((x, i) => normalised(queued[i], x)).join(', ') + ']';
  }
  if (UNORDERED.has(n) && r.kind === 'array' && r.value !== null) {
    if (n === 'hgetall') {
      const pairs: string[] = [];
      for (let i = 0; i + 1 < r.value.length; i += 2) pairs.push(replyString(r.value[i]) + '=' + replyString(r.value[i + 1]));
      return '[' + pairs.sort().join(', ') + ']';
    }
    return '[' + r.value.map(replyString).sort().join(', ') + ']';
  }
  return replyString(r);
}

describe.skipIf(skip)('aofsim redis-4.0 profile vs redis-server 4.0.14: replies and AOF records', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide(1, 'redis-4.0');
  let aof = '';
  let offset = 0;
  let realDb = 0;
  // The AOF side of the 4.0 profile (aof-records.ts).
  const feed = new Feed40();

  beforeAll(async () => {
    require40();
    real = await startRedis40(['--appendonly', 'yes', '--appendfsync', 'always']);
    aof = join(real.dir, 'appendonly.aof');
  }, 30_000);

  afterAll(async () => {
    await real?.stop();
  });

  function appended(): string[] {
    const size = statSync(aof).size;
    const data = readFileSync(aof).subarray(offset, size).toString('latin1');
    offset = size;
    const r = records(data, realDb);
    realDb = r.db;
    return r.lines;
  }

  async function run(cmds: Cmd[]): Promise<void> {
    const server = real as RealRedis;
    await server.client.pipeline([['DISCARD'], ['FLUSHALL'], ['SELECT', '0']]);
    appended();
    sim.reset(1);
    feed.records([{ db: 0, argv: ['FLUSHALL'] }]);
    const log: string[] = ['FLUSHALL'];
    let queued: Cmd[] | null = null;
    for (const c of cmds) {
      log.push(cliLine(c));
      const name = c[0].toLowerCase();
      const inMulti = queued;
      if (name === 'multi') queued = [];
      else if (name === 'exec' || name === 'discard') queued = null;
      else queued?.push(c);
      const a = await server.client.call(c);
      const s = sim.ex.call(sim.client, c);
      const want = appended();
      const mine = feed.records(s.propagate);
      const q = inMulti ?? [];
      if (normalised(c, a, q) !== normalised(c, s.reply, q)) {
        throw new Error(`${log.join('\n')}\n^ replies differ:\n  redis 4.0.14 ${normalised(c, a, q)}\n  aofsim       ${normalised(c, s.reply, q)}`);
      }
      if (JSON.stringify(mine) !== JSON.stringify(want)) {
        throw new Error(`${log.join('\n')}\n^ AOF records differ:\n  redis 4.0.14 ${JSON.stringify(want)}\n  aofsim       ${JSON.stringify(mine)}`);
      }
    }
  }

  it('SUNIONSTORE / SDIFFSTORE with an empty result on a missing destination are written (4.0 counts them dirty)', async () => {
    await expect(run([['SUNIONSTORE', 't0', 't3', 't0'], ['SDIFFSTORE', 't1', 't2'], ['SINTERSTORE', 't1', 't2'], ['SADD', 't2', 'a'], ['SINTERSTORE', 't1', 't2', 't2']])).resolves.toBeUndefined();
  });

  it("what 4.0 lacks gets 4.0's reply and changes nothing", async () => {
    await expect(
      run([
        ['ZADD', 'z', 'GT', 'CH', '1', 'm'],
        ['SET', 'k', 'v', 'GET'],
        ['SET', 'k', 'v', 'PXAT', '4102444800000'],
        ['GETEX', 'k', 'EX', '100'],
        ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
        ['HSET', 'h', 'a', '1', 'b', '2'],
        ['LPOP', 'l', '2'],
        ['MULTI'],
        ['SET', 'k', 'v'],
        ['GETDEL', 'k'],
        ['EXEC'],
        ['ZADD', 'z', '1', 'a', '2', 'b'],
        ['ZRANGE', 'z', '0', '-1', 'REV'],
        ['ZRANGE', 'z', '-inf', '+inf', 'BYSCORE'],
        ['GEOADD', 'g', 'NX', '13.361389', '38.115556', 'p'],
        ['GEOADD', 'g', '13.361389', '38.115556', 'p'],
        ['GEORADIUS', 'g', '13', '38', '500', 'km', 'COUNT', '1', 'ANY'],
        ['FLUSHDB', 'SYNC'],
        ['RESTORE', 'r', '0', 'x', 'ABSTTL'],
        ['SET', 'b', 'abc'],
        ['BITCOUNT', 'b', '0', '1', 'BIT'],
        ['BITPOS', 'b', '1', '0', '1', 'BYTE'],
        ['RPUSH', 'l', 'a'],
        ['BLPOP', 'l', '0.5'],
        ['LRANGE', 'l', '0', '-1'],
      ]),
    ).resolves.toBeUndefined();
  });

  it("DUMP payloads are 4.0's (RDB 8, 4.0's encodings): each side restores the other's; 7.0's RDB 10 payloads are refused", async () => {
    const server = real as RealRedis;
    const setup: Cmd[] = [['SET', 's', 'abc'], ['SET', 'n', '12345'], ['RPUSH', 'l', 'a', 'b', '1'], ['SADD', 'i', '1', '2'], ['SADD', 't', 'x', 'y'], ['ZADD', 'z', '1', 'a', '2.5', 'b'], ['HSET', 'h', 'f', 'v']];
    await server.client.pipeline([['FLUSHALL'], ...setup]);
    sim.reset(1);
    for (const c of setup) sim.call(c);
    for (const k of ['s', 'n', 'l', 'i', 't', 'z', 'h']) {
      const theirs = await server.client.call(['DUMP', k]);
      const ours = sim.call(['DUMP', k]);
      if (theirs.kind !== 'bulk' || theirs.value === null || ours.kind !== 'bulk' || ours.value === null) throw new Error(`DUMP ${k}`);
      expect(sim.call(['RESTORE', `${k}-from-4.0.14`, '0', theirs.value]), k).toEqual({ kind: 'status', value: 'OK' });
      expect(await server.client.call(['RESTORE', `${k}-from-aofsim`, '0', ours.value]), k).toEqual({ kind: 'status', value: 'OK' });
      // The restored value is the original: each side DUMPs it to the same bytes again (a hash
      // table set's members, whose order is not data, are compared sorted).
      if (k === 't') {
        const members = (r: Reply): string => normalised(['SMEMBERS'], r);
        expect(members(await server.client.call(['SMEMBERS', 't-from-aofsim']))).toBe(members(await server.client.call(['SMEMBERS', 't'])));
        expect(members(sim.call(['SMEMBERS', 't-from-4.0.14']))).toBe(members(sim.call(['SMEMBERS', 't'])));
        continue;
      }
      expect(await server.client.call(['DUMP', `${k}-from-aofsim`]), k).toEqual(theirs);
      expect(sim.call(['DUMP', `${k}-from-4.0.14`]), k).toEqual(ours);
    }
    const v7 = new SimSide(1, 'redis-7.0');
    v7.call(['SET', 's', 'abc']);
    const payload10 = v7.call(['DUMP', 's']);
    if (payload10.kind !== 'bulk' || payload10.value === null) throw new Error('DUMP on 7.0');
    const want = { kind: 'error', value: 'ERR DUMP payload version or checksum are wrong' };
    expect(await server.client.call(['RESTORE', 'v10', '0', payload10.value])).toEqual(want);
    expect(sim.call(['RESTORE', 'v10', '0', payload10.value])).toEqual(want);
  });

  for (const family of Object.keys(FAMILIES40)) {
    it(`${family}: same replies and AOF records as redis 4.0.14 (with and without MULTI)`, async () => {
      await fc.assert(fc.asyncProperty(sequence40(family), run), { numRuns: RUNS, seed: SEED });
      expect(RUNS).toBeGreaterThan(0);
    }, 120_000);
  }
});
