// A streaming RESP decoder with the AOF loader's rules (see loader-record.ts for the byte rules; redis:
// aof.c loadSingleAppendOnlyFile). Bytes arrive in chunks of any size (push), the end of input is
// announced with finish(); next() returns one record at a time and never reports 'truncated' before
// finish(), so the outcome does not depend on how the input was chunked.
//
// Pull style without per-record objects: after next() returns, the fields `argv`, `recordOffset`,
// `nextOffset`, `line` (and for problems `errorOffset`, `expected`, `found`) describe the record.
// Offsets are absolute byte offsets in the whole input; `line` is the 1-based protocol line of the
// record (a header line, then two lines per argument; an annotation is one line), which is how
// redis-check-aof counts lines.
//
// Invariants: bytes already consumed are dropped; a record split across chunks is parsed again only
// once enough bytes arrived for it to progress (needBytes), so a large bulk in small chunks costs one
// copy, not one per chunk; only the split record's bytes are copied, never the whole next chunk.
// After 'truncated', 'format' or 'read-error' the decoder stays put.

import {
  LOADER_RULES_7,
  newRecordResult,
  parseLoaderRecord,
  type LoaderRecordRules,
  type RecordStatus,
} from './loader-record.ts';

const EMPTY = Buffer.alloc(0);

export class LoaderDecoder {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private need = 1;
  private eof = false;
  private stuck: RecordStatus | null = null;
  private readonly r = newRecordResult();

  /** Arguments of the last 'command'. */
  argv: string[] = [];
  /** Absolute offset where the last record (or problem record) starts. */
  recordOffset = 0;
  /** Absolute offset just after the last 'command' | 'annotation'. */
  nextOffset = 0;
  /** 1-based protocol line where the last record starts. */
  line = 1;
  /** For 'truncated' | 'format' | 'read-error': absolute offset of the offending byte, and what was expected/found. */
  errorOffset = 0;
  expected = '';
  found = '';
  private nextLine = 1;

  /** `startOffset`: the absolute offset of the first byte pushed (e.g. after an RDB preamble). */
  constructor(
    private readonly rules: LoaderRecordRules = LOADER_RULES_7,
    startOffset = 0,
  ) {
    this.base = startOffset;
    this.recordOffset = startOffset;
    this.nextOffset = startOffset;
  }

  /** Adds input bytes. The decoder keeps a reference to `chunk` until it is consumed: do not reuse it. */
  push(chunk: Uint8Array): void {
    if (this.eof) throw new Error('LoaderDecoder.push after finish');
    if (chunk.length === 0) return;
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.chunkBytes === 0 && this.pos >= this.end) {
      this.base += this.end;
      this.buf = b;
      this.pos = 0;
      this.end = b.length;
      return;
    }
    this.chunks.push(b);
    this.chunkBytes += b.length;
  }

  /** Announces the end of input. */
  finish(): void {
    this.eof = true;
  }

  /** Absolute offset of the first byte not yet consumed. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Decodes the next record; see RecordStatus. */
  next(): RecordStatus {
    if (this.stuck !== null) return this.stuck;
    const r = this.r;
    for (;;) {
      if (this.chunkBytes > 0 && (this.eof || this.end - this.pos + this.chunkBytes >= this.need)) this.merge();
      const st = parseLoaderRecord(this.buf, this.pos, this.end, this.eof && this.chunkBytes === 0, this.rules, r);
      this.recordOffset = this.base + this.pos;
      this.line = this.nextLine;
      if (st === 'need-more') {
        this.need = r.needBytes;
        if (this.chunkBytes > 0 && this.end - this.pos + this.chunkBytes >= this.need) continue;
        return st;
      }
      this.need = 1;
      if (st === 'command' || st === 'annotation') {
        if (st === 'command') this.argv = r.argv;
        this.pos = r.next;
        this.nextOffset = this.base + r.next;
        this.nextLine += r.lines;
        return st;
      }
      if (st === 'eof') return st;
      this.errorOffset = this.base + r.errorOffset;
      this.expected = r.expected;
      this.found = r.found;
      this.stuck = st;
      return st;
    }
  }

  private merge(): void {
    const rest = this.buf.subarray(this.pos, this.end);
    const head = this.chunks[0];
    const take = this.need - rest.length;
    if (rest.length > 0 && !this.eof && take > 0 && take < head.length) {
      // A record split across chunks: copy only its start and the bytes it needs from the next
      // chunk; the rest of that chunk stays pending and is used in place afterwards.
      const merged = Buffer.concat([rest, head.subarray(0, take)]);
      this.chunks[0] = head.subarray(take);
      this.chunkBytes -= take;
      this.base += this.pos;
      this.buf = merged;
      this.pos = 0;
      this.end = merged.length;
      return;
    }
    const parts = rest.length > 0 ? [rest, ...this.chunks] : this.chunks;
    const merged = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.base += this.pos;
    this.buf = merged;
    this.pos = 0;
    this.end = merged.length;
    this.chunks = [];
    this.chunkBytes = 0;
  }
}

/** Decodes a whole input: the commands before the first problem, and how it ended. */
export function decodeLoaderRecords(
  bytes: Uint8Array,
  rules: LoaderRecordRules = LOADER_RULES_7,
): { commands: string[][]; status: RecordStatus; errorOffset: number; validUpTo: number } {
  const d = new LoaderDecoder(rules);
  d.push(bytes);
  d.finish();
  const commands: string[][] = [];
  let validUpTo = 0;
  for (;;) {
    const st = d.next();
    if (st === 'command') {
      commands.push(d.argv);
      validUpTo = d.nextOffset;
    } else if (st === 'annotation') {
      continue;
    } else {
      return { commands, status: st, errorOffset: st === 'eof' ? d.offset : d.errorOffset, validUpTo };
    }
  }
}
