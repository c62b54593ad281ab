// The blocking commands' timeout as Redis reads it. The 7.0 ms values were produced by glibc on
// x86-64 with `(long long) ceill(strtold(s) * 1000.0)`, the expression of redis 7.0.15
// timeout.c getTimeoutFromObjectOrReply; the replies were checked against redis-server 7.0.15.

import { describe, expect, it } from 'vitest';
import { blockingTimeout } from './blocking-timeout.ts';
import type { Reply } from './reply.ts';

const at = (profile: 'redis-7.0' | 'redis-4.0', s: string, unit: 'seconds' | 'ms' = 'seconds', nowMs = 0) => {
  const t = blockingTimeout(profile, s, unit, nowMs);
  return 'kind' in t ? (t as Reply & { kind: 'error' }).value : t.offsetMs;
};

describe('blocking timeout, redis 7.0.15 (seconds as a long double, ceil of the ms)', () => {
  it.each([
    ['0', 0],
    ['-0', 0],
    ['1.5', 1500],
    ['0.1', 100],
    ['0.3', 300],
    ['0.001', 1],
    ['0.0001', 1],
    ['0.0010000000000000000001', 2],
    ['1.0000000000000001', 1001],
    ['2.0000000000000000001', 2000],
    ['0x1p-3', 125],
    ['1e13', 1e16],
    ['9.2e15', 9.2e18],
    ['9223372036854775.807', 9223372036854775807],
    ['1e-400', 1],
  ])('%s s is %d ms', (s, ms) => {
    expect(at('redis-7.0', s)).toBe(ms);
  });

  it('rounds a small negative timeout up to 0 (block forever), not "negative"', () => {
    for (const s of ['-0.0001', '-0.0005', '-0.0009', '-0.001']) expect(at('redis-7.0', s)).toBe(0);
    expect(at('redis-7.0', '-0.0011')).toBe('ERR timeout is negative');
  });

  it('refuses as negative what does not fit a long long in ms (LLONG_MIN on x86-64)', () => {
    for (const s of ['9.3e15', '9223372036854775.808', 'inf', '+inf', '-inf', '1e400', '-1e400']) expect(at('redis-7.0', s)).toBe('ERR timeout is negative');
  });

  it('refuses what string2ld refuses', () => {
    for (const s of ['nan', ' 1', '1 ', '', '.', 'x', '1e5000']) expect(at('redis-7.0', s)).toBe('ERR timeout is not a float or out of range');
  });

  it('wraps the deadline like Redis: one past LLONG_MAX - now is in the past', () => {
    expect(at('redis-7.0', '9223372036854775.807', 'seconds', 1000)).toBe(-18446744073709551616 + 9223372036854775807);
  });
});

describe('blocking timeout in ms (XREAD BLOCK) and on redis 4.0.14 (whole seconds)', () => {
  it('XREAD BLOCK takes a long long of ms', () => {
    expect(at('redis-7.0', '1500', 'ms')).toBe(1500);
    expect(at('redis-7.0', '1.5', 'ms')).toBe('ERR timeout is not an integer or out of range');
    expect(at('redis-7.0', '-1', 'ms')).toBe('ERR timeout is negative');
  });

  it('4.0 takes whole seconds and multiplies by 1000 with wrap-around', () => {
    expect(at('redis-4.0', '2')).toBe(2000);
    expect(at('redis-4.0', '0.5')).toBe('ERR timeout is not an integer or out of range');
    expect(at('redis-4.0', '-1')).toBe('ERR timeout is negative');
    expect(at('redis-4.0', '9300000000000000')).toBe(Number(BigInt.asIntN(64, 9300000000000000n * 1000n)));
  });
});
