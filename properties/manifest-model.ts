// Generated AOF manifests (valid and damaged) with what Redis 7.0.15's reader makes of them, known
// from how each line was written: the files (name, seq, type) and the counters, or the one error
// (message, line number and the trimmed line Redis echoes). The oracle of
// properties/manifest-reader-matches-redis.test.ts; the conformance twin
// (properties/conformance/manifest-model-vs-redis.test.ts) holds it against redis-check-aof 7.0.15,
// which reads manifests with the server's own function.
//
// What the lines exercise (spec 2.2.1, aof.c aofLoadManifestFromFile, sds.c sdssplitargs): keys in
// any case and any order, unknown keys, repeated keys (the last wins), blanks and tabs around and
// between tokens, CRLF endings, `#` comments; names raw, double-quoted with \xHH (either hex case),
// \n-style and \<any> escapes, or single-quoted; seq as atoll reads it (blanks, sign, leading zeros,
// trailing junk, more than 15 digits); type by its first byte. Damage: a blank line, too few or an
// odd number of tokens, no name, seq 0, no type, a path, an unknown type, bad quoting, a duplicate
// BASE, a non-monotonic INCR, a NUL, an over-long line, no final newline, an empty file.

import fc from 'fast-check';

export type FileType = 'b' | 'h' | 'i';
export interface Entry {
  name: string;
  seq: number;
  type: FileType;
}

export type ManifestOutcome =
  | { ok: true; base: Entry | null; history: Entry[]; incrs: Entry[]; currBaseSeq: number; currIncrSeq: number }
  | { ok: false; reason: string; line?: number; lineText?: string };

export interface ManifestCase {
  /** The manifest's bytes (latin1). */
  text: string;
  outcome: ManifestOutcome;
  /** The first line that is not a comment starts with `file` (redis-check-aof takes it for a manifest). */
  startsWithFile: boolean;
}

// ---------------------------------------------------------------------------------------------
// Spelling one token

/** Bytes a name is made of: some need quoting, none is '/', '\\' or NUL. */
const nameChar = fc.constantFrom('a', 'b', 'x', 'g', '.', '1', 'Z', ' ', '"', "'", '\n', '\t', '\r', '\x01', '\x7f', '\xff', '#', '$');
const nameArb = fc.array(nameChar, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));

const hexCase = (h: string, upper: boolean): string => (upper ? h.toUpperCase() : h);

/** How a name is written: raw when it can be, else one of the quotings that reads back the same. */
function spellName(name: string, how: number, upper: boolean): string {
  const plain = !/[\s"'\\\x00-\x20\x7f-\xff]/.test(name);
  if (plain && how % 3 === 0) return name;
  if (how % 3 === 1 && !/['\n]/.test(name)) return `'${name}'`; // single quotes keep bytes raw
  // double quotes: every byte as \xHH, or the short escapes, or \<byte> for printable bytes
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    const c = ch.charCodeAt(0);
    const esc: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };
    if (how % 2 === 0 || c < 0x20 || c > 0x7e) out += `\\x${hexCase(c.toString(16).padStart(2, '0'), upper)}`;
    else if (esc[ch] !== undefined) out += esc[ch];
    // \<letter> is the letter, also \x when no two hex digits follow (then it is no \xHH)
    else if (/[a-z]/.test(ch) && !'nrtba'.includes(ch) && !(ch === 'x' && /^[0-9a-fA-F]/.test(name.slice(i + 1)))) out += `\\${ch}`;
    else out += ch;
  }
  return out + '"';
}

/** seq spellings that atoll reads as `seq` (quoted when they hold blanks). */
function spellSeq(seq: number, how: number): string {
  const s = String(Math.abs(seq));
  const sign = seq < 0 ? '-' : '';
  switch (how % 6) {
    case 0:
      return `${sign}${s}`;
    case 1:
      return `${sign || '+'}${s}`;
    case 2:
      return `${sign}000${s}`;
    case 3:
      return `${sign}${s}abc`;
    case 4:
      return `" \\t${sign}${s}"`;
    default:
      return `${sign}${s.padStart(19, '0')}`; // past 15 digits: atoll's long path
  }
}

const TYPE_WORDS: Record<FileType, string[]> = { b: ['b', 'base'], h: ['h', 'history'], i: ['i', 'incr'] };
const caseOf = (w: string, how: number): string => (how % 3 === 0 ? w : how % 3 === 1 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1));

// ---------------------------------------------------------------------------------------------
// One line

export type LineDamage =
  | 'none'
  | 'blank'
  | 'too-few'
  | 'odd'
  | 'no-name'
  | 'seq-zero'
  | 'no-type'
  | 'path'
  | 'unknown-type'
  | 'open-quote'
  | 'quote-junk'
  | 'nul'
  | 'too-long';

interface LineSpec {
  entry: Entry;
  /** Spelling choices. */
  how: number[];
  unknown: boolean;
  repeat: boolean;
  damage: LineDamage;
}

const BLANKS = [' ', '\t', '  ', ' \t '];

/** The line's text (without its '\n') and, when it fails on its own, the expected reason. */
function writeLine(l: LineSpec): { text: string; reason: string | null; echo: boolean } {
  const h = (i: number): number => l.how[i % l.how.length]!;
  const sep = (i: number): string => BLANKS[h(i) % BLANKS.length]!;
  const e = l.entry;
  let name = spellName(e.name, h(0), h(1) % 2 === 0);
  let seq = spellSeq(e.seq, h(2));
  let type = caseOf(TYPE_WORDS[e.type][h(3) % 2]!, 0);
  let reason: string | null = null;
  let fileKey = caseOf('file', h(4));
  let typeKey = caseOf('type', h(6));
  switch (l.damage) {
    case 'no-name':
      fileKey = 'files';
      reason = 'Invalid AOF manifest file format';
      break;
    case 'seq-zero':
      seq = ['0', 'abc', '-0', '+', '""'][h(7) % 5]!;
      reason = 'Invalid AOF manifest file format';
      break;
    case 'no-type':
      if (h(7) % 2 === 0) typeKey = 'typ';
      else type = '""';
      reason = 'Invalid AOF manifest file format';
      break;
    case 'path':
      name = h(7) % 2 === 0 ? `dir/${e.name.replace(/[^a-z]/g, '') || 'x'}` : `"a\\\\b"`;
      reason = "File can't be a path, just a filename";
      break;
    case 'unknown-type':
      type = ['x', 'B', 'I', 'H', '1'][h(7) % 5]!;
      reason = 'Unknown AOF file type';
      break;
    case 'open-quote':
      name = `"${e.name.replace(/["\\\n]/g, '')}`;
      reason = 'Invalid AOF manifest file format';
      break;
    case 'quote-junk':
      name = `"${e.name.replace(/["\\\n\r]/g, '')}"x`;
      reason = 'Invalid AOF manifest file format';
      break;
    default:
      break;
  }
  const pairs: [string, string][] = [
    [fileKey, name],
    [caseOf('seq', h(5)), seq],
    [typeKey, type],
  ];
  if (l.repeat) {
    // an earlier value of the same key, overridden by the real one (not for the name: a path
    // there would fail at once)
    const k = l.damage === 'no-type' ? 0 : h(8) % 2;
    pairs.unshift(k === 0 ? ['SEQ', '999'] : ['type', 'x']);
  }
  if (l.unknown) pairs.splice(h(9) % (pairs.length + 1), 0, [['startoffset', 'foo', 'FILEX'][h(10) % 3]!, `"v a"`]);
  // a permutation of the pairs (the repeated key must stay before its real value)
  const order = pairs.map((p, i) => ({ p, i, k: h(11 + i) }));
  if (!l.repeat) order.sort((a, b) => a.k - b.k || a.i - b.i);
  let tokens = order.flatMap((o) => o.p);
  if (l.damage === 'too-few') {
    tokens = tokens.slice(0, 4);
    reason = 'Invalid AOF manifest file format';
  } else if (l.damage === 'odd') {
    tokens = [...tokens, 'extra'];
    reason = 'Invalid AOF manifest file format';
  }
  let text = (h(19) % 2 === 0 ? '' : sep(20)) + tokens.map((t, i) => (i === 0 ? t : sep(21 + i) + t)).join('') + (h(30) % 2 === 0 ? '' : sep(31));
  if (h(32) % 3 === 0) text += '\r';
  if (l.damage === 'blank') {
    text = sep(33) + (h(34) % 2 === 0 ? '\r' : '');
    reason = 'Invalid AOF manifest file format';
  } else if (l.damage === 'nul') {
    text = `${text}\0`; // the C string stops at the NUL, before the '\n': read as too long
    return { text, reason: 'The AOF manifest file contains too long line', echo: false };
  } else if (l.damage === 'too-long') {
    text = `${text}${' '.repeat(1025)}`;
    return { text, reason: 'The AOF manifest file contains too long line', echo: false };
  }
  return { text, reason, echo: true };
}

const trimmed = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

// ---------------------------------------------------------------------------------------------
// A manifest

const lineDamageArb: fc.Arbitrary<LineDamage> = fc.oneof(
  { weight: 30, arbitrary: fc.constant('none' as const) },
  {
    weight: 12,
    arbitrary: fc.constantFrom<LineDamage>(
      'blank',
      'too-few',
      'odd',
      'no-name',
      'seq-zero',
      'no-type',
      'path',
      'unknown-type',
      'open-quote',
      'quote-junk',
      'nul',
      'too-long',
    ),
  },
);

const lineArb = (type: FileType, seq: fc.Arbitrary<number>): fc.Arbitrary<LineSpec> =>
  fc.record({
    entry: fc.record({ name: nameArb, seq, type: fc.constant(type) }),
    how: fc.array(fc.nat(50), { minLength: 40, maxLength: 40 }),
    unknown: fc.boolean(),
    repeat: fc.boolean(),
    damage: lineDamageArb,
  });

type Item = { comment: string } | { line: LineSpec };

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => ({ comment: `#${s.replace(/[\n\0]/g, '')}` })) },
  { weight: 2, arbitrary: lineArb('b', fc.integer({ min: -3, max: 9 }).filter((n) => n !== 0)).map((line) => ({ line })) },
  { weight: 2, arbitrary: lineArb('h', fc.integer({ min: -3, max: 9 }).filter((n) => n !== 0)).map((line) => ({ line })) },
  { weight: 4, arbitrary: lineArb('i', fc.integer({ min: -2, max: 12 }).filter((n) => n !== 0)).map((line) => ({ line })) },
);

export const manifestCaseArb: fc.Arbitrary<ManifestCase> = fc
  .tuple(fc.array(itemArb, { maxLength: 6 }), fc.nat(9))
  .map(([items, end]) => {
    let text = '';
    let outcome: ManifestOutcome | null = null;
    let base: Entry | null = null;
    const history: Entry[] = [];
    const incrs: Entry[] = [];
    let maxIncr = 0;
    let firstContent: string | null = null;
    items.forEach((it, i) => {
      const last = i === items.length - 1;
      // one in ten manifests loses its final newline: Redis reads that last line as too long
      const nl = last && end === 0 ? '' : '\n';
      if ('comment' in it) {
        text += it.comment + nl; // skipped before the length test, even without its newline
        return;
      }
      const w = writeLine(it.line);
      text += w.text + nl;
      firstContent ??= w.text;
      if (outcome !== null) return;
      const fail = (reason: string, echo = true): void => {
        outcome = echo ? { ok: false, reason, line: i + 1, lineText: trimmed(w.text) } : { ok: false, reason };
      };
      if (nl === '') return fail('The AOF manifest file contains too long line', false);
      if (w.reason !== null) return fail(w.reason, w.echo);
      const e = it.line.entry;
      if (e.type === 'b') {
        if (base !== null) return fail('Found duplicate base file information');
        base = e;
      } else if (e.type === 'h') {
        history.push(e);
      } else {
        if (e.seq <= maxIncr) return fail('Found a non-monotonic sequence number');
        incrs.push(e);
        maxIncr = e.seq;
      }
    });
    if (items.length === 0) outcome = { ok: false, reason: 'Found an empty AOF manifest' };
    const lastIncr = incrs[incrs.length - 1];
    const b = base as Entry | null; // assigned inside the callback, which the compiler does not follow
    outcome ??= { ok: true, base: b, history, incrs, currBaseSeq: b?.seq ?? 0, currIncrSeq: lastIncr?.seq ?? 0 };
    return { text, outcome, startsWithFile: (firstContent ?? '').startsWith('file') };
  });
