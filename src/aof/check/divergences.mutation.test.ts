// The checker's divergence lines, pinned word for word (mutation survivors: only the CLI and the
// conformance suites read these lines otherwise).
import { describe, expect, it } from 'vitest';
import { DivergenceTracker } from './divergences.ts';

const lines = (fill: (t: DivergenceTracker) => void): string[] => {
  const t = new DivergenceTracker('/d/appendonly.aof');
  fill(t);
  const out: string[] = [];
  t.flush((l) => out.push(l));
  return out;
};

describe('DivergenceTracker format errors', () => {
  it('names a non-zero first byte in two hex digits', () => {
    expect(lines((t) => t.formatError(0x1b, 0x07))).toEqual([
      'aofsim: note: /d/appendonly.aof@0x0000001b: a record starts with byte 0x07; the loader refuses the file too ("Bad file format"), even with aof-load-truncated yes; --fix cuts the file here',
    ]);
    expect(lines((t) => t.formatError(0, 0x68))[0]).toContain('a record starts with byte 0x68;');
  });

  it('calls a zero byte a zero byte, and counts repeats at the first offset', () => {
    expect(lines((t) => [5, 9].forEach((o) => t.formatError(o, 0)))).toEqual([
      'aofsim: note: /d/appendonly.aof@0x00000005: a record starts with a zero byte; the loader refuses the file too ("Bad file format"), even with aof-load-truncated yes; --fix cuts the file here (2 times in this file)',
    ]);
  });
});
