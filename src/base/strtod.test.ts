import { describe, expect, it } from 'vitest';
import { strtod } from './strtod.ts';
import { parseDouble } from '../commands/args.ts';
import { parseDoubleText } from '../rdb/int-text.ts';

describe('strtod: the one reader of C doubles', () => {
  it('reads prefixes as glibc does and reports ERANGE where Redis checks it', () => {
    expect(strtod('1.5e3xyz', 0)).toEqual({ value: 1500, end: 5, erange: false });
    expect(strtod('0x1.8p3', 0)).toEqual({ value: 12, end: 7, erange: false });
    expect(strtod('-Infinity', 0)).toEqual({ value: -Infinity, end: 9, erange: false });
    expect(strtod('1e999', 0)).toEqual({ value: Infinity, end: 5, erange: true });
    expect(strtod('-1e999', 0)).toEqual({ value: -Infinity, end: 6, erange: true });
    expect(strtod('1e-400', 0)).toEqual({ value: 0, end: 6, erange: true });
    expect(strtod('0e-400', 0)).toEqual({ value: 0, end: 6, erange: false });
    expect(strtod('4e-320', 0).erange).toBe(false); // subnormal: Redis accepts it
    expect(strtod('abc', 0)).toEqual({ value: 0, end: 0, erange: false });
    expect(strtod('x 12', 2)).toEqual({ value: 12, end: 4, erange: false });
  });

  it('string2d (command arguments): whole text, no leading space, no NaN, no ERANGE', () => {
    expect(parseDouble('1.5')).toBe(1.5);
    expect(parseDouble('+inf')).toBe(Infinity);
    expect(parseDouble('0x10')).toBe(16);
    for (const bad of ['', ' 1', '1 ', 'nan', '1e999', '1e-400', '1.5x', '.', 'e5']) expect(parseDouble(bad)).toBeNull();
  });

  it('%lg (RDB text doubles): leading space skipped, trailing text ignored, NaN when nothing reads', () => {
    expect(parseDoubleText(' 2.5')).toBe(2.5);
    expect(parseDoubleText('2.5zz')).toBe(2.5);
    expect(parseDoubleText('-inf')).toBe(-Infinity);
    expect(parseDoubleText('zz')).toBeNaN();
    expect(parseDoubleText('')).toBeNaN();
  });
});
