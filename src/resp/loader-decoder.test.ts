import { describe, expect, it } from 'vitest';
import { decodeLoaderRecords, LoaderDecoder } from './loader-decoder.ts';
import { LOADER_RULES_4, LOADER_RULES_7 } from './loader-record.ts';
import { encodeCommand } from './encode.ts';

const b = (s: string) => Buffer.from(s, 'latin1');
const R = (...argv: string[]) => encodeCommand(argv);

describe('decodeLoaderRecords (loader rules, docs/redis-behaviour.md#load-byte-rules)', () => {
  it('decodes commands and reports offsets', () => {
    const text = R('set', 'foo', 'hello') + R('multi') + R('set', 'bar', 'world') + R('exec');
    const out = decodeLoaderRecords(b(text));
    expect(out.status).toBe('eof');
    expect(out.commands).toEqual([['set', 'foo', 'hello'], ['multi'], ['set', 'bar', 'world'], ['exec']]);
    expect(out.validUpTo).toBe(text.length);
    expect(R('set', 'foo', 'hello').length).toBe(33);
  });

  it('keeps each command name apart when a few names alternate (the decoder reuses their strings)', () => {
    // Same lengths, different bytes; case variants; more distinct names than the decoder keeps.
    const names = ['SADD', 'ZADD', 'HSET', 'INCR', 'sadd', 'SET', 'RPUSH', 'LPUSH', 'HDEL', 'SREM', 'ZREM', 'DECR', 'Sadd'];
    const argvs: string[][] = [];
    for (let i = 0; i < 60; i++) argvs.push([names[(i * 7) % names.length], `k${i}`]);
    const out = decodeLoaderRecords(b(argvs.map((a) => R(...a)).join('')));
    expect(out.status).toBe('eof');
    expect(out.commands).toEqual(argvs);
  });

  it("skips '#' lines in 7.x, rejects them in 4.0", () => {
    const text = '#TS:1700000000\r\n' + R('set', 'a', '1');
    expect(decodeLoaderRecords(b(text)).commands).toEqual([['set', 'a', '1']]);
    const old = decodeLoaderRecords(b(text), LOADER_RULES_4);
    expect(old.status).toBe('format');
    expect(old.errorOffset).toBe(0);
  });

  it("rejects '*0' and negative counts as format errors", () => {
    for (const head of ['*0\r\n', '*-1\r\n', '*x\r\n', '*\r\n']) {
      const out = decodeLoaderRecords(b(R('set', 'a', '1') + head));
      expect(out.status, head).toBe('format');
      expect(out.errorOffset).toBe(R('set', 'a', '1').length + 1);
    }
  });

  it('does not check the 2 bytes after a bulk (observed: $1\\r\\nbXY loads as b)', () => {
    const out = decodeLoaderRecords(b('*2\r\n$3\r\nget\r\n$1\r\nbXY'));
    expect(out.status).toBe('eof');
    expect(out.commands).toEqual([['get', 'b']]);
  });

  it('classifies a cut inside a record as truncated and garbage/zeros as format errors', () => {
    const full = R('set', 'foo', 'hello');
    for (let cut = 1; cut < full.length; cut++) {
      const out = decodeLoaderRecords(b(full.slice(0, cut)));
      expect(out.status, `cut at ${cut}`).toBe('truncated');
      expect(out.commands).toEqual([]);
    }
    expect(decodeLoaderRecords(b(full + '\0\0\0\0')).status).toBe('format');
    expect(decodeLoaderRecords(b(full + 'garbage')).status).toBe('format');
    const wrongPrefix = decodeLoaderRecords(b('*1\r\n#3\r\nfoo\r\n'));
    expect(wrongPrefix.status).toBe('format');
    expect(wrongPrefix.errorOffset).toBe(4);
  });

  it("treats '*' followed by a NUL byte as a read error when not at EOF", () => {
    expect(decodeLoaderRecords(b('*\0\r\n')).status).toBe('read-error');
    expect(decodeLoaderRecords(b('*')).status).toBe('truncated');
  });

  it('splits lines longer than the fgets buffer as Redis does', () => {
    // A 2000-byte annotation: the first 1023 bytes are one "line", the rest is read as a record.
    const long = '#' + 'x'.repeat(1998) + '\r\n';
    expect(decodeLoaderRecords(b(long + R('set', 'a', '1'))).status).toBe('format');
    const short = '#' + 'x'.repeat(1000) + '\r\n';
    expect(decodeLoaderRecords(b(short + R('set', 'a', '1'))).commands).toEqual([['set', 'a', '1']]);
  });

  it('parses counts like atoi/strtol (leading spaces, trailing junk)', () => {
    const out = decodeLoaderRecords(b('* 1junk\r\n$ 2xx\r\nab\r\n'));
    expect(out.commands).toEqual([['ab']]);
  });
});

describe('LoaderDecoder streaming', () => {
  it('gives the same result for every chunking and tracks lines', () => {
    const text = '#TS:1\r\n' + R('set', 'k', 'v'.repeat(3000)) + R('del', 'k') + R('incr', 'n');
    const whole = decodeLoaderRecords(b(text));
    for (const size of [1, 2, 3, 7, 64, 1000, 5000]) {
      const d = new LoaderDecoder(LOADER_RULES_7);
      const cmds: string[][] = [];
      const lines: number[] = [];
      let st;
      for (let i = 0; i < text.length; i += size) {
        d.push(b(text.slice(i, i + size)));
        while ((st = d.next()) === 'command' || st === 'annotation') {
          if (st === 'command') {
            cmds.push(d.argv);
            lines.push(d.line);
          }
        }
        expect(st).toBe('need-more');
      }
      d.finish();
      while ((st = d.next()) === 'command') cmds.push(d.argv);
      expect(st).toBe('eof');
      expect(cmds).toEqual(whole.commands);
      expect(lines).toEqual([2, 9, 14]);
      expect(d.offset).toBe(text.length);
    }
  });

  it('gives the same result when many chunks are pending at once (records split at every boundary)', () => {
    let text = '';
    for (let i = 0; i < 300; i++) text += R('set', `key:${i}`, 'v'.repeat(i % 40));
    const whole = decodeLoaderRecords(b(text));
    for (const size of [5, 17, 100, 999]) {
      const d = new LoaderDecoder(LOADER_RULES_7);
      for (let i = 0; i < text.length; i += size) d.push(b(text.slice(i, i + size)));
      d.finish();
      const cmds: string[][] = [];
      let st;
      while ((st = d.next()) === 'command') cmds.push(d.argv);
      expect(st).toBe('eof');
      expect(cmds).toEqual(whole.commands);
      expect(d.offset).toBe(text.length);
    }
    // Half pushed, drained, then the rest: the split record is completed from the pending chunks.
    for (const size of [7, 64, 4096]) {
      const d = new LoaderDecoder(LOADER_RULES_7);
      const cmds: string[][] = [];
      const half = Math.floor(text.length / 2) + 3;
      let st;
      for (let i = 0; i < half; i += size) d.push(b(text.slice(i, Math.min(i + size, half))));
      while ((st = d.next()) === 'command') cmds.push(d.argv);
      expect(st).toBe('need-more');
      for (let i = half; i < text.length; i += size) d.push(b(text.slice(i, i + size)));
      d.finish();
      while ((st = d.next()) === 'command') cmds.push(d.argv);
      expect(st).toBe('eof');
      expect(cmds).toEqual(whole.commands);
    }
  });

  it('reports absolute offsets of a problem across chunks', () => {
    const good = R('set', 'a', '1');
    const d = new LoaderDecoder();
    d.push(b(good.slice(0, 10)));
    expect(d.next()).toBe('need-more');
    d.push(b(good.slice(10) + 'X'));
    expect(d.next()).toBe('command');
    expect(d.nextOffset).toBe(good.length);
    expect(d.next()).toBe('format');
    expect(d.recordOffset).toBe(good.length);
    expect(d.errorOffset).toBe(good.length);
    expect(d.found).toBe("'X'");
    expect(d.next()).toBe('format');
  });

  it('never reports truncated before finish()', () => {
    const d = new LoaderDecoder();
    d.push(b('*2\r\n$3\r\nse'));
    expect(d.next()).toBe('need-more');
    d.finish();
    expect(d.next()).toBe('truncated');
    expect(d.recordOffset).toBe(0);
  });
});
