// Which RDB object type bytes each release reads, against the real binaries (redis: rdb.h
// rdbIsObjectType, a fixed table per release: 4.0.14 0-7 and 9-14, 7.0.15 0-7 and 9-19; aofsim's
// src/rdb/load-object.ts isObjectType, selected by the newest RDB version the profile reads):
// - redis-check-rdb (7.0.15, and 4.0.14's: redis-server run under that name) on a dump.rdb that
//   encodeRdb wrote for a generated value, RDB 8, 9 or 10 (8 only for 4.0.14, which refuses newer
//   files), with the first key's type byte replaced by a generated one (known, unknown, 7.2's 20 and
//   21, or any byte that is not an opcode): where the real checker reports "Invalid object type",
//   checkRdb prints the same lines; where it does not, neither does checkRdb (a known type is then
//   decoded by its own rule, whose wording the check-rdb suites compare);
// - the server's load of such a file (7.0.15 and 4.0.14, types they do not know): the real server
//   exits 1 with rdbLoadObject's "Unknown RDB encoding type T", and aofsim's loader refuses it with
//   the same reason;
// - RESTORE of a DUMP payload whose type the release does not know: "ERR Bad data format" on both.
// Without the binaries each part skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isAofError } from '../../src/base/errors.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Value } from '../../src/keyspace/types.ts';
import { checkRdb } from '../../src/rdb/check-rdb.ts';
import { crc64 } from '../../src/rdb/crc64.ts';
import { dumpPayload } from '../../src/rdb/dump-payload.ts';
import { encodeRdb } from '../../src/rdb/encode-rdb.ts';
import { loadRdbInto } from '../../src/rdb/load-rdb.ts';
import { RDB_VERSION, RDB_VERSION_4 } from '../../src/rdb/rdb-constants.ts';
import { newParseState, parseRdb } from '../../src/rdb/rdb-parse.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { valueArb } from '../../testing/rdb/keyspace-arbitrary.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { AofsimServerSide } from './aofsim-server-side.ts';
import { REDIS_SERVER, redisUnavailableReason, replyString } from './harness.ts';
import { REDIS40_BIN, REDIS40_MISSING, skip40 } from './redis40.ts';

const REQUIRED = process.env.AOFSIM_REQUIRE_REDIS === '1';
const unavailable70 = redisUnavailableReason();
if (unavailable70 !== null && !REQUIRED) {
  console.warn(`\n!!! SKIPPING the RDB object type suite against 7.0.15: ${unavailable70}. Set AOFSIM_REQUIRE_REDIS=1 to make this a failure. !!!\n`);
}
const skip70 = unavailable70 !== null && !REQUIRED;
const skip4 = skip40('the RDB object type suite against 4.0.14');

const root = mkdtempSync(join(tmpdir(), 'aofsim-rdb-types-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

/** redis-check-rdb of a release: redis-server under that name (it checks argv[0]). */
function checkerOf(serverBin: string, release: string): string {
  const dir = join(root, `bin-${release}`);
  mkdirSync(dir, { recursive: true });
  const link = join(dir, 'redis-check-rdb');
  symlinkSync(serverBin, link);
  return link;
}

interface Release {
  name: string;
  server: string;
  maxVersion: number;
  fileVersions: readonly (8 | 9 | 10)[];
}
const R70: Release = { name: '7.0.15', server: REDIS_SERVER, maxVersion: RDB_VERSION, fileVersions: [8, 9, 10] };
const R40: Release = { name: '4.0.14', server: REDIS40_BIN, maxVersion: RDB_VERSION_4, fileVersions: [8] };

/** A dump.rdb of one key `k` holding `value`, and the offset of its type byte. */
function oneKeyRdb(value: Value, version: 8 | 9 | 10): { data: Buffer; typeAt: number } {
  const ks = new Keyspace();
  ks.db(0).dict.set('k', value);
  const data = Buffer.from(encodeRdb(ks, { nowMs: 1_795_543_163_000, version }));
  let typeAt = -1;
  parseRdb(data, 0, 'dump.rdb', 16, { aux() {}, selectDb() {}, checksum() {}, key: (_db, _k, _v, _e, at) => void (typeAt = at) }, newParseState());
  return { data, typeAt };
}

/** The file with the type byte set to `type` and its CRC-64 recomputed. */
function retyped(data: Buffer, typeAt: number, type: number): Buffer {
  const out = Buffer.from(data);
  out[typeAt] = type;
  out.writeBigUInt64LE(crc64(out, 0n, 0, out.length - 8), out.length - 8);
  return out;
}

/** The real checker's stdout lines, less the server's log lines. */
function realCheck(checker: string, data: Buffer): { lines: string[]; exitCode: number | null } {
  const file = join(root, `c${files++}.rdb`);
  writeFileSync(file, data);
  const r = spawnSync(checker, [file], { encoding: 'latin1', timeout: 10_000 });
  rmSync(file);
  return { lines: r.stdout.split('\n').filter((l) => l !== '' && !/^\d+:C /.test(l)), exitCode: r.status };
}

// Types: the known ones, 8, 7.2's 20 and 21, the next few, or any byte below the opcodes (245+).
const typeArb = fc.oneof(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 244 }));

function checkerProperty(release: Release, checker: string): void {
  const valueFor = (version: number): fc.Arbitrary<Value> => (version === 8 ? valueArb.filter((v) => v.type !== 'stream') : valueArb);
  const caseArb = fc.constantFrom(...release.fileVersions).chain((version) => fc.record({ version: fc.constant(version), value: valueFor(version), type: typeArb }));
  fc.assert(
    fc.property(caseArb, ({ version, value, type }) => {
      const { data, typeAt } = oneKeyRdb(value, version);
      const bytes = retyped(data, typeAt, type);
      const real = realCheck(checker, bytes);
      const ours = checkRdb(bytes, { file: 'x', maxVersion: release.maxVersion });
      const what = `RDB ${version}, ${value.type} retyped ${type}`;
      const invalid = `Invalid object type: ${type}`;
      const realInvalid = real.lines.some((l) => l.endsWith(invalid));
      expect(ours.lines.some((l) => l.endsWith(invalid)), `${what}: ${real.lines.join(' | ')}`).toBe(realInvalid);
      // The first line names the file: the real one's temp path, ours 'x'.
      if (realInvalid) expect(ours.lines.slice(1), what).toEqual(real.lines.slice(1));
      if (realInvalid) expect(ours.ok ? 0 : 1, what).toBe(real.exitCode);
    }),
    { ...fcParams(25), seed: testSeed(process.env) }, // two checker spawns per run dominate; AOFSIM_RUNS scales it
  );
}

function aofsimLoadReason(data: Buffer, maxVersion: number): string {
  try {
    loadRdbInto(new Keyspace(), data, { file: 'dump.rdb', maxVersion });
    return 'loaded';
  } catch (e) {
    if (!isAofError(e)) throw e;
    return e.reason;
  }
}

/** The real server started on `data` as its dump.rdb: its exit code and its "Unknown RDB encoding type" line. */
async function realLoad(release: Release, data: Buffer): Promise<{ exitCode: number | null; unknown: string | null }> {
  const dir = mkdtempSync(join(root, 'srv-'));
  writeFileSync(join(dir, 'dump.rdb'), data);
  const server = new RedisServerSubject({ bin: release.server, dir, config: { appendonly: 'no', save: '' } });
  const st = await server.start();
  await server.stop();
  const line = st.log.find((l) => / -> Unknown RDB encoding type \d+$/.test(l));
  return { exitCode: st.outcome === 'ok' ? null : st.exitCode, unknown: line === undefined ? null : line.replace(/^.* -> /, '') };
}

/** A DUMP payload relabelled as RDB `version`, its CRC-64 recomputed. */
function relabel(payload: string, version: number, type?: number): string {
  const b = Buffer.from(payload, 'latin1');
  if (type !== undefined) b[0] = type;
  b.writeUInt16LE(version, b.length - 10);
  b.writeBigUInt64LE(crc64(b, 0n, 0, b.length - 8), b.length - 8);
  return b.toString('latin1');
}

async function restoreBoth(release: Release, profile: 'redis-4.0' | 'redis-7.0', payload: string): Promise<void> {
  const real = new RedisServerSubject({ bin: release.server, config: { appendonly: 'no', save: '', loglevel: 'notice' } });
  const st = await real.start();
  if (st.outcome !== 'ok') throw new Error(`${release.server} did not start: ${st.log.slice(-3).join(' | ')}`);
  let realReply: string;
  try {
    realReply = replyString((await real.call(['RESTORE', 'k', '0', payload]))!);
  } finally {
    await real.stop();
  }
  const sim = new AofsimServerSide(root, { profile });
  sim.server.start();
  expect(realReply).toBe('-ERR Bad data format');
  expect(replyString(sim.reply(['RESTORE', 'k', '0', payload]))).toBe(realReply);
}

describe.skipIf(skip70)('RDB object types vs Redis 7.0.15', () => {
  it('redis-check-rdb: "Invalid object type" for exactly the same type bytes, in RDB 8, 9 and 10 files', () => {
    if (unavailable70 !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${unavailable70}`);
    checkerProperty(R70, checkerOf(REDIS_SERVER, '70'));
  }, 60_000);

  it('redis-server refuses to load types 20 and 21 (7.2s) in an RDB 10 or 8 file, and so does the loader', async () => {
    for (const [version, type] of [[10, 20], [10, 21], [8, 20]] as const) {
      const { data, typeAt } = oneKeyRdb({ type: 'set', value: new Set(['1', '2']) }, version);
      const bytes = retyped(data, typeAt, type);
      const real = await realLoad(R70, bytes);
      expect(real, `RDB ${version} type ${type}`).toEqual({ exitCode: 1, unknown: `Unknown RDB encoding type ${type}` });
      expect(aofsimLoadReason(bytes, RDB_VERSION)).toBe(real.unknown);
    }
  });

  it('RESTORE of a type-20 payload: Bad data format', async () => {
    await restoreBoth(R70, 'redis-7.0', relabel(dumpPayload({ type: 'set', value: new Set(['1', '2']) }, RDB_VERSION), RDB_VERSION, 20));
  });
});

describe.skipIf(skip4)('RDB object types vs Redis 4.0.14', () => {
  it('redis-check-rdb: "Invalid object type" for exactly the same type bytes, in RDB 8 files', () => {
    if (REDIS40_MISSING !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${REDIS40_MISSING}`);
    checkerProperty(R40, checkerOf(REDIS40_BIN, '40'));
  }, 60_000);

  it('redis-server refuses to load types 15 to 21 in an RDB 8 file, and so does the loader', async () => {
    for (const type of [15, 16, 19, 20, 21]) {
      const { data, typeAt } = oneKeyRdb({ type: 'set', value: new Set(['1', '2']) }, 8);
      const bytes = retyped(data, typeAt, type);
      const real = await realLoad(R40, bytes);
      expect(real, `type ${type}`).toEqual({ exitCode: 1, unknown: `Unknown RDB encoding type ${type}` });
      expect(aofsimLoadReason(bytes, RDB_VERSION_4)).toBe(real.unknown);
    }
  });

  it('RESTORE of a 7.0 hash listpack (type 16) payload labelled RDB 8: Bad data format', async () => {
    await restoreBoth(R40, 'redis-4.0', relabel(dumpPayload({ type: 'hash', value: new Map([['f', 'v']]) }, RDB_VERSION), RDB_VERSION_4));
  });
});
