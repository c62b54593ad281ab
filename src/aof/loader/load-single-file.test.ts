import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { createNodeFs } from '../../adapters/node/node-fs.ts';
import { MemoryLog } from '../../ports/log.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { afterErrorReplyText, loadSingleAppendOnlyFile, type SingleFileOptions } from './load-single-file.ts';
import { MapExecutor } from './map-executor.ts';
import type { LoaderDeps } from './types.ts';

const R = (...argv: string[]) => encodeCommand(argv);
const PATH = '/d/appendonly.aof';

function load(content: string | Uint8Array, over: Partial<SingleFileOptions> = {}, deps: Partial<LoaderDeps> = {}) {
  const fs = createMemoryFs({ [PATH]: content });
  const executor = new MapExecutor();
  const log = new MemoryLog();
  const res = loadSingleAppendOnlyFile(
    { fs, log, executor, modify: true, ...deps },
    {
      file: 'appendonly.aof',
      path: PATH,
      loadTruncated: true,
      dialect: 'redis-7.0',
      oldStyle: false,
      isLastFile: true,
      ...over,
    },
  );
  const after = Buffer.from(fs.readFile(PATH)).toString('latin1');
  return { res, executor, log, after, fs };
}

// A multi-command AOF with a MULTI block in the middle, and the offsets where each record ends.
const RECORDS = [
  R('set', 'a', '1'),
  '#TS:1700000000\r\n',
  R('select', '2'),
  R('set', 'b', 'xyz'),
  R('multi'),
  R('incr', 'n'),
  R('set', 'c', '3'),
  R('exec'),
  R('del', 'a'),
  R('set', 'd', '4'),
];
const TEXT = RECORDS.join('');

/** The state after the records complete before `cut`, reverting an unterminated MULTI. */
function expectedAt(cut: number): { state: Record<number, Record<string, string>>; validUpTo: number; atBoundary: boolean } {
  const db: Record<number, Record<string, string>> = {};
  let cur = 0;
  let off = 0;
  let valid = 0;
  let beforeMulti = 0;
  let queue: (() => void)[] | null = null;
  let atBoundary = cut === 0;
  const ops: Record<number, () => void> = {
    0: () => ((db[cur] ??= {}).a = '1'),
    2: () => (cur = 2),
    3: () => ((db[cur] ??= {}).b = 'xyz'),
    5: () => ((db[cur] ??= {}).n = String(Number(db[cur]?.n ?? 0) + 1)),
    6: () => ((db[cur] ??= {}).c = '3'),
    8: () => delete db[cur]?.a,
    9: () => ((db[cur] ??= {}).d = '4'),
  };
  for (let i = 0; i < RECORDS.length; i++) {
    const end = off + RECORDS[i].length;
    // A partial annotation line at EOF is read by fgets and skipped like a whole one.
    if (i === 1 && cut > off && cut < end) atBoundary = true;
    if (end > cut) break;
    if (end === cut) atBoundary = true;
    if (i === 4) {
      beforeMulti = valid;
      queue = [];
    } else if (i === 7) {
      for (const f of queue ?? []) f();
      queue = null;
    } else if (ops[i]) {
      if (queue) queue.push(ops[i]);
      else ops[i]();
    }
    if (i !== 1) valid = end;
    off = end;
  }
  if (queue !== null) valid = beforeMulti;
  for (const k of Object.keys(db)) if (Object.keys(db[Number(k)]).length === 0) delete db[Number(k)];
  return { state: db, validUpTo: valid, atBoundary: atBoundary && queue === null };
}

describe('loadSingleAppendOnlyFile (7.0 rules)', () => {
  it('replays a whole file, skipping annotations, honouring SELECT and MULTI/EXEC', () => {
    const { res, executor } = load(TEXT);
    expect(res.status).toBe('ok');
    expect(res.commands).toBe(9);
    expect(res.validUpTo).toBe(TEXT.length);
    expect(executor.snapshot()).toEqual({ 0: { a: '1' }, 2: { b: 'xyz', n: '1', c: '3', d: '4' } });
  });

  it('truncation at every byte offset loads exactly the complete commands before the cut (aof-load-truncated yes)', () => {
    for (let cut = 1; cut < TEXT.length; cut++) {
      const { res, executor, after } = load(TEXT.slice(0, cut));
      const exp = expectedAt(cut);
      expect(executor.snapshot(), `cut ${cut}`).toEqual(exp.state);
      if (exp.atBoundary) {
        expect(res.status, `cut ${cut}`).toBe('ok');
        expect(after.length).toBe(cut);
      } else {
        expect(res.status, `cut ${cut}`).toBe('truncated');
        expect(res.truncation, `cut ${cut}`).toEqual({
          file: 'appendonly.aof',
          path: PATH,
          fromSize: cut,
          toSize: exp.validUpTo,
          performed: true,
        });
        expect(after).toBe(TEXT.slice(0, exp.validUpTo));
      }
    }
  });

  it('truncation at every byte offset fails without aof-load-truncated and leaves the file alone', () => {
    for (let cut = 1; cut < TEXT.length; cut++) {
      const { res, after, log } = load(TEXT.slice(0, cut), { loadTruncated: false });
      const exp = expectedAt(cut);
      if (exp.atBoundary) expect(res.status).toBe('ok');
      else {
        expect(res.status, `cut ${cut}`).toBe('failed');
        expect(res.error?.code).toBe('AOF_UNEXPECTED_EOF');
        expect(res.error?.message).toContain('Unexpected end of file reading the append only file appendonly.aof');
        // The warning as redis-server 7.0.15 logs it (loadSingleAppendOnlyFile, label uxeof).
        expect(log.lines).toContainEqual({
          level: 'warning',
          message:
            'Unexpected end of file reading the append only file appendonly.aof. You can: 1) Make a backup of your AOF file, ' +
            "then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' " +
            'configuration option to yes and restart the server.',
        });
        expect(after.length).toBe(cut);
      }
    }
  });

  it('modify: false reports the truncation but never touches the file', () => {
    const cut = TEXT.length - 3;
    const { res, after } = load(TEXT.slice(0, cut), {}, { modify: false });
    expect(res.status).toBe('truncated');
    expect(res.truncation?.performed).toBe(false);
    expect(res.truncation?.toSize).toBe(TEXT.length - R('set', 'd', '4').length);
    expect(after.length).toBe(cut);
  });

  describe('docs/redis-bugs.md#bug-22: a record cut inside a MULTI block', () => {
    const file = R('set', 'foo', 'hello') + R('multi') + R('set', 'bar', 'world') + R('exec').slice(0, -3);
    it('is a 92-byte file', () => expect(file.length).toBe(92));
    it('fixed: cuts before the MULTI, and a later write survives the next start', () => {
      const { res, after, log, fs } = load(file);
      expect(res.status).toBe('truncated');
      expect(res.truncation?.toSize).toBe(33);
      expect(after.length).toBe(33);
      expect(log.has('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof')).toBe(true);
      expect(res.notes.join('\n')).toContain('docs/redis-bugs.md#bug-22');
      // the server appends SET new 1 and restarts
      const h = fs.open(PATH, 'append');
      h.write(Buffer.from(R('SET', 'new', '1'), 'latin1'));
      h.close();
      const again = load(Buffer.from(fs.readFile(PATH)));
      expect(again.res.status).toBe('ok');
      expect(again.executor.snapshot()).toEqual({ 0: { foo: 'hello', new: '1' } });
    });
    it("with bugs {'multi-tail-truncate'}: cuts at 81 as Redis 7.0 does and loses the later write", () => {
      const bugs = new Set(['multi-tail-truncate']);
      const { res, after, fs } = load(file, {}, { bugs });
      expect(res.truncation?.toSize).toBe(81);
      expect(after.length).toBe(81);
      const h = fs.open(PATH, 'append');
      h.write(Buffer.from(R('SET', 'new', '1'), 'latin1'));
      h.close();
      const again = load(Buffer.from(fs.readFile(PATH)), {}, { bugs });
      expect(again.res.status).toBe('truncated');
      expect(again.res.truncation?.toSize).toBe(33);
      expect(again.executor.snapshot()).toEqual({ 0: { foo: 'hello' } });
    });
  });

  it("with bugs {'incomplete-multi-applied'}: EOF in MULTI cuts after the last queued command (Redis <= 4.0.11)", () => {
    const file = R('set', 'a', '1') + R('multi') + R('set', 'b', '2');
    const fixed = load(file);
    expect(fixed.res.truncation?.toSize).toBe(R('set', 'a', '1').length);
    const buggy = load(file, {}, { bugs: new Set(['incomplete-multi-applied']) });
    expect(buggy.res.truncation?.toSize).toBe(file.length);
    expect(buggy.executor.snapshot()).toEqual({ 0: { a: '1' } });
  });

  it('docs/redis-bugs.md#bug-8: a zero-filled or garbage tail is a format error even with aof-load-truncated', () => {
    for (const tail of ['\0'.repeat(4096), 'garbage\r\n', '$3\r\nfoo\r\n']) {
      const { res, after, log } = load(TEXT + tail);
      expect(res.status).toBe('failed');
      expect(res.error?.code).toBe('AOF_FORMAT');
      expect(res.error?.details.offset).toBe(TEXT.length);
      expect(res.error?.details.lastValidOffset).toBe(TEXT.length);
      expect(res.error?.message).toContain(`appendonly.aof@0x${TEXT.length.toString(16).padStart(8, '0')}`);
      expect(log.has('Bad file format reading the append only file appendonly.aof: make a backup')).toBe(true);
      expect(after.length).toBe(TEXT.length + tail.length);
    }
  });

  it("'*0' is a format error", () => {
    const { res } = load(R('set', 'a', '1') + '*0\r\n');
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_FORMAT');
  });

  it('an unknown command is fatal whatever aof-load-truncated says, with its name and offset', () => {
    const prefix = R('set', 'a', '1');
    const { res, log } = load(prefix + R('frobnicate', 'x') + R('set', 'b', '2'));
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_UNKNOWN_COMMAND');
    expect(res.error?.details.offset).toBe(prefix.length);
    expect(res.error?.message).toContain("Unknown command 'frobnicate' reading the append only file appendonly.aof");
    expect(log.has("Unknown command 'frobnicate' reading the append only file appendonly.aof")).toBe(true);
    expect(res.unsupportedCommand).toBeUndefined();
  });

  it('an unknown command that Redis 7.0 has is flagged as aofsim missing it, not as a bad file', () => {
    const { res } = load(R('set', 'a', '1') + R('XADD', 's', '*', 'f', 'v'));
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_UNKNOWN_COMMAND');
    expect(res.unsupportedCommand).toBe('XADD');
    expect(res.notes.join('\n')).toContain("'XADD' is a Redis 7.0 command");
  });

  it('command errors are logged with the 7.x wording and are not fatal; 4.0 is silent', () => {
    const file = R('set', 'a', 'x') + R('incr', 'a') + R('multi') + R('incr', 'a') + R('exec') + R('set', 'b', '1');
    const { res, log, executor } = load(file);
    expect(res.status).toBe('ok');
    expect(executor.snapshot()).toEqual({ 0: { a: 'x', b: '1' } });
    const critical = log.lines.filter((l) => l.message.startsWith('== CRITICAL =='));
    expect(critical.map((l) => l.message)).toEqual([
      "== CRITICAL == This server is sending an error to its AOF-loading-client: 'value is not an integer or out of range' after processing the command 'incr'",
      "== CRITICAL == This server is sending an error to its AOF-loading-client: 'value is not an integer or out of range' after processing the command 'exec'",
    ]);
    const old = load(file, { dialect: 'redis-4.0' });
    expect(old.res.status).toBe('ok');
    expect(old.log.has('CRITICAL')).toBe(false);
  });

  it('logs error texts as afterErrorReply sees them (observed on 7.0.15)', () => {
    expect(afterErrorReplyText('ERR value is not an integer or out of range')).toBe('value is not an integer or out of range');
    expect(afterErrorReplyText('ERR syntax error')).toBe('-ERR syntax error');
    expect(afterErrorReplyText('WRONGTYPE Operation against a key holding the wrong kind of value')).toBe(
      '-WRONGTYPE Operation against a key holding the wrong kind of value',
    );
  });

  it('4.0 rules: a command aofsim has but 4.0 lacks is unknown, also after cached lookups', () => {
    // A record of GETEX (7.0 only) after records whose lookups the loader has remembered.
    class With70Command extends MapExecutor {
      override lookup(name: string) {
        return name.toLowerCase() === 'getex' ? { name: 'getex', arity: -2, flags: [] } : super.lookup(name);
      }
    }
    const file = R('set', 'a', '1') + R('set', 'b', '2') + R('getex', 'a');
    const executor = new With70Command();
    const { res, log } = load(file, { dialect: 'redis-4.0' }, { executor });
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_UNKNOWN_COMMAND');
    expect(res.error?.details.offset).toBe(2 * R('set', 'a', '1').length);
    expect(res.commands).toBe(2);
    expect(log.has("Unknown command 'getex' reading the append only file")).toBe(true);
    expect(res.notes.join('\n')).toContain("'getex' is not a Redis 4.0 command");
    expect(executor.snapshot()).toEqual({ 0: { a: '1', b: '2' } });
    // 7.0 runs it.
    expect(load(file, {}, { executor: new With70Command() }).res.error?.code).not.toBe('AOF_UNKNOWN_COMMAND');
  });

  it('4.0 rules: no file name in messages, annotations are format errors', () => {
    const { res, log } = load('#TS:1\r\n' + R('set', 'a', '1'), { dialect: 'redis-4.0' });
    expect(res.status).toBe('failed');
    expect(log.has('Bad file format reading the append only file: make a backup of your AOF file, then use ./redis-check-aof --fix <filename>')).toBe(true);
    const cut = load(R('set', 'a', '1') + R('set', 'b', '2').slice(0, 5), { dialect: 'redis-4.0' });
    expect(cut.res.status).toBe('truncated');
    expect(cut.log.has('!!! Warning: short read while loading the AOF file !!!')).toBe(true);
    expect(cut.log.has('AOF loaded anyway because aof-load-truncated is enabled')).toBe(true);
  });

  it('logs the short-read lines in 7.0 wording', () => {
    const { log } = load(R('set', 'a', '1') + '*2\r\n$3');
    expect(log.lines.map((l) => l.message)).toEqual([
      '!!! Warning: short read while loading the AOF file appendonly.aof!!!',
      '!!! Truncating the AOF appendonly.aof at offset 27 !!!',
      'AOF appendonly.aof loaded anyway because aof-load-truncated is enabled',
    ]);
  });

  it('a read error (a directory where the file should be) is a failed load, not an exception', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aofsim-loader-'));
    try {
      const log = new MemoryLog();
      const res = loadSingleAppendOnlyFile(
        { fs: createNodeFs(), log, executor: new MapExecutor(), modify: true },
        { file: 'dir', path: dir, loadTruncated: true, dialect: 'redis-7.0', oldStyle: false, isLastFile: true },
      );
      // fopen succeeds on a directory; fstat gives its size (0 on some filesystems: AOF_EMPTY).
      if (statSync(dir).size === 0) expect(res.status).toBe('empty');
      else {
        // ... otherwise fread fails with EISDIR (Linux ext4/tmpfs/overlay).
        expect(res.status).toBe('failed');
        expect(res.error?.code).toBe('AOF_OPEN');
        expect(log.has('Unrecoverable error reading the append only file dir: Is a directory')).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a missing file is not-exist, an empty one is empty', () => {
    const fs = createMemoryFs({ '/d/x': '' });
    const deps = { fs, log: new MemoryLog(), executor: new MapExecutor(), modify: true };
    const base = { file: 'f', loadTruncated: true, dialect: 'redis-7.0' as const, oldStyle: false, isLastFile: true };
    expect(loadSingleAppendOnlyFile(deps, { ...base, path: '/d/missing' }).status).toBe('not-exist');
    expect(deps.log.has("The append log file f doesn't exist: No such file or directory")).toBe(true);
    expect(loadSingleAppendOnlyFile(deps, { ...base, path: '/d/x' }).status).toBe('empty');
  });

  it('an RDB preamble without an RDB loader fails with "RDB preamble not supported yet"', () => {
    const { res } = load('REDIS0010' + 'x'.repeat(20));
    expect(res.status).toBe('failed');
    expect(res.error?.code).toBe('AOF_RDB_UNSUPPORTED');
    expect(res.error?.message).toContain('RDB preamble not supported yet');
  });

  it('an RDB hook loads the preamble and the RESP tail continues after it; RDB errors are fatal', async () => {
    const { AofError } = await import('../../base/errors.ts');
    const rdbPart = 'REDIS0010<rdb>';
    const ok = load(rdbPart + R('set', 'a', '1') + R('set', 'b', '2').slice(0, 4), {}, { rdb: () => rdbPart.length });
    expect(ok.res.status).toBe('truncated');
    expect(ok.res.truncation?.toSize).toBe(rdbPart.length + R('set', 'a', '1').length);
    expect(ok.executor.snapshot()).toEqual({ 0: { a: '1' } });
    const bad = () => {
      throw new AofError('AOF_RDB_CORRUPT', 'Short read or OOM loading DB. Unrecoverable error, aborting now.');
    };
    const failed = load(rdbPart, {}, { rdb: bad });
    expect(failed.res.status).toBe('failed');
    expect(failed.res.error?.code).toBe('AOF_RDB_CORRUPT');
    expect(failed.log.has('Short read or OOM loading DB. Unrecoverable error, aborting now.')).toBe(true);
    expect(failed.log.has('Error reading the RDB base file')).toBe(false);
    const corrupt = load(rdbPart, {}, {
      rdb: () => {
        throw new AofError('AOF_RDB_CORRUPT', 'Bad data format');
      },
    });
    expect(corrupt.log.has('Error reading the RDB base file appendonly.aof, AOF loading aborted')).toBe(true);
    expect(failed.after).toBe(rdbPart);
    const buggy = load(rdbPart, {}, { rdb: bad, bugs: new Set(['truncated-rdb-as-short-read']) });
    expect(buggy.res.status).toBe('truncated');
    expect(buggy.after).toBe('');
  });

  it('gives the same result for every read chunk size', () => {
    for (const chunkBytes of [1, 3, 16, 100]) {
      const { res, executor } = load(TEXT, {}, { chunkBytes });
      expect(res.status).toBe('ok');
      expect(executor.snapshot()).toEqual({ 0: { a: '1' }, 2: { b: 'xyz', n: '1', c: '3', d: '4' } });
    }
  });
});
