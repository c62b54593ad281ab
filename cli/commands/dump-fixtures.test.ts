// `aofsim dump DIR --at-ms <atMs of expected.json>` equals expected.json (written by real
// redis-server 7.0.15) for every fixture directory, RESP and RDB bases alike. Files are read from
// the real disk and must not change.
//
// The fixtures' stream form holds only {"entries": [...]}; our canonical form adds lastId,
// entriesAdded, maxDeletedId and groups, so a stream is compared on the keys the fixture has.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { fixtureDirs } from '../../testing/aof/fixture-dirs.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/redis-7.0.15/', import.meta.url));


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Drops from `actual` stream values the keys `expected` does not have. */
function projectStreams(actual: Json, expected: Json): Json {
  const a = actual as { dbs: Record<string, { type: string; value: Record<string, Json> }[]> };
  const e = expected as { dbs: Record<string, { key: Json; type: string; value: Record<string, Json> }[]> };
  if (!a?.dbs || !e?.dbs) return actual;
  for (const [db, entries] of Object.entries(a.dbs)) {
    entries.forEach((entry, i) => {
      const exp = e.dbs[db]?.[i];
      if (entry.type !== 'stream' || exp?.type !== 'stream') return;
      entry.value = Object.fromEntries(Object.keys(exp.value).map((k) => [k, entry.value[k]]));
    });
  }
  return actual;
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out[p] = readFileSync(p).toString('latin1');
  }
  return out;
}

const dirs = fixtureDirs(ROOT);


describe('aofsim dump on the redis 7.0.15 fixtures', () => {
  it('finds the fixtures', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(10);
  });

  for (const dir of dirs) {
    const rel = dir.slice(ROOT.length);
    it(`${rel}: dump --at-ms equals expected.json`, () => {
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Json & { atMs: number };
      const before = filesUnder(dir);
      const out = runDump(createNodeFs(), { path: dir, loadTruncated: true, atMs: expected.atMs, verbose: false }, nodeClock);
      expect(out.stderr).not.toMatch(/refuse to start|replied with an error/);
      expect(out.exitCode).toBe(0);
      expect(projectStreams(JSON.parse(out.stdout) as Json, expected)).toEqual(expected);
      expect(filesUnder(dir)).toEqual(before);
    });
  }
});
