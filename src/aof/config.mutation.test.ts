// resolveAofConfig's validation and overrides, pinned (mutation survivors of config.ts).
import { describe, expect, it } from 'vitest';
import { isAofError } from '../base/errors.ts';
import { defaultAofConfig, resolveAofConfig } from './config.ts';

function problems(input: Parameters<typeof resolveAofConfig>[0]): string {
  try {
    resolveAofConfig(input);
    return '';
  } catch (e) {
    if (!isAofError(e)) throw e;
    return e.message;
  }
}

describe('resolveAofConfig', () => {
  it('an undefined field keeps the default (a partial built from optional fields)', () => {
    const cfg = resolveAofConfig({ profile: 'redis-7.0', hz: undefined, appendfsync: undefined, appendonly: true });
    const d = defaultAofConfig('redis-7.0');
    expect(cfg.hz).toBe(d.hz);
    expect(cfg.appendfsync).toBe(d.appendfsync);
    expect(cfg.appendonly).toBe(true);
  });

  it('7.0: hz is an integer in 0..INT_MAX, kept within 1..500 (redis 7.0.15: createIntConfig hz bounds, then loadServerConfigFromString / updateHZ clamp)', () => {
    const hz = (v: number): number => resolveAofConfig({ profile: 'redis-7.0', hz: v }).hz;
    expect([hz(1), hz(500), hz(0), hz(501), hz(2147483647)]).toEqual([1, 500, 1, 500, 500]);
    expect(problems({ profile: 'redis-7.0', hz: -1 })).toContain('hz must be an integer in 0..2147483647, got -1');
    expect(problems({ profile: 'redis-7.0', hz: 2147483648 })).toContain('hz must be an integer in 0..2147483647, got 2147483648');
    expect(problems({ profile: 'redis-7.0', hz: 2.5 })).toContain('hz must be an integer in 0..2147483647, got 2.5');
  });

  it("4.0: hz is what atoi makes of its text, as an int, kept within 1..500 (redis 4.0.14: loadServerConfigFromString's hz branch)", () => {
    const hz = (v: number): number => resolveAofConfig({ profile: 'redis-4.0', hz: v }).hz;
    expect([hz(1), hz(500), hz(0), hz(-5), hz(600), hz(7)]).toEqual([1, 500, 1, 1, 500, 7]);
    // (int) of strtol: 2^31 wraps to INT_MIN, 2^32 + 7 to 7; atoi("2.5") is 2, atoi("NaN") is 0.
    expect([hz(2147483648), hz(4294967303), hz(2.5), hz(Number.NaN), hz(Number.POSITIVE_INFINITY)]).toEqual([1, 7, 2, 1, 1]);
  });

  it('all problems are reported at once, separated by "; "', () => {
    expect(problems({ profile: 'redis-7.0', hz: -1, appendfsync: 'sometimes' as 'no' })).toBe(
      "AOF_CONFIG: appendfsync must be always, everysec or no, got 'sometimes'; hz must be an integer in 0..2147483647, got -1",
    );
  });

  it('an unknown bug switch lists the known ones, comma-separated', () => {
    const msg = problems({ bugs: ['no-such-bug'] });
    expect(msg).toMatch(/unknown bug switch 'no-such-bug' \(known: [a-z0-9-]+(, [a-z0-9-]+)+\)$/);
  });
});
