// Vectors printed by redis-server 7.0.15 (DEBUG DIGEST / DEBUG DIGEST-VALUE) for the commands below;
// the differential test against a live server is properties/conformance/digest-vs-redis.test.ts.
import { describe, expect, it } from 'vitest';
import { Executor } from '../commands/executor.ts';
import { newClient } from '../commands/types.ts';
import { SeededRandom } from '../ports/random.ts';
import { Keyspace } from './keyspace.ts';
import { datasetDigest, valueDigest } from './digest.ts';

describe("DEBUG DIGEST (redis 7.0.15 debug.c computeDatasetDigest)", () => {
  it('matches the digests redis-server 7.0.15 printed for the same writes', () => {
    const ks = new Keyspace();
    const ex = new Executor(ks, { profile: 'redis-7.0', clock: { nowMs: () => 1_700_000_000_000 }, random: new SeededRandom(1) });
    const c = newClient(1);
    const run = (...argv: string[]) => ex.call(c, argv);
    expect(datasetDigest(ks)).toBe('0'.repeat(40));
    run('SET', 's', 'hello');
    expect(datasetDigest(ks)).toBe('a500c6b54937da22f2ac1167da1da852479c7339');
    run('RPUSH', 'l', 'a', 'b', '1');
    run('SADD', 'st', 'x', '2');
    run('ZADD', 'z', '1.5', 'a', '2', 'b');
    run('HSET', 'h', 'f', 'v', 'g', '12');
    run('XADD', 'x', '5-1', 'f', 'v');
    run('SELECT', '3');
    run('SET', 'e', 'v', 'PX', '100000');
    expect(datasetDigest(ks)).toBe('7818458f02c5e8c76d21f007e940409f1426d851');
    const db0 = ks.dbs[0];
    expect(['s', 'l', 'st', 'z', 'h', 'x', 'nokey'].map((k) => valueDigest(db0, k))).toEqual([
      '36b23a1456b2dce2c3ed252c456761301dba8060',
      '981fd62c1655c074205cff40b800bd5a5bfdcd41',
      '7904f640014061fb37c6855115964bd3eaaed924',
      '445b877af3c3ec83af30529ddbbdda3185172254',
      '8530acc75d5274eb0fc0da86f28ed5533274a6d4',
      '9772ff973b35659052ee64022446d89c034a1d67',
      '0'.repeat(40),
    ]);
    expect(valueDigest(ks.dbs[3], 'e')).toBe('311b17018163335616e089f6b951c82c477335ac');
  });
});
