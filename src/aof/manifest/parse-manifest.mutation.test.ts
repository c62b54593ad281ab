// atoll past 15 digits (the BigInt path): the sign and glibc's saturation (mutation survivors).
import { describe, expect, it } from 'vitest';
import { atoll } from './parse-manifest.ts';

describe('atoll', () => {
  it('skips leading white space (space, \\t..\\r) as strtoll does', () => {
    expect(atoll(' \t\n\v\f\r12')).toBe(12);
    expect(atoll('  -3')).toBe(-3);
  });
});

describe('atoll, 16 digits and more', () => {
  it('keeps the sign', () => {
    expect(atoll('1234567890123456')).toBe(1234567890123456);
    expect(atoll('-1234567890123456')).toBe(-1234567890123456);
    expect(atoll('+9007199254740993')).toBe(Number(9007199254740993n));
  });

  it('saturates at LLONG_MAX and LLONG_MIN', () => {
    expect(atoll('99999999999999999999')).toBe(Number(9223372036854775807n));
    expect(atoll('-99999999999999999999')).toBe(Number(-9223372036854775808n));
  });
});
