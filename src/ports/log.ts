// The log port: Redis's log lines (serverLog) with their exact wording, plus coverage marks.
// A coverage mark names a branch (e.g. 'aof.flush.short-write.ftruncate', one of ./coverage-marks.ts)
// so a test can prove it was driven. Log text is for people: nothing may read meaning out of it.

import type { CoverageMark } from './coverage-marks.ts';

export type { CoverageMark } from './coverage-marks.ts';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export interface Log {
  log(level: LogLevel, message: string): void;
  /** Records that a named branch ran. Cheap; implementations may count or ignore. */
  mark(name: CoverageMark): void;
}

/** A Log that keeps everything in memory: for tests, the trace and the CLI's --verbose. */
export class MemoryLog implements Log {
  readonly lines: { level: LogLevel; message: string }[] = [];
  readonly marks = new Map<CoverageMark, number>();
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
  mark(name: CoverageMark): void {
    this.marks.set(name, (this.marks.get(name) ?? 0) + 1);
  }
  has(substring: string): boolean {
    return this.lines.some((l) => l.message.includes(substring));
  }
}

/** A Log that drops lines and marks. */
export const nullLog: Log = { log() {}, mark() {} };
