// Reads the RESP records a real server appended to its AOF as comparable "db: argv..." lines, for
// the propagation differential suites. SELECT records are consumed (they set the db of the lines
// after them); absolute millisecond times (13-digit numbers: PXAT, PEXPIREAT, XCLAIM TIME) are
// masked as `<ms>` because the two sides' clocks differ.

import { readFileSync, statSync } from 'node:fs';
import type { Propagated } from '../../src/commands/types.ts';
import { feedAppendOnlyFile } from '../../src/aof/feed/feed-append-only-file.ts';
import type { AofContext } from '../../src/aof/state.ts';
import { cliLine } from './harness.ts';
import { respRecords } from '../../testing/aof/resp-records.ts';

/** The records of an AOF fragment (whole records only) from db `startDb` on. */
export function records(data: string, startDb: number): { lines: string[]; db: number } {
  const lines: string[] = [];
  let db = startDb;
  for (const argv of respRecords(data)) {
    if (argv[0].toUpperCase() === 'SELECT') db = Number(argv[1]);
    else lines.push(db + ': ' + mask(argv));
  }
  return { lines, db };
}

/** A command as a redis-cli line with absolute millisecond times masked. */
export function mask(argv: string[]): string {
  return cliLine(argv.map((a) => (/^1[6-9]\d{11}$/.test(a) ? '<ms>' : a)));
}

/** What aofsim propagated, as the same lines. */
export function simLines(ps: Propagated[]): string[] {
  return ps.map((p) => p.db + ': ' + mask(p.argv));
}

/** Follows a growing AOF file: each next() returns the records appended since the last call. */
export class AofTail {
  private offset = 0;
  private db = -1;
  constructor(private readonly path: () => string) {}
  next(): string[] {
    const path = this.path();
    const size = statSync(path).size;
    const data = readFileSync(path).subarray(this.offset, size).toString('latin1');
    this.offset = size;
    const r = records(data, this.db);
    this.db = r.db;
    return r.lines;
  }
}

/**
 * The AOF side of the redis-4.0 profile: what feedAppendOnlyFile writes for each execution unit,
 * with its 4.0 translations (EXPIRE* and SET EX/PX -> PEXPIREAT, SET options dropped, SETEX -> SET
 * + PEXPIREAT), on a minimal context, as records.
 */
export class Feed40 {
  private readonly state = { aofState: 'on', aofSelectedDb: -1, aofBuf: '', aofChildPid: -1 };
  private readonly ctx = { state: this.state, config: { profile: 'redis-4.0', bugs: new Set<string>() }, clock: { nowMs: () => Date.now() } } as unknown as AofContext;
  private db = 0;

  records(ps: readonly Propagated[]): string[] {
    this.state.aofBuf = '';
    feedAppendOnlyFile(this.ctx, ps, null);
    const r = records(this.state.aofBuf, this.db);
    this.db = r.db;
    return r.lines;
  }

  /** A new file: the next unit starts with SELECT again. */
  reset(): void {
    this.state.aofSelectedDb = -1;
  }
}
