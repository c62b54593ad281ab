// The log port: Redis's log lines (serverLog) with their exact wording, plus coverage marks.
// A coverage mark names a branch (e.g. 'flush.short-write.ftruncate') so a test can prove it was driven.

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export interface Log {
  log(level: LogLevel, message: string): void;
  /** Records that a named branch ran. Cheap; implementations may count or ignore. */
  mark(name: string): void;
}

/** A Log that keeps everything in memory: for tests, the trace and the CLI's --verbose. */
export class MemoryLog implements Log {
  readonly lines: { level: LogLevel; message: string }[] = [];
  readonly marks = new Map<string, number>();
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
  mark(name: string): void {
    this.marks.set(name, (this.marks.get(name) ?? 0) + 1);
  }
  has(substring: string): boolean {
    return this.lines.some((l) => l.message.includes(substring));
  }
}

/** A Log that drops lines and marks. */
export const nullLog: Log = { log() {}, mark() {} };
