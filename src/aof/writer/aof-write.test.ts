import { describe, expect, it } from 'vitest';
import { FsError, type FileHandle, type FileStat, type FsErrorCode } from '../../ports/fs.ts';
import { aofWrite } from './aof-write.ts';

// aofWrite's retry loop, one write(2) outcome at a time: what a real kernel may return and the
// simulated filesystem rarely does (EINTR, a short write followed by a write that succeeds, a
// write that makes no progress).

type Outcome = number | FsErrorCode | Error;

/** A handle whose nth write follows outcomes[n] (a byte cap, an errno, or any thrown value), then `rest`. */
class ScriptedHandle implements FileHandle {
  readonly path = '/data/appendonly.aof';
  readonly asked: number[] = [];
  readonly written: number[] = [];
  private next = 0;
  constructor(
    private readonly outcomes: Outcome[],
    private readonly rest: Outcome | null = null,
  ) {}
  write(data: Uint8Array): number {
    this.asked.push(data.length);
    const o = this.next < this.outcomes.length ? this.outcomes[this.next++]! : this.rest;
    if (o instanceof Error) throw o;
    if (typeof o === 'string') throw new FsError(o, 'write', this.path);
    const n = o === null ? data.length : Math.min(o, data.length);
    this.written.push(...data.subarray(0, n));
    return n;
  }
  read(): Uint8Array {
    throw new Error('not used');
  }
  fsync(): void {}
  fdatasync(): void {}
  truncate(): void {}
  stat(): FileStat {
    return { sizeBytes: this.written.length, isDirectory: false, ino: 1 };
  }
  close(): void {}
}

const DATA = Uint8Array.from({ length: 40 }, (_, i) => i + 1);

describe('aofWrite: the write(2) retry loop (redis: aof.c aofWrite)', () => {
  it('EINTR is retried with the same bytes, invisibly', () => {
    const fd = new ScriptedHandle(['EINTR', 'EINTR']);
    expect(aofWrite(fd, DATA)).toEqual({ nwritten: 40, errno: null });
    expect(fd.asked).toEqual([40, 40, 40]);
    expect(fd.written).toEqual([...DATA]);
  });

  it('a short write followed by a write that succeeds: the rest is written, the result is complete', () => {
    const fd = new ScriptedHandle([7, 'EINTR', 10]);
    expect(aofWrite(fd, DATA)).toEqual({ nwritten: 40, errno: null });
    expect(fd.asked).toEqual([40, 33, 33, 23]);
    expect(fd.written).toEqual([...DATA]);
  });

  it('an error after some bytes: those bytes and the errno (a short write for the caller to repair)', () => {
    const fd = new ScriptedHandle([7, 'ENOSPC']);
    expect(aofWrite(fd, DATA)).toEqual({ nwritten: 7, errno: 'ENOSPC' });
  });

  it('an error before any byte: -1 and the errno', () => {
    expect(aofWrite(new ScriptedHandle(['EIO']), DATA)).toEqual({ nwritten: -1, errno: 'EIO' });
  });

  it('a write that makes no progress ends the loop as ENOSPC, with or without bytes written before', () => {
    expect(aofWrite(new ScriptedHandle([0]), DATA)).toEqual({ nwritten: -1, errno: 'ENOSPC' });
    const fd = new ScriptedHandle([5, 0]);
    expect(aofWrite(fd, DATA)).toEqual({ nwritten: 5, errno: 'ENOSPC' });
    expect(fd.asked).toEqual([40, 35]);
  });

  it('an empty buffer makes no call', () => {
    const fd = new ScriptedHandle([]);
    expect(aofWrite(fd, new Uint8Array(0))).toEqual({ nwritten: 0, errno: null });
    expect(fd.asked).toEqual([]);
  });

  it('a thrown value that is not an FsError is not swallowed', () => {
    const bug = new TypeError('a bug in the port');
    expect(() => aofWrite(new ScriptedHandle([bug]), DATA)).toThrow(bug);
  });

  // The step cap: 1,000,000 calls at most (AOF_WRITE_MAX_ATTEMPTS), so a port stuck on EINTR ends
  // the loop instead of spinning. One error object is thrown again and again to keep this fast.
  it('stuck on EINTR: exactly 1,000,000 calls, then ENOSPC, with the bytes written before if any', () => {
    const eintr = new FsError('EINTR', 'write', '/data/appendonly.aof');
    const stuck = (firstBytes: number) => {
      let calls = 0;
      const fd = new ScriptedHandle([]);
      fd.write = (data: Uint8Array) => {
        if (++calls === 1 && firstBytes > 0) return Math.min(firstBytes, data.length);
        throw eintr;
      };
      return { fd, calls: () => calls };
    };
    const a = stuck(0);
    expect(aofWrite(a.fd, DATA)).toEqual({ nwritten: -1, errno: 'ENOSPC' });
    expect(a.calls()).toBe(1_000_000);
    const b = stuck(3);
    expect(aofWrite(b.fd, DATA)).toEqual({ nwritten: 3, errno: 'ENOSPC' });
    expect(b.calls()).toBe(1_000_000);
  });
});
