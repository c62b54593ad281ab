import { describe, expect, it } from 'vitest';
import { AOF_CONFIG_KEYS, configFromPairs, configGet, configGet40, configGetMatches70, cString, findConfigKey, isKey40, parseConfigValue, parseConfigValue40, stringmatch } from './config-keys.ts';
import { defaultAofConfig, resolveAofConfig } from './config.ts';

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

// The 4.0 rules: redis 4.0.14 config.c configSetCommand (config_set_numerical_field /
// config_set_memory_field / config_set_bool_field / config_set_enum_field), util.c memtoll and
// string2ll. Every expectation below is what redis-server 4.0.14 answers (OK and the CONFIG GET
// text, or "Invalid argument") for the same CONFIG SET; the 7.0 rules refuse most of these.
describe('parseConfigValue40: what redis 4.0.14 CONFIG SET stores', () => {
  const key = (name: string) => {
    const k = findConfigKey(name);
    if (k === undefined) throw new Error(name);
    return k;
  };
  const stored = (name: string, value: string) => parseConfigValue40(key(name), value)?.value ?? 'refused';

  it('hz: any long long >= 0 lands in the int field (low 32 bits, signed), then is kept within 1..500', () => {
    expect(stored('hz', '2147483648')).toBe(1); // INT_MIN -> 1 (7.0 refuses it)
    expect(stored('hz', '4294967296')).toBe(1); // 0 -> 1
    expect(stored('hz', '4294967303')).toBe(7);
    expect(stored('hz', '4294967796')).toBe(500);
    expect(stored('hz', '9223372036854775807')).toBe(1); // low 32 bits all ones: -1 -> 1
    expect(stored('hz', '0')).toBe(1);
    expect(stored('hz', '600')).toBe(500);
    for (const bad of ['-1', '-0', '05', '+5', ' 5', '5 ', '', '9223372036854775808', '1e3', '5\0']) expect(stored('hz', bad), JSON.stringify(bad)).toBe('refused');
  });

  it('auto-aof-rewrite-percentage: no upper bound, truncated to an int that may be negative', () => {
    expect(stored('auto-aof-rewrite-percentage', '2147483648')).toBe(-2147483648);
    expect(stored('auto-aof-rewrite-percentage', '4294967295')).toBe(-1);
    expect(stored('auto-aof-rewrite-percentage', '4294967296')).toBe(0);
    expect(stored('auto-aof-rewrite-percentage', '4294967396')).toBe(100);
    expect(stored('auto-aof-rewrite-percentage', '2147483647')).toBe(2147483647);
    expect(stored('auto-aof-rewrite-percentage', '-1')).toBe('refused');
    expect(stored('auto-aof-rewrite-percentage', '007')).toBe('refused');
  });

  it('auto-aof-rewrite-min-size: memtoll (a "-" scanned, strtoll saturating, the product wrapping), refused below 0', () => {
    const exactOrValue = (v: string) => {
      const r = parseConfigValue40(key('auto-aof-rewrite-min-size'), v);
      return r === null ? 'refused' : String(r.exact ?? r.value);
    };
    expect(exactOrValue('')).toBe('0');
    expect(exactOrValue('-0')).toBe('0');
    expect(exactOrValue('mB')).toBe('0');
    expect(exactOrValue('-0kb')).toBe('0');
    expect(exactOrValue('007')).toBe('7');
    expect(exactOrValue('1Gb')).toBe('1073741824');
    expect(exactOrValue('3g')).toBe('3000000000');
    expect(exactOrValue('9223372036854775807')).toBe('9223372036854775807');
    expect(exactOrValue('99999999999999999999')).toBe('9223372036854775807'); // strtoll saturates
    expect(exactOrValue('9223372036854775807k')).toBe('refused'); // wraps to -1000
    expect(exactOrValue('18446744073709551616b')).toBe('9223372036854775807');
    expect(exactOrValue('9007199254740993')).toBe('9007199254740993'); // past 2^53: kept exact for CONFIG GET
    expect(exactOrValue('8589934592gb')).toBe('refused'); // 2^33 * 2^30 = 2^63 wraps to LLONG_MIN
    expect(exactOrValue('4294967296gb')).toBe('4611686018427387904');
    expect(exactOrValue('12\0junk')).toBe('12'); // read as a C string
    for (const bad of ['-', '-k', '-5', '-5mb', '+5', ' 5', '5 ', '1.5mb', '3x', '5kbb', '0x10', '1'.repeat(128)]) {
      expect(exactOrValue(bad), JSON.stringify(bad)).toBe('refused');
    }
    expect(exactOrValue('1'.repeat(127))).toBe('9223372036854775807');
  });

  it('booleans and appendfsync: the words in any case, read up to a NUL', () => {
    expect(stored('aof-use-rdb-preamble', 'YeS')).toBe(true);
    expect(stored('no-appendfsync-on-rewrite', 'yes\0no')).toBe(true);
    expect(stored('aof-load-truncated', '1')).toBe('refused');
    expect(stored('appendfsync', 'EverySec')).toBe('everysec');
    expect(stored('appendfsync', 'no\0x')).toBe('no');
    expect(stored('appendfsync', '')).toBe('refused');
  });

  it('knows the keys 4.0.14 knows: not appendfilename, nor the 7.0-only ones, nor aofsim-profile', () => {
    const known = ['appendonly', 'appendfsync', 'aof-use-rdb-preamble', 'aof-load-truncated', 'auto-aof-rewrite-percentage', 'auto-aof-rewrite-min-size', 'aof-rewrite-incremental-fsync', 'no-appendfsync-on-rewrite', 'dir', 'hz'];
    for (const k of AOF_CONFIG_KEYS) expect(isKey40(k), k.name).toBe(known.includes(k.name));
    expect(cString('hz\0x')).toBe('hz');
  });
});

describe('configGet40: what redis 4.0.14 CONFIG GET prints', () => {
  const cfg = defaultAofConfig('redis-4.0');
  it('lists no appendfilename and no 7.0-only key, appendonly from the AOF state, big sizes exactly', () => {
    const all = new Map(configGet40(cfg, '*', false, new Map()));
    for (const k of ['appendfilename', 'appenddirname', 'aof-timestamp-enabled', 'aof-disable-auto-gc']) expect(all.has(k), k).toBe(false);
    expect(all.get('aof-use-rdb-preamble')).toBe('no');
    expect(all.get('appendonly')).toBe('no');
    expect(configGet40({ ...cfg, appendonly: false }, 'appendonly', true, new Map())).toEqual([['appendonly', 'yes']]);
    const big = { ...cfg, autoAofRewriteMinSizeBytes: Number(9223372036854775807n) };
    const exact = new Map([['autoAofRewriteMinSizeBytes' as const, 9223372036854775807n]]);
    expect(configGet40(big, 'auto-aof-rewrite-min-size', false, exact)).toEqual([['auto-aof-rewrite-min-size', '9223372036854775807']]);
    // The field changed since (in-process): the stale exact value is not printed.
    expect(configGet40({ ...big, autoAofRewriteMinSizeBytes: 5 }, 'auto-aof-rewrite-min-size', false, exact)).toEqual([['auto-aof-rewrite-min-size', '5']]);
    expect(configGet40({ ...cfg, autoAofRewritePercentage: -2147483648 }, 'auto-aof-rewrite-percentage', false, new Map())).toEqual([['auto-aof-rewrite-percentage', '-2147483648']]);
  });
});

describe('stringmatch: CONFIG GET patterns as redis 4.0.14 and 7.0.15 match them (util.c stringmatchlen, nocase)', () => {
  // Each pair checked with CONFIG GET on redis-server 4.0.14 (does the reply list the name?); the
  // glob ones also on 7.0.15, which answers the same (configGetMatches70 below for the others).
  it('classes, ranges either way round, escapes, unterminated classes', () => {
    const cases: [string, string, boolean][] = [
      ['h[z]', 'hz', true],
      ['h[^q]', 'hz', true],
      ['h[^z]', 'hz', false],
      ['h[Z-A]', 'hz', true], // swapped to A-Z, then folded to a-z
      ['h[y-A]', 'hz', false], // swapped to A-y, folded to a-y: no z
      ['[G-I]z', 'hz', true],
      ['d\\ir', 'dir', true],
      ['[\\h]z', 'hz', true],
      ['[\\H]z', 'hz', false], // an escaped byte in a class is compared without folding case
      ['h[z', 'hz', true], // a class left open ends at the end of the pattern
      ['h[zq', 'hz', true],
      ['hz[', 'hz', false],
      ['h[', 'hz', false],
      ['h\\', 'hz', false],
      ['hz?', 'hz', false],
      ['hz*', 'hz', true],
      ['*-*-*', 'aof-load-truncated', true],
      ['APPEND*', 'appendonly', true],
      ['a**y', 'appendonly', true],
    ];
    for (const [p, str, want] of cases) expect(stringmatch(p, str), `${p} ~ ${str}`).toBe(want);
  });
});

// redis 7.0.15 config.c configGetCommand: an argument with `[`, `*` or `?` is a stringmatch pattern,
// anything else one name looked up in any case. Each expectation checked with CONFIG GET on
// redis-server 7.0.15 (properties/conformance/aof-config-vs-redis.test.ts generates more).
describe('configGetMatches70 / configGet: what redis 7.0.15 CONFIG GET lists', () => {
  it('patterns with classes, ranges, escapes and open classes; names without a glob taken literally', () => {
    const cases: [string, string, boolean][] = [
      ['h[z]', 'hz', true], // the regex it replaced knew only * and ?
      ['H[Z-A]', 'hz', true],
      ['h[^z]', 'hz', false],
      ['h[z', 'hz', true],
      ['[\\H]z', 'hz', false],
      ['APPENDONL[Y]', 'appendonly', true],
      ['a*-[l]oad-*', 'aof-load-truncated', true],
      ['HZ', 'hz', true],
      ['d\\ir', 'dir', false], // no glob: the name "d\ir", which 4.0.14's stringmatch would take as dir
      ['d\\i*', 'dir', true], // a glob: the escape counts
      ['h[z]\0junk', 'hz', true], // the pattern is read as a C string
      ['hz\0', 'hz', false],
    ];
    for (const [p, name, want] of cases) expect(configGetMatches70(p, name), `${JSON.stringify(p)} ~ ${name}`).toBe(want);
    expect(configGet(defaultAofConfig('redis-7.0'), 'h[z]')).toEqual([['hz', '10']]);
  });

  it('auto-aof-rewrite-min-size past 2^53 prints as it was set, not as its double', () => {
    const k = findConfigKey('auto-aof-rewrite-min-size')!;
    const exactOf = (v: string) => {
      const r = parseConfigValue(k, v);
      return 'error' in r ? r.error : String(r.exact ?? r.value);
    };
    expect(exactOf('9223372036854775807')).toBe('9223372036854775807');
    expect(exactOf('9007199254740993')).toBe('9007199254740993');
    expect(exactOf('8589934591gb')).toBe('9223372035781033984');
    expect(exactOf('8589934592gb')).toBe('argument must be between 0 and 9223372036854775807 inclusive');
    expect(exactOf('64mb')).toBe('67108864');
    const r = parseConfigValue(k, '9223372036854775807') as { value: number; exact: bigint };
    const cfg = { ...defaultAofConfig('redis-7.0'), autoAofRewriteMinSizeBytes: r.value };
    const exact = new Map([['autoAofRewriteMinSizeBytes' as const, r.exact]]);
    expect(configGet(cfg, 'auto-aof-rewrite-min-size', exact)).toEqual([['auto-aof-rewrite-min-size', '9223372036854775807']]);
    expect(configGet(cfg, 'auto-aof-rewrite-min-size')).toEqual([['auto-aof-rewrite-min-size', '9223372036854776000']]); // without `exact`: the double (the old answer)
    expect(configGet({ ...cfg, autoAofRewriteMinSizeBytes: 5 }, 'auto-aof-rewrite-min-size', exact)).toEqual([['auto-aof-rewrite-min-size', '5']]);
  });
});

// Startup pairs (`aofsim serve --config`, the redis-server form's AOF directives): each profile's
// redis-server reads them with its own rules. The 4.0 expectations are what redis-server 4.0.14
// started with `--<key> <value>` answers to CONFIG GET, or the FATAL CONFIG FILE ERROR reason it
// prints (redis 4.0.14 config.c loadServerConfigFromString); 7.0's are its CONFIG SET rules.
describe('configFromPairs: startup values read as the profile reads its config file', () => {
  const one = (profile: 'redis-4.0' | 'redis-7.0', key: string, value: string): string => {
    try {
      const { config, exact } = configFromPairs([[key, value]], profile);
      const field = findConfigKey(key)!.field;
      return String(exact.get(field) ?? config[field]);
    } catch (e) {
      return (e as Error).message;
    }
  };
  it('redis-4.0: hz and the percentage through atoi, the size through memtoll with its error ignored', () => {
    const cases: [string, string, string][] = [
      ['hz', '12abc', '12'],
      ['hz', '-5', '1'],
      ['hz', '2147483648', '1'],
      ['hz', '9223372036854775807', '1'],
      ['hz', 'x', '1'],
      ['hz', '600', '500'],
      ['auto-aof-rewrite-percentage', '4294967396', '100'],
      ['auto-aof-rewrite-percentage', '12x', '12'],
      ['auto-aof-rewrite-percentage', ' 7', '7'],
      ['auto-aof-rewrite-percentage', 'x', '0'],
      ['auto-aof-rewrite-percentage', '2147483648', "bad value for 'auto-aof-rewrite-percentage': Invalid negative percentage for AOF auto rewrite"],
      ['auto-aof-rewrite-min-size', '-5mb', '-5242880'],
      ['auto-aof-rewrite-min-size', '9223372036854775807k', '-1000'],
      ['auto-aof-rewrite-min-size', '99999999999999999999', '9223372036854775807'],
      ['auto-aof-rewrite-min-size', 'junk', '0'],
      ['auto-aof-rewrite-min-size', '-', '0'],
      ['auto-aof-rewrite-min-size', '1GB', '1073741824'],
      ['appendfsync', 'EVERYSEC', 'everysec'],
      ['appendfsync', 'sometimes', "bad value for 'appendfsync': argument must be 'no', 'always' or 'everysec'"],
      ['aof-load-truncated', 'YES', 'true'],
      ['aof-load-truncated', '1', "bad value for 'aof-load-truncated': argument must be 'yes' or 'no'"],
      ['appenddirname', 'x', "unknown config key 'appenddirname' (not a redis 4.0 directive)"],
      ['aof-timestamp-enabled', 'yes', "unknown config key 'aof-timestamp-enabled' (not a redis 4.0 directive)"],
    ];
    for (const [k, v, want] of cases) expect(one('redis-4.0', k, v), `${k} ${JSON.stringify(v)}`).toBe(want);
    // What 4.0 keeps, the resolved config keeps: a negative size included.
    const { config } = configFromPairs([['auto-aof-rewrite-min-size', '-5mb'], ['hz', '12abc']], 'redis-4.0');
    const cfg = resolveAofConfig({ ...config, profile: 'redis-4.0' });
    expect([cfg.autoAofRewriteMinSizeBytes, cfg.hz]).toEqual([-5242880, 12]);
    expect(() => resolveAofConfig({ ...config, profile: 'redis-7.0' })).toThrow(/auto-aof-rewrite-min-size must be a non-negative integer/);
  });

  it('redis-7.0: the CONFIG SET rules, a size past 2^53 kept exactly', () => {
    expect(one('redis-7.0', 'hz', '12abc')).toBe("bad value for 'hz': argument couldn't be parsed into an integer");
    expect(one('redis-7.0', 'hz', '600')).toBe('500');
    expect(one('redis-7.0', 'auto-aof-rewrite-min-size', '-5mb')).toBe("bad value for 'auto-aof-rewrite-min-size': argument must be a memory value");
    expect(one('redis-7.0', 'auto-aof-rewrite-min-size', '9223372036854775807')).toBe('9223372036854775807');
    expect(one('redis-7.0', 'aof-timestamp-enabled', 'yes')).toBe('true');
  });
});
