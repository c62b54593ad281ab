import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitArgs } from './split-args.ts';
import { catRepr, needsRepr } from './sds-repr.ts';
import { testSeed } from '../../base/test-seed.ts';

/** The suite seed (AOFSIM_SEED, else fixed): the same runs every time. */
const SEED = testSeed(process.env);

describe('splitArgs (redis sdssplitargs)', () => {
  it('splits on blanks, keeps empty input as no tokens', () => {
    expect(splitArgs('  a  b\tc ')).toEqual(['a', 'b', 'c']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs(' \t ')).toEqual([]);
  });

  it('double quotes: escapes, \\xHH, and quotes joining a token', () => {
    expect(splitArgs('"a b" "\\x41\\x4a\\n\\r\\t\\b\\a\\"\\\\\\q"')).toEqual(['a b', 'AJ\n\r\t\b\x07"\\q']);
    expect(splitArgs('ab"cd"')).toEqual(['abcd']);
    expect(splitArgs('"\\xZZ"')).toEqual(['xZZ']);
  });

  it("single quotes only understand \\'", () => {
    expect(splitArgs("'a\\'b\\n'")).toEqual(["a'b\\n"]);
  });

  it('fails on unbalanced quotes and on a closing quote followed by a non-blank', () => {
    expect(splitArgs('"abc')).toBeNull();
    expect(splitArgs("'abc")).toBeNull();
    expect(splitArgs('"a"b')).toBeNull();
    expect(splitArgs("'a'b")).toBeNull();
  });

  it('unquoted tokens end at space, tab, CR, LF but not at \\v or \\f', () => {
    expect(splitArgs('a\x0bb c\fd')).toEqual(['a\x0bb', 'c\fd']);
  });
});

describe('needsRepr / catRepr (redis sdsneedsrepr / sdscatrepr)', () => {
  it('plain names are not quoted', () => {
    expect(needsRepr('appendonly.aof.1.base.rdb')).toBe(false);
    expect(needsRepr('a b')).toBe(true);
    expect(needsRepr('\x7f')).toBe(true);
  });

  it('splitArgs inverts catRepr for any NUL-free bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 40 }), (codes) => {
        const s = String.fromCharCode(...codes);
        expect(splitArgs(catRepr(s))).toEqual([s]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
