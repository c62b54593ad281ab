import { describe, expect, it } from 'vitest';
import { defaultAofConfig, resolveAofConfig } from './config.ts';
import { configFromPairs, parseMemory } from './config-keys.ts';

describe('AofConfig', () => {
  it('profile defaults differ only by aof-use-rdb-preamble (docs/redis-behaviour.md#config-defaults)', () => {
    const a = defaultAofConfig('redis-4.0');
    const b = defaultAofConfig('redis-7.0');
    expect(a.aofUseRdbPreamble).toBe(false);
    expect(b.aofUseRdbPreamble).toBe(true);
    expect({ ...a, profile: b.profile, aofUseRdbPreamble: true, bugs: b.bugs }).toEqual(b);
    expect(b.appendfsync).toBe('everysec');
    expect(b.autoAofRewriteMinSizeBytes).toBe(64 * 1024 * 1024);
  });
  it('rejects paths as file/dir names and unknown bug switches; accepts bug arrays', () => {
    expect(() => resolveAofConfig({ appendfilename: 'a/b' })).toThrow("appendfilename can't be a path, just a filename");
    expect(() => resolveAofConfig({ appenddirname: '' })).toThrow("appenddirname can't be empty");
    expect(() => resolveAofConfig({ profile: 'redis-7.0', appendfilename: '' })).toThrow("appendfilename can't be empty");
    expect(() => resolveAofConfig({ profile: 'redis-7.0', appenddirname: 'a\\b' })).toThrow("appenddirname can't be a path, just a dirname");
    expect(() => resolveAofConfig({ bugs: new Set(['no-such-bug']) })).toThrow(/unknown bug switch 'no-such-bug'/);
    const cfg = resolveAofConfig({ bugs: ['no-tail-fsync'] as unknown as ReadonlySet<string> });
    expect(cfg.bugs.has('no-tail-fsync')).toBe(true);
  });
  it("'.' and '..' are base names (redis: pathIsBaseName looks only for slashes); 4.0 also takes '' (it has no emptiness check)", () => {
    for (const name of ['.', '..']) {
      const c7 = resolveAofConfig({ profile: 'redis-7.0', appendfilename: name, appenddirname: name });
      expect([c7.appendfilename, c7.appenddirname]).toEqual([name, name]);
    }
    for (const name of ['', '.', '..']) expect(resolveAofConfig({ profile: 'redis-4.0', appendfilename: name }).appendfilename).toBe(name);
    expect(() => resolveAofConfig({ profile: 'redis-4.0', appendfilename: 'x/' })).toThrow("appendfilename can't be a path, just a filename");
  });
  it('parses redis.conf style values', () => {
    expect(parseMemory('64mb')).toBe(67108864);
    expect(parseMemory('1k')).toBe(1000);
    expect(parseMemory('x')).toBeNull();
    expect(configFromPairs([['appendonly', 'yes'], ['auto-aof-rewrite-min-size', '1gb'], ['bugs', 'no-tail-fsync,fsync-error-ignored']], 'redis-7.0').config).toEqual({
      appendonly: true,
      autoAofRewriteMinSizeBytes: 1024 ** 3,
      bugs: new Set(['no-tail-fsync', 'fsync-error-ignored']),
    });
    expect(() => configFromPairs([['appendfsync', 'maybe']], 'redis-7.0')).toThrow(/bad value for 'appendfsync'/);
  });
});
