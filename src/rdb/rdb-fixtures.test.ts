// Every RDB base that real redis-server 7.0.15 wrote (fixtures/redis-7.0.15) decodes, its keys match
// the fixture's expected.json where the base is the whole state (or the state minus the keys its
// INCR file writes), and checkRdb prints what the real redis-check-rdb printed for it.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../keyspace/keyspace.ts';
import { checkRdb } from './check-rdb.ts';
import { loadRdbInto } from './load-rdb.ts';
import { canonicalDump, type CanonicalDump } from '../keyspace/canonical-dump.ts';

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/**
 * The canonical dump in the form the fixtures' expected.json files record: streams reduced to
 * their entries (the fixtures were written before the dump carried ids and consumer groups).
 */
function expectedDump(ks: Keyspace, atMs: number): { [k: string]: JsonValue } {
  const dump: CanonicalDump = canonicalDump(ks, atMs);
  for (const entries of Object.values(dump.dbs)) {
    for (const e of entries) if (e.type === 'stream' && typeof e.value === 'object' && 'entries' in e.value) e.value = { entries: e.value.entries } as never;
  }
  return JSON.parse(JSON.stringify(dump)) as { [k: string]: JsonValue };
}

const ROOT = join(import.meta.dirname, '../../fixtures/redis-7.0.15');

interface Base {
  dir: string;
  rel: string;
  path: string;
}

function bases(): Base[] {
  const out: Base[] = [];
  for (const group of ['preamble-yes', 'golden']) {
    for (const d of readdirSync(join(ROOT, group), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      const dir = join(ROOT, group, d);
      for (const f of readdirSync(dir)) {
        if (f.endsWith('.base.rdb')) out.push({ dir, rel: `fixtures/redis-7.0.15/${group}/${d}/${f}`, path: join(dir, f) });
      }
    }
  }
  return out;
}

function load(path: string): { ks: Keyspace; data: Buffer; res: ReturnType<typeof loadRdbInto> } {
  const data = readFileSync(path);
  const ks = new Keyspace();
  const res = loadRdbInto(ks, data, { file: path });
  return { ks, data, res };
}

/** Keys written by the INCR file next to a base (from its decoded.txt: "offset: CMD key ..."). */
function incrKeys(dir: string): Set<string> {
  const keys = new Set<string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.incr.aof.decoded.txt')) continue;
    for (const line of readFileSync(join(dir, f), 'latin1').split('\n')) {
      const m = /^\s*\d+: (\S+) (\S+)/.exec(line);
      if (m && !['SELECT', 'MULTI', 'EXEC'].includes(m[1].toUpperCase())) keys.add(m[2]);
    }
  }
  return keys;
}

function withoutKeys(dump: { [k: string]: JsonValue }, drop: Set<string>): unknown {
  const dbs = dump.dbs as { [db: string]: { key: string }[] };
  const out: { [db: string]: unknown[] } = {};
  for (const [db, entries] of Object.entries(dbs)) {
    const kept = entries.filter((e) => !drop.has(e.key));
    if (kept.length > 0) out[db] = kept;
  }
  return { ...dump, dbs: out };
}

/** What each base holds relative to its directory's expected.json. */
const MODES: Record<string, 'empty base' | 'whole state' | 'state minus INCR keys'> = {
  'fixtures/redis-7.0.15/preamble-yes/1-fresh-start/appendonly.aof.1.base.rdb': 'empty base',
  'fixtures/redis-7.0.15/preamble-yes/2-after-workload/appendonly.aof.1.base.rdb': 'empty base',
  'fixtures/redis-7.0.15/preamble-yes/3-after-bgrewriteaof/appendonly.aof.2.base.rdb': 'whole state',
  'fixtures/redis-7.0.15/preamble-yes/4-after-rewrite-and-more-writes/appendonly.aof.2.base.rdb': 'state minus INCR keys',
  'fixtures/redis-7.0.15/golden/golden-rdb/appendonly.aof.2.base.rdb': 'state minus INCR keys',
};

describe('real redis 7.0.15 RDB bases', () => {
  const all = bases();
  it('finds the fixtures', () => {
    expect(all.map((b) => b.rel).sort()).toEqual(Object.keys(MODES).sort());
  });

  for (const b of all) {
    describe(b.rel, () => {
      it('decodes to the end with aof-base=1 and version 10', () => {
        const { data, res } = load(b.path);
        expect(res.endOffset).toBe(data.length);
        expect(res.version).toBe(10);
        expect(res.aux.get('aof-base')).toBe('1');
        expect(res.aux.get('redis-ver')).toBe('7.0.15');
      });

      const decodedPath = `${b.path}.decoded.txt`;
      if (existsSync(decodedPath)) {
        it('checkRdb reports what redis-check-rdb reported', () => {
          const data = readFileSync(b.path);
          const decoded = readFileSync(decodedPath, 'latin1');
          const real = decoded.slice(decoded.indexOf('[offset 0] Checking')).trimEnd().split('\n');
          const ours = checkRdb(data, { file: b.rel });
          expect(ours.ok).toBe(true);
          expect(ours.lines).toEqual(real);
        });
      } else {
        it('checkRdb accepts it (no recorded redis-check-rdb output)', () => {
          const data = readFileSync(b.path);
          const ours = checkRdb(data, { file: b.rel });
          expect(ours.ok).toBe(true);
          expect(ours.lines.slice(-5)).toEqual([`[offset ${data.length}] Checksum OK`, `[offset ${data.length}] \\o/ RDB looks OK! \\o/`, '[info] 3 keys read', '[info] 0 expires', '[info] 0 already expired']);
        });
      }

      const mode = MODES[b.rel];
      it(`matches expected.json (${mode})`, () => {
        const { ks } = load(b.path);
        if (mode === 'empty base') {
          expect(ks.size()).toBe(0);
          return;
        }
        const expected = JSON.parse(readFileSync(join(b.dir, 'expected.json'), 'utf8')) as { atMs: number; dbs: unknown };
        const drop = incrKeys(b.dir);
        const ours = expectedDump(ks, expected.atMs);
        expect(ks.size()).toBeGreaterThan(0);
        if (mode === 'whole state') {
          expect(drop.size).toBe(0);
          expect(ours).toEqual(expected);
        } else {
          expect(drop.size).toBeGreaterThan(0);
          expect(withoutKeys(ours, drop)).toEqual(withoutKeys(expected as { [k: string]: JsonValue }, drop));
          // and every key the base lacks is one the INCR file writes
          const baseKeys = new Set((Object.values(ours.dbs as object) as { key: string }[][]).flat().map((e) => e.key));
          const missing = (Object.values(expected.dbs as object) as { key: string }[][]).flat().map((e) => e.key).filter((k) => !baseKeys.has(k));
          expect(missing.every((k) => drop.has(k))).toBe(true);
        }
      });
    });
  }

  it('3-after-bgrewriteaof: the base alone is the whole state', () => {
    const dir = join(ROOT, 'preamble-yes/3-after-bgrewriteaof');
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { atMs: number };
    const { ks } = load(join(dir, 'appendonly.aof.2.base.rdb'));
    expect(incrKeys(dir).size).toBe(0);
    expect(expectedDump(ks, expected.atMs)).toEqual(expected);
  });

  it('decodes stream metadata and consumer groups of the 3-after-bgrewriteaof base', () => {
    const { ks } = load(join(ROOT, 'preamble-yes/3-after-bgrewriteaof/appendonly.aof.2.base.rdb'));
    const st2 = ks.db(0).dict.get('st2');
    expect(st2?.type).toBe('stream');
    if (st2?.type !== 'stream') return;
    const g = st2.value.groups.get('g');
    expect(g).toBeDefined();
    expect(g!.lastId).toEqual({ ms: 1n, seq: 2n });
    expect(st2.value.lastId).toEqual({ ms: 1n, seq: 2n });
    const emptyst = ks.db(0).dict.get('emptyst');
    expect(emptyst?.type === 'stream' && emptyst.value.entries.length).toBe(0);
  });
});
