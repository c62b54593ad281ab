// Ziplists (the small encoding of RDB 8: quicklist nodes, hashes, sorted sets) and intsets against
// redis-server 4.0.14, on generated values whose elements are integer texts at every ziplist encoding boundary
// (immediate 0..12, int8, int16, int24, int32, int64, and the texts just outside each):
// - writing (src/rdb/ziplist-writer.ts): the key record aofsim's encodeRdb writes at version 8 is the
//   record redis-server 4.0.14 SAVEs after building the same value with RPUSH / HSET / ZADD
//   (redis 4.0: ziplist.c zipTryEncoding, zipStoreEntryEncoding; rdbcompression no);
// - intsets (src/rdb/intset.ts): a set of integer texts is the intset 4.0.14 SAVEs (sorted, in the
//   smallest of int16/int32/int64 that holds every member: intset.c _intsetValueEncoding).
// Needs redis-server 4.0.14 (AOFSIM_REDIS40_BIN; scripts/build-subject.sh); skips loudly without it,
// and fails instead with AOFSIM_REQUIRE_REDIS=1. Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { List } from '../../src/keyspace/list.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { encodeRdb } from '../../src/rdb/index.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';
import type { RealRedis } from './harness.ts';
import { keyRecords, ok, require40, skip40, startRedis40 } from './redis40.ts';

const NOW = 1_795_543_163_000;

/** Each boundary of a ziplist integer encoding, and its neighbours. */
const BOUNDS = [0n, 12n, 13n, 127n, 128n, 32767n, 32768n, 8388607n, 8388608n, 2147483647n, 2147483648n, 9223372036854775807n];
const intTextArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BOUNDS.flatMap((b) => [b, -b, b - 1n, -b - 1n, b + 1n, -b + 1n])).filter((v) => v >= -(2n ** 63n) && v < 2n ** 63n).map(String) },
  // the negative ends, where two's complement makes each range one wider than its positive side
  { weight: 2, arbitrary: fc.constantFrom('-128', '-129', '-32768', '-32769', '-8388608', '-8388609', '-2147483648', '-2147483649', '-9223372036854775808') },
  { weight: 1, arbitrary: fc.integer({ min: -300, max: 300 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('x', '-0', '007', '9223372036854775808', '') },
);

type Kind = 'list' | 'hash' | 'zset' | 'set';
/** A text Redis stores as an integer (string2ll: canonical, fits a long long). */
const isInt = (s: string): boolean => /^(0|-?[1-9][0-9]{0,18})$/.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;
const caseArb = fc
  .record({ kind: fc.constantFrom<Kind>('list', 'hash', 'zset', 'set'), elements: fc.uniqueArray(intTextArb, { minLength: 1, maxLength: 8 }) })
  // a set of texts that are not all integers is a hash table, whose order is 4.0's hash function's
  .filter(({ kind, elements }) => kind !== 'set' || elements.every(isInt));

/** The value as aofsim holds it, and the commands that build it in a real server. */
function build(kind: Kind, elements: string[]): { value: Value; argv: string[] } {
  if (kind === 'set') return { value: { type: 'set', value: new Set(elements) }, argv: ['SADD', 'k', ...elements] };
  if (kind === 'list') return { value: { type: 'list', value: List.from(elements) }, argv: ['RPUSH', 'k', ...elements] };
  if (kind === 'hash') {
    const m = new Map(elements.map((e, i) => [e, elements[elements.length - 1 - i]]));
    return { value: { type: 'hash', value: m }, argv: ['HSET', 'k', ...[...m].flat()] };
  }
  // Members are the texts; scores the integers among them that a double keeps exactly (else the index).
  const z = new ZSet();
  const argv = ['ZADD', 'k'];
  elements.forEach((e, i) => {
    const n = /^-?(0|[1-9][0-9]{0,14})$/.test(e) ? Number(e) : i;
    z.set(e, n);
    argv.push(String(n), e);
  });
  return { value: { type: 'zset', value: z }, argv };
}

function aofsimRdb(value: Value): Uint8Array {
  const ks = new Keyspace();
  ks.db(0).dict.set('k', value);
  return encodeRdb(ks, { nowMs: NOW, version: 8, compress: false });
}

describe.skipIf(skip40('ziplist bytes vs redis-server 4.0.14'))('ziplists written as redis-server 4.0.14 writes them', () => {
  let real: RealRedis | undefined;
  beforeAll(async () => {
    require40();
    real = await startRedis40(['--rdbcompression', 'no', '--save', '']);
  }, 30_000);
  afterAll(async () => {
    await real?.stop();
  });

  it("a list, hash, zset or set of integer texts at the encoding boundaries: aofsim's key record is 4.0.14's", async () => {
    const server = real!;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ kind, elements }) => {
        const { value, argv } = build(kind, elements);
        ok(await server.client.call(['FLUSHALL']), 'FLUSHALL');
        await server.client.call(argv);
        ok(await server.client.call(['SAVE']), 'SAVE');
        const theirs = keyRecords(readFileSync(join(server.dir, 'dump.rdb')));
        const ours = keyRecords(aofsimRdb(value));
        expect(ours.toString('hex'), argv.join(' ')).toBe(theirs.toString('hex'));
      }),
      { ...fcParams(30), seed: testSeed(process.env) },
    );
  }, 60_000);
});
