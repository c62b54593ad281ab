import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { MemoryLog } from '../../ports/log.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { loadAppendOnlyFiles } from './load-append-only-files.ts';
import { MapExecutor } from './map-executor.ts';
import type { LoaderConfig, LoaderDeps } from './types.ts';

const R = (...argv: string[]) => encodeCommand(argv);
const D = '/srv/appendonlydir';
const M = `${D}/appendonly.aof.manifest`;
const CFG: LoaderConfig = {
  dir: '/srv',
  appendFilename: 'appendonly.aof',
  appendDirname: 'appendonlydir',
  loadTruncated: true,
  layout: 'multi-part',
};

function run(files: Record<string, string>, cfg: Partial<LoaderConfig> = {}, deps: Partial<LoaderDeps> = {}) {
  const fs = createMemoryFs(files);
  const executor = new MapExecutor();
  const log = new MemoryLog();
  const res = loadAppendOnlyFiles({ fs, log, executor, modify: true, ...deps }, { ...CFG, ...cfg });
  const read = (p: string) => (fs.tryStat(p) ? Buffer.from(fs.readFile(p)).toString('latin1') : undefined);
  return { res, executor, log, fs, read };
}

const manifest = (...lines: string[]) => lines.map((l) => l + '\n').join('');
const BASE = R('set', 'a', '1') + R('set', 'b', '2');
const INCR1 = R('set', 'c', '3') + R('incr', 'n');
const INCR2 = R('del', 'a') + R('set', 'd', '4');
const THREE = {
  [M]: manifest(
    'file appendonly.aof.1.base.aof seq 1 type b',
    'file appendonly.aof.0.incr.aof seq 7 type h',
    'file appendonly.aof.1.incr.aof seq 1 type i',
    'file appendonly.aof.2.incr.aof seq 2 type i',
  ),
  [`${D}/appendonly.aof.1.base.aof`]: BASE,
  [`${D}/appendonly.aof.1.incr.aof`]: INCR1,
  [`${D}/appendonly.aof.2.incr.aof`]: INCR2,
};

describe('loadAppendOnlyFiles (multi-part, docs/redis-behaviour.md#multi-part-load)', () => {
  it('loads BASE then INCRs in manifest order, ignoring history, and reports sizes', () => {
    const { res, executor, log } = run(THREE);
    expect(res.status).toBe('ok');
    expect(executor.snapshot()).toEqual({ 0: { b: '2', c: '3', n: '1', d: '4' } });
    expect(res.currentSizeBytes).toBe(BASE.length + INCR1.length + INCR2.length);
    expect(res.baseSizeBytes).toBe(BASE.length);
    expect(res.files.map((f) => f.file)).toEqual([
      'appendonly.aof.1.base.aof',
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.2.incr.aof',
    ]);
    expect(log.has('DB loaded from base file appendonly.aof.1.base.aof: 0.000 seconds')).toBe(true);
    expect(log.has('DB loaded from incr file appendonly.aof.2.incr.aof: 0.000 seconds')).toBe(true);
    expect(log.has('DB loaded from append only file: 0.000 seconds')).toBe(true);
  });

  it('each file starts in db 0 (a fresh AOF client per file)', () => {
    const { executor } = run({
      ...THREE,
      [`${D}/appendonly.aof.1.incr.aof`]: R('select', '5') + R('set', 'x', '1'),
      [`${D}/appendonly.aof.2.incr.aof`]: R('set', 'y', '1'),
    });
    expect(executor.snapshot()).toEqual({ 0: { a: '1', b: '2', y: '1' }, 5: { x: '1' } });
  });

  it('no manifest and no legacy file: not-exist; all files empty: empty', () => {
    expect(run({ '/srv/other': 'x' }).res.status).toBe('not-exist');
    const empty = run({
      [M]: manifest('file appendonly.aof.1.base.aof seq 1 type b', 'file appendonly.aof.1.incr.aof seq 1 type i'),
      [`${D}/appendonly.aof.1.base.aof`]: '',
      [`${D}/appendonly.aof.1.incr.aof`]: '',
    });
    expect(empty.res.status).toBe('empty');
  });

  it('docs/redis-bugs.md#bug-23: an empty last INCR after data is ok (and the switch reproduces AOF_EMPTY)', () => {
    const files = { ...THREE, [`${D}/appendonly.aof.2.incr.aof`]: '' };
    const fixed = run(files);
    expect(fixed.res.status).toBe('ok');
    expect(fixed.executor.snapshot()).toEqual({ 0: { a: '1', b: '2', c: '3', n: '1' } });
    const buggy = run(files, {}, { bugs: new Set(['empty-last-incr']) });
    expect(buggy.res.status).toBe('empty');
  });

  it('a missing listed file is fatal (stat before loading anything)', () => {
    const files: Record<string, string> = { ...THREE };
    delete files[`${D}/appendonly.aof.1.incr.aof`];
    const { res, log, executor } = run(files);
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_MISSING_FILE');
    expect(log.has('Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory')).toBe(true);
    expect(executor.executed).toEqual([]);
  });

  it('docs/redis-bugs.md#bug-10: a truncated non-last file is fatal and (fixed) left untouched', () => {
    const files = { ...THREE, [`${D}/appendonly.aof.1.incr.aof`]: INCR1.slice(0, -2) };
    const { res, log, read } = run(files);
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_NOT_LAST_FILE');
    expect(log.has('Fatal error: the truncated file is not the last file')).toBe(true);
    expect(log.has('DB loaded from incr file appendonly.aof.1.incr.aof')).toBe(false);
    expect(read(`${D}/appendonly.aof.1.incr.aof`)).toBe(INCR1.slice(0, -2));
    expect(res.notes.join('\n')).toContain('docs/redis-bugs.md#bug-10');
    // Redis 7.0.15 truncates it first, so its second start succeeds and silently loses `incr n`.
    const bugs = new Set(['truncate-non-last-file']);
    const first = run(files, {}, { bugs });
    expect(first.res.status).toBe('failed');
    const cut = first.read(`${D}/appendonly.aof.1.incr.aof`);
    expect(cut).toBe(R('set', 'c', '3'));
    const second = run({ ...files, [`${D}/appendonly.aof.1.incr.aof`]: cut ?? '' }, {}, { bugs });
    expect(second.res.status).toBe('ok');
    expect(second.executor.snapshot()).toEqual({ 0: { b: '2', c: '3', d: '4' } });
  });

  it('only the last file may be short: a short last INCR is truncated (size = pre-truncation sizes)', () => {
    const files = { ...THREE, [`${D}/appendonly.aof.2.incr.aof`]: INCR2.slice(0, -1) };
    const { res, read } = run(files);
    expect(res.status).toBe('truncated');
    expect(res.truncations).toEqual([
      {
        file: 'appendonly.aof.2.incr.aof',
        path: `${D}/appendonly.aof.2.incr.aof`,
        fromSize: INCR2.length - 1,
        toSize: R('del', 'a').length,
        performed: true,
      },
    ]);
    expect(read(`${D}/appendonly.aof.2.incr.aof`)).toBe(R('del', 'a'));
    expect(res.currentSizeBytes).toBe(BASE.length + INCR1.length + INCR2.length - 1);
    const strict = run(files, { loadTruncated: false });
    expect(strict.res.status).toBe('failed');
    expect(strict.res.error?.code).toBe('AOF_UNEXPECTED_EOF');
  });

  it('a BASE alone is the last file and may be short', () => {
    const { res } = run({
      [M]: manifest('file appendonly.aof.1.base.aof seq 1 type b'),
      [`${D}/appendonly.aof.1.base.aof`]: BASE.slice(0, -1),
    });
    expect(res.status).toBe('truncated');
  });

  it('a bad manifest is fatal, with the line Redis echoes', () => {
    const { res, log } = run({ ...THREE, [M]: 'file appendonly.aof.1.base.aof seq 1\n' });
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_MANIFEST_INVALID');
    expect(log.has('*** FATAL AOF MANIFEST FILE ERROR ***')).toBe(true);
    expect(log.has('Invalid AOF manifest file format')).toBe(true);
    expect(run({ ...THREE, [M]: '' }).res.error?.reason).toBe('Found an empty AOF manifest');
  });

  it.each([
    ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
    ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
    ['file d/a seq 1 type i\n', "File can't be a path, just a filename"],
    ['file a seq 1 type x\n', 'Unknown AOF file type'],
    ['file a seq 1 type i', 'The AOF manifest file contains too long line'],
    ['\n', 'Invalid AOF manifest file format'],
  ])('manifest %j is fatal: %s (nothing loaded)', (text, reason) => {
    const { res, executor } = run({ ...THREE, [M]: text });
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_MANIFEST_INVALID');
    expect(res.error?.reason).toBe(reason);
    expect(executor.executed).toEqual([]);
  });

  it('a manifest of comments only lists nothing: not-exist', () => {
    expect(run({ ...THREE, [M]: '# nothing here\n' }).res.status).toBe('not-exist');
  });

  it('a short BASE followed by INCRs is fatal (not the last file)', () => {
    const { res } = run({ ...THREE, [`${D}/appendonly.aof.1.base.aof`]: BASE.slice(0, -3) });
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_NOT_LAST_FILE');
    expect(res.error?.details.file).toBe('appendonly.aof.1.base.aof');
  });

  it('#TS: annotations are skipped in every file', () => {
    const { res, executor } = run({
      ...THREE,
      [`${D}/appendonly.aof.1.base.aof`]: '#TS:1700000000\r\n' + BASE,
      [`${D}/appendonly.aof.2.incr.aof`]: '#TS:1700000001\r\n' + INCR2 + '#TS:1700000002\r\n',
    });
    expect(res.status).toBe('ok');
    expect(executor.snapshot()).toEqual({ 0: { b: '2', c: '3', n: '1', d: '4' } });
  });
});

describe('legacy upgrade (docs/redis-behaviour.md#legacy-upgrade)', () => {
  const OLD = R('set', 'old', '1');
  it('modify: true moves dir/F into the aof dir under a new manifest, then loads it', () => {
    const { res, read, log, executor } = run({ '/srv/appendonly.aof': OLD });
    expect(res.status).toBe('ok');
    expect(res.upgrade).toEqual({ from: '/srv/appendonly.aof', to: `${D}/appendonly.aof`, performed: true });
    expect(read(M)).toBe('file appendonly.aof seq 1 type b\n');
    expect(read(`${D}/appendonly.aof`)).toBe(OLD);
    expect(read('/srv/appendonly.aof')).toBeUndefined();
    expect(log.has('Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).')).toBe(true);
    expect(executor.snapshot()).toEqual({ 0: { old: '1' } });
  });

  it('modify: false loads the old file in place and touches nothing', () => {
    const { res, read, executor } = run({ '/srv/appendonly.aof': OLD }, {}, { modify: false });
    expect(res.status).toBe('ok');
    expect(res.upgrade?.performed).toBe(false);
    expect(read(M)).toBeUndefined();
    expect(read('/srv/appendonly.aof')).toBe(OLD);
    expect(executor.snapshot()).toEqual({ 0: { old: '1' } });
  });

  it('resumes an interrupted upgrade (manifest written, file not moved yet)', () => {
    const { res, read } = run({ '/srv/appendonly.aof': OLD, [M]: 'file appendonly.aof seq 1 type b\n' });
    expect(res.status).toBe('ok');
    expect(res.upgrade?.performed).toBe(true);
    expect(read(`${D}/appendonly.aof`)).toBe(OLD);
  });

  it('when both copies exist the aof-dir copy wins and dir/F is left alone', () => {
    const { res, executor, read } = run({
      '/srv/appendonly.aof': OLD,
      [M]: 'file appendonly.aof seq 1 type b\n',
      [`${D}/appendonly.aof`]: R('set', 'new', '1'),
    });
    expect(res.upgrade).toBeUndefined();
    expect(executor.snapshot()).toEqual({ 0: { new: '1' } });
    expect(read('/srv/appendonly.aof')).toBe(OLD);
  });

  it('an RDB-preamble legacy file logs the preamble lines (old style)', () => {
    const { res, log } = run({ '/srv/appendonly.aof': 'REDIS0009xx' }, {}, { rdb: () => 11 });
    expect(res.status).toBe('ok');
    expect(log.has('Reading RDB preamble from AOF file...')).toBe(true);
    expect(log.has('Reading the remaining AOF tail...')).toBe(true);
  });
});

describe('single-file layout (4.0)', () => {
  it('loads dir/appendonly.aof with 4.0 rules', () => {
    const { res, executor, log } = run({ '/srv/appendonly.aof': R('set', 'a', '1') + R('set', 'b', '2').slice(0, -1) }, { layout: 'single-file' });
    expect(res.status).toBe('truncated');
    expect(log.has('AOF loaded anyway because aof-load-truncated is enabled')).toBe(true);
    expect(executor.snapshot()).toEqual({ 0: { a: '1' } });
    expect(res.currentSizeBytes).toBe(R('set', 'a', '1').length);
  });
});
