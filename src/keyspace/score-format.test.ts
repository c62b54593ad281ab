import { describe, expect, it } from 'vitest';
import { formatScoreG17, formatScoreShortest } from './score-format.ts';

describe('formatScoreG17 (printf %.17g)', () => {
  it('matches the scores redis 7.0.15 wrote in the preamble-no fixture', () => {
    expect(formatScoreG17(-Infinity)).toBe('-inf');
    expect(formatScoreG17(0.1)).toBe('0.10000000000000001');
    expect(formatScoreG17(1.5)).toBe('1.5');
    expect(formatScoreG17(3.0000000000000004)).toBe('3.0000000000000004');
    expect(formatScoreG17(125)).toBe('125');
  });
  it('uses the exponent form outside [1e-4, 1e17)', () => {
    expect(formatScoreG17(1e17)).toBe('1e+17');
    expect(formatScoreG17(1e16)).toBe('10000000000000000');
    expect(formatScoreG17(0.0001)).toBe('0.0001');
    expect(formatScoreG17(0.00001)).toBe('1.0000000000000001e-05');
    expect(formatScoreG17(-2.5e-300)).toBe('-2.5e-300');
    expect(formatScoreG17(1.7976931348623157e308)).toBe('1.7976931348623157e+308');
    expect(formatScoreG17(-0)).toBe('-0');
  });
  it('rounds an exact tie to even as glibc does (JS toExponential rounds it up)', () => {
    expect(formatScoreG17(1234567890123456.25)).toBe('1234567890123456.2');
    expect(formatScoreG17(1234567890123456.75)).toBe('1234567890123456.8');
  });
  it('round-trips through parseFloat', () => {
    for (const x of [Math.PI, -1 / 3, 5e-324, 123456789.123, 2 ** 53 + 2, 1e-7]) {
      expect(parseFloat(formatScoreG17(x))).toBe(x);
      expect(parseFloat(formatScoreShortest(x))).toBe(x);
    }
  });
  it('shortest form prints inf like redis', () => {
    expect(formatScoreShortest(Infinity)).toBe('inf');
    expect(formatScoreShortest(0.1)).toBe('0.1');
  });
});
