// `aofsim dump` (src/aof/dump/dump-path.ts runDump / resolveAofPath) on the AOF directories
// redis-server 7.0.15 writes, for generated appendfilenames, preamble settings and writes (none
// included):
// - every way of naming the same AOF loads what the real server held: its `dir`, its
//   appendonlydir, and the manifest itself all print the real server's DEBUG DIGEST (exit 0);
// - the dump says "the AOF is empty" exactly when every file the real server left is empty;
// - a copy of the manifest under a name Redis would never look for (anything but
//   `<appendfilename>.manifest`, `.manifest` alone included: Redis finds a manifest only by that
//   name) is refused as naming nothing loadable: exit 2 and the one line that says so.
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 7.0 the suite skips LOUDLY, and
// fails instead when AOFSIM_REQUIRE_REDIS=1.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { REDIS_SERVER, replyString, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const skip = skipWithoutRedis70('the dump paths differential suite');

const root = mkdtempSync(join(tmpdir(), 'aofsim-dump-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

const writeArb = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('v', '12', '')).map(([k, v]) => ['SET', k, v]),
  fc.constantFrom('l', 'm').map((k) => ['RPUSH', k, 'x', '7']),
  fc.constantFrom('s', 't').map((k) => ['SADD', k, '1', 'y']),
  fc.constantFrom('a', 'l', 's').map((k) => ['DEL', k]),
  fc.constantFrom('n').map((k) => ['INCR', k]),
);
const caseArb = fc.record({
  appendfilename: fc.constantFrom('appendonly.aof', 'x.aof', 'data', 'a.b.c'),
  preamble: fc.boolean(),
  writes: fc.array(writeArb, { maxLength: 6 }),
  /** The name a copy of the manifest is given: anything Redis would not look for. */
  otherName: fc.constantFrom('.manifest', 'manifest', 'copy-of-manifest', 'x.manifest.bak', 'appendonly.aof'),
});

const digestOf = (out: { exitCode: number; stdout: string }): string => `exit ${out.exitCode}: ${out.stdout.trim()}`;

describe.skipIf(skip)('aofsim dump on the AOF dirs of redis-server 7.0.15', () => {
  it("every path naming the AOF dumps the real server's digest; a manifest under another name is refused", async () => {
    requireRedis70();
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ appendfilename, preamble, writes, otherName }) => {
        const dir = join(root, `run-${runs++}`);
        mkdirSync(dir);
        const real = new RedisServerSubject({
          bin: REDIS_SERVER,
          dir,
          config: { appendonly: 'yes', appendfilename, appendfsync: 'always', 'aof-use-rdb-preamble': preamble ? 'yes' : 'no', save: '', 'enable-debug-command': 'yes' },
          startTimeoutMs: 20_000,
        });
        let digest: string;
        try {
          const st = await real.start();
          expect(st.outcome, st.log.slice(-3).join('\n')).toBe('ok');
          // the base file of the start's rewrite first (7.0 creates it in a child)
          for (let i = 0; i < 500 && !readdirSync(join(dir, 'appendonlydir')).some((f) => f.includes('.base.')); i++) await new Promise((res) => setTimeout(res, 10));
          for (const w of writes) await real.client.call(w);
          digest = replyString(await real.client.call(['DEBUG', 'DIGEST'])).replace(/^\+/, '');
        } finally {
          await real.stop();
        }
        const what = `appendfilename ${appendfilename}, preamble ${preamble}, writes: ${writes.map((w) => w.join(' ')).join('; ')}`;
        const aofDir = join(dir, 'appendonlydir');
        const manifest = join(aofDir, `${appendfilename}.manifest`);
        const fs = createNodeFs();
        const dump = (path: string) => runDump(fs, { path, loadTruncated: true, verbose: false, digest: true }, nodeClock);
        const listed = readdirSync(aofDir).filter((f) => f !== `${appendfilename}.manifest`);
        const allEmpty = listed.every((f) => statSync(join(aofDir, f)).size === 0);
        for (const path of [dir, aofDir, manifest]) {
          const out = dump(path);
          expect(digestOf(out), `${what}: aofsim dump --digest ${path}; stderr: ${out.stderr}`).toBe(`exit 0: ${digest}`);
          const emptyLine = out.stderr.split('\n').includes('aofsim dump: the AOF is empty');
          expect(emptyLine, `${what}: ${path}: files ${listed.map((f) => `${f} (${statSync(join(aofDir, f)).size} bytes)`).join(', ')}; stderr: ${out.stderr}`).toBe(allEmpty);
        }
        // The manifest under a name Redis would not look for, beside the same files.
        const copy = join(root, `copy-${runs}`);
        cpSync(aofDir, copy, { recursive: true });
        renameSync(join(copy, `${appendfilename}.manifest`), join(copy, otherName));
        const renamed = join(copy, otherName);
        const out = dump(renamed);
        expect({ exitCode: out.exitCode, stderr: out.stderr, stdout: out.stdout }, `${what}: the manifest renamed ${otherName}`).toEqual({
          exitCode: 2,
          stderr: `aofsim dump: ${renamed}: a manifest must be named <appendfilename>.manifest\n`,
          stdout: '',
        });
      }),
      { ...fcParams(8), seed: testSeed(process.env) },
    );
  });
});
