// One run of the checker: redis-check-aof 7.0.15 (src/redis-check-aof.c) ported onto the Fs port.
// Redis's file-level statics (error, epos, line, to_timestamp) are fields here, and exit(n) is a
// thrown CheckExit that checkAof() turns into the report's exit code.
//
// The RESP parser here is deliberately separate from the loader's: it is strict where
// redis-check-aof is strict (CRLF after every number line and every bulk, '$'/'*' prefixes, length
// range, MULTI/EXEC pairing) and lenient where it is lenient (command names are not checked; `*0`
// and negative counts pass). Faithful details, each verified against the real binary:
// - numbers are read with fgets into a 128-byte buffer and strtol; the two bytes compared with
//   CRLF come from that buffer, so after a line cut by EOF they are the NUL and a stale byte: the
//   count line's buffer keeps the bytes of the previous count line, the bulk-length buffer reads 0;
// - `Expected \r\n, got: %02x%02x` prints each byte as a *signed* char (0xff -> ffffffff);
// - `ok_up_to_line` is one counter of consumed CRLFs for the whole run (not reset per file, not
//   counting annotations, counted up to the failure point);
// - `ok_up_to` is the start of the first bad record, or of the MULTI left open;
// - errors print as `0x<%16llx>: msg`, at `epos`, the start of the last line/bulk read.
// DIVERGENCE(redis): a bulk length too large for memory makes redis-check-aof abort (zmalloc OOM);
// here it is a short read ("Expected to read N bytes, got M bytes").
// DIVERGENCE(redis): files are opened read-only (Redis opens them "r+", so as a non-root user it
// refuses a read-only file it would only read); --fix truncates by path.
// Files larger than `windowBytes` (1 MiB) are read through a window, never whole, except an RDB
// preamble / RDB BASE, which the RDB checker (src/rdb checkRdb) needs whole. A small window costs
// nothing in reads (bulks are skipped, not read) and keeps the process small: a window of the whole
// file made the kernel fault in every page of a fresh buffer (measured: 3x the CPU time on 48 MB).

import type { FileHandle, Fs } from '../../ports/fs.ts';
import { isFsError, readInto } from '../../ports/fs.ts';
import type { CheckFix, CheckOptions, RdbPreambleChecker } from './types.ts';
import { CONFIRM_PROMPT } from './types.ts';
import { cStrtol, LONG_MAX, strtolText } from './c-strtol.ts';
import { DivergenceTracker } from './divergences.ts';
import { hexOffset } from '../../base/errors.ts';
import { checkRdb } from '../../rdb/check-rdb.ts';

/** exit(code) in redis-check-aof. */
export class CheckExit {
  constructor(readonly code: 0 | 1) {}
}

export type SingleResult = 'ok' | 'empty' | 'truncated' | 'timestamp-truncated';

const CR = 0x0d;
const LF = 0x0a;
/** fgets(buf, 128) in readLong reads at most 127 bytes. */
const LONG_LINE_MAX = 127;
/** fgets(buf, AOF_ANNOTATION_LINE_MAX_LEN = 1024) in processAnnotations reads at most 1023 bytes. */
const ANNOTATION_LINE_MAX = 1023;
/** Files up to this size are read whole; larger ones through a window of this size. */
const DEFAULT_WINDOW_BYTES = 1 << 20;

/** printf("%02x", (char)b): a byte >= 0x80 is sign-extended. */
export function signedHex(b: number): string {
  return b >= 0x80 ? ((0xffffff00 | b) >>> 0).toString(16) : b.toString(16).padStart(2, '0');
}

/** redis-check-aof's ERROR() macro (4.0 and 7.0): `0x<%16llx>: msg`; snprintf's %s stops at a NUL. */
export function errorText(epos: number, msg: string): string {
  const nul = msg.indexOf('\0');
  return `0x${epos.toString(16).padStart(16, ' ')}: ${nul < 0 ? msg : msg.slice(0, nul)}`;
}

/**
 * consumeNewline's complaint (4.0 and 7.0) when strtol stopped at `e` in the fgets chunk
 * data[s0, s1): the two bytes there, read from fgets's buffer, which holds the chunk, a NUL, then
 * (readArgc's buffer, `stale`) bytes left by an earlier line.
 */
export function crlfError(data: Uint8Array, s0: number, s1: number, e: number, stale: Uint8Array | null): string {
  const b0 = e < s1 ? data[e]! : 0;
  let b1: number;
  if (e + 1 < s1) b1 = data[e + 1]!;
  else if (e + 1 === s1) b1 = 0;
  else b1 = stale !== null ? stale[e + 1 - s0]! : 0;
  return `Expected \\r\\n, got: ${signedHex(b0)}${signedHex(b1)}`;
}

/** The --fix dialogue's answer test (4.0 and 7.0): only an answer starting with y or Y goes on. */
export function fixConfirmed(options: Pick<CheckOptions, 'confirm'>): boolean {
  const answer = options.confirm ? options.confirm() : null;
  return answer !== null && (answer.startsWith('y') || answer.startsWith('Y'));
}

/** A byte as printf("%c") prints it (latin1 char). */
function cChar(b: number): string {
  return String.fromCharCode(b);
}

export class CheckRun {
  readonly lines: string[] = [];
  readonly fixes: CheckFix[] = [];
  /** redis: static char error[] (sticky for the whole run). */
  private error = '';
  /** redis: static off_t epos. */
  private epos = 0;
  /** redis: static long long line = 1 (global CRLF counter). */
  private line = 1;
  /** redis: static time_t to_timestamp (0 = off). */
  readonly toTimestamp: bigint;

  // Per-file scan state (redis: the FILE* and checkSingleAof's locals).
  /** A window on the file: buf[i] is the byte at file offset base + i (a view of `window`). */
  private buf: Uint8Array = new Uint8Array(0);
  /**
   * The memory behind buf, reused by every fill of every file of the run (one 1 MiB buffer for a
   * large AOF, not one per window: 87 MB peak RSS on a 48 MB file before). A refill overwrites it,
   * so nothing keeps a view of buf across a fill. Grows only for a longer read (a file with an RDB
   * preamble is read whole).
   */
  private window: Uint8Array = new Uint8Array(0);
  private base = 0;
  private fh: FileHandle | null = null;
  private size = 0;
  private readonly windowBytes: number;
  private p = 0;
  private eof = false;
  /** The file ends inside a record or inside a MULTI block (a short read for the loader). */
  private shortRead = false;
  private multi = 0;
  private fileName = '';
  private filePath = '';
  /** readArgc's fgets buffer survives between calls (stale bytes after the NUL). */
  private readonly argcBuf = new Uint8Array(LONG_LINE_MAX + 2);
  /** Value of the last readLong. */
  private longValue = 0;
  private longText = '';
  private div: DivergenceTracker = new DivergenceTracker('');

  constructor(
    private readonly fs: Fs,
    private readonly options: CheckOptions,
    toTimestamp: bigint,
  ) {
    this.toTimestamp = toTimestamp;
    this.windowBytes = Math.max(1, options.windowBytes ?? DEFAULT_WINDOW_BYTES);
  }

  /** printf(text + "\n"): a text holding newlines makes several stdout lines. */
  print(text: string): void {
    for (const line of text.split('\n')) {
      this.lines.push(line);
      this.options.onLine?.(line);
    }
  }

  exit(code: 0 | 1): never {
    throw new CheckExit(code);
  }

  private setError(msg: string): void {
    this.error = errorText(this.epos, msg);
  }

  /**
   * Makes buf cover file bytes [pos, pos + need) (clipped to the file size). Files up to
   * windowBytes are read at once; larger ones through a window of windowBytes (or `need`).
   */
  private fill(pos: number, need: number): void {
    const end = Math.min(this.size, pos + need);
    if (pos >= this.base && end <= this.base + this.buf.length) return;
    const len = Math.min(this.size - pos, Math.max(this.windowBytes, need));
    if (this.window.length < len) this.window = new Uint8Array(len);
    this.buf = this.window.subarray(0, readInto(this.fh!, this.window.subarray(0, len), pos));
    this.base = pos;
    if (this.base + this.buf.length < end) {
      // FAULT: the file shrank under us; behave as at EOF.
      this.size = this.base + this.buf.length;
    }
  }

  /** The byte at file offset pos (pos < size). */
  private byte(pos: number): number {
    const i = pos - this.base;
    if (i >= 0 && i < this.buf.length) return this.buf[i]!;
    this.fill(pos, 1);
    return this.buf[pos - this.base]!;
  }

  /** fgets over the file from p: the end offset of the chunk; sets eof when it hit the end. */
  private fgetsEnd(max: number): number {
    this.fill(this.p, max);
    const limit = Math.min(this.size, this.p + max);
    // Lines are a few bytes: a bounded loop beats a native indexOf call (which also scans on
    // past the limit when no newline is near).
    const buf = this.buf;
    const lim = limit - this.base;
    for (let i = this.p - this.base; i < lim; i++) if (buf[i] === LF) return i + this.base + 1;
    if (limit - this.p < max) this.eof = true;
    return limit;
  }

  /** redis: readLong. Sets longValue/longText. */
  private readLong(prefix: number, isArgc: boolean): boolean {
    this.epos = this.p;
    if (this.p >= this.size) {
      this.eof = true;
      this.shortRead = true;
      return false;
    }
    const start = this.p;
    const end = this.fgetsEnd(LONG_LINE_MAX); // buf now covers [start, end)
    this.p = end;
    const data = this.buf;
    const s0 = start - this.base; // chunk = data[s0, s1)
    const s1 = end - this.base;
    if (isArgc) {
      const ab = this.argcBuf;
      for (let i = 0; i < s1 - s0; i++) ab[i] = data[s0 + i]!;
      ab[s1 - s0] = 0;
    }
    if (data[s0] !== prefix) {
      this.setError(`Expected prefix '${cChar(prefix)}', got: '${cChar(data[s0]!)}'`);
      return false;
    }
    // Fast path for the usual "<1 to 15 digits>\r\n": what strtol and the CRLF test below would
    // conclude, without building a strtol result.
    let d = s0 + 1;
    let v = 0;
    const dStop = s0 + 16 < s1 ? s0 + 16 : s1;
    for (; d < dStop; d++) {
      const c = data[d]! - 0x30;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (d > s0 + 1 && d + 1 < s1 && data[d] === CR && data[d + 1] === LF) {
      this.longValue = v;
      this.longText = '';
      this.line++;
      return true;
    }
    // The C string ends at the first NUL inside the chunk.
    let cEnd = s0 + 1;
    while (cEnd < s1 && data[cEnd] !== 0) cEnd++;
    const r = cStrtol(data, s0 + 1, cEnd);
    this.longValue = r.value;
    this.longText = r.big !== null ? strtolText(r) : '';
    const e = r.end; // the fgets buffer holds data[s0, s1), then a NUL
    if (e + 1 < s1 && data[e] === CR && data[e + 1] === LF) {
      this.line++;
      return true;
    }
    this.setError(crlfError(data, s0, s1, e, isArgc ? this.argcBuf : null));
    if (data[s1 - 1] === LF) this.div.junkAfterNumber(start);
    else if (end === this.size) this.shortRead = true; // the line was cut by the end of the file
    return false;
  }

  /** longText when it is needed: the exact decimal of the last readLong. */
  private longString(): string {
    return this.longText !== '' ? this.longText : String(this.longValue);
  }

  /** redis: readString + readBytes + consumeNewline; `first` applies processRESP's MULTI/EXEC rule. */
  private readString(first: boolean): boolean {
    if (!this.readLong(0x24, false)) return false;
    const len = this.longValue;
    if (len < 0 || (this.longText !== '' && BigInt(this.longText) > LONG_MAX - 2n)) {
      this.setError(`Expected to read string of ${this.longString()} bytes, which is not in the suitable range`);
      return false;
    }
    this.epos = this.p;
    const avail = this.size - this.p;
    if (len + 2 > avail) {
      this.eof = true;
      this.shortRead = true;
      this.p = this.size;
      const want = this.longText !== '' ? (BigInt(this.longText) + 2n).toString() : String(len + 2);
      this.setError(`Expected to read ${want} bytes, got ${avail} bytes`);
      return false;
    }
    const s = this.p;
    const crPos = s + len;
    this.p = crPos + 2;
    const cr = this.byte(crPos);
    const lf = this.byte(crPos + 1);
    if (cr !== CR || lf !== LF) {
      this.setError(`Expected \\r\\n, got: ${signedHex(cr)}${signedHex(lf)}`);
      this.div.bulkWithoutCrlf(s);
      return false;
    }
    this.line++;
    if (first && (len === 4 || len >= 5)) {
      // strcasecmp on the C string (up to the first NUL).
      this.fill(s, 6);
      const data = this.buf;
      const i = s - this.base;
      if ((len === 5 || (len > 5 && data[i + 5] === 0)) && isWord(data, i, 'multi')) {
        if (this.multi++ !== 0) {
          this.setError(`Unexpected MULTI in AOF ${this.filePath}`);
          this.div.nestedMulti(s);
          return false;
        }
      } else if ((len === 4 || data[i + 4] === 0) && isWord(data, i, 'exec')) {
        if (--this.multi !== 0) {
          this.setError(`Unexpected EXEC in AOF ${this.filePath}`);
          this.div.execWithoutMulti(s);
          return false;
        }
      }
    }
    return true;
  }

  /** redis: processRESP. */
  private processResp(recordStart: number): boolean {
    if (!this.readLong(0x2a, true)) return false;
    const argc = this.longValue;
    if (argc < 1) this.div.emptyCommand(recordStart, this.longString());
    for (let i = 0; i < argc; i++) {
      if (!this.readString(i === 0)) return false;
    }
    return true;
  }

  /** redis: processAnnotations. False when the file was truncated at this annotation. */
  private processAnnotation(lastFile: boolean): boolean {
    this.epos = this.p;
    const start = this.p;
    const end = this.fgetsEnd(ANNOTATION_LINE_MAX); // buf now covers [start, end)
    this.p = end;
    const data = this.buf;
    const s0 = start - this.base;
    const s1 = end - this.base;
    if (
      this.toTimestamp !== 0n &&
      s1 - s0 >= 4 &&
      data[s0 + 1] === 0x54 &&
      data[s0 + 2] === 0x53 &&
      data[s0 + 3] === 0x3a
    ) {
      let cEnd = s0 + 4;
      while (cEnd < s1 && data[cEnd] !== 0) cEnd++;
      const r = cStrtol(data, s0 + 4, cEnd);
      if (r.overflow || r.end >= cEnd || data[r.end] !== CR) {
        this.print('Invalid timestamp annotation');
        this.exit(1);
      }
      const ts = r.big ?? BigInt(r.value);
      if (ts <= this.toTimestamp) return true;
      const t = this.toTimestamp.toString();
      if (this.epos === 0) {
        this.print(`AOF ${this.filePath} has nothing before timestamp ${t}, aborting...`);
        this.exit(1);
      }
      if (!lastFile) {
        this.print(
          `Failed to truncate AOF ${this.filePath} to timestamp ${t} to offset ${this.epos} because it is not the last file.`,
        );
        this.print(
          'If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.',
        );
        this.exit(1);
      }
      if (!this.truncate(this.epos, 'timestamp')) {
        this.print(`Failed to truncate AOF ${this.filePath} to timestamp ${t}`);
        this.exit(1);
      }
      return false;
    }
    return true;
  }

  private truncate(toBytes: number, reason: CheckFix['reason']): boolean {
    try {
      this.fs.truncate(this.filePath, toBytes);
    } catch (e) {
      if (isFsError(e)) return false; // FAULT: reported by the caller with Redis's wording
      throw e;
    }
    this.fixes.push({ path: this.filePath, fromBytes: this.size, toBytes, reason });
    return true;
  }

  /**
   * redis: checkSingleAof. `name` is what messages call the file (the manifest entry, or the path
   * in old-style mode), `path` where it is read.
   */
  checkSingleAof(name: string, path: string, lastFile: boolean, fix: boolean, preamble: boolean): SingleResult {
    let fh: FileHandle;
    let size: number;
    try {
      // redis-check-aof fopen()s every file "r+", with --fix or without: a file it may read but not
      // write, or a directory, is "Cannot open file" (checked on 7.0.15).
      fh = this.fs.open(path, 'read-write');
      size = fh.stat().sizeBytes;
    } catch (e) {
      if (!isFsError(e)) throw e;
      this.print(`Cannot open file ${path}: ${e.strerror}, aborting...`);
      this.exit(1);
    }
    try {
      return this.scanFile(fh, size, name, path, lastFile, fix, preamble);
    } finally {
      try {
        fh.close();
      } catch {
        // FAULT: a failing close of a read-only handle changes nothing.
      }
      this.fh = null;
      this.buf = new Uint8Array(0);
    }
  }

  private scanFile(
    fh: FileHandle,
    size: number,
    name: string,
    path: string,
    lastFile: boolean,
    fix: boolean,
    preamble: boolean,
  ): SingleResult {
    this.fh = fh;
    this.size = size;
    this.buf = new Uint8Array(0);
    this.base = 0;
    if (size > 0 && (size <= this.windowBytes || preamble)) this.fill(0, size);
    this.p = 0;
    this.eof = false;
    this.multi = 0;
    this.shortRead = false;
    this.fileName = name;
    this.filePath = path;
    this.div = new DivergenceTracker(name);
    if (this.size === 0) return 'empty';

    if (preamble) this.checkRdbPart();

    let pos = 0;
    for (;;) {
      if (this.multi === 0) pos = this.p;
      if (this.p >= this.size) {
        this.eof = true;
        break;
      }
      const c = this.byte(this.p);
      if (c === 0x23) {
        if (!this.processAnnotation(lastFile)) return 'timestamp-truncated';
      } else if (c === 0x2a) {
        if (!this.processResp(this.p)) break;
      } else {
        this.print(`AOF ${name} format error`);
        this.div.formatError(this.p, c);
        break;
      }
    }
    if (this.eof && this.multi !== 0 && this.error === '') {
      this.setError('Reached EOF before reading EXEC for MULTI');
      this.shortRead = true;
    }
    if (this.error !== '') this.print(this.error);
    this.div.flush((l) => this.print(l));

    const diff = this.size - pos;
    if (diff > 0 && this.shortRead) this.printShortReadNote(pos, lastFile);
    if (diff === 0 && this.toTimestamp !== 0n) {
      this.print(`Truncate nothing in AOF ${name} to timestamp ${this.toTimestamp}`);
      return 'ok';
    }
    this.print(
      `AOF analyzed: filename=${name}, size=${this.size}, ok_up_to=${pos}, ok_up_to_line=${this.line}, diff=${diff}`,
    );
    if (diff > 0) {
      if (!fix) {
        this.print(`AOF ${name} is not valid. Use the --fix option to try fixing it.`);
        this.exit(1);
      }
      if (!lastFile) {
        this.print(`Failed to truncate AOF ${name} because it is not the last file`);
        this.exit(1);
      }
      this.print(`This will shrink the AOF ${name} from ${this.size} bytes, with ${diff} bytes, to ${pos} bytes`);
      this.print(CONFIRM_PROMPT);
      if (!fixConfirmed(this.options)) {
        this.print('Aborting...');
        this.exit(1);
      }
      if (!this.truncate(pos, 'fix')) {
        this.print(`Failed to truncate AOF ${name}`);
        this.exit(1);
      }
      return 'truncated';
    }
    return 'ok';
  }

  /**
   * What the loader would do with a file that ends inside a record / MULTI (docs/redis-behaviour.md#multi-part-load and 2.6): the
   * checker only says "not valid", while Redis (aof-load-truncated yes, the default) starts.
   */
  private printShortReadNote(okUpTo: number, lastFile: boolean): void {
    const where = `${this.fileName}@${hexOffset(okUpTo)}`;
    if (lastFile) {
      this.print(
        `aofsim: note: ${where}: the file ends inside ${this.multi !== 0 ? 'a MULTI block' : 'a record'}; Redis with aof-load-truncated yes (the default) would load it and truncate it here (or just before annotations preceding this point)`,
      );
    } else {
      this.print(
        `aofsim: note: ${where}: the file ends inside a record but is not the last file; Redis refuses to start ("Fatal error: the truncated file is not the last file")`,
      );
    }
  }

  /** The RDB part of a preamble AOF / RDB BASE (redis: redis_check_rdb_main on the same FILE*). */
  private checkRdbPart(): void {
    const checker: RdbPreambleChecker =
      this.options.rdbChecker ??
      ((data, file) => {
        const r = checkRdb(data, { file, nowMs: this.options.nowMs ?? 0 });
        return r.ok ? { ok: true, endOffset: r.endOffset, lines: r.lines } : { ok: false, lines: r.lines };
      });
    const r = checker(this.buf, this.fileName); // the whole file (filled in scanFile)
    for (const l of r.lines) this.print(l);
    if (!r.ok) {
      this.print('RDB preamble of AOF file is not sane, aborting.');
      this.exit(1);
    }
    this.p = r.endOffset;
    this.print('RDB preamble is OK, proceeding with AOF tail...');
  }
}

function isWord(data: Uint8Array, s: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((data[s + i]! | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}
