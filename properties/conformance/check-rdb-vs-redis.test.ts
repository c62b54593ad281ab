// Differential property: checkRdb (src/rdb/check-rdb.ts, and under it the whole RDB decoder: lengths,
// string encodings, LZF, intsets, listpacks, quicklists, streams with groups and PELs, the
// checksum) against the real redis-check-rdb 7.0.15, on dump.rdb files encodeRdb writes for
// arbitrary keyspaces (values at every encoding boundary, see testing/rdb/keyspace-arbitrary.ts),
// RDB 10 and 9, then damaged: cut at any byte, a bit flipped, a byte set (length prefixes and
// encoding markers favoured), the checksum zeroed, or left whole. Every output line (offsets,
// AUX fields, DB ids, the error and its "While doing"/key/type context, the [info] counts) and the
// exit code must be the same.
// Compared as they are except one documented difference: redis-check-rdb prefixes the errors of
// rdbReportError with "Internal error in RDB reading offset 0, function at rdb.c:LINE -> " (rdb.c's
// line numbers), which checkRdb does not reproduce; that prefix is removed from the real output,
// and so is the "Terminating server" log line it prints after an error.
// Needs /usr/bin/redis-check-rdb 7.0.x (AOFSIM_REDIS_CHECK_RDB overrides); skips loudly without it,
// fails instead with AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { skipLoudly, subjectMissing } from '../../sim/subjects/real-availability.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { checkRdb } from '../../src/rdb/check-rdb.ts';
import { encodeRdb } from '../../src/rdb/encode-rdb.ts';
import { valueArb } from '../../testing/rdb/keyspace-arbitrary.ts';
import { fcParams } from '../loader-arbitraries.ts';

const BIN = process.env.AOFSIM_REDIS_CHECK_RDB ?? '/usr/bin/redis-check-rdb';
// redis-check-rdb is redis-server under another name: ask its sibling for the version.
const skip = skipLoudly('checkRdb vs redis-check-rdb 7.0', subjectMissing(join(dirname(BIN), 'redis-server'), /v=7\.0\./, 'redis-server 7.0 (beside redis-check-rdb)'));
const root = mkdtempSync(join(tmpdir(), 'aofsim-check-rdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Far from any clock this runs under, so the "already expired" count does not depend on when. */
const PAST_MS = 1_000_000;
const FUTURE_MS = 4_102_444_800_000;

type Damage =
  | { kind: 'none' }
  | { kind: 'no-checksum' }
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Damage>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant<Damage>({ kind: 'no-checksum' }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      // length prefixes (6/14/32/64-bit, bad ones), encoded-value markers (int8/16/32, LZF, bad ones),
      // opcodes, object types, quicklist containers, listpack/ziplist bytes, or anything.
      byte: fc.oneof(fc.constantFrom(0x00, 0x01, 0x02, 0x03, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0x82, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xf0, 0xf4, 0xf5, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff), fc.nat(255)),
    }),
  },
);

const caseArb = fc.record({
  values: fc.array(fc.tuple(valueArb, fc.constantFrom<number | null>(null, null, PAST_MS, FUTURE_MS), fc.constantFrom(0, 0, 0, 3)), { minLength: 1, maxLength: 3 }),
  version: fc.constantFrom<10 | 9>(10, 10, 9),
  damage: damageArb,
});

function build(values: [Value, number | null, number][], version: 10 | 9, damage: Damage): Buffer {
  const ks = new Keyspace();
  values.forEach(([v, expireAt, db], i) => {
    ks.db(db).dict.set(`k${i}`, v);
    if (expireAt !== null) ks.db(db).expires.set(`k${i}`, expireAt);
  });
  const good = Buffer.from(encodeRdb(ks, { nowMs: 1_795_543_163_000, version }));
  // The 9-byte header is left alone: its errors are few and pinned by the unit tests.
  const at = 'at' in damage ? 9 + (damage.at % (good.length - 9)) : 0;
  switch (damage.kind) {
    case 'none':
      return good;
    case 'no-checksum':
      return Buffer.concat([good.subarray(0, good.length - 8), Buffer.alloc(8)]);
    case 'cut':
      return good.subarray(0, at);
    case 'flip': {
      const out = Buffer.from(good);
      out[at] ^= 1 << damage.bit;
      return out;
    }
    case 'set': {
      const out = Buffer.from(good);
      out[at] = damage.byte;
      return out;
    }
  }
}

/** The real tool's stdout, less its log line and rdbReportError's prefix (see the header). */
function realReport(file: string): { text: string; exitCode: number | null } {
  const r = spawnSync(BIN, [file], { encoding: 'latin1' });
  const text = r.stdout
    .split('\n')
    .filter((l) => !/^\d+:C \d\d \w{3} \d{4} [\d:.]+ # Terminating server after rdb file reading failure\.$/.test(l))
    .join('\n')
    .replace(/Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> /g, '')
    .replace(/\n+$/, '');
  return { text, exitCode: r.status };
}

let caseNo = 0;

describe.skipIf(skip)('checkRdb agrees with redis-check-rdb 7.0.15', () => {
  it('every line and the exit code, on whole and damaged dump.rdb files', () => {
    fc.assert(
      fc.property(caseArb, ({ values, version, damage }) => {
        const data = build(values, version, damage);
        const file = join(root, `c${caseNo++}.rdb`);
        writeFileSync(file, data);
        const real = realReport(file);
        rmSync(file);
        const ours = checkRdb(data, { file, nowMs: Date.now() });
        expect(ours.lines.join('\n')).toBe(real.text);
        expect(ours.ok ? 0 : 1).toBe(real.exitCode);
      }),
      fcParams(50), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  }, 120_000);
});
