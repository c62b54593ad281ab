// What the Redis 4.0.14 conformance suites share: the binary (REDIS40_BIN, built by
// scripts/build-subject.sh; skip loudly without it, fail with AOFSIM_REQUIRE_REDIS=1), a server
// started on it, and aofsim's redis-4.0 side: its loader (loadAppendOnlyFile 4.0.14, through the
// redis-4.0 dialect and the RDB hook) run on an in-memory copy of a file.
//
// Invariants: the real server's active expire cycle is off (DEBUG SET-ACTIVE-EXPIRE 0), so keys
// change only through the commands a test sends; nothing here writes outside the server's temp dir.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Executor } from '../../src/commands/executor.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { loadSingleAppendOnlyFile, rdbLoaderFor } from '../../src/aof/loader/index.ts';
import type { SingleFileResult } from '../../src/aof/loader/index.ts';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { MemoryLog } from '../../src/ports/log.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { loadRdbInto } from '../../src/rdb/index.ts';
import { REDIS40_BIN, redis40Missing, skipLoudly } from '../../sim/subjects/real-availability.ts';
import { startRealRedis, type RealRedis } from './harness.ts';

export { REDIS40_BIN };

/** Why 4.0.14 cannot be used here (null: it can). */
export const REDIS40_MISSING = redis40Missing();

/** Prints the loud banner; true when the suite must be skipped (never with AOFSIM_REQUIRE_REDIS=1). */
export function skip40(suite: string): boolean {
  return skipLoudly(suite, REDIS40_MISSING);
}

/** Throws in beforeAll when the binary is missing and the suite was required to run. */
export function require40(): void {
  if (REDIS40_MISSING !== null) throw new Error(`AOFSIM_REQUIRE_REDIS=1 but ${REDIS40_MISSING}`);
}

/** A redis-server 4.0.14 on a free port, active expiry off. */
export async function startRedis40(extraArgs: string[] = []): Promise<RealRedis> {
  const real = await startRealRedis(extraArgs, REDIS40_BIN);
  ok(await real.client.call(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']), 'DEBUG SET-ACTIVE-EXPIRE 0');
  return real;
}

/** Throws unless the reply is a status (+OK ...). */
export function ok(r: Reply, what = 'command'): void {
  if (r.kind !== 'status') throw new Error(`${what}: ${JSON.stringify(r)}`);
}

/** DEBUG DIGEST of the whole data set (40 hex digits). */
export async function digest(real: RealRedis): Promise<string> {
  const r = await real.client.call(['DEBUG', 'DIGEST']);
  if (r.kind !== 'status') throw new Error(`DEBUG DIGEST: ${JSON.stringify(r)}`);
  return r.value;
}

/** Makes the server replace its data set with `aof` (its appendonly.aof): DEBUG LOADAOF. */
export async function loadAofInServer(real: RealRedis, aof: Uint8Array): Promise<void> {
  writeFileSync(join(real.dir, 'appendonly.aof'), aof);
  ok(await real.client.call(['DEBUG', 'LOADAOF']), 'DEBUG LOADAOF');
}

/** SAVE, then the server's dump.rdb (4.0.14's own RDB 8) read back with aofsim's decoder. */
export async function savedKeyspace(real: RealRedis): Promise<{ ks: Keyspace; bytes: Uint8Array }> {
  ok(await real.client.call(['SAVE']), 'SAVE');
  const bytes = readFileSync(join(real.dir, 'dump.rdb'));
  const ks = new Keyspace();
  loadRdbInto(ks, bytes, { file: 'dump.rdb' });
  return { ks, bytes };
}

/** aofsim's redis-4.0 loader on `bytes` as appendonly.aof (aof-load-truncated as given). */
export function load40(bytes: Uint8Array, loadTruncated = true): { ks: Keyspace; result: SingleFileResult; log: MemoryLog; after: Uint8Array } {
  const fs = createMemoryFs({ '/d/appendonly.aof': bytes });
  const ks = new Keyspace();
  const log = new MemoryLog();
  const clock = { nowMs: () => Date.now() };
  const executor = new Executor(ks, { profile: 'redis-4.0', clock, random: new SeededRandom(0), log });
  const result = loadSingleAppendOnlyFile(
    { fs, log, executor, modify: true, rdb: rdbLoaderFor(ks), clock },
    { file: 'appendonly.aof', path: '/d/appendonly.aof', loadTruncated, dialect: 'redis-4.0', oldStyle: true, isLastFile: true },
  );
  return { ks, result, log, after: fs.readFile('/d/appendonly.aof') };
}

/** The key records of an RDB 8 file: everything after the aux fields, before EOF + CRC. */
export function keyRecords(rdb: Uint8Array): Buffer {
  const b = Buffer.from(rdb);
  let p = 9;
  const skipString = (): void => {
    const t = b[p] >> 6;
    if (t === 0) p += 1 + (b[p] & 0x3f);
    else if (t === 1) p += 2 + (((b[p] & 0x3f) << 8) | b[p + 1]);
    else if (b[p] === 0x80) p += 5 + b.readUInt32BE(p + 1);
    else if (b[p] === 0xc0) p += 2;
    else if (b[p] === 0xc1) p += 3;
    else if (b[p] === 0xc2) p += 5;
    else throw new Error(`aux value encoding 0x${b[p].toString(16)} at ${p}`);
  };
  while (b[p] === 0xfa) {
    p++;
    skipString();
    skipString();
  }
  return b.subarray(p, b.length - 9);
}
