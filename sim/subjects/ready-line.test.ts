// readyLineLogged: a start waits for "Ready to accept connections" only when its log level shows it
// (a notice in Redis; hidden under warning and nothing), else every start would wait out the bound.

import { describe, expect, it } from 'vitest';
import { readyLineLogged } from './real-redis-server.ts';

describe('readyLineLogged', () => {
  it('is true by default and under notice, verbose and debug', () => {
    expect(readyLineLogged(['redis-server', '--port', '0'])).toBe(true);
    for (const level of ['notice', 'verbose', 'debug']) expect(readyLineLogged(['redis-server', '--loglevel', level])).toBe(true);
  });
  it('is false under warning and nothing', () => {
    expect(readyLineLogged(['redis-server', '--loglevel', 'warning'])).toBe(false);
    expect(readyLineLogged(['redis-server', '--loglevel', 'nothing'])).toBe(false);
  });
  it('takes the last --loglevel, as Redis does', () => {
    expect(readyLineLogged(['redis-server', '--loglevel', 'warning', '--hz', '100', '--loglevel', 'notice'])).toBe(true);
    expect(readyLineLogged(['redis-server', '--loglevel', 'notice', '--loglevel', 'warning'])).toBe(false);
  });
});
