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
}

const MAX_INLINE = 64 * 1024;
const MAX_BULK = 512 * 1024 * 1024;

/** Parses every complete command at the start of `buf` (a latin1 string). */
export function parseRequests(buf: string): ParsedRequests {
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
    const count = Number(buf.slice(pos + 1, nl));
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
      const len = Number(buf.slice(pos + 1, e));
      if (!Number.isInteger(len) || len < 0 || len > MAX_BULK) return { commands, consumed: start, error: 'Protocol error: invalid bulk length' };
      if (e + 2 + len + 2 > buf.length) {
        complete = false;
        break;
      }
      argv.push(buf.slice(e + 2, e + 2 + len));
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
 * Splits an inline command line into arguments: sdssplitargs (splitArgs, shared with the manifest
 * parser) on the line cut at its first NUL, as processInlineBuffer sees a C string. Returns null
 * where Redis answers "unbalanced quotes".
 */
export function splitInlineArgs(raw: string): string[] | null {
  const nul = raw.indexOf('\0');
  return splitArgs(nul < 0 ? raw : raw.slice(0, nul));
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
