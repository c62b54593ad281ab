// RESP2 on the wire for `aofsim serve`: the request parser (multibulk and inline commands, as
// redis networking.c processMultibulkBuffer / processInlineBuffer, inline words split as
// sds.c sdssplitargs) and the reply encoder
// (addReply* in RESP2). Byte strings are latin1 JS strings (one char per byte).
//
// Invariants: parseRequests consumes only complete commands and reports how many bytes it used, so
// pipelined input split at any byte boundary yields the same commands; a protocol error is reported
// with Redis's text and the connection is then closed by the caller.

import type { Reply } from '../../src/commands/reply.ts';

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

const HEX = /^[0-9a-fA-F]{2}$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };
/** isspace() in the C locale. */
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

/**
 * Splits an inline command line into arguments. redis: sds.c sdssplitargs, as processInlineBuffer
 * uses it: words separated by blanks; "double quotes" understand \xHH, \n, \r, \t, \b, \a and
 * \<any char>; 'single quotes' only \'; a quote may open inside a word (a"b c" is `ab c`), but a
 * closing quote must be followed by a blank or the end. The line is a C string: a NUL ends it.
 * Returns null where Redis answers "unbalanced quotes" (an unclosed quote, or a closing quote
 * followed by a non-blank).
 */
export function splitInlineArgs(raw: string): string[] | null {
  const nul = raw.indexOf('\0');
  const line = nul < 0 ? raw : raw.slice(0, nul);
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < line.length && isSpace(line[p])) p++;
    if (p >= line.length) return out;
    let word = '';
    let quote: '"' | "'" | null = null;
    for (;;) {
      const c = line[p];
      if (quote === '"') {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === 'x' && HEX.test(line.slice(p + 2, p + 4))) {
          word += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < line.length) {
          p++;
          word += ESCAPES[line[p]!] ?? line[p];
        } else if (c === '"') {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else word += c;
      } else if (quote === "'") {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          word += "'";
        } else if (c === "'") {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else word += c;
      } else {
        if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t') break;
        if (c === '"' || c === "'") quote = c;
        else word += c;
      }
      p++;
    }
    out.push(word);
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
