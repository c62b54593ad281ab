// aofsim's redis-check-aof 4.0.14 (check-aof-40.ts) on a dozen damaged files, against the output the
// real redis-check-aof 4.0.14 printed for the same bytes (recorded once: stdout lines, exit code, the
// file's size afterwards). The differential suite in properties/conformance/ compares the two on a
// much larger matrix, but it needs the 4.0.14 build; these cases pin the checker without it.
// Left out: inputs where 4.0.14 prints a byte of uninitialised stack memory (a count line cut by
// EOF), whose text changes from run to run.

import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../adapters/memory/memory-fs.ts';
import { encodeCommand } from '../../resp/encode.ts';
import { checkAof40 } from './check-aof-40.ts';
import { CONFIRM_PROMPT } from './types.ts';

const F = '/d/appendonly.aof';
const cmd = (...argv: string[]): string => encodeCommand(argv);
const VALID = cmd('SELECT', '0') + cmd('set', 'foo', 'bar') + cmd('MULTI') + cmd('incr', 'n') + cmd('EXEC') + cmd('del', 'foo');
const NOT_VALID = 'AOF is not valid. Use the --fix option to try fixing it.';

interface Recorded {
  aof: string;
  fix?: boolean;
  /** The answer to the --fix prompt (null: stdin at EOF). */
  answer?: string | null;
  /** 4.0.14's stdout, split at newlines; the prompt has none (the answer's line follows it). */
  lines: string[];
  exitCode: number;
  /** The file's size after the run. */
  sizeAfter: number;
}

const CASES: Record<string, Recorded> = {
  'a valid file': { aof: VALID, lines: ['AOF analyzed: size=126, ok_up_to=126, diff=0', 'AOF is valid'], exitCode: 0, sizeAfter: 126 },
  'an empty file (invalid for 4.0)': { aof: '', lines: [`Empty file: ${F}`], exitCode: 1, sizeAfter: 0 },
  'a bulk cut by EOF': {
    aof: VALID + '*2\r\n$3\r\nget\r\n$5\r\nxy',
    lines: ['0x              8f: Expected to read 7 bytes, got 2 bytes', 'AOF analyzed: size=145, ok_up_to=126, diff=19', NOT_VALID],
    exitCode: 1,
    sizeAfter: 145,
  },
  'a zero-filled tail (the NUL ends the message)': {
    aof: VALID + '\0\0\0\0',
    lines: ["0x              7e: Expected prefix '*', got: '", 'AOF analyzed: size=130, ok_up_to=126, diff=4', NOT_VALID],
    exitCode: 1,
    sizeAfter: 130,
  },
  'a garbage tail': {
    aof: VALID + 'hello\r\n',
    lines: ["0x              7e: Expected prefix '*', got: 'h'", 'AOF analyzed: size=133, ok_up_to=126, diff=7', NOT_VALID],
    exitCode: 1,
    sizeAfter: 133,
  },
  'a wrong bulk prefix': {
    aof: '*2\r\n$3\r\nget\r\n#1\r\na\r\n',
    lines: ["0x               d: Expected prefix '$', got: '#'", 'AOF analyzed: size=20, ok_up_to=0, diff=20', NOT_VALID],
    exitCode: 1,
    sizeAfter: 20,
  },
  'a bulk not followed by CRLF': {
    aof: '*1\r\n$3\r\nfooXY',
    lines: ['0x               8: Expected \\r\\n, got: 5859', 'AOF analyzed: size=13, ok_up_to=0, diff=13', NOT_VALID],
    exitCode: 1,
    sizeAfter: 13,
  },
  'junk after a count': {
    aof: '*1x\r\n$4\r\nPING\r\n',
    lines: ['0x               0: Expected \\r\\n, got: 780d', 'AOF analyzed: size=15, ok_up_to=0, diff=15', NOT_VALID],
    exitCode: 1,
    sizeAfter: 15,
  },
  'a MULTI inside a MULTI': {
    aof: cmd('MULTI') + cmd('set', 'a', 'b') + cmd('multi') + cmd('EXEC'),
    lines: ['0x              32: Unexpected MULTI', 'AOF analyzed: size=71, ok_up_to=0, diff=71', NOT_VALID],
    exitCode: 1,
    sizeAfter: 71,
  },
  'an EXEC without MULTI': {
    aof: cmd('set', 'a', 'b') + cmd('EXEC'),
    lines: ['0x              23: Unexpected EXEC', 'AOF analyzed: size=41, ok_up_to=27, diff=14', NOT_VALID],
    exitCode: 1,
    sizeAfter: 41,
  },
  'a MULTI left open at EOF': {
    aof: cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'),
    lines: ['0x              45: Reached EOF before reading EXEC for MULTI', 'AOF analyzed: size=69, ok_up_to=27, diff=42', NOT_VALID],
    exitCode: 1,
    sizeAfter: 69,
  },
  'a 7.0 #TS annotation (4.0 knows no # lines)': {
    aof: cmd('set', 'a', 'b') + '#TS:1700000000\r\n' + cmd('set', 'a', 'c'),
    lines: ["0x              1b: Expected prefix '*', got: '#'", 'AOF analyzed: size=70, ok_up_to=27, diff=43', NOT_VALID],
    exitCode: 1,
    sizeAfter: 70,
  },
  '--fix on a MULTI left open, confirmed': {
    aof: cmd('set', 'a', 'b') + cmd('MULTI') + cmd('set', 'c', 'd'),
    fix: true,
    answer: 'y',
    lines: [
      '0x              45: Reached EOF before reading EXEC for MULTI',
      'AOF analyzed: size=69, ok_up_to=27, diff=42',
      'This will shrink the AOF from 69 bytes, with 42 bytes, to 27 bytes',
      CONFIRM_PROMPT,
      'Successfully truncated AOF',
    ],
    exitCode: 0,
    sizeAfter: 27,
  },
  '--fix refused': {
    aof: VALID + '*2\r\n$3\r\nget\r\n$5\r\nxy',
    fix: true,
    answer: 'n',
    lines: [
      '0x              8f: Expected to read 7 bytes, got 2 bytes',
      'AOF analyzed: size=145, ok_up_to=126, diff=19',
      'This will shrink the AOF from 145 bytes, with 19 bytes, to 126 bytes',
      CONFIRM_PROMPT,
      'Aborting...',
    ],
    exitCode: 1,
    sizeAfter: 145,
  },
  '--fix on a valid file': {
    aof: VALID,
    fix: true,
    answer: 'y',
    lines: ['AOF analyzed: size=126, ok_up_to=126, diff=0', 'AOF is valid'],
    exitCode: 0,
    sizeAfter: 126,
  },
};

describe('checkAof40 prints what redis-check-aof 4.0.14 printed', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const fs = createMemoryFs({ [F]: c.aof });
      const r = checkAof40(fs, F, { fix: c.fix === true, confirm: () => c.answer ?? null });
      expect(r.lines).toEqual(c.lines);
      expect(r.exitCode).toBe(c.exitCode);
      expect(fs.stat(F).sizeBytes).toBe(c.sizeAfter);
      expect(r.fixes.length).toBe(c.sizeAfter < c.aof.length ? 1 : 0);
    });
  }

  it('a missing file', () => {
    const r = checkAof40(createMemoryFs({ '/d/other': '' }), F);
    expect(r.lines).toEqual([`Cannot open file: ${F}`]);
    expect(r.exitCode).toBe(1);
  });
});
