import { describe, expect, it } from 'vitest';
import { stringMatch } from './glob.ts';

describe('stringMatch (redis stringmatchlen)', () => {
  it.each([
    ['*', 'anything', true],
    ['h*llo', 'heeello', true],
    ['h?llo', 'hallo', true],
    ['h?llo', 'hllo', false],
    ['h[ae]llo', 'hello', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hello', false],
    ['h[^e]llo', 'hallo', true],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true],
    ['h\\*', 'h*', true],
    ['h\\*', 'hx', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['', '', true],
    ['**', '', true],
  ])('%s ~ %s = %s', (p, s, want) => {
    expect(stringMatch(p, s, false)).toBe(want);
  });
  it('nocase folds ASCII only', () => {
    expect(stringMatch('HeLLo', 'hello', true)).toBe(true);
    expect(stringMatch('HeLLo', 'hello', false)).toBe(false);
  });
  it('gives up quickly on pathological patterns', () => {
    expect(stringMatch('a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(60), false)).toBe(false);
  });
});
