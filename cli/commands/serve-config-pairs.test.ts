// `aofsim serve --profile P --config key value`: the pairs are read as P's redis-server reads its
// config (src/aof/config-keys.ts configFromPairs: 4.0.14's loadServerConfigFromString under
// redis-4.0, 7.0.15's config set functions under redis-7.0), and a size past 2^53 reaches CONFIG GET
// digit for digit. The expected values are what redis-server 4.0.14 / 7.0.15 print for CONFIG GET
// after the same `--key value` at startup
// (properties/conformance/aof-config-startup-vs-redis40.test.ts compares with 4.0.14 generatively).
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../command.ts';
import { nullLog } from '../../src/ports/log.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { startServe, type ServeHandle } from './serve.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

async function serve(profile: 'redis-4.0' | 'redis-7.0', config: [string, string][]): Promise<ServeHandle> {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'aofsim-serve-pairs-'));
  dirs.push(dir);
  return startServe({ port: 0, dir, profile, config, quiet: true, log: nullLog });
}

/** CONFIG GET `name` on the served Server, as `value` (the reply's second bulk). */
function get(h: ServeHandle, name: string): string {
  const r: Reply = h.server.call(h.server.newClient(), ['CONFIG', 'GET', name]);
  if (r.kind !== 'array' || r.value === null || r.value.length !== 2 || r.value[1]!.kind !== 'bulk') throw new Error(JSON.stringify(r));
  return r.value[1]!.value ?? '$nil';
}

describe('aofsim serve --config under each profile', () => {
  it('redis-4.0: atoi for hz and the percentage, memtoll for the size (a negative one kept), 64 bits exact', async () => {
    const h = await serve('redis-4.0', [
      ['hz', '12abc'],
      ['auto-aof-rewrite-percentage', '4294967396'],
      ['auto-aof-rewrite-min-size', '-5mb'],
      ['appendfsync', 'EVERYSEC'],
    ]);
    try {
      expect([get(h, 'hz'), get(h, 'auto-aof-rewrite-percentage'), get(h, 'auto-aof-rewrite-min-size'), get(h, 'appendfsync')]).toEqual(['12', '100', '-5242880', 'everysec']);
    } finally {
      await h.stop();
    }
    const h2 = await serve('redis-4.0', [['auto-aof-rewrite-min-size', '99999999999999999999']]);
    try {
      expect(get(h2, 'auto-aof-rewrite-min-size')).toBe('9223372036854775807');
    } finally {
      await h2.stop();
    }
  });

  it('redis-4.0 refuses what 4.0.14 refuses at startup: a negative percentage, a 7.0-only key', async () => {
    await expect(serve('redis-4.0', [['auto-aof-rewrite-percentage', '2147483648']])).rejects.toThrow(new UsageError("bad value for 'auto-aof-rewrite-percentage': Invalid negative percentage for AOF auto rewrite"));
    await expect(serve('redis-4.0', [['aof-timestamp-enabled', 'yes']])).rejects.toThrow(/not a redis 4.0 directive/);
  });

  it('redis-7.0: its own rules, and a size past 2^53 printed exactly', async () => {
    await expect(serve('redis-7.0', [['hz', '12abc']])).rejects.toThrow(/argument couldn't be parsed into an integer/);
    const h = await serve('redis-7.0', [['auto-aof-rewrite-min-size', '9223372036854775807']]);
    try {
      expect(get(h, 'auto-aof-rewrite-min-size')).toBe('9223372036854775807');
    } finally {
      await h.stop();
    }
  });
});
