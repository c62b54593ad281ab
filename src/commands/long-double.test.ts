import { describe, expect, it } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, incrByFloatText, parseLongDouble } from './long-double.ts';

// Expected texts were produced by glibc on x86-64: strtold, long double addition, "%.17Lf" and
// Redis's LD_STR_HUMAN trimming (a C program mirroring util.c ld2string).
describe('x87 long double as INCRBYFLOAT computes it', () => {
  it.each([
    ['0', '1.5', '1.5'],
    ['1.5', '0.1', '1.6'],
    ['1.6', '300', '301.60000000000000001'],
    ['10.5', '0.1', '10.6'],
    ['0.1', '0.2', '0.3'],
    ['5.0e3', '2.0e2', '5200'],
    ['3', '-3', '0'],
    ['0', '-0', '0'],
    ['-1.5', '1', '-0.5'],
    ['17179869184', '1.5', '17179869185.5'],
    ['0', '12345678901234567890.123', '12345678901234567890'],
    ['0', '0x10', '16'],
    ['0', '1e-5', '0.00001'],
  ])('%s + %s = %s', (a, b, want) => {
    expect(incrByFloatText(a, b)).toBe(want);
  });
  it('rejects what strtold + string2ld reject', () => {
    for (const bad of ['', ' 1', '1 ', 'abc', '1e', '.', 'nan', '1e-5000', '0x']) {
      expect(parseLongDouble(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(incrByFloatText('abc', '1')).toEqual({ error: 'not-float' });
    expect(incrByFloatText('1', 'inf')).toEqual({ error: 'nan-or-inf' });
    expect(incrByFloatText('1', '1e5000')).toEqual({ error: 'not-float' }); // strtold ERANGE
    expect(incrByFloatText('1e4932', '1e4932')).toEqual({ error: 'nan-or-inf' });
  });
  it('rounds to a 64-bit mantissa, half to even', () => {
    const two64 = parseLongDouble('18446744073709551617'); // 2^64 + 1: ties to even -> 2^64
    expect(two64).not.toBeNull();
    expect(formatLongDoubleHuman(two64 as { neg: boolean; m: bigint; e: number })).toBe('18446744073709551616');
    const a = parseLongDouble('1') as { neg: boolean; m: bigint; e: number };
    const tiny = parseLongDouble('1e-30') as { neg: boolean; m: bigint; e: number };
    expect(formatLongDoubleHuman(addLongDouble(a, tiny) ?? a)).toBe('1');
  });
});
