// The manifest reader. redis: aof.c aofLoadManifestFromFile (7.0.15), byte for byte:
// - lines are read with fgets into a 1025-byte buffer, i.e. chunks of at most 1024 bytes ending at
//   the first '\n'; every chunk counts as a line (so the tail of an over-long comment is a line);
// - a chunk whose first byte is '#' is a comment (skipped, but it counts as a line and makes the
//   file non-empty);
// - a chunk with no '\n' before its first NUL is "too long" (this includes a last line without its
//   newline: only the writer's own format is accepted);
// - the chunk is cut at its first NUL (C string), trimmed of " \t\r\n", tokenised with sdssplitargs;
//   fewer than 6 tokens or an odd count is a format error; keys are case-insensitive, unknown keys
//   are ignored, the last repeated key wins; `seq` is atoll, `type` is its first byte;
// - semantic checks: name without '/' or '\\', seq != 0, type present, one BASE, INCR seqs strictly
//   increasing, type in b/h/i.
// Every failure throws AofError('AOF_MANIFEST_INVALID') whose `reason` is Redis's exact message and
// whose details carry `line` and `lineText` when Redis echoes the line (it does once a line has
// been trimmed: not for the empty-file and too-long cases).
//
// Module state, on purpose: the manifests parsed lately, by their text (a bounded memo of a pure
// function, invisible to every run). Every start of a simulated 7.0 server reads the same few
// manifests, twice per restart as Redis does; each caller gets its own deep copy, and a text that
// fails to parse is never remembered.

import { AofError } from '../../base/errors.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { splitArgs } from './split-args.ts';
import { dupManifest, type AofFileType, type AofInfo, type Manifest } from './types.ts';
import { cString } from '../../base/c-string.ts';

/** fgets(buf, MANIFEST_MAX_LINE+1, fp) reads at most this many bytes. */
export const MANIFEST_MAX_LINE = 1024;

export type ManifestReason =
  | 'Found an empty AOF manifest'
  | 'The AOF manifest file contains too long line'
  | 'Invalid AOF manifest file format'
  | "File can't be a path, just a filename"
  | 'Found duplicate base file information'
  | 'Found a non-monotonic sequence number'
  | 'Unknown AOF file type';

const LL_MAX = 9223372036854775807n;
const LL_MIN = -9223372036854775808n;

/** atoll(3) on glibc (strtoll base 10, saturating). */
export function atoll(s: Bytes): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 0x20 || (s.charCodeAt(i) >= 0x09 && s.charCodeAt(i) <= 0x0d))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  if (i === start) return 0;
  const digits = s.slice(start, i);
  if (digits.length <= 15) return neg ? -Number(digits) : Number(digits);
  let v = BigInt(digits);
  if (neg) v = -v;
  if (v > LL_MAX) v = LL_MAX;
  if (v < LL_MIN) v = LL_MIN;
  return Number(v);
}

function isTrimBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function trim(s: Bytes): Bytes {
  let a = 0;
  let b = s.length;
  while (a < b && isTrimBlank(s.charCodeAt(a))) a++;
  while (b > a && isTrimBlank(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}


function fail(reason: ManifestReason, fileName: string, line?: number, lineText?: Bytes): never {
  throw new AofError(
    'AOF_MANIFEST_INVALID',
    reason,
    line === undefined ? { file: fileName } : { file: fileName, line, lineText },
  );
}

/**
 * Parses manifest bytes. `fileName` is only used in messages.
 * redis: aof.c aofLoadManifestFromFile (7.0).
 */
export function parseManifest(bytes: Uint8Array, fileName: string): Manifest {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const known = parsed.get(text);
  if (known !== undefined) return dupManifest(known);
  const m = parseManifestText(text, fileName);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, dupManifest(m));
  return m;
}

/** Manifest texts remembered (see the header); past it the memo starts over. */
const PARSED_MAX = 64;
const parsed = new Map<string, Manifest>();

function parseManifestText(text: string, fileName: string): Manifest {
  const m: Manifest = { base: null, incrs: [], history: [], currBaseSeq: 0, currIncrSeq: 0, dirty: false };
  let maxSeq = 0;
  let lineNum = 0;
  let pos = 0;
  while (pos < text.length) {
    // fgets: up to MANIFEST_MAX_LINE bytes, stopping after the first '\n'.
    const limit = Math.min(text.length, pos + MANIFEST_MAX_LINE);
    const nl = text.indexOf('\n', pos);
    const end = nl >= 0 && nl < limit ? nl + 1 : limit;
    const chunk = text.slice(pos, end);
    pos = end;
    lineNum++;
    if (chunk.charCodeAt(0) === 0x23) continue; // '#': comment
    const cstr = cString(chunk);
    if (cstr.indexOf('\n') < 0) fail('The AOF manifest file contains too long line', fileName);
    const line = trim(cstr);
    if (line.length === 0) fail('Invalid AOF manifest file format', fileName, lineNum, line);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
      fail('Invalid AOF manifest file format', fileName, lineNum, line);
    }
    let name: Bytes | undefined;
    let seq = 0;
    let typeChar = '';
    for (let i = 0; i < argv.length; i += 2) {
      const raw = cString(argv[i]!);
      // The writer's own keys are lower case already: lower-case only the others.
      const key = raw === 'file' || raw === 'seq' || raw === 'type' ? raw : raw.toLowerCase();
      const value = cString(argv[i + 1]!);
      if (key === 'file') {
        name = value;
        if (name.includes('/') || name.includes('\\')) {
          fail("File can't be a path, just a filename", fileName, lineNum, line);
        }
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        typeChar = value.slice(0, 1);
      }
    }
    if (name === undefined || seq === 0 || typeChar === '') {
      fail('Invalid AOF manifest file format', fileName, lineNum, line);
    }
    if (typeChar === 'b') {
      if (m.base) fail('Found duplicate base file information', fileName, lineNum, line);
      m.base = info(name, seq, 'b');
      m.currBaseSeq = seq;
    } else if (typeChar === 'h') {
      m.history.push(info(name, seq, 'h'));
    } else if (typeChar === 'i') {
      if (seq <= maxSeq) fail('Found a non-monotonic sequence number', fileName, lineNum, line);
      m.incrs.push(info(name, seq, 'i'));
      m.currIncrSeq = seq;
      maxSeq = seq;
    } else {
      fail('Unknown AOF file type', fileName, lineNum, line);
    }
  }
  if (lineNum === 0) fail('Found an empty AOF manifest', fileName);
  return m;
}

function info(name: Bytes, seq: number, type: AofFileType): AofInfo {
  return { name, seq, type };
}
