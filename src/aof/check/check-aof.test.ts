import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import type { FileHandle, Fs } from '../../ports/fs.ts';
import { FsError } from '../../ports/fs.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { checkAof } from './check-aof.ts';
import type { CheckOptions } from './types.ts';
import { testSeed } from '../../base/test-seed.ts';

const cmd = (...argv: string[]): string => encodeCommand(argv);
const F = '/d/appendonly.aof';

function check(files: Record<string, string>, target = F, opts: CheckOptions = {}) {
  const fs = createMemoryFs(files);
  const report = checkAof(fs, target, opts);
  const text = (p: string): string | undefined =>
    fs.tryStat(p) ? Buffer.from(fs.readFile(p)).toString('latin1') : undefined;
  return { ...report, fs, text, own: report.lines.filter((l) => !l.startsWith('aofsim: ')) };
}

describe('checkAof old-style RESP', () => {
  it('a valid file: analyzed line with the CRLF count, then valid, exit 0', () => {
    const aof = cmd('SET', 'a', 'b') + cmd('DEL');
    const r = check({ [F]: aof });
    expect(r.lines).toEqual([
      'Start checking Old-Style AOF',
      // Values as redis-check-aof 7.0.15 prints them for this input.
      `AOF analyzed: filename=${F}, size=40, ok_up_to=40, ok_up_to_line=11, diff=0`,
      `AOF ${F} is valid`,
    ]);
    expect(r.exitCode).toBe(0);
  });

  it('an empty file', () => {
    expect(check({ [F]: '' }).lines).toEqual(['Start checking Old-Style AOF', `AOF ${F} is empty`]);
  });

  it('a missing file', () => {
    const r = check({ '/d/x': '' });
    expect(r.lines).toEqual([`Cannot open file ${F}: No such file or directory`]);
    expect(r.exitCode).toBe(1);
  });

  it('a short bulk: offset of the bulk, expected vs got, ok_up_to at the record start', () => {
    const good = cmd('SET', 'a', 'b');
    const r = check({ [F]: good + '*2\r\n$3\r\nget\r\n$5\r\nxyz' });
    expect(r.lines).toEqual([
      'Start checking Old-Style AOF',
      `0x              2c: Expected to read 7 bytes, got 3 bytes`,
      `aofsim: note: ${F}@0x0000001b: the file ends inside a record; Redis with aof-load-truncated yes (the default) would load it and truncate it here (or just before annotations preceding this point)`,
      `AOF analyzed: filename=${F}, size=47, ok_up_to=27, ok_up_to_line=12, diff=20`,
      `AOF ${F} is not valid. Use the --fix option to try fixing it.`,
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('prefix, CRLF and range errors', () => {
    expect(check({ [F]: '*1\r\n#3\r\nfoo\r\n' }).own[1]).toBe("0x               4: Expected prefix '$', got: '#'");
    expect(check({ [F]: '*1\r\n$3\r\nfooXY' }).own[1]).toBe('0x               8: Expected \\r\\n, got: 5859');
    expect(check({ [F]: '*1x\r\n' }).own[1]).toBe('0x               0: Expected \\r\\n, got: 780d');
    expect(check({ [F]: '*1\r\n$-3\r\n' }).own[1]).toBe(
      '0x               4: Expected to read string of -3 bytes, which is not in the suitable range',
    );
    expect(check({ [F]: '*1\r\n$9223372036854775807\r\n' }).own[1]).toBe(
      '0x               4: Expected to read string of 9223372036854775807 bytes, which is not in the suitable range',
    );
    // DIVERGENCE(redis): redis-check-aof aborts here (zmalloc OOM).
    expect(check({ [F]: '*1\r\n$99999999999999999\r\nab' }).own[1]).toBe(
      '0x              18: Expected to read 100000000000000001 bytes, got 2 bytes',
    );
  });

  it("a '%c' of NUL ends the error (snprintf), a '%c' of LF splits the line", () => {
    expect(check({ [F]: '*1\r\n\0$3\r\n' }).own[1]).toBe("0x               4: Expected prefix '$', got: '");
    expect(check({ [F]: '*1\r\n\n$3\r\n' }).own.slice(1, 3)).toEqual(["0x               4: Expected prefix '$', got: '", "'"]);
  });

  it('prints bytes >= 0x80 as sign-extended chars, like printf("%02x", char)', () => {
    expect(check({ [F]: '*1\r\n$1\r\na\xff\xfe' }).own[1]).toBe('0x               8: Expected \\r\\n, got: fffffffffffffffe');
  });

  it('a count line cut by EOF compares the NUL and a stale byte of the previous count line', () => {
    const one = cmd('foo');
    expect(check({ [F]: one + '*1' }).own[1]).toBe('0x               d: Expected \\r\\n, got: 000a');
    expect(check({ [F]: one + '*' }).own[1]).toBe('0x               d: Expected \\r\\n, got: 000d');
    expect(check({ [F]: one + '*1\r\n$' }).own[1]).toBe('0x              11: Expected \\r\\n, got: 0000');
  });

  it('a record that starts with neither * nor #: format error, no error line, plus a note', () => {
    const good = cmd('SET', 'a', 'b');
    const r = check({ [F]: good + '\0\0\0\0' });
    expect(r.lines).toEqual([
      'Start checking Old-Style AOF',
      `AOF ${F} format error`,
      `aofsim: note: ${F}@0x0000001b: a record starts with a zero byte; the loader refuses the file too ("Bad file format"), even with aof-load-truncated yes; --fix cuts the file here`,
      `AOF analyzed: filename=${F}, size=31, ok_up_to=27, ok_up_to_line=8, diff=4`,
      `AOF ${F} is not valid. Use the --fix option to try fixing it.`,
    ]);
  });

  it('MULTI/EXEC pairing', () => {
    const set = cmd('SET', 'a', 'b');
    const nested = check({ [F]: set + cmd('MULTI') + cmd('multi') });
    expect(nested.own[1]).toBe(`0x              32: Unexpected MULTI in AOF ${F}`);
    expect(nested.own[2]).toContain(`ok_up_to=${set.length},`);
    const exec = check({ [F]: set + cmd('EXEC') });
    expect(exec.own[1]).toBe(`0x              23: Unexpected EXEC in AOF ${F}`);
    expect(exec.own[2]).toContain(`ok_up_to=${set.length},`);
    const open = check({ [F]: set + cmd('MULTI') + cmd('SET', 'c', 'd') });
    expect(open.own[1]).toBe(`0x              42: Reached EOF before reading EXEC for MULTI`);
    expect(open.own[2]).toContain(`ok_up_to=${set.length},`);
    expect(check({ [F]: cmd('multi\0junk') + cmd('exec') }).exitCode).toBe(0);
  });

  it('warns where the loader disagrees', () => {
    const r = check({ [F]: '*0\r\n' + cmd('SET', 'a', 'b') + '*-1\r\n' });
    expect(r.exitCode).toBe(0);
    expect(r.lines[1]).toBe(
      `aofsim: warning: ${F}@0x00000000: '*0' (a command without arguments) passes redis-check-aof, but the loader refuses the file (format error: argc < 1) (2 times in this file)`,
    );
    expect(check({ [F]: '*1\r\n$1\r\nbXY' }).lines[2]).toMatch(/^aofsim: warning: .*@0x00000008: redis-check-aof requires \\r\\n after a bulk string/);
    expect(check({ [F]: '*1 \r\n' }).lines[2]).toMatch(/^aofsim: warning: .*right after the number/);
    expect(check({ [F]: cmd('MULTI') + cmd('MULTI') }).lines[2]).toMatch(/nested MULTI/);
    expect(check({ [F]: cmd('EXEC') }).lines[2]).toMatch(/EXEC without MULTI/);
  });

  it('counts CRLFs up to the failure point, annotations excluded', () => {
    const r = check({ [F]: '#TS:1\r\n' + cmd('SET', 'a', 'b') + '*3\r\n$3\r\nSET\r\n$1\r\n' });
    expect(r.own[1]).toBe('0x              33: Expected to read 3 bytes, got 0 bytes');
    expect(r.own[2]).toMatch(/size=51, ok_up_to=34, ok_up_to_line=12, diff=17$/);
  });
});

describe('checkAof --fix', () => {
  const good = cmd('SET', 'a', 'b');
  const cut = good + cmd('SET', 'c', 'd').slice(0, 10);

  it('asks, truncates at ok_up_to and reports it', () => {
    const r = check({ [F]: cut }, F, { fix: true, confirm: () => 'y' });
    expect(r.lines.slice(-3)).toEqual([
      `This will shrink the AOF ${F} from ${cut.length} bytes, with 10 bytes, to ${good.length} bytes`,
      'Continue? [y/N]: ',
      `Successfully truncated AOF ${F}`,
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.text(F)).toBe(good);
    expect(r.fixes).toEqual([{ path: F, fromBytes: cut.length, toBytes: good.length, reason: 'fix' }]);
    // Idempotent: a second run finds nothing to fix.
    const again = checkAof(r.fs, F, { fix: true, confirm: () => 'y' });
    expect(again.exitCode).toBe(0);
    expect(again.fixes).toEqual([]);
    expect(again.lines.at(-1)).toBe(`AOF ${F} is valid`);
  });

  it('aborts on anything but y/Y, and at EOF of stdin', () => {
    for (const answer of ['n', null, '']) {
      const r = check({ [F]: cut }, F, { fix: true, confirm: () => answer });
      expect(r.lines.slice(-2)).toEqual(['Continue? [y/N]: ', 'Aborting...']);
      expect(r.exitCode).toBe(1);
      expect(r.text(F)).toBe(cut);
    }
    expect(check({ [F]: cut }, F, { fix: true, confirm: () => 'Yes' }).exitCode).toBe(0);
  });

  it('FAULT: a failing truncate', () => {
    const fs = createMemoryFs({ [F]: cut });
    const failing: Fs = Object.create(fs, {
      truncate: {
        value: (p: string) => {
          throw new FsError('EIO', 'truncate', p);
        },
      },
    });
    const r = checkAof(failing, F, { fix: true, confirm: () => 'y' });
    expect(r.lines.at(-1)).toBe(`Failed to truncate AOF ${F}`);
    expect(r.exitCode).toBe(1);
  });
});

describe('checkAof --truncate-to-timestamp', () => {
  const a = cmd('SET', 'a', '1');
  const b = cmd('SET', 'b', '2');
  const aof = '#TS:100\r\n' + a + '#TS:200\r\n' + b;

  it('truncates at the first annotation later than T', () => {
    const r = check({ [F]: aof }, F, { truncateToTimestamp: '150' });
    expect(r.lines).toEqual(['Start checking Old-Style AOF', `Successfully truncated AOF ${F} to timestamp 150`]);
    expect(r.text(F)).toBe('#TS:100\r\n' + a);
    expect(r.fixes[0]?.reason).toBe('timestamp');
  });

  it('nothing to truncate', () => {
    const r = check({ [F]: aof }, F, { truncateToTimestamp: '200' });
    expect(r.lines).toEqual([
      'Start checking Old-Style AOF',
      `Truncate nothing in AOF ${F} to timestamp 200`,
      `AOF ${F} is valid`,
    ]);
  });

  it('refuses when everything is after T, and bad values', () => {
    expect(check({ [F]: aof }, F, { truncateToTimestamp: '50' }).lines[1]).toBe(
      `AOF ${F} has nothing before timestamp 50, aborting...`,
    );
    expect(check({ [F]: aof }, F, { truncateToTimestamp: '5x' })).toMatchObject({
      lines: ['Invalid timestamp, aborting...'],
      exitCode: 1,
    });
    expect(check({ [F]: a + '#TS:x\r\n' }, F, { truncateToTimestamp: '5' }).lines.at(-1)).toBe(
      'Invalid timestamp annotation',
    );
  });

  it("'0' means no timestamp mode, as in redis-check-aof", () => {
    expect(check({ [F]: aof }, F, { truncateToTimestamp: '0' }).lines.at(-1)).toBe(`AOF ${F} is valid`);
  });
});

describe('checkAof multi-part', () => {
  const D = '/d/appendonlydir';
  const M = `${D}/appendonly.aof.manifest`;
  const base = cmd('SET', 'k', 'v');
  const i1 = cmd('INCR', 'n');
  const i2 = '#TS:10\r\n' + cmd('INCR', 'n') + '#TS:20\r\n' + cmd('INCR', 'm');
  const manifest =
    'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n';
  const files = (over: Record<string, string> = {}): Record<string, string> => ({
    [M]: manifest,
    [`${D}/appendonly.aof.1.base.aof`]: base,
    [`${D}/appendonly.aof.1.incr.aof`]: i1,
    [`${D}/appendonly.aof.2.incr.aof`]: i2,
    ...over,
  });

  it('checks BASE then INCRs with one global line counter', () => {
    expect(check(files(), M).lines).toEqual([
      'Start checking Multi Part AOF',
      'Start to check BASE AOF (RESP format).',
      `AOF analyzed: filename=appendonly.aof.1.base.aof, size=${base.length}, ok_up_to=${base.length}, ok_up_to_line=8, diff=0`,
      'BASE AOF appendonly.aof.1.base.aof is valid',
      'Start to check INCR files.',
      `AOF analyzed: filename=appendonly.aof.1.incr.aof, size=${i1.length}, ok_up_to=${i1.length}, ok_up_to_line=13, diff=0`,
      'INCR AOF appendonly.aof.1.incr.aof is valid',
      `AOF analyzed: filename=appendonly.aof.2.incr.aof, size=${i2.length}, ok_up_to=${i2.length}, ok_up_to_line=23, diff=0`,
      'INCR AOF appendonly.aof.2.incr.aof is valid',
      'All AOF files and manifest are valid',
    ]);
  });

  it('empty files are reported and fine', () => {
    const r = check(files({ [`${D}/appendonly.aof.1.incr.aof`]: '' }), M);
    expect(r.lines).toContain('INCR AOF appendonly.aof.1.incr.aof is empty');
    expect(r.exitCode).toBe(0);
  });

  it('notes what the loader does with a short file: truncate the last, refuse a middle one', () => {
    const middle = check(files({ [`${D}/appendonly.aof.1.incr.aof`]: i1.slice(0, 5) }), M);
    expect(middle.lines).toContain(
      'aofsim: note: appendonly.aof.1.incr.aof@0x00000000: the file ends inside a record but is not the last file; Redis refuses to start ("Fatal error: the truncated file is not the last file")',
    );
    const open = check(files({ [`${D}/appendonly.aof.2.incr.aof`]: i2 + cmd('MULTI') + cmd('INCR', 'x') }), M);
    expect(open.lines.filter((l) => l.startsWith('aofsim: note:'))).toEqual([
      `aofsim: note: appendonly.aof.2.incr.aof@${'0x' + i2.length.toString(16).padStart(8, '0')}: the file ends inside a MULTI block; Redis with aof-load-truncated yes (the default) would load it and truncate it here (or just before annotations preceding this point)`,
    ]);
    // A format error is not a short read: no such note.
    expect(check({ [F]: cmd('SET', 'a', 'b') + 'zz' }).lines.some((l) => l.includes('aof-load-truncated yes (the default)'))).toBe(false);
  });

  it('fixes only the last file', () => {
    const short = check(files({ [`${D}/appendonly.aof.1.incr.aof`]: i1.slice(0, 5) }), M, { fix: true, confirm: () => 'y' });
    expect(short.lines.at(-1)).toBe('Failed to truncate AOF appendonly.aof.1.incr.aof because it is not the last file');
    expect(short.exitCode).toBe(1);
    const last = check(files({ [`${D}/appendonly.aof.2.incr.aof`]: i2 + '*1' }), M, { fix: true, confirm: () => 'y' });
    expect(last.lines.slice(-2)).toEqual([
      'Successfully truncated AOF appendonly.aof.2.incr.aof',
      'All AOF files and manifest are valid',
    ]);
    expect(last.text(`${D}/appendonly.aof.2.incr.aof`)).toBe(i2);
  });

  it('timestamp truncation refuses a file that is not the last', () => {
    const r = check(files({ [`${D}/appendonly.aof.1.incr.aof`]: i1 + '#TS:99\r\n' + i1 }), M, { truncateToTimestamp: '50' });
    expect(r.lines.slice(-2)).toEqual([
      `Failed to truncate AOF ${D}/appendonly.aof.1.incr.aof to timestamp 50 to offset ${i1.length} because it is not the last file.`,
      'If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.',
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('missing files: BASE is probed first (no "aborting"), INCRs say aborting', () => {
    const noBase = files();
    delete noBase[`${D}/appendonly.aof.1.base.aof`];
    expect(check(noBase, M).lines.at(-1)).toBe(`Cannot open file ${D}/appendonly.aof.1.base.aof: No such file or directory`);
    const noIncr = files();
    delete noIncr[`${D}/appendonly.aof.2.incr.aof`];
    expect(check(noIncr, M).lines.at(-1)).toBe(
      `Cannot open file ${D}/appendonly.aof.2.incr.aof: No such file or directory, aborting...`,
    );
  });

  it('manifest errors print Redis lines without the log prefix', () => {
    const r = check(files({ [M]: manifest + 'file x seq 3 type q\n' }), M);
    expect(r.lines).toEqual([
      'Start checking Multi Part AOF',
      '*** FATAL AOF MANIFEST FILE ERROR ***',
      'Reading the manifest file, at line 4',
      ">>> 'file x seq 3 type q'",
      'Unknown AOF file type',
    ]);
    expect(r.exitCode).toBe(1);
    expect(check(files({ [M]: manifest.slice(0, -1) }), M).lines).toEqual([
      'Start checking Multi Part AOF',
      '*** FATAL AOF MANIFEST FILE ERROR ***',
      'The AOF manifest file contains too long line',
    ]);
  });

  it('resolves files relative to the manifest directory, including "." for a bare name', () => {
    const r = check(files({ [M]: 'file appendonly.aof.9.incr.aof seq 9 type i\n' }), M);
    expect(r.lines.at(-1)).toBe(`Cannot open file ${D}/appendonly.aof.9.incr.aof: No such file or directory, aborting...`);
  });
});

describe('checkAof RDB part', () => {
  it('uses the injected RDB checker and continues with the tail at its end offset', () => {
    const tail = cmd('SET', 'a', 'b');
    const r = check({ [F]: 'REDIS0010xyz' + tail }, F, {
      rdbChecker: () => ({ ok: true, endOffset: 12, lines: ['[offset 12] fake RDB OK'] }),
    });
    expect(r.lines).toEqual([
      'Start checking Old-Style AOF',
      '[offset 12] fake RDB OK',
      'RDB preamble is OK, proceeding with AOF tail...',
      `AOF analyzed: filename=${F}, size=${12 + tail.length}, ok_up_to=${12 + tail.length}, ok_up_to_line=8, diff=0`,
      `AOF ${F} is valid`,
    ]);
  });

  it('a bad RDB part aborts', () => {
    const r = check({ [F]: 'REDIS0010' }, F);
    expect(r.lines.at(-1)).toBe('RDB preamble of AOF file is not sane, aborting.');
    expect(r.exitCode).toBe(1);
  });
});

describe('checkAof reading through a small window', () => {
  it('gives the same report and the same fix as reading whole files', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom(
      cmd('SET', 'key', 'v'.repeat(30)),
      cmd('MULTI'),
      cmd('EXEC'),
      cmd('DEL', 'k'),
      '#TS:5\r\n',
      '#TS:9\r\n',
      '*0\r\n',
      '\0',
      '*1\r\n$3\r\nabcXY',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<CheckOptions>({}, { fix: true, confirm: () => 'y' }, { truncateToTimestamp: '6' }),
        (pieces, cutSeed, windowBytes, opts) => {
          const text = pieces.join('');
          const aof = text.slice(0, text.length === 0 ? 0 : cutSeed % (text.length + 1));
          const whole = check({ [F]: aof }, F, opts);
          const windowed = check({ [F]: aof }, F, { ...opts, windowBytes });
          expect(windowed.lines).toEqual(whole.lines);
          expect(windowed.exitCode).toBe(whole.exitCode);
          expect(windowed.text(F)).toBe(whole.text(F));
        },
      ),
      { numRuns: 300, seed: testSeed(process.env) },
    );
  });

  it('a file that shrinks while it is read is judged as the file it became (the stat size is not trusted)', async () => {
    const fc = (await import('fast-check')).default;
    const aof = cmd('SET', 'key', 'v'.repeat(30)) + cmd('MULTI') + cmd('DEL', 'k') + cmd('EXEC') + cmd('SET', 'a', 'b');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: aof.length - 1 }), fc.integer({ min: 1, max: 64 }), (keep, windowBytes) => {
        const shrunk = checkAof(shrinkingFs(createMemoryFs({ [F]: aof }), keep), F, { windowBytes });
        const short = checkAof(createMemoryFs({ [F]: aof.slice(0, keep) }), F, { windowBytes });
        expect(shrunk.lines).toEqual(short.lines);
        expect(shrunk.exitCode).toBe(short.exitCode);
      }),
      { numRuns: 200, seed: testSeed(process.env) },
    );
  });
});

/** `fs` whose files read as if cut to `keep` bytes after they were opened: stat still says the old size. */
function shrinkingFs(fs: Fs, keep: number): Fs {
  const clip = (fh: FileHandle): FileHandle => ({
    path: fh.path,
    write: (data) => fh.write(data),
    read: (lengthBytes, positionBytes) => {
      const got = fh.read(lengthBytes, positionBytes);
      return got.subarray(0, Math.max(0, Math.min(got.length, keep - (positionBytes ?? 0))));
    },
    fsync: () => fh.fsync(),
    fdatasync: () => fh.fdatasync(),
    truncate: (n) => fh.truncate(n),
    stat: () => fh.stat(),
    close: () => fh.close(),
  });
  return { ...fs, open: (path, mode) => clip(fs.open(path, mode)) } as Fs;
}

describe('checkAof on arbitrary bytes', () => {
  it('always returns a report (never throws), exit 0 or 1', async () => {
    const fc = (await import('fast-check')).default;
    const byte = fc.oneof(
      fc.constantFrom(0x2a, 0x24, 0x23, 0x0d, 0x0a, 0x30, 0x31, 0x2d, 0x00, 0x66),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 120 }), fc.boolean(), (codes, fix) => {
        const r = check({ [F]: String.fromCharCode(...codes) }, F, { fix, confirm: () => 'y' });
        expect([0, 1]).toContain(r.exitCode);
        expect(r.lines.length).toBeGreaterThan(0);
      }),
      { numRuns: 500, seed: testSeed(process.env) },
    );
  });
});
