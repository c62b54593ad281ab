// The config text of `aofsim serve CONFIGFILE` under aofsim-profile redis-4.0 (serve-config.ts
// loadServerConfig: redis 4.0.14 server.c main's option loop and config.c loadServerConfigFromString),
// on in-memory files; the texts were checked against redis-server 4.0.14 (the differential suite is
// properties/conformance/directives-vs-redis40.test.ts).

import { describe, expect, it } from 'vitest';
import { ConfigFileUnreadable, FatalConfigError, loadServerConfig, redisServerArgs, type ConfigSources } from './serve-config.ts';

function sources(files: Record<string, string>): ConfigSources {
  return {
    readFile(path) {
      const t = files[path];
      if (t === undefined) throw new ConfigFileUnreadable(`Fatal error, can't open config file '${path}': No such file or directory`);
      return t;
    },
    chdir: (path) => (path === '/ok' ? null : 'No such file or directory'),
  };
}

function load(argv: string[], files: Record<string, string> = {}): ReturnType<typeof loadServerConfig> | string {
  try {
    return loadServerConfig(redisServerArgs(argv), sources(files));
  } catch (e) {
    if (e instanceof FatalConfigError) return e.render();
    if (e instanceof ConfigFileUnreadable) return `log: ${e.message}`;
    throw e;
  }
}

describe('loadServerConfig under aofsim-profile redis-4.0', () => {
  it('builds the options as 4.0.14 main() does: --save alone is a save line without arguments (ignored)', () => {
    expect(redisServerArgs(['a.conf', '--save', '--port', '1']).options40).toBe('save \nport "1" ');
    const r = load(['--aofsim-profile', 'redis-4.0', '--save', '--port', '7000abc']);
    expect(typeof r === 'string' ? r : r.values.get('save')).toBeUndefined();
    expect(typeof r === 'string' ? r : r.values.get('port')).toBe('7000');
  });

  it('finds the profile anywhere (an include, after the line it changes) and reads every line as 4.0.14', () => {
    const r = load(['main.conf'], { 'main.conf': 'save 900 1\nsave 60 2\nmaxmemory 5x\ninclude inc.conf\n', 'inc.conf': 'aofsim-profile redis-4.0\nslave-priority 12abc\n' });
    if (typeof r === 'string') throw new Error(r);
    expect(r.values.get('save')).toBe('900 1 60 2');
    expect(r.values.get('maxmemory')).toBe('0');
    expect(r.values.get('replica-priority')).toBe('12');
  });

  it("words its errors as 4.0.14 (no version in the header; 7.0-only directives are 'Bad directive')", () => {
    expect(load(['--aofsim-profile', 'redis-4.0', '--appenddirname', 'x'])).toBe(
      "\n*** FATAL CONFIG FILE ERROR ***\nReading the configuration file, at line 3\n>>> 'appenddirname \"x\"'\nBad directive or wrong number of arguments\n",
    );
    expect(load(['--aofsim-profile', 'redis-4.0', '--timeout', '-1'])).toContain('\nInvalid timeout value\n');
    expect(load(['--aofsim-profile', 'redis-4.0', '--bind', ...Array(17).fill('a')])).toContain('\nToo many bind addresses specified\n');
    expect(load(['--aofsim-profile', 'redis-4.0', '--cluster-enabled', 'yes', '--slaveof', 'h', '1'])).toContain(">>> 'slaveof \"h\" \"1\"'\nslaveof directive not allowed in cluster mode\n");
    expect(load(['--aofsim-profile', 'redis-4.0', '--dir', '/nope'])).toBe("log: Can't chdir to '/nope': No such file or directory");
    expect(load(['missing.conf', '--aofsim-profile', 'redis-4.0'])).toBe("log: Fatal error, can't open config file 'missing.conf'");
    // Under 7.0 the same line is taken, and its header names the version.
    expect(load(['--timeout', '-1'])).toContain('(Redis 7.0.15)');
  });

  it('keeps each value as 4.0.14 prints it: unsigned fields, octal permissions, client classes', () => {
    const r = load(['--aofsim-profile', 'redis-4.0', '--active-defrag-ignore-bytes', '-1', '--unixsocketperm', '755x', '--client-output-buffer-limit', 'pubsub', '-1', '2k', '7', '--notify-keyspace-events', 'Eg$lshzxeK']);
    if (typeof r === 'string') throw new Error(r);
    // A size_t holding -1: positive for the `<= 0` check, printed through a long long.
    expect(r.values.get('active-defrag-ignore-bytes')).toBe('-1');
    expect(r.values.get('unixsocketperm')).toBe('755');
    expect(r.values.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 18446744073709551615 2000 7');
    expect(r.values.get('notify-keyspace-events')).toBe('AKE');
  });
});
