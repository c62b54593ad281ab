// An example of validating AOF bytes your own implementation wrote (README, "Use it in your
// project"): aofsim says what Redis 7.0 would do with them at startup (load, truncate or refuse,
// and the resulting keys, as a canonical dump) and what redis-check-aof 7.x says, all in memory.
//
// Point MY_AOF_DIR at a Redis `dir` your server wrote (holding `appendonlydir/` or `appendonly.aof`)
// to check it; without it, the example checks the bytes below, written by hand as a server would.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAof, loadAof, type CanonicalDump } from 'aofsim';

/** A RESP record as catAppendOnlyGenericCommand writes it. */
const record = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;

/** What a 7.0-style server wrote: a manifest, an empty RESP BASE and one INCR file. */
function sampleDir(): Record<string, string> {
  const incr = record('SELECT', '0') + record('SET', 'user:1', 'ada') + record('MULTI') + record('RPUSH', 'queue', 'a', 'b') + record('INCR', 'hits') + record('EXEC');
  return {
    'appendonlydir/appendonly.aof.manifest': 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
    'appendonlydir/appendonly.aof.1.base.aof': '',
    'appendonlydir/appendonly.aof.1.incr.aof': incr,
  };
}

/** Every file under `dir`, by path relative to it. */
function readTree(dir: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

const myDir = process.env.MY_AOF_DIR;
if (myDir !== undefined && !statSync(myDir, { throwIfNoEntry: false })?.isDirectory()) {
  throw new Error(`MY_AOF_DIR=${myDir} is not a directory: point it at the Redis dir your server wrote (holding appendonlydir/ or appendonly.aof)`);
}

describe('my AOF files', () => {
  const files = myDir ? readTree(myDir) : sampleDir();

  it('redis-check-aof accepts them', () => {
    const checked = checkAof(files);
    expect(checked.lines.at(-1)).toBe('All AOF files and manifest are valid');
    expect(checked.ok).toBe(true);
  });

  it('Redis 7.0 would load them as they are, without truncating anything', () => {
    const loaded = loadAof(files, { loadTruncated: false });
    expect(loaded.messages.filter((m) => /truncat|Bad file format|Unexpected end/i.test(m))).toEqual([]);
    expect(loaded.status).toBe('ok');
  });

  it.skipIf(myDir !== undefined)('the sample loads to the state the server held', () => {
    const dump = JSON.parse(loadAof(files).dump!) as CanonicalDump;
    expect(dump).toEqual({
      atMs: 0,
      dbs: {
        '0': [
          { key: 'hits', type: 'string', value: '1' },
          { key: 'queue', type: 'list', value: ['a', 'b'] },
          { key: 'user:1', type: 'string', value: 'ada' },
        ],
      },
    });
  });

  it.skipIf(myDir !== undefined)('a torn tail: truncated at startup with aof-load-truncated yes, refused with no', () => {
    const incr = files['appendonlydir/appendonly.aof.1.incr.aof'] as string;
    const torn = { ...files, 'appendonlydir/appendonly.aof.1.incr.aof': incr.slice(0, incr.length - 7) };
    const tolerant = loadAof(torn);
    expect(tolerant.status).toBe('truncated');
    // The cut falls inside the MULTI block: the whole transaction goes, the SET before it stays.
    expect((JSON.parse(tolerant.dump!) as CanonicalDump).dbs['0'].map((e) => e.key)).toEqual(['user:1']);
    const strict = loadAof(torn, { loadTruncated: false });
    expect(strict.ok).toBe(false);
    expect(strict.dump).toBeNull();
    const checked = checkAof(torn);
    expect(checked.ok).toBe(false);
    expect(checked.exitCode).toBe(1);
  });
});
