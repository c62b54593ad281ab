import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './parse-scenario.ts';
import { runScenario } from './run-scenario.ts';
import { ToyServer } from '../../testing/sim/toy-server.ts';
import type { ServerFactory } from '../world/world.ts';
import type { AofConfig } from '../../src/aof/config.ts';

const toy: ServerFactory<AofConfig> = (deps, cfg) => new ToyServer(deps, { appendfsync: cfg.appendfsync, hz: cfg.hz });

const base = {
  name: 'toy',
  source: 'unit test',
  profile: 'redis-4.0',
  config: { appendonly: 'yes', appendfsync: 'always' },
  seed: 3,
};

function scenario(extra: Record<string, unknown>): string {
  return JSON.stringify({ ...base, ...extra });
}

describe('parseScenario', () => {
  it('names the file and the JSON path of a bad value', () => {
    const bad = scenario({ steps: [{ tick: 5 }, { crash: { model: 'powerloss' } }] });
    expect(() => parseScenario(bad, 'x.scenario.json')).toThrow(
      'x.scenario.json: $.steps[1].crash.model: expected one of process-kill, strict, prefix, torn, zero-fill, reorder; got "powerloss"',
    );
    expect(() => parseScenario(scenario({ steps: [{ commands: [['SET', 'a', '1']], replies: [] }] }), 'f')).toThrow(
      '$.steps[0].replies: expected one reply per command (1); got 0',
    );
    expect(() => parseScenario(scenario({ steps: [], expect: { keyz: {} } }), 'f')).toThrow('$.expect.keyz: unknown field');
    expect(() => parseScenario(scenario({ steps: [{ wait: 1 }] }), 'f')).toThrow(/\$\.steps\[0\]: expected a step with one of commands, tick/);
    expect(() => parseScenario(scenario({ steps: [], faults: [{ kind: 'short-write', path: '**', nth: 0, shortByBytes: 1 }] }), 'f')).toThrow(
      /\$\.faults\[0\]: .*nth must be an integer >= 1, got 0/,
    );
    expect(() => parseScenario('{"name": ', 'broken.json')).toThrow(/broken.json: \$: not valid JSON/);
    const err = (() => {
      try {
        parseScenario(scenario({ source: '', steps: [] }), 'f');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).jsonPath).toBe('$.source');
  });

  it('names the bug switch that does not exist by its index', () => {
    expect(() => parseScenario(scenario({ bugs: ['no-tail-fsync', 'no-tail-fsinc'], steps: [] }), 'b.json')).toThrow(
      /^b\.json: \$\.bugs\[1\]: unknown bug switch "no-tail-fsinc"; expected one of no-ftruncate-short-write, /,
    );
  });

  it('an unknown crash point lists the names it takes (a packaged user has no sim/ sources to read)', () => {
    const bad = scenario({ steps: [{ crashAt: { model: 'strict', point: 'nope' } }], faults: [] });
    expect(() => parseScenario(bad, 'p.json')).toThrow(/^p\.json: \$\.steps\[0\]\.crashAt\.point: unknown point "nope"; expected one of server-starting, .*rewrite-child-exited, .*, or after:<syscall>:<file> \(syscall one of open, write, /);
    const fault = scenario({ steps: [], faults: [{ kind: 'crash', model: 'strict', point: 'nope' }] });
    expect(() => parseScenario(fault, 'p.json')).toThrow(/point must be one of server-starting, .*manifest-renamed/);
  });

  it('an unknown coverage mark lists the marks of its family', () => {
    const bad = scenario({ steps: [], expect: { marks: { 'loader.truncatd': 1 } } });
    expect(() => parseScenario(bad, 'm.json')).toThrow(/^m\.json: \$\.expect\.marks\."loader\.truncatd": unknown coverage mark; expected one of loader\.[a-z.-]+(, loader\.[a-z.-]+)*$/);
  });

  it('rejects unknown config options with their path', () => {
    const s = parseScenario(scenario({ config: { appendfsnc: 'always' }, steps: [] }), 'f.json');
    expect(() => runScenario(s, { createServer: toy, file: 'f.json' })).toThrow('f.json: $.config.appendfsnc: unknown config option');
  });
});

describe('runScenario', () => {
  it('runs steps and passes when the expectations hold', () => {
    const s = parseScenario(
      scenario({
        steps: [
          { commands: [['SET', 'a', '1'], ['GET', 'a'], ['INCR', 'n']], replies: ['OK', '"1"', '(integer) 1'] },
          { crash: { model: 'process-kill' } },
          { restart: { load: 'ok' } },
          { expect: { keys: { a: '1', n: '1', zz: null }, files: { 'toy.aof': 16 }, log: ['DB loaded from append only file'], process: 'running' } },
        ],
        expect: { exited: false, fileContains: { 'toy.aof': ['SET a 1'] } },
      }),
      'ok.json',
    );
    const r = runScenario(s, { createServer: toy });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks).toBeGreaterThan(8);
  });

  it('reports every failed expectation with its path, and keeps going', () => {
    const s = parseScenario(
      scenario({
        steps: [
          { commands: [['SET', 'a', '1']], replies: ['(error) nope'] },
          { expect: { keys: { a: '2' }, files: { 'missing.aof': 3 }, marks: { 'loader.truncated': 1 } } },
        ],
        expect: { load: 'exited' },
      }),
      'bad.json',
    );
    const r = runScenario(s, { createServer: toy });
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.path)).toEqual([
      '$.steps[0].replies[0]',
      '$.steps[1].expect.keys."a"',
      '$.steps[1].expect.files."missing.aof"',
      '$.steps[1].expect.marks."loader.truncated"',
      '$.expect.load',
    ]);
    expect(r.failures[0].message).toBe('expected reply "(error) nope"; got "OK"');
    expect(r.failures[1].message).toBe('expected "2"; got "1"');
  });

  it('resolves crash decisions keyed by path to inodes (prefix of the pending writes survives)', () => {
    const run = (keep: number): string | null => {
      const s = parseScenario(
        scenario({
          config: { appendonly: 'yes', appendfsync: 'no' },
          steps: [
            { commands: [['SET', 'a', '1']] },
            { commands: [['SET', 'b', '2']] },
            { commands: [['SET', 'c', '3']] },
            { crash: { model: 'prefix', files: { 'toy.aof': keep }, dirs: { '/data': 10 } } },
            { restart: true },
          ],
        }),
        'p.json',
      );
      const r = runScenario(s, { createServer: toy });
      expect(r.world.crashes[0].decision).toMatch(/^power-loss prefix files\{\d+:\d+\}/);
      return [...r.world.server!.keyspace.db(0).dict.keys()].sort().join(',') || null;
    };
    expect(run(0)).toBeNull();
    expect(run(2)).toBe('a,b');
    expect(run(3)).toBe('a,b,c');
  });

  it('a restart while the server runs is the file\'s mistake: a ScenarioError naming the step', () => {
    const s = parseScenario(scenario({ steps: [{ commands: [['SET', 'a', '1']] }, { restart: true }] }), 'r.json');
    expect(() => runScenario(s, { createServer: toy, file: 'r.json' })).toThrow(
      new ScenarioError('r.json', '$.steps[1].restart', 'the server is running: a restart needs a crash step before it (or a server that exited)'),
    );
  });

  it('a command the profile does not know fails its step, unless replies expect the error', () => {
    const typo = runScenario(parseScenario(scenario({ steps: [{ commands: [['SETT', 'a', '1'], ['SET', 'a', '1']] }] }), 't.json'), { createServer: toy });
    expect(typo.ok).toBe(false);
    expect(typo.failures).toEqual([
      { path: '$.steps[0].commands[0][0]', message: `"SETT" is not a command of redis-4.0 ((error) ERR unknown command 'SETT'); fix the name, or give "replies" to expect that error` },
    ]);
    const asked = parseScenario(scenario({ steps: [{ commands: [['SETT', 'a', '1']], replies: [{ startsWith: '(error) ERR unknown command' }] }] }), 't.json');
    expect(runScenario(asked, { createServer: toy }).failures).toEqual([]);
  });

  it('is deterministic: same scenario, same trace', () => {
    const text = scenario({
      steps: [{ commands: [['SET', 'a', '1'], ['SET', 'b', '2']], pipeline: true }, { tick: 1500 }, { crash: { model: 'strict' } }, { restart: true }],
    });
    const h1 = runScenario(parseScenario(text, 'd.json'), { createServer: toy }).world.trace.hash();
    const h2 = runScenario(parseScenario(text, 'd.json'), { createServer: toy }).world.trace.hash();
    expect(h1).toBe(h2);
  });
});
