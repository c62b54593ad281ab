// The strace parser and the trace replay on the fixtures' real traces of redis-server 7.0.15
// (fixtures/redis-7.0.15/strace, paths filtered to <D>), and the crash-state enumeration
// on the replayed SimFs.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crashStates, enumerateDecisions } from './crash-states.ts';
import { decodeCString, parseStrace, splitArgs } from './strace-parse.ts';
import { TraceReplay } from './trace-replay.ts';

const FIX = new URL('../../fixtures/redis-7.0.15/strace/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIX), 'latin1').replace(/<D>/g, '/d');

describe('parseStrace', () => {
  it('decodes -xx and C escapes', () => {
    expect(decodeCString('\\x2a1\\r\\n$4\\0').toString('latin1')).toBe('*1\r\n$4\u0000');
    expect(splitArgs('7</a/b,c>, "x,\\"y", 3')).toEqual(['7</a/b,c>', '"x,\\"y"', '3']);
  });

  it('turns the everysec trace into file ops with data, resolving relative paths', () => {
    const t = parseStrace(fixture('everysec-trace.filtered.txt'), { cwd: '/d' });
    expect(t.unparsed).toEqual([]);
    const kinds = t.ops.map((o) => o.kind);
    expect(kinds.slice(0, 5)).toEqual(['mkdir', 'open', 'sync', 'close', 'rename']);
    const rename = t.ops.find((o) => o.kind === 'rename');
    expect(rename).toMatchObject({ from: '/d/temp-rewriteaof-17564.aof', to: '/d/appendonlydir/appendonly.aof.1.base.aof' });
    const writes = t.ops.filter((o) => o.kind === 'write' && o.path.endsWith('.incr.aof'));
    expect(writes.length).toBe(5);
    expect(writes[2].kind === 'write' && writes[2].data.toString('latin1')).toBe(
      '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\ny\r\n*1\r\n$4\r\nEXEC\r\n',
    );
    // The bio thread's fdatasync of the main thread's fd.
    expect(t.ops.some((o) => o.kind === 'sync' && o.pid === 17569)).toBe(true);
  });

  it('joins <unfinished ...> / resumed lines and counts replies to sockets', () => {
    const text = [
      '10 12:00:00.000001 openat(AT_FDCWD</r>, "a.aof", O_WRONLY|O_CREAT|O_APPEND, 0644) = 7</r/a.aof>',
      '10 12:00:00.000002 write(7</r/a.aof>, "\\x2a1", 2) = 2',
      '10 12:00:00.000003 write(9<socket:[1]>, "+OK\\x0d\\x0a", 5) = 5',
      '11 12:00:00.000004 fdatasync(7</r/a.aof> <unfinished ...>',
      '10 12:00:00.000005 write(9<socket:[1]>, "+OK\\x0d\\x0a", 5) = 5',
      '11 12:00:00.000006 <... fdatasync resumed>) = 0',
      '10 12:00:00.000007 write(1<socket:[2]>, "log line", 8) = 8',
      '10 12:00:00.000008 write(7</r/a.aof>, "xy", 2) = -1 ENOSPC (No space left on device) (INJECTED)',
    ].join('\n');
    const t = parseStrace(text);
    expect(t.ops.map((o) => `${o.kind}:${o.repliesBefore}`)).toEqual(['open:0', 'write:0', 'reply:0', 'reply:1', 'sync:1']);
  });
});

describe('TraceReplay of pwrite64 (Node writes files with it: aofsim serve under validate server)', () => {
  const line = (n: number, call: string) => `10 12:00:00.${String(n).padStart(6, '0')} ${call}`;
  const replayed = (calls: string[]) => {
    const replay = new TraceReplay('/r', {});
    for (const op of parseStrace(calls.map((c, i) => line(i + 1, c)).join('\n')).ops) replay.apply(op);
    return replay;
  };
  const text = (r: TraceReplay, path: string) => Buffer.from(r.fs.readFile(path)).toString('latin1');

  it('replays a pwrite at the offset the handle stands at, and on an O_APPEND fd', () => {
    const r = replayed([
      'openat(AT_FDCWD</r>, "/r/temp.manifest", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644) = 21</r/temp.manifest>',
      'pwrite64(21</r/temp.manifest>, "file a seq 1", 12, 0) = 12',
      'pwrite64(21</r/temp.manifest>, " type b\\n", 8, 12) = 8',
      'rename("/r/temp.manifest", "/r/m") = 0',
      'openat(AT_FDCWD</r>, "/r/a.aof", O_WRONLY|O_CREAT|O_APPEND, 0644) = 7</r/a.aof>',
      'write(7</r/a.aof>, "ab", 2) = 2',
      'pwrite64(7</r/a.aof>, "cd", 2, 0) = 2',
    ]);
    expect(r.skipped).toEqual([]);
    expect(text(r, '/r/m')).toBe('file a seq 1 type b\n');
    // Linux appends a pwrite on an O_APPEND fd whatever its offset.
    expect(text(r, '/r/a.aof')).toBe('abcd');
  });

  it('skips what the Fs port cannot place: a pwrite elsewhere, and a write once the offsets diverged', () => {
    const r = replayed([
      'openat(AT_FDCWD</r>, "/r/f", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 5</r/f>',
      'pwrite64(5</r/f>, "xyz", 3, 4) = 3',
      'pwrite64(5</r/f>, "ab", 2, 0) = 2',
      'write(5</r/f>, "AB", 2) = 2',
    ]);
    expect(r.skipped.map((x) => x.op.kind)).toEqual(['pwrite', 'write']);
    expect(text(r, '/r/f')).toBe('ab');
  });
});

describe('TraceReplay + crash states', () => {
  it('replays the always trace and offers torn, zero-fill and prefix states for an unsynced write', () => {
    const t = parseStrace(fixture('always-trace.filtered.txt'), { cwd: '/d' });
    const replay = new TraceReplay('/d', {});
    let sawPending = false;
    for (const op of t.ops) {
      if (!replay.apply(op)) continue;
      if (op.kind === 'write' && op.path.endsWith('.incr.aof') && op.data.length > 0) {
        const decisions = enumerateDecisions(replay.fs);
        const models = new Set(decisions.map((d) => d.model));
        expect(models.has('process-kill') && models.has('zero-fill') && models.has('prefix')).toBe(true);
        const states = crashStates(replay.fs, '/d');
        const incr = (s: (typeof states)[number]) => s.files.get('appendonlydir/appendonly.aof.1.incr.aof');
        const kill = states.find((s) => s.decision.model === 'process-kill')!;
        const zero = states.find((s) => s.decision.model === 'zero-fill')!;
        // zero-fill keeps the size of the write but not its bytes.
        expect(incr(zero)?.length).toBe(incr(kill)?.length);
        expect(incr(zero)?.subarray(-op.data.length).every((b) => b === 0)).toBe(true);
        sawPending = true;
      }
    }
    expect(replay.skipped).toEqual([]);
    expect(sawPending).toBe(true);
    // The replayed tree matches what the server saw: manifest, base and incr.
    expect(replay.fs.listFiles().map((f) => f.path).filter((p) => p.startsWith('/d/appendonlydir/'))).toEqual([
      '/d/appendonlydir/appendonly.aof.1.base.aof',
      '/d/appendonlydir/appendonly.aof.1.incr.aof',
      '/d/appendonlydir/appendonly.aof.manifest',
    ]);
  });
});
