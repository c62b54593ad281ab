// Issue 12.1 "never silent": a load in `dump`, `rewrite` and `validate files` in which a command
// replies with an error Redis would not give (a command aofsim does not run) ends with exit 1 (or a
// deviation) naming the file, the offset and the command, and `rewrite` writes nothing. One case per
// command aofsim leaves unsupported (taken from the command table, so the list follows the code),
// each as a plain record, inside MULTI/EXEC, and in a multi-part directory.

import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../src/adapters/memory/memory-fs.ts';
import { hexOffset } from '../../src/base/errors.ts';
import { runDump } from '../../src/aof/dump/dump-path.ts';
import { runRewrite } from '../../cli/commands/rewrite.ts';
import { UNSUPPORTED_NAMES } from '../../src/commands/families/unsupported.ts';
import { encodeCommand } from '../../src/resp/encode.ts';
import { validateFiles } from './validate-files.ts';

const R = (...argv: string[]): string => encodeCommand(argv);
const clock = { nowMs: () => 0 };

/** A plausible call of each command (what a real AOF would hold). */
const SAMPLE: Record<string, string[]> = {
  migrate: ['MIGRATE', '127.0.0.1', '6380', 'k', '0', '1000'],
  'restore-asking': ['RESTORE-ASKING', 'k', '0', 'x'],
  pfdebug: ['PFDEBUG', 'TODENSE', 'hll'],
};

/** Script features aofsim's Lua does not have (docs/scripting.md): each must fail the load too. */
const SCRIPT_FEATURES: Record<string, string[]> = {
  'cmsgpack map of two entries (5.1 hash order)': ['EVAL', "redis.call('set','b',cmsgpack.pack({x=1,y=2}))", '0'],
  'struct.pack of NaN as an integer': ['EVAL', "redis.call('set','b',struct.pack('>I2',0/0))", '0'],
  'cjson object of two keys (5.1 hash order)': ['EVAL', "redis.call('set','b',cjson.encode({x=1,y=2}))", '0'],
  'cjson configuration caught by pcall': ['EVAL', "pcall(cjson.encode_max_depth, 5) redis.call('set','b','2')", '0'],
  'redis.setresp(3)': ['EVAL', "redis.setresp(3) redis.call('set','b','2')", '0'],
  'redis.set_repl(REPL_NONE)': ['EVAL', "redis.set_repl(redis.REPL_NONE) redis.call('set','b','2')", '0'],
  'an endless loop': ['EVAL', 'while true do end', '0'],
};

describe('a load with a command aofsim cannot run fails loudly', () => {
  it('every unsupported command has a sample here', () => {
    expect(UNSUPPORTED_NAMES.filter((n) => SAMPLE[n] === undefined)).toEqual([]);
  });

  for (const name of UNSUPPORTED_NAMES) {
    const argv = SAMPLE[name] ?? [name.toUpperCase()];
    const head = R('SET', 'a', '1');
    const plain = head + R(...argv) + R('SET', 'c', '3');
    const inMulti = head + R('MULTI') + R('SET', 'x', '1') + R(...argv) + R('EXEC');

    it(`${name}: dump exits 1 and names file, offset and command (plain record)`, () => {
      const fs = createMemoryFs({ '/w/appendonly.aof': plain });
      const r = runDump(fs, { path: '/w/appendonly.aof', loadTruncated: true, verbose: false }, clock);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`appendonly.aof@${hexOffset(head.length)}: '${argv[0]}'`);
      expect(r.result?.unreproduced).toEqual([
        { file: 'appendonly.aof', offset: head.length, command: argv[0], reason: `ERR ${argv[0]} is unsupported by aofsim` },
      ]);
    });

    it(`${name}: inside MULTI/EXEC the queued command's own record is named`, () => {
      const fs = createMemoryFs({ '/w/appendonly.aof': inMulti });
      const r = runDump(fs, { path: '/w/appendonly.aof', loadTruncated: true, verbose: false }, clock);
      expect(r.exitCode).toBe(1);
      const offset = head.length + R('MULTI').length + R('SET', 'x', '1').length;
      expect(r.stderr).toContain(`appendonly.aof@${hexOffset(offset)}: '${argv[0]}'`);
    });

    it(`${name}: rewrite exits 1, never says verified, writes nothing`, () => {
      const fs = createMemoryFs({ '/w/appendonly.aof': plain });
      const r = runRewrite(fs, { path: '/w/appendonly.aof', out: '/w/out.aof', loadTruncated: true }, clock);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).not.toContain('verified');
      expect(r.stderr).toContain(`appendonly.aof@${hexOffset(head.length)}: '${argv[0]}'`);
      expect(fs.tryStat('/w/out.aof')).toBeUndefined();
    });

    it(`${name}: validate files reports it as a deviation (multi-part, INCR file named)`, () => {
      const fs = createMemoryFs({
        '/d/appendonlydir/appendonly.aof.manifest':
          'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
        '/d/appendonlydir/appendonly.aof.1.base.aof': R('SET', 'base', '1'),
        '/d/appendonlydir/appendonly.aof.1.incr.aof': plain,
      });
      const v = validateFiles(fs, '/d');
      expect(v.ok).toBe(false);
      expect(v.deviations.join('\n')).toContain(`appendonly.aof.1.incr.aof@${hexOffset(head.length)}: '${argv[0]}'`);
      const r = runDump(fs, { path: '/d', loadTruncated: true, verbose: false }, clock);
      expect(r.exitCode).toBe(1);
    });
  }

  for (const [feature, argv] of Object.entries(SCRIPT_FEATURES)) {
    it(`script feature ${feature}: dump exits 1 naming the record; rewrite writes nothing`, () => {
      const head = R('SET', 'a', '1');
      const fs = createMemoryFs({ '/w/appendonly.aof': head + R(...argv) + R('SET', 'c', '3') });
      const r = runDump(fs, { path: '/w/appendonly.aof', loadTruncated: true, verbose: false }, clock);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`appendonly.aof@${hexOffset(head.length)}: '${argv[0]}'`);
      if (feature === 'an endless loop') return; // one run of the step cap is enough (seconds of Lua)
      const w = runRewrite(fs, { path: '/w/appendonly.aof', out: '/w/out.aof', loadTruncated: true }, clock);
      expect(w.exitCode).toBe(1);
      expect(w.stdout).not.toContain('verified');
      expect(fs.tryStat('/w/out.aof')).toBeUndefined();
    });
  }

  it('scripts aofsim runs load without complaint (the issue\'s EVAL and FUNCTION LOAD + FCALL)', () => {
    const lib = "#!lua name=mylib\nredis.register_function('myset', function(keys, args) return redis.call('set', keys[1], args[1]) end)";
    const fs = createMemoryFs({
      '/w/appendonly.aof': R('EVAL', "redis.call('set','b','2')", '0') + R('FUNCTION', 'LOAD', lib) + R('FCALL', 'myset', '1', 'fk', 'fv'),
    });
    const r = runDump(fs, { path: '/w/appendonly.aof', loadTruncated: true, verbose: false }, clock);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).dbs['0'].map((e: { key: string }) => e.key)).toEqual(['b', 'fk']);
  });

  it('rewrite keeps function libraries (RESP and RDB bases) and says verified only then', () => {
    const lib = "#!lua name=mylib\nredis.register_function('myset', function(keys, args) return redis.call('set', keys[1], args[1]) end)";
    const aof = R('EVAL', "redis.call('set','b','2')", '0') + R('FUNCTION', 'LOAD', lib) + R('FCALL', 'myset', '1', 'fk', 'fv');
    for (const preamble of [false, true]) {
      const fs = createMemoryFs({ '/w/appendonly.aof': aof });
      const r = runRewrite(fs, { path: '/w/appendonly.aof', out: '/w/out', profile: 'redis-7.0', preamble, loadTruncated: true }, clock);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('verified: dumps identical');
      const d = runDump(fs, { path: '/w/out', loadTruncated: true, verbose: false }, clock);
      expect(d.exitCode).toBe(0);
      expect(JSON.parse(d.stdout).functions).toEqual([{ library: 'mylib', code: lib }]);
    }
    // A 4.0 file has no place for libraries: the verification fails and nothing stays written.
    const fs = createMemoryFs({ '/w/appendonly.aof': aof });
    const r = runRewrite(fs, { path: '/w/appendonly.aof', out: '/w/out.aof', profile: 'redis-4.0', loadTruncated: true }, clock);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toContain('verified');
    expect(fs.tryStat('/w/out.aof')).toBeUndefined();
  });

  it('data errors Redis gives too (WRONGTYPE, not an integer) stay warnings: exit 0', () => {
    const fs = createMemoryFs({ '/w/appendonly.aof': R('SET', 'a', 'x') + R('INCR', 'a') + R('LPUSH', 'a', 'v') });
    const r = runDump(fs, { path: '/w/appendonly.aof', loadTruncated: true, verbose: false }, clock);
    expect(r.exitCode).toBe(0);
    expect(r.result?.unreproducedCount).toBe(0);
    expect(r.stderr).toContain('2 command(s) replied with an error');
  });
});
