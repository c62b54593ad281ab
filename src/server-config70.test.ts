// The Server's CONFIG GET / SET of the AOF keys with the redis-7.0 profile where 7.0.15's answers
// need more than a glob of `*` and `?` or a double (redis 7.0.15: config.c configGetCommand with
// util.c stringmatchlen, createOffTConfig auto-aof-rewrite-min-size). The replies are those
// redis-server 7.0.15 gives (properties/conformance/aof-config-vs-redis.test.ts compares them with
// the real server); this file pins them without the binary.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import type { AofConfig } from './aof/config.ts';
import type { Reply } from './commands/reply.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { Server } from './server.ts';
import { TestClock } from '../testing/aof/writer-support.ts';

function boot(exact?: ReadonlyMap<keyof AofConfig, bigint>, config: Partial<AofConfig> = {}) {
  const fs = createMemoryFs({ '/d/.keep': '' });
  const tasks = new ManualTasks(fs);
  const s = new Server({ fs, clock: new TestClock(), tasks, log: new MemoryLog(), random: new SeededRandom(7) }, { profile: 'redis-7.0', dir: '/d', ...config }, { configExact: exact });
  s.start();
  const c = s.newClient();
  return { s, call: (...argv: string[]): Reply => s.call(c, argv) };
}

/** A CONFIG GET reply's names and values as `name=value` lines, in reply order. */
function pairs(r: Reply): string[] {
  if (r.kind !== 'array' || r.value === null) throw new Error(`not an array: ${JSON.stringify(r)}`);
  const items = r.value.map((x) => (x.kind === 'bulk' ? x.value : JSON.stringify(x)));
  const out: string[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push(`${items[i]}=${items[i + 1]}`);
  return out;
}

describe('Server (redis-7.0): CONFIG GET patterns as 7.0.15 matches them', () => {
  it('classes, ranges and escapes in patterns; an argument without a glob is one name, as typed', () => {
    const { call } = boot();
    expect(pairs(call('CONFIG', 'GET', 'h[z]'))).toEqual(['hz=10']);
    expect(pairs(call('CONFIG', 'GET', 'H[Z-A]'))).toEqual(['hz=10']);
    expect(pairs(call('CONFIG', 'GET', 'h[z'))).toEqual(['hz=10']);
    expect(pairs(call('CONFIG', 'GET', 'APPENDONL[Y]'))).toEqual(['appendonly=no']);
    expect(pairs(call('CONFIG', 'GET', 'HZ'))).toEqual(['HZ=10']);
    expect(pairs(call('CONFIG', 'GET', 'd\\ir'))).toEqual([]);
    expect(pairs(call('CONFIG', 'GET', 'd\\i*')).sort()).toEqual(['dir=/d', 'disable-thp=yes']);
    expect(pairs(call('CONFIG', 'GET', 'hz', 'h[z]', 'HZ'))).toEqual(['hz=10']);
  });

  it('the directives aofsim does not model go through the same matcher, a name and its alias each listed', () => {
    const { call } = boot();
    expect(pairs(call('CONFIG', 'GET', 'maxmemor[x-z]'))).toEqual(['maxmemory=0']);
    expect(pairs(call('CONFIG', 'GET', '*of')).sort()).toEqual(['replicaof=', 'slaveof=']);
    expect(pairs(call('CONFIG', 'GET', 'slave[o]f'))).toEqual(['slaveof=']);
  });
});

describe('Server (redis-7.0): auto-aof-rewrite-min-size past 2^53', () => {
  it('CONFIG GET prints what CONFIG SET stored, exactly; a refused multi-pair SET leaves it as it was', () => {
    const { call } = boot();
    expect(call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '9223372036854775807')).toEqual({ kind: 'status', value: 'OK' });
    expect(pairs(call('CONFIG', 'GET', 'auto-aof-rewrite-min-size'))).toEqual(['auto-aof-rewrite-min-size=9223372036854775807']);
    expect(call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '9007199254740993', 'hz', 'x').kind).toBe('error');
    expect(pairs(call('CONFIG', 'GET', 'auto-aof-rewrite-min-size'))).toEqual(['auto-aof-rewrite-min-size=9223372036854775807']);
    expect(call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '9007199254740993')).toEqual({ kind: 'status', value: 'OK' });
    expect(pairs(call('CONFIG', 'GET', 'auto-aof-rewrite-min-size'))).toEqual(['auto-aof-rewrite-min-size=9007199254740993']);
    expect(call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1mb')).toEqual({ kind: 'status', value: 'OK' });
    expect(pairs(call('CONFIG', 'GET', 'auto-aof-rewrite-min-size'))).toEqual(['auto-aof-rewrite-min-size=1048576']);
  });

  it('a value given at startup (configExact) prints exactly', () => {
    const big = 9223372036854775807n;
    const { call } = boot(new Map([['autoAofRewriteMinSizeBytes', big]]), { autoAofRewriteMinSizeBytes: Number(big) });
    expect(pairs(call('CONFIG', 'GET', 'auto-aof-rewrite-min-size'))).toEqual(['auto-aof-rewrite-min-size=9223372036854775807']);
  });
});

describe('Server (redis-7.0): CONFIG GET port', () => {
  it('answers the port the server listens on when it was given one (aofsim serve --port N), the default otherwise', () => {
    const fs = createMemoryFs({ '/d/.keep': '' });
    const deps = { fs, clock: new TestClock(), tasks: new ManualTasks(fs), log: new MemoryLog(), random: new SeededRandom(7) };
    const listening = new Server(deps, { profile: 'redis-7.0', dir: '/d' }, { tcpPort: 6411 });
    listening.start();
    expect(pairs(listening.call(listening.newClient(), ['CONFIG', 'GET', 'port']))).toEqual(['port=6411']);
    const { call } = boot();
    expect(pairs(call('CONFIG', 'GET', 'port'))).toEqual(['port=6379']);
  });
});
