// Conformance: the manifest model of properties/manifest-model.ts (the oracle of the property
// properties/manifest-reader-matches-redis.test.ts) says what Redis 7.0.15 reads from every
// generated manifest: redis-check-aof reads manifests with the server's aofLoadManifestFromFile, so
// its output (the fatal manifest error with line and echo, or the multi-part skeleton over the
// listed files, created empty) and exit code are compared with the model's.
// Needs /usr/bin/redis-check-aof 7.0.x (AOFSIM_REDIS_CHECK_AOF overrides) and its redis-server;
// skips loudly without it, fails instead with AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fcParams } from '../loader-arbitraries.ts';
import { CHECK_AOF_BIN, skipWithoutCheckAof } from './redis-check-aof-bin.ts';
import { checkable, expectedCheckOfManifest, listedFiles } from '../manifest-cases.ts';
import { manifestCaseArb } from '../manifest-model.ts';

const BIN = CHECK_AOF_BIN;
const skip = skipWithoutCheckAof('the manifest model vs redis-check-aof 7.0');
const root = mkdtempSync(join(tmpdir(), 'aofsim-manifest-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const LOG_PREFIX = /^\d+:[CMSX] \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] /;

let caseNo = 0;
describe.skipIf(skip)('the manifest model agrees with redis-check-aof 7.0.15', () => {
  it('the fatal manifest error (message, line, echo) or the files it lists, and the exit code', () => {
    fc.assert(
      fc.property(manifestCaseArb.filter(checkable), (c) => {
        const dir = join(root, `c${caseNo++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'appendonly.aof.manifest'), Buffer.from(c.text, 'latin1'));
        // names are bytes: a string path would reach the disk as UTF-8
        for (const n of listedFiles(c)) writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(n, 'latin1')]), '');
        const r = spawnSync(BIN, [join(dir, 'appendonly.aof.manifest')], { encoding: 'latin1' });
        rmSync(dir, { recursive: true, force: true });
        const got = r.stdout
          .split('\n')
          .map((l) => l.replace(LOG_PREFIX, ''))
          .filter((l) => l !== '')
          .join('\n');
        const want = expectedCheckOfManifest(c);
        // blank lines are dropped on both sides (serverLog adds some; a name may hold '\n\n')
        const wantText = want.lines.join('\n').split('\n').filter((l) => l !== '').join('\n');
        expect(got).toEqual(wantText);
        expect(r.status).toBe(want.exitCode);
      }),
      fcParams(50), // the suite seed (AOFSIM_SEED, else fixed) and AOFSIM_RUNS
    );
  });
});
