import { describe, expect, it } from 'vitest';
import { findConfigKey, parseConfigValue } from './config-keys.ts';

describe('parseConfigValue: aofsim-profile (the one directive of its kind: which Redis aofsim behaves as)', () => {
  const k = findConfigKey('aofsim-profile');
  it('takes the two profile names as they are spelled, and refuses anything else with the choices', () => {
    expect(k).toBeDefined();
    expect(parseConfigValue(k!, 'redis-4.0')).toEqual({ value: 'redis-4.0' });
    expect(parseConfigValue(k!, 'redis-7.0')).toEqual({ value: 'redis-7.0' });
    for (const bad of ['redis-7.2', 'REDIS-7.0', '', '7.0']) {
      expect(parseConfigValue(k!, bad)).toEqual({ error: 'argument must be redis-4.0 or redis-7.0' });
    }
  });
});
