import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimFs } from '../fs/sim-fs.ts';
import { Prng } from '../prng/prng.ts';
import { applyCrash, innerBoundaries, tornLength } from './apply-crash.ts';
import { crashDecisionArbitrary } from './crash-decision-arbitrary.ts';
import { describeCrashDecision, POWER_LOSS_MODELS, type CrashDecision } from './crash-decision.ts';
import { decideCrash } from './decide-crash.ts';
import { testSeed } from '../campaign/suite-options.ts';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = (fs: SimFs, path: string): string => Buffer.from(fs.readFile(path)).toString('latin1');

/** /d/aof with durable 'base' and pending appends 'a', 'bb', 'ccc'; returns fs and the inode. */
function appendFixture(): { fs: SimFs; ino: string } {
  const fs = SimFs.withFiles({ '/d/aof': 'base' });
  const h = fs.open('/d/aof', 'append');
  for (const s of ['a', 'bb', 'ccc']) h.write(enc(s));
  return { fs, ino: String(fs.stat('/d/aof').ino) };
}

describe('applyCrash models', () => {
  it('prefix keeps the first n pending ops of each file', () => {
    const { fs, ino } = appendFixture();
    const got = [0, 1, 2, 3, 9].map((n) => text(applyCrash(fs, { model: 'prefix', files: { [ino]: n } }), '/d/aof'));
    expect(got).toEqual(['base', 'basea', 'baseabb', 'baseabbccc', 'baseabbccc']);
    expect(text(applyCrash(fs, { model: 'prefix', files: {} }), '/d/aof')).toBe('base');
  });

  it('prefix replays truncates in order', () => {
    const fs = SimFs.withFiles({ '/f': 'abcdef' });
    const h = fs.open('/f', 'append');
    h.write(enc('gh'));
    h.truncate(3);
    h.write(enc('Z'));
    const ino = String(fs.stat('/f').ino);
    const got = [1, 2, 3].map((n) => text(applyCrash(fs, { model: 'prefix', files: { [ino]: n } }), '/f'));
    expect(got).toEqual(['abcdefgh', 'abc', 'abcZ']);
  });

  it('torn cuts the next write at sector boundaries strictly inside it', () => {
    const fs = SimFs.withFiles({ '/f': '' });
    const h = fs.open('/f', 'append');
    h.write(new Uint8Array(100).fill(1));
    h.fsync();
    h.write(new Uint8Array(1000).fill(2)); // bytes [100, 1100): boundaries 512 and 1024
    const ino = String(fs.stat('/f').ino);
    const size = (sectors: number, sectorBytes?: number): number =>
      applyCrash(fs, { model: 'torn', sectorBytes, files: { [ino]: { keep: 0, sectors } } }).stat('/f').sizeBytes;
    expect([0, 1, 2, 3].map((s) => size(s))).toEqual([100, 512, 1024, 1024]);
    expect(size(1, 4096)).toBe(100); // inside one 4 KiB sector: all or nothing
    expect(size(3, 256)).toBe(768);
    const torn = applyCrash(fs, { model: 'torn', files: { [ino]: { keep: 0, sectors: 1 } } }).readFile('/f');
    expect(torn[99]).toBe(1);
    expect(torn[100]).toBe(2);
    expect(applyCrash(fs, { model: 'torn', files: { [ino]: { keep: 1, sectors: 1 } } }).stat('/f').sizeBytes).toBe(1100);
  });

  it('tornLength and innerBoundaries agree', () => {
    for (const [offset, len, sector] of [[0, 1200, 512], [100, 1000, 512], [511, 2, 512], [0, 512, 512], [7, 3, 2]]) {
      const b = innerBoundaries(offset, len, sector);
      for (let s = 1; s <= b; s++) {
        const cut = tornLength({ kind: 'write', offset, data: new Uint8Array(len) }, sector, s);
        expect((offset + cut) % sector).toBe(0);
        expect(cut).toBeGreaterThan(0);
        expect(cut).toBeLessThan(len);
      }
    }
    expect(innerBoundaries(0, 512, 512)).toBe(0);
    expect(innerBoundaries(511, 2, 512)).toBe(1);
  });

  it('zero-fill grows the file without the data (spec bug 8)', () => {
    const { fs, ino } = appendFixture();
    const crash = (keep: number, data: number): string => text(applyCrash(fs, { model: 'zero-fill', files: { [ino]: { keep, data } } }), '/d/aof');
    expect(crash(3, 0)).toBe('base\0\0\0\0\0\0');
    expect(crash(3, 1)).toBe('basea\0\0\0\0\0');
    expect(crash(2, 2)).toBe('baseabb');
    expect(crash(1, 5)).toBe('basea');
    expect(crash(0, 0)).toBe('base');
  });

  it('zero-fill never zeroes bytes that were already durable', () => {
    const fs = SimFs.withFiles({ '/f': 'abcdef' });
    const h = fs.open('/f', 'read-write');
    h.write(enc('XYZXYZXY'));
    const ino = String(fs.stat('/f').ino);
    expect(text(applyCrash(fs, { model: 'zero-fill', files: { [ino]: { keep: 1, data: 0 } } }), '/f')).toBe('abcdef\0\0');
  });

  it('reorder applies any subset of pending writes in the listed order', () => {
    const fs = SimFs.withFiles({ '/f': '' });
    const h = fs.open('/f', 'read-write');
    h.write(enc('AA')); // [0,2)
    h.write(enc('BB')); // [2,4)
    const ino = String(fs.stat('/f').ino);
    const crash = (order: number[]): string => text(applyCrash(fs, { model: 'reorder', files: { [ino]: order } }), '/f');
    expect(crash([1])).toBe('\0\0BB');
    expect(crash([0])).toBe('AA');
    expect(crash([1, 0])).toBe('AABB');
    expect(crash([])).toBe('');
    expect(crash([7, -1, 0, 0])).toBe('AA');
    // overlapping writes: order matters
    const g = SimFs.withFiles({ '/g': '' });
    const gh = g.open('/g', 'read-write');
    gh.write(enc('AA'));
    const gh2 = g.open('/g', 'read-write');
    gh2.read(1);
    gh2.write(enc('BB')); // [1,3)
    const gi = String(g.stat('/g').ino);
    expect(text(applyCrash(g, { model: 'reorder', files: { [gi]: [0, 1] } }), '/g')).toBe('ABB');
    expect(text(applyCrash(g, { model: 'reorder', files: { [gi]: [1, 0] } }), '/g')).toBe('AAB');
  });

  it('keeps a prefix of unsynced directory changes, in order, when asked', () => {
    const fs = SimFs.withFiles({ '/d/old': 'O' });
    fs.fsyncDir('/d');
    const h = fs.open('/d/tmp', 'create-truncate');
    h.write(enc('T'));
    h.fsync();
    fs.rename('/d/tmp', '/d/new');
    fs.unlink('/d/old');
    const dino = String(fs.stat('/d').ino);
    const names = (n: number): string[] => applyCrash(fs, { model: 'strict', dirs: { [dino]: n } }).readdir('/d');
    expect([0, 1, 2, 3].map(names)).toEqual([['old'], ['old', 'tmp'], ['new', 'old'], ['new']]);
    expect(fs.pendingSummary().dirs).toEqual([
      {
        ino: Number(dino),
        path: '/d',
        ops: [
          { kind: 'link', name: 'tmp', ino: fs.stat('/d/new').ino },
          { kind: 'rename', from: 'tmp', to: 'new', ino: fs.stat('/d/new').ino },
          { kind: 'unlink', name: 'old' },
        ],
      },
    ]);
  });

  it('leaves the old fs untouched and gives the new one no pending ops', () => {
    const { fs, ino } = appendFixture();
    const before = JSON.stringify(fs.pendingSummary());
    const after = applyCrash(fs, { model: 'prefix', files: { [ino]: 2 } });
    expect(JSON.stringify(fs.pendingSummary())).toBe(before);
    expect(after.pendingSummary()).toEqual({ files: [], dirs: [] });
    expect(after.snapshot('durable')).toEqual(after.snapshot('visible'));
    expect(after.stat('/d/aof').ino).toBe(Number(ino));
    expect(after.inodeAt('/d/aof')).toBe(Number(ino));
    expect(after.inodeAt('/d/nope')).toBeUndefined();
    expect(after.inodeAt('/nope/x')).toBeUndefined();
    const h = after.open('/d/aof', 'append');
    h.write(enc('!'));
    expect(text(after, '/d/aof')).toBe('baseabb!');
    expect(after.open('/d/x', 'append').stat().ino).toBeGreaterThan(Number(ino));
  });
});

describe('crash decisions', () => {
  it('every generated decision yields a state between durable and visible for an append-only file', () => {
    const { fs } = appendFixture();
    const durable = fs.snapshot('durable')['/d/aof'];
    const visible = fs.snapshot('visible')['/d/aof'];
    fc.assert(
      fc.property(crashDecisionArbitrary(fs), (d) => {
        const got = text(applyCrash(fs, d), '/d/aof');
        if (d.model === 'process-kill') return got === visible;
        if (d.model === 'strict') return got === durable;
        if (d.model === 'zero-fill') return got.startsWith(durable) && /^[abc]*\0*$/.test(got.slice(4)) && visible.length >= got.length;
        if (d.model === 'reorder') return got.startsWith(durable) && got.length <= visible.length;
        return visible.startsWith(got) && got.startsWith(durable);
      }),
      { numRuns: 300, seed: testSeed(process.env) },
    );
  });

  it('torn decisions with 1-byte sectors favour record boundaries, inner MULTI boundaries included', () => {
    const fs = SimFs.withFiles({ '/d/aof': '' });
    const block = '*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*2\r\n$4\r\nINCR\r\n$1\r\nb\r\n*1\r\n$4\r\nEXEC\r\n';
    fs.open('/d/aof', 'append').write(enc(block));
    // The record starts strictly inside the block: after MULTI, after each INCR.
    const inner = [15, 36, 57];
    const cuts = new Map<number, number>();
    let torn = 0;
    fc.assert(
      fc.property(crashDecisionArbitrary(fs, { models: ['torn'], sectorBytes: 1, dirPrefixes: false }), (d) => {
        const got = text(applyCrash(fs, d), '/d/aof');
        if (got.length > 0 && got.length < block.length) {
          torn++;
          cuts.set(got.length, (cuts.get(got.length) ?? 0) + 1);
        }
        return block.startsWith(got);
      }),
      { seed: 3, numRuns: 400 },
    );
    const onRecord = inner.reduce((n, c) => n + (cuts.get(c) ?? 0), 0);
    // Uniform cuts would land on 3 of the 70 inner bytes (4%); the bias puts most there.
    expect(onRecord / torn).toBeGreaterThan(0.5);
    for (const c of inner) expect(cuts.get(c) ?? 0, `cut at ${c}`).toBeGreaterThan(0);
    // Other bytes are still cut sometimes.
    expect([...cuts.keys()].some((c) => !inner.includes(c))).toBe(true);
  });

  it('decideCrash is deterministic per seed and covers the whole range', () => {
    const { fs } = appendFixture();
    const pending = fs.pendingSummary();
    for (const model of POWER_LOSS_MODELS) {
      const a = decideCrash(Prng.fromSeed(5).stream('crash'), model, pending);
      const b = decideCrash(Prng.fromSeed(5).stream('crash'), model, pending);
      expect(a).toEqual(b);
      expect(a.model).toBe(model);
    }
    const sizes = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const d = decideCrash(Prng.fromSeed(seed).stream('crash'), 'prefix', pending);
      sizes.add(applyCrash(fs, d).stat('/d/aof').sizeBytes);
    }
    expect([...sizes].sort((x, y) => x - y)).toEqual([4, 5, 7, 10]);
  });

  it('decideCrash can keep or lose directory prefixes, and never keeps them when disabled', () => {
    const fs = SimFs.withFiles({ '/d/a': 'x' });
    fs.rename('/d/a', '/d/b');
    const pending = fs.pendingSummary();
    const kept = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const d = decideCrash(Prng.fromSeed(seed).stream('crash'), 'strict', pending);
      kept.add(applyCrash(fs, d).readdir('/d').join());
      const off = decideCrash(Prng.fromSeed(seed).stream('crash'), 'strict', pending, { dirPrefixes: false });
      expect(applyCrash(fs, off).readdir('/d')).toEqual(['a']);
    }
    expect([...kept].sort()).toEqual(['a', 'b']);
  });

  it('shrinks a failing crash towards the fewest surviving ops', () => {
    const { fs, ino } = appendFixture();
    const other = fs.open('/d/other', 'append');
    other.write(enc('zz'));
    // "No pending op ever survives" is false; the minimal counterexample keeps exactly one op.
    const out = fc.check(
      fc.property(crashDecisionArbitrary(fs, { models: ['prefix'], dirPrefixes: false }), (d) => {
        return applyCrash(fs, d).stat('/d/aof').sizeBytes === 4;
      }),
      { seed: 7, numRuns: 200 },
    );
    expect(out.failed).toBe(true);
    const [d] = out.counterexample!;
    expect(d).toEqual({ model: 'prefix', files: { [ino]: 1, [String(fs.stat('/d/other').ino)]: 0 }, dirs: {} });
  });

  it('describes decisions on one line', () => {
    const d: CrashDecision = { model: 'torn', sectorBytes: 4096, files: { 3: { keep: 2, sectors: 1 } }, dirs: { 1: 1, 2: 0 } };
    expect(describeCrashDecision(d)).toBe('power-loss torn sector=4096 files{3:2/1} dirs{1:1}');
    expect(describeCrashDecision({ model: 'process-kill' })).toBe('process-kill');
    expect(describeCrashDecision({ model: 'reorder', files: { 4: [2, 0] } })).toBe('power-loss reorder files{4:[2,0]}');
  });
});
