// parseCommandArgs: a pair option (`serve --config KEY VALUE`) takes its second word as its value
// even when that word starts with '-' (`--config auto-aof-rewrite-min-size -5mb`, a size
// redis-server 4.0.14 reads), in the `--config K V` and `--config=K V` forms; a word starting with
// '-' anywhere else is still an option, and a pair still needs both words.

import { describe, expect, it } from 'vitest';
import { UsageError } from './command.ts';
import { parseCommandArgs, type CommandSpec } from './options.ts';

const SPEC = {
  name: 'test',
  synopsis: '',
  description: '',
  options: {
    config: { type: 'string', pair: true, arg: 'KEY VALUE', help: 'a pair' },
    port: { type: 'string', help: 'a value' },
    at: { type: 'string', dashValue: true, help: 'a value that may be negative' },
    quiet: { type: 'boolean', help: 'a flag' },
  },
} satisfies CommandSpec;

describe('parseCommandArgs: pair values starting with -', () => {
  it('keeps them as the pair value in both forms, next to other options', () => {
    const p = parseCommandArgs(SPEC, ['--config', 'auto-aof-rewrite-min-size', '-5mb', '--quiet', '--config=auto-aof-rewrite-percentage', '-1', '--port', '0', 'pos']);
    expect(p.pairList('config')).toEqual([
      ['auto-aof-rewrite-min-size', '-5mb'],
      ['auto-aof-rewrite-percentage', '-1'],
    ]);
    expect(p.flag('quiet')).toBe(true);
    expect(p.string('port')).toBe('0');
    expect(p.positionals).toEqual(['pos']);
  });

  it('elsewhere a word starting with - is still an option, and a pair still needs two words', () => {
    expect(() => parseCommandArgs(SPEC, ['-5mb'])).toThrow(UsageError);
    expect(() => parseCommandArgs(SPEC, ['--config', 'hz'])).toThrow(/--config takes two values: KEY VALUE/);
    expect(() => parseCommandArgs(SPEC, ['--config', 'hz', '--', '10'])).toThrow(/--config takes two values/);
  });
});

describe('parseCommandArgs: a dashValue option', () => {
  it('takes the next word as its value even when it starts with - (check --truncate-to-timestamp -5)', () => {
    const p = parseCommandArgs(SPEC, ['--at', '-5', 'pos', '--port', '1']);
    expect(p.string('at')).toBe('-5');
    expect(p.positionals).toEqual(['pos']);
    expect(parseCommandArgs(SPEC, ['--at=-7']).string('at')).toBe('-7');
    expect(() => parseCommandArgs(SPEC, ['--port', '-5'])).toThrow(UsageError);
  });
});
