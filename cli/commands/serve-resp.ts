// RESP2 on the wire for `aofsim serve`: the request parser (multibulk and inline commands, as
// redis networking.c processMultibulkBuffer / processInlineBuffer, inline words split as
// sds.c sdssplitargs) and the reply encoder
// (addReply* in RESP2). Byte strings are latin1 JS strings (one char per byte).
//
// Invariants: parseRequests consumes only complete commands and reports how many bytes it used, so
// pipelined input split at any byte boundary yields the same commands; a protocol error is reported
// with Redis's text and the connection is then closed by the caller.

import type { Reply } from '../../src/commands/reply.ts';
import { splitArgs } from '../../src/aof/manifest/split-args.ts';

export interface ParsedRequests {
  commands: string[][];
  /** Bytes consumed from the start of the input. */
  consumed: number;
  /** Set on a protocol error (redis: "Protocol error: ..."). */
  error?: string;
  /**
   * Set when parsing stopped inside a bulk of known length: the input length (from the start of
   * `buf`) before which no further command can complete, so a driver need not parse again until
   * it has that much (redis: the big-argument path of processMultibulkBuffer).
   */
  need?: number;
}

const MAX_INLINE = 64 * 1024;
const MAX_BULK = 512 * 1024 * 1024;

/** Arguments at least this long come out of V8's String.prototype.slice as views of the whole input. */
const SLICED_MIN_LENGTH = 13;

/**
 * Parses every complete command at the start of `buf` (a latin1 string). `bytes`, when given, are
 * the same bytes as a Buffer: a long argument is then copied out of them. A slice of `buf` would be
 * a view that keeps the whole input alive (a 64 KB read) for as long as the keyspace keeps the value.
 */
export function parseRequests(buf: string, bytes?: Buffer): ParsedRequests {
  const commands: string[][] = [];
  let pos = 0;
  for (;;) {
    if (pos >= buf.length) break;
    if (buf[pos] !== '*') {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (buf.length - pos > MAX_INLINE) return { commands, consumed: pos, error: 'Protocol error: too big inline request' };
        break;
      }
      const line = buf.slice(pos, nl).replace(/\r$/, '');
      const argv = splitInlineArgs(line);
      if (argv === null) return { commands, consumed: pos, error: 'Protocol error: unbalanced quotes in request' };
      pos = nl + 1;
      if (argv.length > 0) commands.push(argv);
      continue;
    }
    const start = pos;
    const nl = buf.indexOf('\r\n', pos);
    if (nl < 0) break;
    const count = decimalAt(buf, pos + 1, nl);
    if (!Number.isInteger(count) || count > 1024 * 1024) return { commands, consumed: start, error: 'Protocol error: invalid multibulk length' };
    pos = nl + 2;
    const argv: string[] = [];
    let complete = true;
    for (let i = 0; i < count; i++) {
      if (pos >= buf.length) {
        complete = false;
        break;
      }
      if (buf[pos] !== '$') return { commands, consumed: start, error: `Protocol error: expected '$', got '${buf[pos]}'` };
      const e = buf.indexOf('\r\n', pos);
      if (e < 0) {
        complete = false;
        break;
      }
      const len = decimalAt(buf, pos + 1, e);
      if (!Number.isInteger(len) || len < 0 || len > MAX_BULK) return { commands, consumed: start, error: 'Protocol error: invalid bulk length' };
      if (e + 2 + len + 2 > buf.length) {
        return { commands, consumed: start, need: e + 2 + len + 2 };
      }
      argv.push(len >= SLICED_MIN_LENGTH && bytes !== undefined ? bytes.toString('latin1', e + 2, e + 2 + len) : buf.slice(e + 2, e + 2 + len));
      pos = e + 2 + len + 2;
    }
    if (!complete) {
      pos = start;
      break;
    }
    if (argv.length > 0) commands.push(argv);
  }
  return { commands, consumed: pos };
}

/**
 * The number written in buf[from, to): plain digits are read in place (every length a client
 * sends), anything else as before through Number(), whose answer the callers check.
 */
function decimalAt(buf: string, from: number, to: number): number {
  if (to <= from || to - from > 9) return Number(buf.slice(from, to));
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return Number(buf.slice(from, to));
    n = n * 10 + d;
  }
  return n;
}

/**
 * Splits an inline command line into arguments: sdssplitargs (splitArgs, shared with the manifest
 * parser) on the line cut at its first NUL, as processInlineBuffer sees a C string. Returns null
 * where Redis answers "unbalanced quotes".
 */
export function splitInlineArgs(raw: string): string[] | null {
  const nul = raw.indexOf('\0');
  return splitArgs(nul < 0 ? raw : raw.slice(0, nul));
}

/** What ReplyWriter.flushTo writes to (a net.Socket). */
export interface ByteSink {
  write(bytes: Uint8Array): boolean;
  /** Bytes the sink still holds (net.Socket: given to write but not yet taken by the kernel). */
  readonly writableLength: number;
}

/**
 * RESP2 replies written straight into bytes (redis: _addReplyToBuffer into the client's output
 * buffer): one growing scratch buffer per writer, no intermediate strings, so a 100-element LRANGE
 * costs 100 short byte copies instead of 300 string concatenations and a flattening. Produces
 * exactly encodeReply's bytes.
 *
 * Invariant: the scratch buffer is written again only when nothing else holds it: take() copies the
 * bytes out; flushTo() hands the sink a view and keeps the scratch only when the sink took every
 * byte at once (a socket whose kernel buffer had room keeps no reference), else leaves it to the
 * sink and starts a new one.
 */
export class ReplyWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(private readonly initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  reply(r: Reply): void {
    switch (r.kind) {
      case 'status':
        this.line(0x2b, r.value);
        return;
      case 'error':
        this.line(0x2d, r.value);
        return;
      case 'integer':
        if (typeof r.value === 'number' && r.value >= 0 && r.value < 1e9 && Number.isInteger(r.value)) this.header(0x3a, r.value);
        else this.line(0x3a, String(r.value));
        return;
      case 'bulk':
        if (r.value === null) this.line(0x24, '-1');
        else this.bulk(r.value);
        return;
      case 'array':
        if (r.value === null) {
          this.line(0x2a, '-1');
          return;
        }
        this.header(0x2a, r.value.length);
        for (const x of r.value) {
          if (x.kind === 'bulk' && x.value !== null) this.bulk(x.value);
          else this.reply(x);
        }
    }
  }

  /** The bytes written since the last take, in a buffer of their own; the writer starts empty again. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.restart(false);
    return out;
  }

  /** Writes the bytes written so far to `sink` without copying them; the writer starts empty again. */
  flushTo(sink: ByteSink): void {
    if (this.pos === 0) return;
    sink.write(this.buf.subarray(0, this.pos));
    this.restart(sink.writableLength > 0);
  }

  private restart(scratchGiven: boolean): void {
    this.pos = 0;
    // A scratch the sink still holds, or one a huge reply grew, is not written again.
    if (scratchGiven || this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(this.initialBytes);
  }

  private bulk(v: string): void {
    const n = v.length;
    if (n >= 100) {
      this.header(0x24, n);
      this.text(v);
      this.crlf();
      return;
    }
    // A short value (what LRANGE and GET mostly send): one bounds check, then byte stores.
    this.ensure(n + 7);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x24;
    if (n < 10) b[p++] = 0x30 + n;
    else {
      b[p++] = 0x30 + ((n / 10) | 0);
      b[p++] = 0x30 + (n % 10);
    }
    b[p++] = 0x0d;
    b[p++] = 0x0a;
    for (let i = 0; i < n; i++) b[p++] = v.charCodeAt(i);
    b[p++] = 0x0d;
    b[p++] = 0x0a;
    this.pos = p;
  }

  private line(type: number, text: string): void {
    this.ensure(1);
    this.buf[this.pos++] = type;
    this.text(text);
    this.crlf();
  }

  /** `type` then a non-negative decimal integer, then CRLF. */
  private header(type: number, n: number): void {
    this.ensure(24);
    const b = this.buf;
    b[this.pos++] = type;
    if (n < 10) b[this.pos++] = 0x30 + n;
    else if (n < 100) {
      b[this.pos++] = 0x30 + ((n / 10) | 0);
      b[this.pos++] = 0x30 + (n % 10);
    } else this.pos += b.write(String(n), this.pos, 'latin1');
    b[this.pos++] = 0x0d;
    b[this.pos++] = 0x0a;
  }

  private text(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n <= 16) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.pos = p;
    } else this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.pos++] = 0x0d;
    this.buf[this.pos++] = 0x0a;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** RESP2 encoding of a reply (latin1 string). */
export function encodeReply(r: Reply): string {
  switch (r.kind) {
    case 'status':
      return '+' + r.value + '\r\n';
    case 'error':
      return '-' + r.value + '\r\n';
    case 'integer':
      return ':' + String(r.value) + '\r\n';
    case 'bulk':
      return r.value === null ? '$-1\r\n' : '$' + r.value.length + '\r\n' + r.value + '\r\n';
    case 'array': {
      if (r.value === null) return '*-1\r\n';
      let out = '*' + r.value.length + '\r\n';
      for (const x of r.value) out += encodeReply(x);
      return out;
    }
  }
}
