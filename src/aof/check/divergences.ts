// Where redis-check-aof and the loader (docs/redis-behaviour.md#load-byte-rules vs 2.7) judge the same bytes differently, the
// checker adds `aofsim: warning:` lines naming the divergence, and an `aofsim: note:` where both
// refuse a file but a user would expect aof-load-truncated to help (docs/redis-bugs.md#bug-8).
// One line per kind and file (first offset, and how many times it occurred), printed after the
// file's error line and before its summary.

import { hexOffset } from '../../base/errors.ts';

type Kind = 'empty-command' | 'bulk-crlf' | 'number-junk' | 'nested-multi' | 'exec-without-multi' | 'format-error';

interface Seen {
  offset: number;
  count: number;
  detail: string;
}

export class DivergenceTracker {
  private readonly seen = new Map<Kind, Seen>();
  constructor(private readonly file: string) {}

  private add(kind: Kind, offset: number, detail = ''): void {
    const s = this.seen.get(kind);
    if (s) s.count++;
    else this.seen.set(kind, { offset, count: 1, detail });
  }

  /** `*0` or a negative count: passes the checker, a format error for the loader. */
  emptyCommand(offset: number, countText: string): void {
    this.add('empty-command', offset, countText);
  }
  /** Bytes other than CRLF after a bulk: fails the checker, the loader skips two bytes unchecked. */
  bulkWithoutCrlf(offset: number): void {
    this.add('bulk-crlf', offset);
  }
  /** Something between a `*`/`$` number and its CRLF: fails the checker, the loader ignores it. */
  junkAfterNumber(offset: number): void {
    this.add('number-junk', offset);
  }
  nestedMulti(offset: number): void {
    this.add('nested-multi', offset);
  }
  execWithoutMulti(offset: number): void {
    this.add('exec-without-multi', offset);
  }
  /** A record that starts with neither `*` nor `#` (zero-filled or garbage tail). */
  formatError(offset: number, byte: number): void {
    this.add('format-error', offset, byte === 0 ? 'a zero byte' : `byte 0x${byte.toString(16).padStart(2, '0')}`);
  }

  flush(print: (line: string) => void): void {
    for (const [kind, s] of this.seen) {
      const where = `${this.file}@${hexOffset(s.offset)}`;
      const times = s.count > 1 ? ` (${s.count} times in this file)` : '';
      print(message(kind, where, s.detail) + times);
    }
    this.seen.clear();
  }
}

function message(kind: Kind, where: string, detail: string): string {
  switch (kind) {
    case 'empty-command':
      return `aofsim: warning: ${where}: '*${detail}' (a command without arguments) passes redis-check-aof, but the loader refuses the file (format error: argc < 1)`;
    case 'bulk-crlf':
      return `aofsim: warning: ${where}: redis-check-aof requires \\r\\n after a bulk string; the loader does not check those two bytes and would go on reading`;
    case 'number-junk':
      return `aofsim: warning: ${where}: redis-check-aof requires \\r\\n right after the number; the loader ignores the rest of the line`;
    case 'nested-multi':
      return `aofsim: warning: ${where}: redis-check-aof refuses a nested MULTI; the loader does not pair MULTI/EXEC and would queue it (not fatal)`;
    case 'exec-without-multi':
      return `aofsim: warning: ${where}: redis-check-aof refuses EXEC without MULTI; the loader runs it and gets an error reply (not fatal)`;
    case 'format-error':
      return `aofsim: note: ${where}: a record starts with ${detail}; the loader refuses the file too ("Bad file format"), even with aof-load-truncated yes; --fix cuts the file here`;
  }
}
