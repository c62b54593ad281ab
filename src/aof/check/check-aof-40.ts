// aofsim's redis-check-aof as Redis 4.0.14 has it (`aofsim check --profile redis-4.0`): one file,
// an optional RDB preamble (RDB 8 at most), then RESP records; no manifests, no annotations, no
// --truncate-to-timestamp. redis 4.0.14: redis-check-aof.c redis_check_aof_main, process,
// readArgc/readString/readLong/readBytes/consumeNewline; redis-check-rdb.c redis_check_rdb_main.
// Output lines are 4.0.14's, in its order and words:
//   - `Empty file: F` (exit 1: 4.0 calls an empty AOF invalid, 7.0 valid);
//   - a file of 8+ bytes starting "REDIS": the two preamble lines, redis-check-rdb's report (whose
//     `Checking RDB file` line names argv[1], so `--fix` when fixing), then OK or abort;
//   - `AOF analyzed: size=S, ok_up_to=P, diff=D`, then valid / not valid / the --fix dialogue.
// Errors print as `0x<%16llx>: msg` at the start of the last line or bulk read; ok_up_to is the
// start of the first bad record, or of the MULTI left open. A non-'*' byte where a record starts is
// an "Expected prefix '*'" error (4.0 knows no '#' lines); MULTI/EXEC errors name no file.
// DIVERGENCE(redis): where a count or length line is cut by EOF right after its digits, 4.0.14's
// "Expected \r\n, got: 00xx" prints as xx a byte of uninitialised stack memory (it changes from run
// to run); aofsim prints the byte left there by the previous count line, or 00.
// DIVERGENCE(redis): the wording of a bad encoding inside the RDB part is aofsim's decoder's
// (4.0.14 says "Internal error in RDB reading function at rdb.c:N -> ...").
// DIVERGENCE(redis): a negative bulk length makes 4.0.14 read outside its buffer (undefined
// behaviour) and a huge one abort in zmalloc; here both are reported as "Expected to read N bytes".
// Invariants: nothing is written unless `fix` was asked for and confirmed; only `filepath` is
// truncated; the whole file is read into memory (4.0 files are single files).

import type { Fs } from '../../ports/fs.ts';
import { isFsError } from '../../ports/fs.ts';
import { checkRdb } from '../../rdb/check-rdb.ts';
import { RDB_VERSION_4, SHORT_READ_REASON } from '../../rdb/rdb-constants.ts';
import { cStrtol } from './c-strtol.ts';
import { CheckExit, crlfError, errorText, fixConfirmed, signedHex } from './check-run.ts';
import { isRdb } from './input-type.ts';
import type { CheckOptions, CheckReport } from './types.ts';
import { CONFIRM_PROMPT } from './types.ts';

const CR = 0x0d;
const LF = 0x0a;
/** fgets(buf, 128) reads at most 127 bytes. */
const LINE_MAX = 127;

/**
 * Checks `filepath` as redis-check-aof 4.0.14 does. `options.fix` is `--fix`; the
 * `Checking RDB file` line names what 4.0.14's argv[1] would be.
 */
export function checkAof40(fs: Fs, filepath: string, options: Pick<CheckOptions, 'fix' | 'confirm' | 'onLine' | 'nowMs'> = {}): CheckReport {
  const lines: string[] = [];
  const print = (text: string): void => {
    for (const l of text.split('\n')) {
      lines.push(l);
      options.onLine?.(l);
    }
  };
  const report: CheckReport = { lines, exitCode: 0, fixes: [] };
  try {
    main(fs, filepath, options, print, report);
  } catch (e) {
    if (!(e instanceof CheckExit)) throw e;
    report.exitCode = e.code;
  }
  return report;
}

function exit(code: 0 | 1): never {
  throw new CheckExit(code);
}

function main(fs: Fs, filepath: string, options: Pick<CheckOptions, 'fix' | 'confirm' | 'nowMs'>, print: (t: string) => void, report: CheckReport): void {
  let data: Uint8Array;
  try {
    // 4.0.14 fopen()s the file "r+" even without --fix: no write permission, or a directory, is
    // "Cannot open file".
    fs.open(filepath, 'read-write').close();
    data = fs.readFile(filepath);
  } catch (e) {
    if (!isFsError(e)) throw e;
    print(`Cannot open file: ${filepath}`);
    return exit(1);
  }
  const size = data.length;
  if (size === 0) {
    print(`Empty file: ${filepath}`);
    return exit(1);
  }
  let start = 0;
  if (size >= 8 && isRdb(data)) {
    print('The AOF appears to start with an RDB preamble.\nChecking the RDB preamble to start:');
    const r = checkRdb(data, { file: options.fix ? '--fix' : filepath, nowMs: options.nowMs ?? 0, maxVersion: RDB_VERSION_4 });
    for (const l of r.lines) print(l);
    if (!r.ok) {
      // A bad encoding inside a value makes 4.0's rdbLoad* call rdbExitReportCorruptRDB, which
      // exits from inside the RDB check: only EOF, CRC and header errors come back to say so.
      if (returnsFromRdbCheck(r.error.reason)) print('RDB preamble of AOF file is not sane, aborting.');
      return exit(1);
    }
    print('RDB preamble is OK, proceeding with AOF tail...');
    start = r.endOffset;
  }
  const pos = new Scan(data, start).process();
  const diff = size - pos.okUpTo;
  if (pos.error !== '') print(pos.error);
  print(`AOF analyzed: size=${size}, ok_up_to=${pos.okUpTo}, diff=${diff}`);
  if (diff === 0) {
    print('AOF is valid');
    return exit(0);
  }
  if (!options.fix) {
    print('AOF is not valid. Use the --fix option to try fixing it.');
    return exit(1);
  }
  print(`This will shrink the AOF from ${size} bytes, with ${diff} bytes, to ${pos.okUpTo} bytes`);
  print(CONFIRM_PROMPT);
  if (!fixConfirmed(options)) {
    print('Aborting...');
    return exit(1);
  }
  try {
    fs.truncate(filepath, pos.okUpTo);
  } catch (e) {
    if (!isFsError(e)) throw e;
    print('Failed to truncate AOF'); // FAULT: ftruncate(2) failed
    return exit(1);
  }
  report.fixes.push({ path: filepath, fromBytes: size, toBytes: pos.okUpTo, reason: 'fix' });
  print('Successfully truncated AOF');
  exit(0);
}

/** The RDB check errors redis_check_rdb reports and returns from (the others exit inside it). */
function returnsFromRdbCheck(reason: string): boolean {
  return reason === SHORT_READ_REASON || /^(Can't handle RDB format version|Wrong signature|Wrong RDB checksum)/.test(reason);
}

/** redis 4.0.14 process(): the RESP scan over an in-memory file, FILE* semantics kept. */
class Scan {
  private p: number;
  private eof = false;
  private error = '';
  private epos = 0;
  private value = 0;
  /** readArgc's fgets buffer survives between calls (stale bytes after the NUL). */
  private readonly argcBuf = new Uint8Array(LINE_MAX + 2);

  constructor(
    private readonly data: Uint8Array,
    start: number,
  ) {
    this.p = start;
  }

  /** redis: the ERROR() macro. */
  private setError(msg: string): void {
    this.error = errorText(this.epos, msg);
  }

  /** redis: readLong (fgets + strtol + consumeNewline). */
  private readLong(prefix: number, isArgc: boolean): boolean {
    const d = this.data;
    this.epos = this.p;
    if (this.p >= d.length) {
      this.eof = true; // fgets returns NULL: no error
      return false;
    }
    const s0 = this.p;
    let s1 = s0;
    while (s1 < d.length && s1 - s0 < LINE_MAX && d[s1] !== LF) s1++;
    if (s1 < d.length && d[s1] === LF) s1++;
    else if (s1 - s0 < LINE_MAX) this.eof = true;
    this.p = s1;
    if (isArgc) {
      this.argcBuf.set(d.subarray(s0, s1));
      this.argcBuf[s1 - s0] = 0;
    }
    if (d[s0] !== prefix) {
      this.setError(`Expected prefix '${String.fromCharCode(prefix)}', got: '${String.fromCharCode(d[s0]!)}'`);
      return false;
    }
    let cEnd = s0 + 1;
    while (cEnd < s1 && d[cEnd] !== 0) cEnd++;
    const r = cStrtol(d, s0 + 1, cEnd);
    this.value = r.big !== null ? Number(r.big) : r.value;
    const e = r.end;
    if (e + 1 < cEnd && d[e] === CR && d[e + 1] === LF) return true;
    this.setError(crlfError(d, s0, s1, e, isArgc ? this.argcBuf : null));
    return false;
  }

  /** redis: readString (readLong '$', readBytes len + 2, consumeNewline); returns the C string. */
  private readString(): string | null {
    if (!this.readLong(0x24, false)) return null;
    const d = this.data;
    const want = this.value + 2;
    this.epos = this.p;
    const avail = d.length - this.p;
    if (this.value < 0 || want > avail) {
      this.eof = true;
      this.p = d.length;
      this.setError(`Expected to read ${want} bytes, got ${Math.max(0, Math.min(avail, want))} bytes`);
      return null;
    }
    const s = this.p;
    this.p += want;
    const cr = d[s + this.value]!;
    const lf = d[s + this.value + 1]!;
    if (cr !== CR || lf !== LF) {
      this.setError(`Expected \\r\\n, got: ${signedHex(cr)}${signedHex(lf)}`);
      return null;
    }
    let z = s;
    while (z < s + this.value && d[z] !== 0) z++;
    return Buffer.from(d.buffer, d.byteOffset + s, z - s).toString('latin1');
  }

  process(): { okUpTo: number; error: string } {
    let pos = this.p;
    let multi = 0;
    for (;;) {
      if (multi === 0) pos = this.p;
      if (!this.readLong(0x2a, true)) break;
      const argc = this.value;
      let i = 0;
      for (; i < argc; i++) {
        const str = this.readString();
        if (str === null) break;
        if (i === 0) {
          const name = str.toLowerCase();
          if (name === 'multi') {
            if (multi++ !== 0) {
              this.setError('Unexpected MULTI');
              break;
            }
          } else if (name === 'exec') {
            if (--multi !== 0) {
              this.setError('Unexpected EXEC');
              break;
            }
          }
        }
      }
      if (i < argc) break;
    }
    if (this.eof && multi !== 0 && this.error === '') {
      this.setError('Reached EOF before reading EXEC for MULTI');
    }
    return { okUpTo: pos, error: this.error };
  }
}
