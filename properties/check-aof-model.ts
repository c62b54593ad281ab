// What redis-check-aof 7.0.15 prints for an AOF built from known records and damaged in a known way,
// derived from the construction (where each record, line and bulk starts and ends), not by parsing
// the bytes: an oracle for aofsim's checker (properties/check-aof-reports-damage.test.ts) that the
// conformance suite holds against the real binary (properties/conformance/check-aof-model-vs-redis.test.ts).
//
// The rules it encodes (spec 2.7, redis-check-aof.c checkSingleAof / processRESP / readLong /
// readString / processAnnotations): `ok_up_to` is the start of the first record that fails, or of
// the MULTI left open; the error line is `0x<%16llx of epos>: <msg>`, where epos is where the last
// line or bulk read started; `ok_up_to_line` is one global count of the CRLFs consumed, across
// files, up to the failure; MULTI/EXEC are recognised by strcasecmp on the C string of the first
// argument (so up to a NUL); `*0` passes; `#` lines are skipped (and cut by --truncate-to-timestamp).
// Invariant: the model never reads the damaged bytes back, except the few bytes of a cut header line.

import fc from 'fast-check';
import { hexOffset } from '../src/base/errors.ts';

/** A record of a file: a command (argv as latin1 strings) or a `#TS:` annotation. */
export type Rec = { kind: 'cmd'; argv: string[] } | { kind: 'ts'; ts: number };

/** Damage applied to one file, after it was encoded. */
export type Damage =
  | { kind: 'none' }
  /** Keep the first `permille`/1000 of the file (at least 1 byte, at most size - 1). */
  | { kind: 'cut'; permille: number }
  /** Append `n` zero bytes (power loss grew the file, redis/redis#5177). */
  | { kind: 'zeros'; n: number }
  /** Insert a byte that starts no record before top-level record `at` (modulo the count). */
  | { kind: 'garbage'; at: number; byte: number }
  /** Insert a MULTI inside a MULTI block (at the `at`-th inner position, modulo their count). */
  | { kind: 'nested-multi'; at: number; word: string }
  /** Insert an EXEC at top-level position `at` (modulo). */
  | { kind: 'stray-exec'; at: number; word: string };

export interface ModelFile {
  /** The name redis-check-aof prints: the manifest entry, or the path as given (old style). */
  name: string;
  /** The path it opens (and prints in MULTI/EXEC and timestamp messages). */
  path: string;
  /** `BASE AOF`, `INCR AOF` or `AOF`. */
  kind: string;
  bytes: string;
  /** Pieces in file order (offsets into bytes). */
  pieces: Piece[];
  /** The file's length (pieces past it were cut off). */
  size: number;
}

type Tok = { line: true; start: number; end: number } | { line: false; start: number; end: number; len: number; text: string };
type Piece =
  | { kind: 'cmd'; start: number; toks: Tok[]; argc: number }
  | { kind: 'ts'; start: number; end: number; ts: number }
  | { kind: 'garbage'; start: number; byte: number };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const argByte = fc.constantFrom(0x61, 0x62, 0x0d, 0x0a, 0x00, 0x2a, 0x24, 0x23, 0x20, 0xff);
const argArb = fc.array(argByte, { maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1'));
/** First arguments that are not MULTI/EXEC, some close to them. */
const nameArb = fc.constantFrom('SET', 'del', 'Incr', 'multix', 'mult', 'exe', 'execs', 'x\0multi', '');
/** MULTI and EXEC as strcasecmp sees them: any case, anything after a NUL. */
export const multiWordArb = fc.constantFrom('MULTI', 'multi', 'MuLtI', 'multi\0x');
export const execWordArb = fc.constantFrom('EXEC', 'exec', 'eXeC', 'EXEC\0\0');

const plainCmd: fc.Arbitrary<Rec> = fc
  .tuple(nameArb, fc.array(argArb, { maxLength: 3 }), fc.nat(9))
  // one in ten is `*0`: a command without arguments, which the checker lets through
  .map(([n, rest, z]) => ({ kind: 'cmd' as const, argv: z === 0 ? [] : [n, ...rest] }));
const tsRec = (min: number): fc.Arbitrary<Rec> => fc.integer({ min, max: min + 40 }).map((ts) => ({ kind: 'ts' as const, ts }));

/** A top-level item: a command, an annotation, or a MULTI block of both. */
const itemArb: fc.Arbitrary<Rec[]> = fc.oneof(
  { weight: 3, arbitrary: plainCmd.map((r) => [r]) },
  { weight: 1, arbitrary: tsRec(100).map((r) => [r]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(multiWordArb, fc.array(fc.oneof({ weight: 4, arbitrary: plainCmd }, { weight: 1, arbitrary: tsRec(100) }), { maxLength: 3 }), execWordArb)
      .map(([m, body, e]) => [{ kind: 'cmd' as const, argv: [m] }, ...body, { kind: 'cmd' as const, argv: [e] }]),
  },
);

/** A valid file's records: top-level items (MULTI blocks balanced). */
export const fileRecsArb: fc.Arbitrary<Rec[][]> = fc.array(itemArb, { maxLength: 5 });

export const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 1000 }).map((permille) => ({ kind: 'cut' as const, permille })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }).map((n) => ({ kind: 'zeros' as const, n })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x2a && b !== 0x23))
      .map(([at, byte]) => ({ kind: 'garbage' as const, at, byte })),
  },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), multiWordArb).map(([at, word]) => ({ kind: 'nested-multi' as const, at, word })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), execWordArb).map(([at, word]) => ({ kind: 'stray-exec' as const, at, word })) },
);

// ---------------------------------------------------------------------------------------------
// Building a file

/** Builds the pieces and bytes of a file from its items and a damage. */
export function buildFile(name: string, path: string, kind: string, items: Rec[][], damage: Damage): ModelFile {
  let recs: (Rec | { kind: 'garbage'; byte: number })[] = items.flat();
  if (damage.kind === 'garbage' || damage.kind === 'stray-exec') {
    // top-level positions: before each item, and at the end
    const bounds: number[] = [];
    let i = 0;
    for (const it of items) {
      bounds.push(i);
      i += it.length;
    }
    bounds.push(i);
    const at = bounds[damage.at % bounds.length]!;
    const ins = damage.kind === 'garbage' ? { kind: 'garbage' as const, byte: damage.byte } : { kind: 'cmd' as const, argv: [damage.word] };
    recs = [...recs.slice(0, at), ins, ...recs.slice(at)];
  } else if (damage.kind === 'nested-multi') {
    // inner positions: right after a MULTI or after any record inside a block, before its EXEC
    const inner: number[] = [];
    let i = 0;
    for (const it of items) {
      if (it.length > 1) for (let j = 1; j < it.length; j++) inner.push(i + j);
      i += it.length;
    }
    if (inner.length > 0) {
      const at = inner[damage.at % inner.length]!;
      recs = [...recs.slice(0, at), { kind: 'cmd', argv: [damage.word] }, ...recs.slice(at)];
    }
  }
  let bytes = '';
  const pieces: Piece[] = [];
  for (const r of recs) {
    const start = bytes.length;
    if (r.kind === 'garbage') {
      bytes += String.fromCharCode(r.byte);
      pieces.push({ kind: 'garbage', start, byte: r.byte });
    } else if (r.kind === 'ts') {
      bytes += `#TS:${r.ts}\r\n`;
      pieces.push({ kind: 'ts', start, end: bytes.length, ts: r.ts });
    } else {
      const toks: Tok[] = [];
      const line = (s: string): void => {
        const b = bytes.length;
        bytes += s;
        toks.push({ line: true, start: b, end: bytes.length });
      };
      line(`*${r.argv.length}\r\n`);
      for (const a of r.argv) {
        line(`$${a.length}\r\n`);
        const b = bytes.length;
        bytes += `${a}\r\n`;
        toks.push({ line: false, start: b, end: bytes.length, len: a.length, text: a });
      }
      pieces.push({ kind: 'cmd', start, toks, argc: r.argv.length });
    }
  }
  let size = bytes.length;
  if (damage.kind === 'cut' && bytes.length > 1) {
    size = Math.min(bytes.length - 1, Math.max(1, Math.floor((bytes.length * damage.permille) / 1000)));
    bytes = bytes.slice(0, size);
  } else if (damage.kind === 'zeros') {
    pieces.push({ kind: 'garbage', start: bytes.length, byte: 0 });
    bytes += '\0'.repeat(damage.n);
    size = bytes.length;
  }
  return { name, path, kind, bytes, pieces, size };
}

// ---------------------------------------------------------------------------------------------
// What the checker prints

export interface Expected {
  lines: string[];
  exitCode: 0 | 1;
  /** Final contents by path (only files that were truncated differ from their input). */
  after: Map<string, string>;
}

export interface CheckModelOptions {
  fix: boolean;
  /** The answer to `Continue? [y/N]: ` (null: stdin at EOF). */
  answer: string | null;
  /** --truncate-to-timestamp (0: absent). */
  toTimestamp: number;
  /** Include aofsim's own `aofsim: ` lines (the real binary has none). */
  aofsimLines: boolean;
}

const PROMPT = 'Continue? [y/N]: ';

class Exit {
  constructor(readonly code: 0 | 1) {}
}

/** redis-check-aof's output for the files in order (a manifest's BASE + INCRs, or one old-style file). */
export function expectedCheck(files: ModelFile[], multiPart: boolean, o: CheckModelOptions): Expected {
  const lines: string[] = [];
  const after = new Map(files.map((f) => [f.path, f.bytes]));
  const counter = { line: 1 }; // redis-check-aof's global line counter starts at 1
  let exitCode: 0 | 1 = 0;
  try {
    if (multiPart) {
      lines.push('Start checking Multi Part AOF');
      files.forEach((f, i) => {
        if (f.kind === 'BASE AOF') lines.push('Start to check BASE AOF (RESP format).');
        else if (i === 0 || files[i - 1]!.kind === 'BASE AOF') lines.push('Start to check INCR files.');
        single(f, i === files.length - 1, counter, lines, after, o);
      });
      lines.push('All AOF files and manifest are valid');
    } else {
      lines.push('Start checking Old-Style AOF');
      single(files[0]!, true, counter, lines, after, o);
    }
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    exitCode = e.code;
  }
  return { lines, exitCode, after };
}

const hex16 = (n: number): string => `0x${n.toString(16).padStart(16, ' ')}`;
const cstrLower = (s: string): string => (s.includes('\0') ? s.slice(0, s.indexOf('\0')) : s).toLowerCase();

/** One file (redis: checkSingleAof + the report line of checkMultiPartAof / checkOldStyleAof). */
function single(
  f: ModelFile,
  lastFile: boolean,
  counter: { line: number },
  lines: string[],
  after: Map<string, string>,
  o: CheckModelOptions,
): void {
  const report = (what: string): void => void lines.push(`${f.kind} ${f.name} ${what}`);
  if (f.size === 0) return report('is empty');
  const size = f.size;
  let multi = 0;
  let pos = 0;
  let epos = 0;
  let error = '';
  let garbage = false; // the loop stopped at a byte that starts no record
  let failed = false; // the loop stopped inside a record or at a stray byte
  let shortRead = false;
  const notes: { kind: string; offset: number; count: number; detail: string }[] = [];
  const note = (kind: string, offset: number, detail = ''): void => {
    const n = notes.find((x) => x.kind === kind);
    if (n) n.count++;
    else notes.push({ kind, offset, count: 1, detail });
  };
  const err = (msg: string): void => {
    error = `${hex16(epos)}: ${msg}`;
  };

  scan: for (const pc of f.pieces) {
    if (multi === 0) pos = pc.start;
    if (pc.start >= size) break;
    if (pc.kind === 'garbage') {
      lines.push(`AOF ${f.name} format error`);
      garbage = true;
      failed = true;
      note('format-error', pc.start, pc.byte === 0 ? 'a zero byte' : `byte 0x${pc.byte.toString(16).padStart(2, '0')}`);
      break;
    }
    if (pc.kind === 'ts') {
      epos = pc.start;
      if (o.toTimestamp === 0) continue;
      // A cut annotation is read as far as it goes: strtol must stop at a CR, else it is invalid.
      const text = f.bytes.slice(pc.start, Math.min(pc.end, size));
      if (text.length < 4) continue;
      const m = /^#TS:([0-9]*)(\r?)/.exec(text)!;
      if (m[2] !== '\r') {
        lines.push('Invalid timestamp annotation');
        throw new Exit(1);
      }
      const ts = m[1] === '' ? 0 : Number(m[1]);
      if (ts <= o.toTimestamp) continue;
      const t = o.toTimestamp;
      if (pc.start === 0) {
        lines.push(`AOF ${f.path} has nothing before timestamp ${t}, aborting...`);
        throw new Exit(1);
      }
      if (!lastFile) {
        lines.push(`Failed to truncate AOF ${f.path} to timestamp ${t} to offset ${pc.start} because it is not the last file.`);
        lines.push(
          'If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.',
        );
        throw new Exit(1);
      }
      after.set(f.path, f.bytes.slice(0, pc.start));
      return void lines.push(`Successfully truncated AOF ${f.name} to timestamp ${t}`);
    }
    for (let k = 0; k < pc.toks.length; k++) {
      const t = pc.toks[k]!;
      epos = t.start;
      if (t.line) {
        if (t.start >= size) {
          shortRead = true; // fgets finds nothing: readLong fails without a message
          failed = true;
          break scan;
        }
        if (t.end > size) {
          // A header line cut before its LF: strtol stops at the CR (if any), then the CRLF test
          // reads the CR and the NUL fgets put after it. Without the CR the second byte is stale.
          shortRead = true;
          const rest = f.bytes.slice(t.start + 1, size).replace(/^[0-9]*/, '');
          err(rest === '\r' ? 'Expected \\r\\n, got: 0d00' : 'Expected \\r\\n, got: 00');
          failed = true;
          break scan;
        }
        counter.line++;
        if (k === 0 && pc.argc === 0) note('empty-command', pc.start, '0');
      } else {
        if (t.end > size) {
          shortRead = true;
          err(`Expected to read ${t.len + 2} bytes, got ${Math.max(0, size - t.start)} bytes`);
          failed = true;
          break scan;
        }
        counter.line++;
        if (k === 2) {
          const w = cstrLower(t.text);
          if (w === 'multi' && multi++ !== 0) {
            err(`Unexpected MULTI in AOF ${f.path}`);
            note('nested-multi', t.start);
            failed = true;
          break scan;
          }
          if (w === 'exec' && --multi !== 0) {
            err(`Unexpected EXEC in AOF ${f.path}`);
            note('exec-without-multi', t.start);
            failed = true;
          break scan;
          }
        }
      }
    }
  }
  // The loop's last round takes pos at EOF, unless a record was still failing or a MULTI open.
  if (!failed && multi === 0) pos = size;
  // Every other way out of the loop is at EOF (redis: feof(fp)).
  if (multi !== 0 && error === '' && !garbage) {
    err('Reached EOF before reading EXEC for MULTI');
    shortRead = true;
  }
  if (error !== '') lines.push(error);
  if (o.aofsimLines) for (const n of notes) lines.push(noteText(n, f.name));
  const diff = size - pos;
  if (o.aofsimLines && diff > 0 && shortRead) {
    const where = `${f.name}@${hexOffset(pos)}`;
    lines.push(
      lastFile
        ? `aofsim: note: ${where}: the file ends inside ${multi !== 0 ? 'a MULTI block' : 'a record'}; Redis with aof-load-truncated yes (the default) would load it and truncate it here (or just before annotations preceding this point)`
        : `aofsim: note: ${where}: the file ends inside a record but is not the last file; Redis refuses to start ("Fatal error: the truncated file is not the last file")`,
    );
  }
  if (diff === 0 && o.toTimestamp !== 0) {
    lines.push(`Truncate nothing in AOF ${f.name} to timestamp ${o.toTimestamp}`);
    return report('is valid');
  }
  lines.push(`AOF analyzed: filename=${f.name}, size=${size}, ok_up_to=${pos}, ok_up_to_line=${counter.line}, diff=${diff}`);
  if (diff === 0) return report('is valid');
  if (!o.fix) {
    lines.push(`AOF ${f.name} is not valid. Use the --fix option to try fixing it.`);
    throw new Exit(1);
  }
  if (!lastFile) {
    lines.push(`Failed to truncate AOF ${f.name} because it is not the last file`);
    throw new Exit(1);
  }
  lines.push(`This will shrink the AOF ${f.name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes`);
  lines.push(PROMPT);
  if (o.answer === null || !/^[yY]/.test(o.answer)) {
    lines.push('Aborting...');
    throw new Exit(1);
  }
  after.set(f.path, f.bytes.slice(0, pos));
  lines.push(`Successfully truncated AOF ${f.name}`);
}

function noteText(n: { kind: string; offset: number; count: number; detail: string }, file: string): string {
  const where = `${file}@${hexOffset(n.offset)}`;
  const times = n.count > 1 ? ` (${n.count} times in this file)` : '';
  const text: Record<string, string> = {
    'empty-command': `aofsim: warning: ${where}: '*${n.detail}' (a command without arguments) passes redis-check-aof, but the loader refuses the file (format error: argc < 1)`,
    'nested-multi': `aofsim: warning: ${where}: redis-check-aof refuses a nested MULTI; the loader does not pair MULTI/EXEC and would queue it (not fatal)`,
    'exec-without-multi': `aofsim: warning: ${where}: redis-check-aof refuses EXEC without MULTI; the loader runs it and gets an error reply (not fatal)`,
    'format-error': `aofsim: note: ${where}: a record starts with ${n.detail}; the loader refuses the file too ("Bad file format"), even with aof-load-truncated yes; --fix cuts the file here`,
  };
  return text[n.kind]! + times;
}

/** A stale byte of 4.0/7.0's fgets buffer follows a NUL: compare only what precedes it. */
export function sameLine(actual: string, expected: string): boolean {
  if (expected.endsWith('Expected \\r\\n, got: 00')) return actual.startsWith(expected) && actual.length === expected.length + 2;
  return actual === expected;
}
