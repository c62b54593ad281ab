import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createNodeFs } from '../../src/adapters/node/node-fs.ts';
import { nodeClock } from '../../src/adapters/node/node-clock.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { parseDumpArgs } from './dump.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/redis-7.0.15/golden/golden-resp', import.meta.url));

describe('aofsim dump --digest', () => {
  it('prints 40 hex digits and a newline instead of the dump (equality with redis-server: digest-vs-redis.test.ts)', () => {
    const opts = parseDumpArgs([GOLDEN, '--digest']);
    expect(opts.digest).toBe(true);
    const out = runDump(createNodeFs(), opts, nodeClock);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^[0-9a-f]{40}\n$/);
    expect(out.stdout).not.toBe('0'.repeat(40) + '\n');
    // --at-ms far in the future: every key with a TTL is gone, so the digest changes only if some key expires.
    const later = runDump(createNodeFs(), parseDumpArgs([GOLDEN, '--digest', '--at-ms', '9999999999999']), nodeClock);
    expect(later.stdout).toMatch(/^[0-9a-f]{40}\n$/);
  });
});
