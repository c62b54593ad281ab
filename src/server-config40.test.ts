// The Server's CONFIG SET / GET of the AOF keys with the redis-4.0 profile, and serverCron's auto
// rewrite test with what they can store (redis 4.0.14: config.c configSetCommand /
// configGetCommand, server.c serverCron "Trigger an AOF rewrite if needed"). The replies are those
// redis-server 4.0.14 gives (properties/conformance/aof-config-set-vs-redis40.test.ts compares them
// with the real server); this file pins them without the binary.
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from './adapters/memory/memory-fs.ts';
import { ManualTasks } from './adapters/memory/manual-tasks.ts';
import type { Reply } from './commands/reply.ts';
import { MemoryLog } from './ports/log.ts';
import { SeededRandom } from './ports/random.ts';
import { Server } from './server.ts';
import { TestClock } from '../testing/aof/writer-support.ts';

function boot() {
  const fs = createMemoryFs({ '/d/.keep': '' });
  const tasks = new ManualTasks(fs);
  const log = new MemoryLog();
  const s = new Server({ fs, clock: new TestClock(), tasks, log, random: new SeededRandom(7) }, { profile: 'redis-4.0', dir: '/d' });
  s.start();
  const c = s.newClient();
  const call = (...argv: string[]): Reply => s.call(c, argv);
  /** The rewrite children to their end: a 4.0 child waits for the parent's ack, so its steps interleave with beforeSleep. */
  const finishChildren = (): void => {
    for (const pid of tasks.childPids) {
      for (let steps = 0; tasks.stepChild(pid); steps++) {
        s.beforeSleep();
        if (steps > 100_000) throw new Error('the rewrite child did not finish');
      }
    }
    s.cron();
    tasks.runBio();
  };
  return { s, log, call, finishChildren };
}

const get = (value: string | null, name: string): Reply =>
  value === null ? { kind: 'array', value: [] } : { kind: 'array', value: [{ kind: 'bulk', value: name }, { kind: 'bulk', value }] };

describe('Server (redis-4.0): CONFIG SET / GET of the AOF keys as 4.0.14 answers them', () => {
  it('stores past-INT_MAX numbers as 4.0.14 does and prints them back as it does', () => {
    const { call } = boot();
    const cases: [string, string, string][] = [
      ['hz', '2147483648', '1'],
      ['hz', '4294967303', '7'],
      ['HZ', '9223372036854775807', '1'],
      ['auto-aof-rewrite-percentage', '2147483648', '-2147483648'],
      ['auto-aof-rewrite-percentage', '4294967396', '100'],
      ['auto-aof-rewrite-min-size', '9223372036854775807', '9223372036854775807'],
      ['auto-aof-rewrite-min-size', '99999999999999999999', '9223372036854775807'],
      ['auto-aof-rewrite-min-size', '-0', '0'],
      ['Auto-AOF-Rewrite-Min-Size', '2GB', '2147483648'],
    ];
    for (const [name, value, shown] of cases) {
      expect(call('CONFIG', 'SET', name, value), `${name} ${value}`).toEqual({ kind: 'status', value: 'OK' });
      expect(call('CONFIG', 'GET', name), `${name} ${value}`).toEqual(get(shown, name.toLowerCase()));
    }
  });

  it('names and values are read as C strings, and CR/LF in the error text become spaces', () => {
    const { call } = boot();
    expect(call('CONFIG', 'SET', 'hz\0junk', '7')).toEqual({ kind: 'status', value: 'OK' });
    expect(call('CONFIG', 'GET', 'hz\0x')).toEqual(get('7', 'hz'));
    expect(call('CONFIG', 'SET', 'appendfsync', 'always\0x')).toEqual({ kind: 'status', value: 'OK' });
    expect(call('CONFIG', 'SET', 'hz', '7\0')).toEqual({ kind: 'error', value: "ERR Invalid argument '7' for CONFIG SET 'hz'" });
    expect(call('CONFIG', 'SET', 'aof-load-truncated\0x', 'a\r\nb')).toEqual({ kind: 'error', value: "ERR Invalid argument 'a  b' for CONFIG SET 'aof-load-truncated'" });
  });

  it('CONFIG GET matches with 4.0.14\'s stringmatch and answers by the canonical name', () => {
    const { call } = boot();
    expect(call('CONFIG', 'GET', 'H[X-Z]')).toEqual(get('10', 'hz'));
    expect(call('CONFIG', 'GET', 'd\\IR')).toEqual(get('/d', 'dir'));
    expect(call('CONFIG', 'GET', '[\\H]z')).toEqual(get(null, 'hz'));
  });

  it('appendfilename and the 7.0-only keys: CONFIG SET does not take them, CONFIG GET does not list them', () => {
    const { call } = boot();
    for (const name of ['appendfilename', 'appenddirname', 'aof-timestamp-enabled', 'AOF-DISABLE-AUTO-GC']) {
      expect(call('CONFIG', 'SET', name, 'yes')).toEqual({ kind: 'error', value: `ERR Unsupported CONFIG parameter: ${name}` });
      expect(call('CONFIG', 'GET', name)).toEqual(get(null, name));
    }
  });

  it('CONFIG SET dir is refused as a reply aofsim cannot reproduce, and dir stays', () => {
    const { s, call } = boot();
    const r = call('CONFIG', 'SET', 'dir', '/elsewhere');
    expect(r).toMatchObject({ kind: 'error', unreproduced: true });
    expect(s.config.dir).toBe('/d');
    expect(call('CONFIG', 'GET', 'dir')).toEqual(get('/d', 'dir'));
  });

  it('a percentage stored negative starts an automatic rewrite at the next cron without growth; 0 and 100 do not', () => {
    for (const [perc, starts] of [['2147483648', true], ['4294967295', true], ['4294967296', false], ['100', false]] as const) {
      const { s, log, call, finishChildren } = boot();
      call('SET', 'k', 'v');
      expect(call('CONFIG', 'SET', 'appendonly', 'yes')).toEqual({ kind: 'status', value: 'OK' });
      finishChildren();
      expect(s.state.aofState).toBe('on');
      expect(s.state.aofCurrentSize).toBe(s.state.aofRewriteBaseSize);
      call('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '0');
      call('CONFIG', 'SET', 'auto-aof-rewrite-percentage', perc);
      const before = log.marks.get('rewrite.auto-started') ?? 0;
      s.cron();
      expect((log.marks.get('rewrite.auto-started') ?? 0) - before, perc).toBe(starts ? 1 : 0);
      expect(log.has('Starting automatic rewriting of AOF on 0% growth'), perc).toBe(starts);
    }
  });
});
