// Where an AOF file's command records end, read the way the loader's rules read them
// (docs/redis-behaviour.md#load-byte-rules): a record is a RESP array of bulk strings
// (`*<n>\r\n` then n times `$<len>\r\n<bytes>\r\n`); a MULTI opens a block that only its EXEC
// closes. The clean prefix is the longest prefix that ends at a record boundary outside a block:
// what a file can be cut to without losing the meaning of what stays. A file longer than its clean
// prefix is torn (a partial record, or a block without its EXEC).
//
// An independent reading for the oracle (sim/oracle/checkers/start-decision.ts), deliberately not
// the loader's code: it judges the loader's decisions. Invariant: never throws; bytes that are not
// an AOF record (an RDB preamble, garbage) make the file `malformed` (not judged here).

export interface RecordScan {
  /** Length of the clean prefix, in bytes. */
  cleanBytes: number;
  /** The bytes after the clean prefix are a partial record or an unterminated MULTI block. */
  torn: boolean;
  /** Something that is not a RESP array of bulk strings was found before the end. */
  malformed: boolean;
}

const CR = 13;
const LF = 10;

/** Reads `<prefix><digits>\r\n` at `at`; returns [value, next] or 'short' at EOF, 'bad' otherwise. */
function header(data: Uint8Array, at: number, prefix: number): [number, number] | 'short' | 'bad' {
  if (at >= data.length) return 'short';
  if (data[at] !== prefix) return 'bad';
  let i = at + 1;
  let n = 0;
  let digits = 0;
  for (; i < data.length && data[i] !== CR; i++) {
    const d = data[i] - 48;
    if (d < 0 || d > 9 || digits > 15) return 'bad';
    n = n * 10 + d;
    digits++;
  }
  if (i + 1 >= data.length) return 'short';
  if (digits === 0 || data[i + 1] !== LF) return 'bad';
  return [n, i + 2];
}

function nameIs(data: Uint8Array, from: number, len: number, word: string): boolean {
  if (len !== word.length) return false;
  for (let i = 0; i < len; i++) if ((data[from + i] | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** Scans `data` record by record (see the file comment). */
export function scanRecords(data: Uint8Array): RecordScan {
  let clean = 0;
  let at = 0;
  let inMulti = false;
  while (at < data.length) {
    const arr = header(data, at, 42 /* '*' */);
    if (arr === 'short') return { cleanBytes: clean, torn: true, malformed: false };
    if (arr === 'bad') return { cleanBytes: clean, torn: false, malformed: true };
    let [argc, pos] = arr;
    let first: [number, number] | null = null;
    for (; argc > 0; argc--) {
      const bulk = header(data, pos, 36 /* '$' */);
      if (bulk === 'short') return { cleanBytes: clean, torn: true, malformed: false };
      if (bulk === 'bad') return { cleanBytes: clean, torn: false, malformed: true };
      const [len, body] = bulk;
      if (body + len + 2 > data.length) return { cleanBytes: clean, torn: true, malformed: false };
      if (data[body + len] !== CR || data[body + len + 1] !== LF) return { cleanBytes: clean, torn: false, malformed: true };
      if (first === null) first = [body, len];
      pos = body + len + 2;
    }
    at = pos;
    if (first !== null && nameIs(data, first[0], first[1], 'multi')) inMulti = true;
    else if (first !== null && nameIs(data, first[0], first[1], 'exec')) inMulti = false;
    if (!inMulti) clean = at;
  }
  return { cleanBytes: clean, torn: clean < data.length, malformed: false };
}
