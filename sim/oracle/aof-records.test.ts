import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanRecords } from './aof-records.ts';

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const record = (argv: string[]): string => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

describe('scanRecords', () => {
  it('ends the clean prefix at whole records outside MULTI blocks', () => {
    const set = record(['SET', 'k', 'v']);
    expect(scanRecords(enc(set + set))).toEqual({ cleanBytes: 2 * set.length, torn: false, malformed: false });
    expect(scanRecords(enc(set + set.slice(0, 7)))).toEqual({ cleanBytes: set.length, torn: true, malformed: false });
    const block = record(['MULTI']) + set;
    expect(scanRecords(enc(set + block))).toEqual({ cleanBytes: set.length, torn: true, malformed: false });
    expect(scanRecords(enc(set + block + record(['exec'])))).toEqual({ cleanBytes: 2 * set.length + record(['MULTI']).length + record(['exec']).length, torn: false, malformed: false });
    expect(scanRecords(enc('REDIS0009\xfa'))).toMatchObject({ cleanBytes: 0, malformed: true });
    expect(scanRecords(enc(''))).toEqual({ cleanBytes: 0, torn: false, malformed: false });
  });

  it('a stream of records cut at any byte is torn exactly when the cut is not at a clean boundary', () => {
    const arg = fc.string({ maxLength: 12 }).map((s) => Buffer.from(s, 'utf8').toString('latin1'));
    const unit = fc.oneof(
      fc.array(arg, { minLength: 1, maxLength: 3 }).map((a) => [record(['SET', ...a])]),
      fc.array(fc.array(arg, { minLength: 1, maxLength: 2 }), { maxLength: 3 }).map((cmds) => [record(['MULTI']), ...cmds.map((c) => record(['SET', ...c])), record(['EXEC'])]),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 5 }), fc.nat(), (units, cutSeed) => {
        const text = units.flat().join('');
        const boundaries = new Set<number>([0]);
        let at = 0;
        for (const u of units) {
          at += u.join('').length;
          boundaries.add(at);
        }
        const cut = text.length === 0 ? 0 : cutSeed % (text.length + 1);
        const scan = scanRecords(enc(text.slice(0, cut)));
        expect(scan.malformed).toBe(false);
        expect(scan.torn).toBe(!boundaries.has(cut));
        expect(boundaries.has(scan.cleanBytes) && scan.cleanBytes <= cut).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
