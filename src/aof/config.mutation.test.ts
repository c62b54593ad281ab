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

  it('hz must be an integer in 1..500', () => {
    expect(problems({ hz: 1 })).toBe('');
    expect(problems({ hz: 500 })).toBe('');
    expect(problems({ hz: 0 })).toContain('hz must be an integer in 1..500, got 0');
    expect(problems({ hz: 501 })).toContain('hz must be an integer in 1..500, got 501');
    expect(problems({ hz: 2.5 })).toContain('hz must be an integer in 1..500, got 2.5');
  });

  it('all problems are reported at once, separated by "; "', () => {
    expect(problems({ hz: 0, appendfsync: 'sometimes' as 'no' })).toBe(
      "AOF_CONFIG: appendfsync must be always, everysec or no, got 'sometimes'; hz must be an integer in 1..500, got 0",
    );
  });

  it('an unknown bug switch lists the known ones, comma-separated', () => {
    const msg = problems({ bugs: ['no-such-bug'] });
    expect(msg).toMatch(/unknown bug switch 'no-such-bug' \(known: [a-z0-9-]+(, [a-z0-9-]+)+\)$/);
  });
});
