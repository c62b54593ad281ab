import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAofError } from '../../base/errors.ts';
import { parseManifest } from './parse-manifest.ts';
import { formatManifest } from './format-manifest.ts';
import type { AofInfo, Manifest } from './types.ts';
import { testSeed } from '../../base/test-seed.ts';

/** The suite seed (AOFSIM_SEED, else fixed): the same runs every time. */
const SEED = testSeed(process.env);

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function failure(text: string): { reason: string; line?: number; lineText?: string } {
  try {
    parseManifest(bytes(text), 'appendonly.aof.manifest');
  } catch (e) {
    if (!isAofError(e)) throw e;
    expect(e.code).toBe('AOF_MANIFEST_INVALID');
    expect(e.details.file).toBe('appendonly.aof.manifest');
    return { reason: e.reason, line: e.details.line, lineText: e.details.lineText };
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseManifest (redis aofLoadManifestFromFile)', () => {
  it('reads the writer format: base, history, incrs and counters', () => {
    const m = parseManifest(
      bytes(
        'file appendonly.aof.2.base.rdb seq 2 type b\n' +
          'file appendonly.aof.1.incr.aof seq 1 type h\n' +
          'file appendonly.aof.3.incr.aof seq 3 type i\n' +
          'file appendonly.aof.4.incr.aof seq 4 type i\n',
      ),
      'm',
    );
    expect(m.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
    expect(m.history).toEqual([{ name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'h' }]);
    expect(m.incrs.map((i) => i.seq)).toEqual([3, 4]);
    expect(m.currBaseSeq).toBe(2);
    expect(m.currIncrSeq).toBe(4);
  });

  it('rejects a 0-byte file as empty, without a line echo', () => {
    expect(failure('')).toEqual({ reason: 'Found an empty AOF manifest', line: undefined, lineText: undefined });
  });

  it('accepts a comments-only file as an empty manifest', () => {
    const m = parseManifest(bytes('# hello\n#x\n'), 'm');
    expect(m.base).toBeNull();
    expect(m.incrs).toEqual([]);
    expect(m.currIncrSeq).toBe(0);
  });

  it('skips comments but counts them in line numbers', () => {
    expect(failure('#c\nfile a seq 1 type b\nbad\n')).toMatchObject({ line: 3, lineText: 'bad' });
  });

  it('rejects a last line without newline as too long, without a line echo', () => {
    expect(failure('file a seq 1 type b')).toEqual({
      reason: 'The AOF manifest file contains too long line',
      line: undefined,
      lineText: undefined,
    });
  });

  it('rejects a line longer than 1024 bytes, accepts exactly 1024 including the newline', () => {
    const name = (n: number): string => 'x'.repeat(n);
    const fixed = 'file  seq 1 type b\n'.length; // 19 bytes without the name
    expect(parseManifest(bytes(`file ${name(1024 - fixed)} seq 1 type b\n`), 'm').base?.name.length).toBe(1005);
    expect(failure(`file ${name(1025 - fixed)} seq 1 type b\n`).reason).toBe(
      'The AOF manifest file contains too long line',
    );
  });

  it('treats the tail of an over-long comment as a line of its own (fgets chunks)', () => {
    expect(failure('#' + 'a'.repeat(1100) + '\n')).toEqual({
      reason: 'Invalid AOF manifest file format',
      line: 2,
      lineText: 'a'.repeat(1101 - 1024),
    });
  });

  it('treats a NUL before the newline as a too-long line (strchr stops at NUL)', () => {
    expect(failure('file a\0 seq 1 type b\n').reason).toBe('The AOF manifest file contains too long line');
  });

  it('rejects blank and whitespace-only lines with an empty echo', () => {
    expect(failure('file a seq 1 type b\n\n')).toEqual({
      reason: 'Invalid AOF manifest file format',
      line: 2,
      lineText: '',
    });
    expect(failure(' \t\r\n')).toMatchObject({ reason: 'Invalid AOF manifest file format', line: 1, lineText: '' });
  });

  it('trims spaces, tabs and CR around the echoed line', () => {
    expect(failure('  file a seq 1 \r\n')).toEqual({
      reason: 'Invalid AOF manifest file format',
      line: 1,
      lineText: 'file a seq 1',
    });
  });

  it('rejects fewer than 6 tokens, an odd count and unbalanced quotes', () => {
    for (const line of ['file a seq 1 type', 'file a seq 1 type b extra', 'file "a seq 1 type b', 'file "a"b seq 1 type b']) {
      expect(failure(line + '\n')).toEqual({ reason: 'Invalid AOF manifest file format', line: 1, lineText: line });
    }
  });

  it('compares keys case-insensitively, ignores unknown keys, last repeated key wins', () => {
    const m = parseManifest(bytes('FILE a SEQ 1 TYPE b future x\nfile x file c seq 9 seq 2 type i\n'), 'm');
    expect(m.base).toEqual({ name: 'a', seq: 1, type: 'b' });
    expect(m.incrs).toEqual([{ name: 'c', seq: 2, type: 'i' }]);
  });

  it('takes seq with atoll and type by its first character', () => {
    const m = parseManifest(bytes('file a seq 7abc type base\nfile b seq -3 type history\nfile c seq 12 type incr\n'), 'm');
    expect(m.base).toEqual({ name: 'a', seq: 7, type: 'b' });
    expect(m.history).toEqual([{ name: 'b', seq: -3, type: 'h' }]);
    expect(m.incrs).toEqual([{ name: 'c', seq: 12, type: 'i' }]);
  });

  it('rejects a missing name, seq 0 / non-numeric seq, and an empty type', () => {
    for (const line of ['seq 1 type b x y', 'file a seq 0 type b', 'file a seq abc type b', "file a seq 1 type ''"]) {
      expect(failure(line + '\n')).toEqual({ reason: 'Invalid AOF manifest file format', line: 1, lineText: line });
    }
  });

  it('accepts an empty quoted name (file_name is non-NULL in Redis)', () => {
    expect(parseManifest(bytes('file "" seq 1 type b\n'), 'm').base?.name).toBe('');
  });

  it('rejects paths', () => {
    for (const line of ['file dir/a seq 1 type b', 'file a\\\\b seq 1 type b', 'file "a\\\\b" seq 1 type b']) {
      expect(failure(line + '\n')).toEqual({ reason: "File can't be a path, just a filename", line: 1, lineText: line });
    }
  });

  it('rejects a second base', () => {
    expect(failure('file a seq 1 type b\nfile b seq 2 type b\n')).toEqual({
      reason: 'Found duplicate base file information',
      line: 2,
      lineText: 'file b seq 2 type b',
    });
  });

  it('requires strictly increasing INCR seqs, ignoring base and history seqs', () => {
    expect(parseManifest(bytes('file b seq 9 type b\nfile h seq 9 type h\nfile i seq 1 type i\n'), 'm').incrs).toHaveLength(1);
    expect(failure('file i seq 2 type i\nfile j seq 2 type i\n')).toMatchObject({
      reason: 'Found a non-monotonic sequence number',
      line: 2,
    });
    expect(failure('file i seq -1 type i\n').reason).toBe('Found a non-monotonic sequence number');
  });

  it('rejects an unknown type', () => {
    expect(failure('file a seq 1 type x\n')).toEqual({
      reason: 'Unknown AOF file type',
      line: 1,
      lineText: 'file a seq 1 type x',
    });
  });

  it('decodes quoted names with escapes', () => {
    const m = parseManifest(bytes('file "a b\\x41\\n\\"" seq 1 type b\nfile \'it\\\'s\' seq 1 type i\n'), 'm');
    expect(m.base?.name).toBe('a bA\n"');
    expect(m.incrs[0]?.name).toBe("it's");
  });

  it('the message names the manifest and the line', () => {
    try {
      parseManifest(bytes('file a seq 1 type x\n'), 'appendonly.aof.manifest');
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).toBe(
        "AOF_MANIFEST_INVALID: appendonly.aof.manifest: Unknown AOF file type (at line 1: 'file a seq 1 type x')",
      );
    }
  });
});

// Names Redis can round-trip: non-empty, no NUL, no '/' or '\\', short enough for one line.
const nameArb = fc
  .array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 60 })
  .map((codes) => String.fromCharCode(...codes.filter((c) => c !== 0x2f && c !== 0x5c)))
  .filter((s) => s.length > 0);
const seqArb = fc.integer({ min: 1, max: 2 ** 31 });

const manifestArb: fc.Arbitrary<Manifest> = fc
  .record({
    base: fc.option(fc.record({ name: nameArb, seq: seqArb }), { nil: null }),
    history: fc.array(fc.record({ name: nameArb, seq: fc.integer({ min: -1000, max: 2 ** 31 }).filter((n) => n !== 0) }), {
      maxLength: 4,
    }),
    incrs: fc.uniqueArray(seqArb, { maxLength: 5 }).chain((seqs) =>
      fc.tuple(...seqs.sort((a, b) => a - b).map((seq) => nameArb.map((name) => ({ name, seq })))),
    ),
  })
  .map(({ base, history, incrs }) => {
    const incrInfos: AofInfo[] = incrs.map((i) => ({ ...i, type: 'i' }));
    return {
      base: base ? { ...base, type: 'b' } : null,
      history: history.map((h) => ({ ...h, type: 'h' })),
      incrs: incrInfos,
      currBaseSeq: base ? base.seq : 0,
      currIncrSeq: incrInfos.length ? incrInfos[incrInfos.length - 1]!.seq : 0,
      dirty: false,
    };
  });

describe('formatManifest / parseManifest round trip', () => {
  it('parse(format(m)) == m for any names (spaces, quotes, non-printables)', () => {
    fc.assert(
      fc.property(manifestArb, (m) => {
        const text = formatManifest(m);
        if (text === '') return; // an empty manifest is written as 0 bytes; Redis reads that as "empty"
        expect(parseManifest(bytes(text), 'm')).toEqual(m);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('parseManifest on arbitrary bytes', () => {
  it('returns a manifest or throws AOF_MANIFEST_INVALID, nothing else', () => {
    const byte = fc.oneof(
      fc.constantFrom(...'file seq type b h i "\'\\x\n\r\t#/0123'.split('').map((c) => c.charCodeAt(0))),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 200 }), (codes) => {
        try {
          const m = parseManifest(Uint8Array.from(codes), 'm');
          expect(m.base === null || m.base.type === 'b').toBe(true);
        } catch (e) {
          expect(isAofError(e) && e.code).toBe('AOF_MANIFEST_INVALID');
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('parseManifest of a text parsed before', () => {
  it('gives an equal manifest of its own: edits to one result never reach the next', () => {
    const text = bytes('file a.1.base.rdb seq 1 type b\nfile a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 2 type i\n');
    const first = parseManifest(text, 'm');
    const expected = JSON.parse(JSON.stringify(first)) as Manifest;
    first.incrs[0].type = 'h';
    first.history.push(first.incrs.shift()!);
    first.base!.name = 'changed';
    first.currIncrSeq = 99;
    first.dirty = true;
    const second = parseManifest(text, 'm');
    expect(second).toEqual(expected);
    expect(second).not.toBe(first);
    second.incrs.pop();
    expect(parseManifest(text, 'm')).toEqual(expected);
  });

  it('a text that failed still fails, with its own file name', () => {
    const bad = bytes('file x seq 0 type i\n');
    for (const name of ['one', 'two']) {
      try {
        parseManifest(bad, name);
        expect.unreachable();
      } catch (e) {
        expect(isAofError(e) && e.details.file).toBe(name);
      }
    }
  });
});
