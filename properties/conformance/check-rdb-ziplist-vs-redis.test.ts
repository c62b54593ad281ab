// Differential property: checkRdb (src/rdb/check-rdb.ts over src/rdb/ziplist.ts) against the real
// redis-check-rdb 7.0.15 on ziplists, the packed encoding 7.0 still reads from older files (redis
// 7.0.15: rdb.c rdbLoadObject for LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST and the ziplist nodes of
// LIST_QUICKLIST; ziplist.c ziplistValidateIntegrity + zipEntrySafe, always deep for ziplists; the
// pair types' callback refuses a repeated field and an odd count). Files: encodeRdb at RDB 8
// (Redis 4.0's encodings) of one small hash, sorted set or list (as a quicklist, or rewritten as
// an old LIST_ZIPLIST record), then one byte of the ziplist set to a generated value: encoding
// bytes (strings of each length class, each integer width, immediates, unused ones), prevlen
// bytes, the end marker, or anything. Every output line (offsets, the integrity message, the
// "While doing"/key/type context, the [info] counts) and the exit code must be the same.
// As in check-rdb-vs-redis.test.ts, rdbReportError's "Internal error in RDB reading offset 0,
// function at rdb.c:LINE -> " prefix and the "Terminating server" log line are removed from the
// real output. Sizes stay far below zset-max-listpack-entries (128): past it 7.0.15 converts a
// sorted set to a skiplist and aborts on a NaN score (docs/findings/zset-nan-score-aborts.md).
// Needs /usr/bin/redis-check-rdb 7.0.x (AOFSIM_REDIS_CHECK_RDB overrides); skips loudly without
// it, fails instead with AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { skipLoudly, subjectMissing } from '../../sim/subjects/real-availability.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { List } from '../../src/keyspace/list.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { checkRdb } from '../../src/rdb/check-rdb.ts';
import { crc64 } from '../../src/rdb/crc64.ts';
import { encodeRdb } from '../../src/rdb/encode-rdb.ts';
import { newParseState, parseRdb } from '../../src/rdb/rdb-parse.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';

const BIN = process.env.AOFSIM_REDIS_CHECK_RDB ?? '/usr/bin/redis-check-rdb';
const skip = skipLoudly('checkRdb on ziplists vs redis-check-rdb 7.0', subjectMissing(join(dirname(BIN), 'redis-server'), /v=7\.0\./, 'redis-server 7.0 (beside redis-check-rdb)'));
const root = mkdtempSync(join(tmpdir(), 'aofsim-check-ziplist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let caseNo = 0;

// Elements: integers of every ziplist width (immediate, int8/16/24/32/64) and strings of each length class.
const elementArb = fc.oneof(
  fc.constantFrom('0', '12', '13', '-1', '127', '-128', '300', '-40000', '8388608', '2147483648', '-9223372036854775808', '1.5', 'nan', 'inf', 'abc', ''),
  fc.integer({ min: -70000, max: 70000 }).map(String),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('x'.repeat(63), 'y'.repeat(64), 'z'.repeat(300)),
);

type Shape = 'hash' | 'zset' | 'quicklist' | 'list-ziplist';
const caseArb = fc.record({
  shape: fc.constantFrom<Shape>('hash', 'zset', 'quicklist', 'list-ziplist'),
  elements: fc.uniqueArray(elementArb, { minLength: 1, maxLength: 8 }),
  at: fc.nat(),
  byte: fc.oneof(fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x3f, 0x40, 0x41, 0x80, 0xc0, 0xc5, 0xd0, 0xe0, 0xf0, 0xf1, 0xfd, 0xfe, 0xff), fc.nat(255)),
});

function valueOf(shape: Shape, elements: string[]): Value {
  if (shape === 'hash') return { type: 'hash', value: new Map(elements.map((e, i) => [e, String(i)])) };
  if (shape === 'zset') {
    const z = new ZSet();
    elements.forEach((e, i) => z.set(e, i * 1.5 - 3));
    return { type: 'zset', value: z };
  }
  return { type: 'list', value: List.from(elements) };
}

/** The RDB 8 file of key `k` (an old LIST_ZIPLIST record for 'list-ziplist'), and where its ziplist is. */
function build(shape: Shape, elements: string[]): { data: Buffer; zlAt: number; zlLen: number } {
  const ks = new Keyspace();
  ks.db(0).dict.set('k', valueOf(shape, elements));
  let data = Buffer.from(encodeRdb(ks, { nowMs: 1_795_543_163_000, version: 8, compress: false }));
  let typeAt = -1;
  parseRdb(data, 0, 'dump.rdb', 16, { aux() {}, selectDb() {}, checksum() {}, key: (_d, _k, _v, _e, at) => void (typeAt = at) }, newParseState());
  let lenAt = typeAt + 3; // type, key length 1, 'k'
  if (shape === 'quicklist' || shape === 'list-ziplist') {
    if (data[typeAt] !== 14 || data[lenAt] !== 1) throw new Error(`expected a one-node quicklist, got type ${data[typeAt]}`);
    if (shape === 'list-ziplist') {
      // LIST_ZIPLIST (10): the node's ziplist as the whole value, without the node count.
      data = Buffer.concat([data.subarray(0, typeAt), Buffer.from([10]), data.subarray(typeAt + 1, lenAt), data.subarray(lenAt + 1)]);
    } else lenAt += 1;
  }
  // The ziplist's RDB string length (rdbcompression off: a plain 6-bit or 14-bit length).
  const first = data[lenAt];
  if (first >> 6 > 1) throw new Error(`unexpected ziplist length prefix 0x${first.toString(16)}`);
  const zlLen = first >> 6 === 0 ? first & 0x3f : ((first & 0x3f) << 8) | data[lenAt + 1];
  const zlAt = lenAt + (first >> 6 === 0 ? 1 : 2);
  return { data, zlAt, zlLen };
}

/** The real tool's stdout, less its log line and rdbReportError's prefix. */
function realReport(file: string): { lines: string[]; exitCode: number | null; signal: string | null } {
  const r = spawnSync(BIN, [file], { encoding: 'latin1', timeout: 10_000 });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l !== '' && !/^\d+:C \d\d \w{3} \d{4} [\d:.]+ # Terminating server after rdb file reading failure\.$/.test(l))
    .map((l) => l.replace(/Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> /, ''));
  return { lines, exitCode: r.status, signal: r.signal };
}

describe.skipIf(skip)('checkRdb agrees with redis-check-rdb 7.0.15 on ziplists', () => {
  it('every line and the exit code, on ziplist hashes, sorted sets and lists with one byte set', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, elements, at, byte }) => {
        const { data, zlAt, zlLen } = build(shape, elements);
        const bytes = Buffer.from(data);
        bytes[zlAt + (at % zlLen)] = byte;
        bytes.writeBigUInt64LE(crc64(bytes, 0n, 0, bytes.length - 8), bytes.length - 8);
        const file = join(root, `c${caseNo++}.rdb`);
        writeFileSync(file, bytes);
        const real = realReport(file);
        rmSync(file);
        expect(real.signal, 'redis-check-rdb ended by a signal').toBeNull();
        const ours = checkRdb(bytes, { file, nowMs: Date.now() });
        expect(ours.lines).toEqual(real.lines);
        expect(ours.ok ? 0 : 1).toBe(real.exitCode);
      }),
      { ...fcParams(40), seed: testSeed(process.env) },
    );
  }, 120_000);
});
