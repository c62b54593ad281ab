// DEBUG DIGEST / DIGEST-VALUE against redis-server 7.0.15: the same 40 hex digits for the same data.
// Three sources of data: (1) every family's generated command sequences (command-arbitraries.ts),
// run on both sides by the differential runner, which first proves the data sets equal; (2) a data
// set built to hit every encoding (int-encoded strings, big lists, intsets vs hash tables, listpack
// vs skiplist zsets and hashes, streams with deleted entries, TTLs, several dbs); (3) every
// fixture written by redis-server 7.0.15, loaded by the real server with DEBUG LOADAOF (with
// active expiry off, so already-expired keys stay, as they do in `aofsim dump --digest`).
//
// Budget: AOFSIM_RUNS sequences per family (default 10); AOFSIM_SEED fixes the seed. Without
// redis-server 7.0 the suite skips LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { datasetDigest, valueDigest } from '../../src/keyspace/digest.ts';
import { FAMILIES, sequence } from './command-arbitraries.ts';
import { runDifferential } from './differential.ts';
import { startLazyExpiryRedis, startRealRedis, type RealRedis, SimSide, requireRedis70, skipWithoutRedis70, replyString } from './harness.ts';
import { fixtureDirs } from '../../testing/aof/fixture-dirs.ts';

const RUNS = Number(process.env.AOFSIM_RUNS ?? '10');
const SEED = testSeed(process.env);
const skip = skipWithoutRedis70('the DEBUG DIGEST differential suite');
const FIXTURES = fileURLToPath(new URL('../../fixtures/redis-7.0.15/', import.meta.url));

describe.skipIf(skip)('DEBUG DIGEST vs redis-server 7.0.15', () => {
  let real: RealRedis | undefined;
  const sim = new SimSide();

  beforeAll(async () => {
    requireRedis70();
    real = await startLazyExpiryRedis(['--enable-debug-command', 'yes']);
  });
  afterAll(async () => {
    await real?.stop();
  });

  /** Both digests of the whole data set and of every key of db 0 must agree. */
  async function expectSameDigests(context: string): Promise<void> {
    const server = real as RealRedis;
    const d = await server.client.call(['DEBUG', 'DIGEST']);
    expect(replyString(d), `${context}: DEBUG DIGEST`).toBe('+' + datasetDigest(sim.ks));
    const keys = await server.client.call(['KEYS', '*']);
    const names = (keys.value as { value: string }[]).map((k) => k.value).sort();
    if (names.length === 0) return;
    const dv = await server.client.call(['DEBUG', 'DIGEST-VALUE', ...names]);
    expect(replyString(dv), `${context}: DEBUG DIGEST-VALUE ${names.join(' ')}`).toBe('[' + names.map((k) => '+' + valueDigest(sim.ks.dbs[0], k)).join(', ') + ']');
  }

  for (const family of Object.keys(FAMILIES)) {
    it(`${family}: generated data sets digest alike`, async () => {
      const server = real as RealRedis;
      await fc.assert(
        fc.asyncProperty(sequence(family), async (cmds) => {
          await runDifferential(server, sim, cmds);
          await expectSameDigests(`${family}: ${cmds.map((c) => c.join(' ')).join(' ; ')}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
      expect(RUNS).toBeGreaterThan(0);
    });
  }

  it('every encoding (big collections, intsets, integers, stream tombstones, TTLs, several dbs)', async () => {
    const cmds: string[][] = [
      ['SET', 'int', '12345'],
      ['SET', 'neg', '-7'],
      ['SET', 'bin', '\x00\xff\r\n'],
      ['SET', 'big', 'x'.repeat(5000)],
      ['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? String(i) : `e${i}`.repeat(1 + (i % 40))))],
      ['SADD', 'intset', '1', '2', '3', '-100', '9999999999'],
      ['SADD', 'bigset', ...Array.from({ length: 600 }, (_, i) => `m${i}`)],
      ['ZADD', 'smallz', '1', 'a', '2.5', 'b', '-inf', 'c', '1e300', 'd', '0.1', 'e', '3', '77'],
      ['ZADD', 'bigz', ...Array.from({ length: 200 }, (_, i) => [String(i / 7), `z${i}`]).flat()],
      ['HSET', 'smallh', 'f', 'v', 'n', '42'],
      ['HSET', 'bigh', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
      ['XADD', 'st', '1-1', 'a', '1'],
      ['XADD', 'st', '1-2', 'b', '2', 'c', '3'],
      ['XADD', 'st', '2-0', 'd', '4'],
      ['XDEL', 'st', '1-2'],
      ['PFADD', 'hll', 'a', 'b', 'c'],
      ['SETBIT', 'bits', '100', '1'],
      ['PEXPIRE', 'bigh', '100000000'],
      ['PEXPIRE', 'int', '100000000'],
      ['SELECT', '5'],
      ['SET', 'other-db', 'v'],
      ['SELECT', '0'],
    ];
    await runDifferential(real as RealRedis, sim, cmds);
    await expectSameDigests('encodings');
  });

  const dirs = fixtureDirs(FIXTURES);
  it('finds the fixtures', () => expect(dirs.length).toBeGreaterThanOrEqual(10));
  for (const dir of dirs) {
    const name = dir.slice(FIXTURES.length);
    it(`fixture ${name}: \`aofsim dump --digest\` prints redis-server's DEBUG DIGEST after it loads the files`, async () => {
      const server = real as RealRedis;
      const ours = runDump(createNodeFs(), { path: dir, loadTruncated: true, verbose: false, digest: true }, nodeClock);
      expect(ours.exitCode, ours.stderr).toBe(0);
      await server.client.call(['FLUSHALL']);
      // The real server loads the same files with DEBUG LOADAOF (7.0 re-reads the manifest from
      // disk even with appendonly no). An old-style appendonly.aof is read by the 4.0-style path of
      // a restart instead; it holds no TTLs, so active expiry cannot race the digest.
      const legacy = existsSync(join(dir, 'appendonly.aof'));
      let digest: string;
      if (legacy) {
        const copy = mkdtempSync(join(tmpdir(), 'aofsim-digest-legacy-'));
        cpSync(join(dir, 'appendonly.aof'), join(copy, 'appendonly.aof'));
        const restarted = await startRealRedis(['--enable-debug-command', 'yes', '--appendonly', 'yes', '--dir', copy]);
        try {
          digest = replyString(await restarted.client.call(['DEBUG', 'DIGEST']));
        } finally {
          await restarted.stop();
          rmSync(copy, { recursive: true, force: true });
        }
      } else {
        const aofDir = join(server.dir, 'appendonlydir');
        rmSync(aofDir, { recursive: true, force: true });
        mkdirSync(aofDir);
        for (const f of readdirSync(dir)) if (f.startsWith('appendonly.aof.') && !f.endsWith('.txt')) cpSync(join(dir, f), join(aofDir, f));
        expect(replyString(await server.client.call(['DEBUG', 'LOADAOF']))).toBe('+OK');
        digest = replyString(await server.client.call(['DEBUG', 'DIGEST']));
      }
      expect(digest).toBe('+' + ours.stdout.trim());
    });
  }
});
