// Robustness: random byte mutations of valid RDB files (with the checksum zeroed, so the structure
// checks, not the CRC, are what must catch them) either load or fail with an AofError whose reason
// is a real diagnosis, never a RangeError/TypeError and never the "Internal error" safety net.
// Same for checkRdb (never throws) and restorePayload (only "Bad data format"-style AofErrors).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { checkRdb } from './check-rdb.ts';
import { crc64 } from './crc64.ts';
import { dumpPayload, restorePayload } from './dump-payload.ts';
import { encodeRdb } from './encode-rdb.ts';
import { loadRdbInto } from './load-rdb.ts';
import { keyspaceArb, valueArb } from '../../testing/rdb/keyspace-arbitrary.ts';
import { legacySample } from '../../testing/rdb/legacy-sample.ts';
import { testSeed } from '../base/test-seed.ts';

/** The suite seed (AOFSIM_SEED, else fixed): the same runs every time. */
const SEED = testSeed(process.env);

const mutations = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 });

function mutate(src: Uint8Array, muts: [number, number][], skipChecksum: boolean): Buffer {
  const b = Buffer.from(src);
  const end = skipChecksum ? b.length - 8 : b.length;
  if (skipChecksum) b.fill(0, b.length - 8);
  for (const [at, x] of muts) {
    const i = 9 + (at % Math.max(1, end - 9)); // keep the header: version changes are tested elsewhere
    b[i] ^= x;
  }
  return b;
}

function expectCleanOutcome(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    expect(isAofError(e), String(e)).toBe(true);
    if (isAofError(e)) expect(e.reason).not.toBe('Internal error decoding RDB data');
  }
}

describe('RDB decoder robustness', () => {
  it('mutated encodeRdb output: load succeeds or fails with a diagnosed AofError', () => {
    fc.assert(
      fc.property(keyspaceArb, mutations, (ks, muts) => {
        const bytes = mutate(encodeRdb(ks, { nowMs: 0 }), muts, true);
        expectCleanOutcome(() => loadRdbInto(new Keyspace(), bytes, { file: 'fuzz.rdb' }));
        const r = checkRdb(bytes, { file: 'fuzz.rdb' });
        expect(r.lines[0]).toBe('[offset 0] Checking RDB file fuzz.rdb');
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('mutated legacy encodings (ziplist, zipmap, intset, quicklist v1)', () => {
    const { bytes } = legacySample(9);
    fc.assert(
      fc.property(mutations, (muts) => {
        expectCleanOutcome(() => loadRdbInto(new Keyspace(), mutate(bytes, muts, true), { file: 'fuzz.rdb' }));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('mutated DUMP payloads with a recomputed checksum: value or AofError', () => {
    fc.assert(
      fc.property(valueArb, mutations, (v, muts) => {
        const p = Buffer.from(dumpPayload(v), 'latin1');
        const body = p.subarray(0, p.length - 10);
        for (const [at, x] of muts) body[at % body.length] ^= x;
        // re-sign so the parser, not the checksum, meets the damage
        expectCleanOutcome(() => restorePayload(resign(body)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** Appends the DUMP footer (RDB version 10, CRC-64) to a payload body. */
function resign(body: Uint8Array): string {
  const b = Buffer.concat([body, Buffer.from([10, 0])]);
  const out = Buffer.alloc(b.length + 8);
  b.copy(out);
  out.writeBigUInt64LE(crc64(b), b.length);
  return out.toString('latin1');
}
