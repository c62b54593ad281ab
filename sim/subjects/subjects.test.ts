// The three subjects behind one interface: the `ts` subject (simulated World) keeps an acknowledged
// write across a process kill; the `files` subject judges a fixture and a zero-filled copy
// offline; `supports` lists what each one can take.

import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import { FilesSubject } from './files-subject.ts';
import { TsSubject } from './ts-subject.ts';

describe('subjects', () => {
  it('ts: SET, process kill, restart: the acknowledged write survives (appendfsync always)', async () => {
    const s = new TsSubject({ seed: 1, createServer: await loadServerFactory(), config: { appendfsync: 'always' } });
    expect(s.supports).toContain('power-loss');
    expect((await s.start()).outcome).toBe('ok');
    expect(await s.exec(['SET', 'a', '1'])).toBe('OK');
    await s.crash('process-kill');
    expect((await s.restart()).outcome).toBe('ok');
    expect((await s.dump())['0']).toEqual({ a: 's 1' });
    await s.stop();
  });

  it('files: loads a valid directory, refuses a zero-filled tail; exec is unsupported', async () => {
    const set = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
    const files = (incr: string) =>
      createMemoryFs({
        '/d/appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
        '/d/appendonlydir/appendonly.aof.1.base.aof': '',
        '/d/appendonlydir/appendonly.aof.1.incr.aof': incr,
      });
    const ok = new FilesSubject(files(set), '/d');
    expect(ok.supports).toEqual(['offline-files']);
    expect((await ok.start()).outcome).toBe('ok');
    expect(await ok.dump()).toEqual({ '0': { a: 'string "1"' } });
    await expect(ok.exec()).rejects.toThrow(/not supported/);
    const zero = new FilesSubject(files(set + '\u0000'.repeat(8)), '/d');
    const st = await zero.start();
    expect(st.outcome).toBe('exited');
    expect(st.log.join('\n')).toContain('Bad file format');
  });
});

describe('real-binary scenario files', () => {
  it('are recognised by their subject and validated with JSON paths', async () => {
    const { isRealScenarioText, parseRealScenario } = await import('./real-scenario.ts');
    const ok = { name: 'x', source: 'y', subject: 'redis-server', config: { appendonly: 'yes' }, steps: [{ crash: { model: 'process-kill' } }, { restart: true }] };
    expect(isRealScenarioText(JSON.stringify(ok))).toBe(true);
    expect(isRealScenarioText(JSON.stringify({ ...ok, subject: undefined }))).toBe(false);
    expect(parseRealScenario(JSON.stringify(ok), 'f.json').config).toEqual({ appendonly: 'yes' });
    expect(() => parseRealScenario(JSON.stringify({ ...ok, steps: [{ crash: { model: 'torn' } }] }), 'f.json')).toThrow(
      'f.json: $.steps[0].crash.model: a real subject supports only "process-kill"; got "torn"',
    );
    expect(() => parseRealScenario(JSON.stringify({ ...ok, steps: [{ tick: 5 }] }), 'f.json')).toThrow(/\$\.steps\[0\]: expected one of/);
  });
});
