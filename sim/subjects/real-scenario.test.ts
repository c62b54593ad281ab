// parseRealScenario (scenarios for a real redis-server, `"subject": "redis-server"`): a misspelt
// field, at the top or in an expectation, is a ScenarioError with its JSON path, as the simulator's
// parser reports it, instead of being ignored (it would check nothing and pass). Needs no binary.

import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../scenario/parse-scenario.ts';
import { parseRealScenario } from './real-scenario.ts';

const base = { name: 'n', source: 's', subject: 'redis-server', config: { appendonly: 'yes' }, steps: [{ commands: [['SET', 'a', '1']] }] };
const parse = (extra: Record<string, unknown>): unknown => parseRealScenario(JSON.stringify({ ...base, ...extra }), 'f.scenario.json');

describe('parseRealScenario', () => {
  it('takes a well-formed file', () => {
    expect(parse({ expect: { keys: { a: '1' } } })).toMatchObject({ name: 'n', config: { appendonly: 'yes' } });
  });

  it('names an unknown field with its path and the fields it takes', () => {
    expect(() => parse({ expectt: { keys: { a: '1' } } })).toThrow(
      new ScenarioError('f.scenario.json', '$.expectt', 'unknown field; expected one of name, source, description, subject, bin, config, files, steps, expect'),
    );
    expect(() => parse({ expect: { key: { a: '1' } } })).toThrow(
      new ScenarioError('f.scenario.json', '$.expect.key', 'unknown field; expected one of keys, load, process, exited, log, logAbsent, files, fileContains'),
    );
    expect(() => parse({ steps: [{ commands: [['GET', 'a']] }, { expect: { lgo: ['x'] } }] })).toThrow(/^f\.scenario\.json: \$\.steps\[1\]\.expect\.lgo: unknown field/);
  });
});
