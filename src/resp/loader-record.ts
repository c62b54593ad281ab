// One step of the AOF loader's RESP reader, byte for byte as Redis reads records while loading
// (redis: aof.c loadSingleAppendOnlyFile 7.0.15, loadAppendOnlyFile 4.0.14). Redis reads with
// fgets()/fread() on a FILE*; this function reproduces what those calls see on the same bytes:
//
// - a "line" is what fgets(buf, lineBufBytes) returns: up to lineBufBytes-1 bytes, ending after the
//   first '\n' if it comes earlier, or shorter at EOF (a last line without '\n' is returned as is);
//   a line longer than the buffer is split and its rest is read as the next line, as in Redis.
// - per record: a line starting with '#' is skipped (7.x only: `skipHash`); not '*' -> format error;
//   '*' and nothing else (buf[1] == '\0') -> read error (truncated at EOF); argc = atoi(); argc < 1 ->
//   format error ('*0'); per argument a line starting with '$' (EOF -> truncated, other byte -> format
//   error), len = strtol(), len bytes (short -> truncated), then 2 bytes that are NOT checked to be
//   CRLF (short -> truncated).
//
// Invariants: never allocates per byte (integers are parsed from the bytes, arguments are latin1
// slices); never reads past `end`; `atEof` false means more bytes may follow `end`, so a record that
// does not fit is reported as 'need-more' (with the byte count that would let it progress) and never
// as truncated.

/** What one step found. */
export type RecordStatus =
  | 'command' // a complete command: argv, next
  | 'annotation' // a skipped '#' line: next
  | 'eof' // clean end of input at a record boundary
  | 'need-more' // not enough bytes yet (streaming); needBytes says how many would let it progress
  | 'truncated' // the input ends inside a record (redis: readerr with feof -> uxeof)
  | 'format' // redis: fmterr ("Bad file format reading the append only file")
  | 'read-error'; // redis: readerr without feof ("Unrecoverable error reading the append only file")

/** Reused result of parseLoaderRecord (no allocation per record besides argv). */
export interface RecordResult {
  status: RecordStatus;
  /** The command's arguments as byte strings (status 'command'). */
  argv: string[];
  /** Offset just after the record (status 'command' | 'annotation'). */
  next: number;
  /** Offset of the byte that broke the rule (status 'format' | 'read-error' | 'truncated'). */
  errorOffset: number;
  /** What Redis expected there, and what was found (status 'format' | 'read-error' | 'truncated'). */
  expected: string;
  found: string;
  /** Total bytes needed from the record start before the step can progress (status 'need-more'). */
  needBytes: number;
  /** Protocol lines the record spans (header + 2 per argument; 1 for an annotation). */
  lines: number;
  /** Internal: a line end found by the fast path. */
  scratch: number;
  /** Internal: the previous command name (reused when the next one has the same bytes). */
  lastName: string;
  /** Internal: the last NAME_CACHE_SIZE distinct command names, newest last (reused likewise). */
  names: string[];
}

export function newRecordResult(): RecordResult {
  return { status: 'eof', argv: [], next: 0, errorOffset: 0, expected: '', found: '', needBytes: 0, lines: 0, scratch: 0, lastName: '', names: [] };
}

export interface LoaderRecordRules {
  /** fgets buffer size: 1024 in 7.x (AOF_ANNOTATION_LINE_MAX_LEN), 128 in 4.0. */
  lineBufBytes: number;
  /** Skip lines starting with '#' (7.x annotations); 4.0 treats them as a format error. */
  skipHash: boolean;
}

export const LOADER_RULES_7: LoaderRecordRules = Object.freeze({ lineBufBytes: 1024, skipHash: true });
export const LOADER_RULES_4: LoaderRecordRules = Object.freeze({ lineBufBytes: 128, skipHash: false });

const NL = 0x0a;
const HASH = 0x23;
const STAR = 0x2a;
const DOLLAR = 0x24;
/** Records with up to this many arguments get their argv array at its final size. */
const ARGV_PRESIZE_MAX = 1024;

type LatinBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/** A printable description of the byte at `at` (or "end of file"). */
export function describeByte(buf: Uint8Array, at: number, end: number): string {
  if (at >= end) return 'end of file';
  const b = buf[at];
  if (b >= 0x20 && b < 0x7f && b !== 0x27) return `'${String.fromCharCode(b)}'`;
  return `'\\x${b.toString(16).padStart(2, '0')}'`;
}

/**
 * The end of the fgets line starting at `pos` (exclusive), or -1 when more input is needed to know
 * it. At EOF a line may end at `end` without '\n'.
 */
function lineEnd(buf: Buffer, pos: number, end: number, atEof: boolean, max: number): number {
  const limit = pos + max - 1 < end ? pos + max - 1 : end;
  // Protocol lines are a few bytes long: a plain loop beats a native indexOf call here.
  for (let i = pos; i < limit; i++) if (buf[i] === NL) return i + 1;
  if (limit - pos === max - 1) return limit; // the buffer filled up: fgets returns a partial line
  return atEof ? end : -1;
}

/**
 * Fast path for the usual "<digits>\r\n" after a '*' or '$': returns the value and sets
 * r.scratch to the line end, or -1 when the line is anything else (then the general path runs).
 */
function plainCount(buf: Buffer, from: number, end: number, r: RecordResult): number {
  let v = 0;
  let i = from;
  const stop = from + 16 < end ? from + 16 : end;
  while (i < stop) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    i++;
  }
  if (i === from || i + 1 >= end || buf[i] !== 0x0d || buf[i + 1] !== NL) return -1;
  r.scratch = i + 2;
  return v;
}

/**
 * C atoi/strtol over buf[from, to): leading isspace, optional sign, decimal digits; stops at the
 * first other byte (a NUL ends the C string anyway). Returns a JS number clamped like glibc's
 * strtol (to +-2^63), so callers can apply the C conversions they need.
 */
function parseCLong(buf: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = buf[i];
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++;
    else break;
  }
  let neg = false;
  if (i < to && (buf[i] === 0x2d || buf[i] === 0x2b)) {
    neg = buf[i] === 0x2d;
    i++;
  }
  let v = 0;
  while (i < to) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    i++;
  }
  if (v > 9.223372036854775807e18) v = 9.223372036854775807e18;
  return neg ? -v : v;
}

/** (int)strtol(...) as glibc's atoi does it: the low 32 bits, signed. */
function toCInt(v: number): number {
  if (v >= -2147483648 && v <= 2147483647) return v;
  if (Math.abs(v) >= 9.223372036854775807e18) return v > 0 ? -1 : 0; // LONG_MAX -> 0x..ffffffff, LONG_MIN -> 0
  return Number(BigInt.asIntN(32, BigInt(v)));
}

/**
 * Reads one record at `pos` under the loader rules. `end` is the end of the available bytes;
 * `atEof` says whether they are all the input. Writes into `r` and returns r.status.
 */
export function parseLoaderRecord(
  buf: Buffer,
  pos: number,
  end: number,
  atEof: boolean,
  rules: LoaderRecordRules,
  r: RecordResult,
): RecordStatus {
  const max = rules.lineBufBytes;
  if (pos >= end) {
    if (atEof) return (r.status = 'eof');
    r.needBytes = 1;
    return (r.status = 'need-more');
  }
  const first = buf[pos];
  // The first byte decides between annotation, record and format error whatever the line holds.
  const isAnnotation = first === HASH && rules.skipHash;
  if (!isAnnotation && first !== STAR) return fail(r, 'format', buf, pos, end, "'*'");
  let fast = isAnnotation ? -1 : plainCount(buf, pos + 1, end, r);
  let le = fast >= 0 ? r.scratch : lineEnd(buf, pos, end, atEof, max);
  if (le < 0) return needMore(r, end - pos + 1);
  if (isAnnotation) {
    r.next = le;
    r.lines = 1;
    return (r.status = 'annotation');
  }
  // buf[1] == '\0': the line is just "*" (only possible at EOF) or a NUL follows the '*'. fgets hit
  // EOF (feof set: truncated) only when the line ends at the end of input without '\n'.
  if (le === pos + 1 || buf[pos + 1] === 0) {
    const hitEof = atEof && le === end && buf[le - 1] !== NL && le - pos < max - 1;
    return fail(r, hitEof ? 'truncated' : 'read-error', buf, pos + 1, end, 'the argument count');
  }
  const argc = fast >= 0 && le - pos <= max - 1 ? fast : toCInt(parseCLong(buf, pos + 1, le));
  if (argc < 1) return fail(r, 'format', buf, pos + 1, end, 'an argument count >= 1');
  const lb = buf as LatinBuffer;
  // Sized up front: an empty array grows to 17 slots on its first push, 4x what a SET needs, and
  // every record allocates one. A count a damaged file makes huge grows as it goes instead.
  const argv: string[] = new Array<string>(argc <= ARGV_PRESIZE_MAX ? argc : 0);
  let p = le;
  for (let j = 0; j < argc; j++) {
    if (p >= end) {
      if (atEof) return fail(r, 'truncated', buf, p, end, "'$'");
      return needMore(r, p - pos + 1);
    }
    if (buf[p] !== DOLLAR) return fail(r, 'format', buf, p, end, "'$'");
    fast = plainCount(buf, p + 1, end, r);
    let len: number;
    if (fast >= 0 && r.scratch - p <= max - 1) {
      le = r.scratch;
      len = fast;
    } else {
      le = lineEnd(buf, p, end, atEof, max);
      if (le < 0) return needMore(r, end - pos + 1);
      len = parseCLong(buf, p + 1, le);
    }
    if (len < 0) {
      // DIVERGENCE(redis): strtol's negative result becomes a huge unsigned length and Redis aborts
      // allocating it (zmalloc out of memory); we report a format error instead of crashing.
      return fail(r, 'format', buf, p + 1, end, 'a bulk length >= 0');
    }
    const dataStart = le;
    const dataEnd = dataStart + len;
    if (dataEnd + 2 > end) {
      if (!atEof) return needMore(r, dataEnd + 2 - pos);
      // FAULT: the bulk or the 2 bytes after it are cut off by the end of the file.
      return fail(r, 'truncated', buf, end, end, dataEnd > end ? `${len} bytes of argument ${j}` : 'CRLF');
    }
    const arg = j === 0 ? commandName(lb, dataStart, dataEnd, r) : lb.latin1Slice(dataStart, dataEnd);
    if (j < argv.length) argv[j] = arg;
    else argv.push(arg);
    p = dataEnd + 2; // the 2 bytes are discarded unchecked (observed: "$1\r\nbXY" loads as "b")
  }
  r.argv = argv;
  r.next = p;
  r.lines = 1 + 2 * argc;
  return (r.status = 'command');
}

/** How many distinct recent command names commandName remembers (a mixed AOF alternates a few). */
const NAME_CACHE_SIZE = 8;

/** Whether `name` holds the bytes lb[start, start + name.length). */
function sameBytes(lb: LatinBuffer, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (lb[start + i] !== name.charCodeAt(i)) return false;
  return true;
}

/**
 * argv[0], reusing the string of a recent record when the bytes are the same: command names repeat,
 * and a reused string saves an allocation and keeps its cached hash for the command-table lookups.
 * The previous record's name is tried first (an AOF of one command type), then the few other
 * names seen last (a mixed AOF: SET, INCR, RPUSH, SADD, ... in turn).
 */
function commandName(lb: LatinBuffer, start: number, end: number, r: RecordResult): string {
  const last = r.lastName;
  const len = end - start;
  if (len > 32) return lb.latin1Slice(start, end);
  if (last.length === len && sameBytes(lb, start, last)) return last;
  const names = r.names;
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    if (name.length === len && sameBytes(lb, start, name)) {
      r.lastName = name;
      return name;
    }
  }
  const name = lb.latin1Slice(start, end);
  if (names.length === NAME_CACHE_SIZE) names.shift();
  names.push(name);
  r.lastName = name;
  return name;
}

function needMore(r: RecordResult, bytes: number): RecordStatus {
  r.needBytes = bytes;
  return (r.status = 'need-more');
}

function fail(
  r: RecordResult,
  status: 'format' | 'truncated' | 'read-error',
  buf: Uint8Array,
  at: number,
  end: number,
  expected: string,
): RecordStatus {
  r.errorOffset = at;
  r.expected = expected;
  r.found = describeByte(buf, at, end);
  return (r.status = status);
}
