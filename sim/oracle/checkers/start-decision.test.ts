import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AofConfig } from '../../../src/aof/config.ts';
import type { FileHandle, Fs } from '../../../src/ports/fs.ts';
import { parseScenario } from '../../scenario/parse-scenario.ts';
import { runScenario } from '../../scenario/run-scenario.ts';
import { loadServerFactory } from '../../world/server-factory.ts';
import type { ServerFactory } from '../../world/world.ts';
import { scanRecords } from '../aof-records.ts';
import { ORACLE_CHECKS } from '../checks.ts';

const MANIFEST = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n';
const BASE = '*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$5\r\nhello\r\n';
const INCR_1 = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
const INCR_2 = '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n';

function scenario(incr1: string, load: 'ok' | 'exited'): string {
  return JSON.stringify({
    name: 'start-decision',
    source: 'sim/oracle/checkers/start-decision.test.ts',
    profile: 'redis-7.0',
    config: { appendonly: 'yes', appendfsync: 'always', 'aof-load-truncated': 'yes' },
    seed: 1,
    files: {
      'appendonlydir/appendonly.aof.manifest': MANIFEST,
      'appendonlydir/appendonly.aof.1.base.aof': BASE,
      'appendonlydir/appendonly.aof.1.incr.aof': incr1,
      'appendonlydir/appendonly.aof.2.incr.aof': INCR_2,
    },
    oracle: ['start-decision'],
    steps: [{ expect: { load } }],
  });
}

/** A broken loader: every .aof file reads as its clean prefix, so a torn non-last file loads as if whole. */
function clippingFs(inner: Fs): Fs {
  const clean = (path: string): number | null => (path.endsWith('.aof') ? scanRecords(inner.readFile(path)).cleanBytes : null);
  const fs: Fs = Object.create(inner) as Fs;
  fs.stat = (path) => {
    const st = inner.stat(path);
    const n = clean(path);
    return n === null ? st : { ...st, sizeBytes: n };
  };
  fs.tryStat = (path) => (inner.tryStat(path) === undefined ? undefined : fs.stat(path));
  fs.open = (path, mode) => {
    const h = inner.open(path, mode);
    const n = mode === 'read' ? clean(path) : null;
    if (n === null) return h;
    const clipped: FileHandle = Object.create(h) as FileHandle;
    clipped.read = (lengthBytes, positionBytes) => {
      const at = positionBytes ?? 0;
      return at >= n ? new Uint8Array(0) : h.read(Math.min(lengthBytes, n - at), positionBytes);
    };
    clipped.stat = () => ({ ...h.stat(), sizeBytes: n });
    return clipped;
  };
  fs.readFile = (path) => {
    const data = inner.readFile(path);
    const n = clean(path);
    return n === null ? data : data.subarray(0, n);
  };
  return fs;
}

/** A broken loader the other way: the first INCR reads with a partial record after its last whole one, so a clean non-last file looks torn. */
function tearingFs(inner: Fs): Fs {
  const torn = (path: string): boolean => path.endsWith('.1.incr.aof');
  const tail = Buffer.from('*3\r\n$3\r\nSET\r\n', 'latin1');
  const fs: Fs = Object.create(inner) as Fs;
  const grown = (data: Uint8Array): Uint8Array => Buffer.concat([data, tail]);
  fs.stat = (path) => {
    const st = inner.stat(path);
    return torn(path) ? { ...st, sizeBytes: st.sizeBytes + tail.length } : st;
  };
  fs.tryStat = (path) => (inner.tryStat(path) === undefined ? undefined : fs.stat(path));
  fs.open = (path, mode) => {
    const h = inner.open(path, mode);
    if (mode !== 'read' || !torn(path)) return h;
    const data = grown(inner.readFile(path));
    const padded: FileHandle = Object.create(h) as FileHandle;
    padded.read = (lengthBytes, positionBytes) => {
      const at = positionBytes ?? 0;
      return data.subarray(Math.min(at, data.length), Math.min(at + lengthBytes, data.length));
    };
    padded.stat = () => ({ ...h.stat(), sizeBytes: data.length });
    return padded;
  };
  fs.readFile = (path) => (torn(path) ? grown(inner.readFile(path)) : inner.readFile(path));
  return fs;
}

let real: ServerFactory<AofConfig>;
beforeAll(async () => {
  real = await loadServerFactory();
});

function violations(text: string, createServer: ServerFactory<AofConfig>, oracle?: readonly string[]): { messages: string[]; failures: string[] } {
  const parsed = parseScenario(oracle ? JSON.stringify({ ...JSON.parse(text), oracle }) : text, 'start-decision.scenario.json');
  const r = runScenario(parsed, { createServer });
  return { messages: r.tracker!.violations.map((v) => v.message), failures: r.failures.filter((f) => f.path !== '$.oracle').map((f) => `${f.path}: ${f.message}`) };
}

describe("checker 'start-decision'", () => {
  it('accepts the refusal of a torn non-last INCR, and the start over clean files', () => {
    const torn = violations(scenario(INCR_1 + '*3\r\n$3\r\nSET\r\n$1\r\nb\r', 'exited'), real);
    expect(torn.failures).toEqual([]);
    expect(torn.messages).toEqual([]);
    const clean = violations(scenario(INCR_1, 'ok'), real);
    expect(clean.failures).toEqual([]);
    expect(clean.messages).toEqual([]);
  });

  it('finds a server that loads a torn non-last INCR (a MULTI block without its EXEC, or a partial record)', () => {
    const broken: ServerFactory<AofConfig> = (deps, config) => real({ ...deps, fs: clippingFs(deps.fs) }, config);
    for (const tail of ['*3\r\n$3\r\nSET\r\n$1\r\nb\r', '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n']) {
      const r = violations(scenario(INCR_1 + tail, 'ok'), broken);
      expect(r.failures).toEqual([]);
      expect(r.messages).toEqual([expect.stringContaining('appendonly.aof.1.incr.aof, not the last file, is torn')]);
    }
  });

  it('finds a server that refuses a loadable state (a clean non-last INCR read as torn), and only this check does', () => {
    const broken: ServerFactory<AofConfig> = (deps, config) => real({ ...deps, fs: tearingFs(deps.fs) }, config);
    // Every check of the world properties: the refusal is start-decision's alone. ('recovery'
    // judges restarts after a crash, and there it excuses AOF_NOT_LAST_FILE whenever a power loss
    // could have torn the file, which is why the files themselves must be judged.)
    const r = violations(scenario(INCR_1, 'exited'), broken, ORACLE_CHECKS);
    expect(r.failures).toEqual([]);
    expect(r.messages).toEqual([expect.stringContaining('refused to start with AOF_NOT_LAST_FILE although every non-last file ends on a whole record')]);
  });

  it('is the only check that finds a server loading a torn non-last INCR', () => {
    const broken: ServerFactory<AofConfig> = (deps, config) => real({ ...deps, fs: clippingFs(deps.fs) }, config);
    const r = violations(scenario(INCR_1 + '*3\r\n$3\r\nSET\r\n$1\r\nb\r', 'ok'), broken, ORACLE_CHECKS);
    expect(r.failures).toEqual([]);
    expect(r.messages).toEqual([expect.stringContaining('not the last file, is torn')]);
  });

  it('finds the 7.0.15 refusal that truncated the torn file first (bug switch truncate-non-last-file)', () => {
    const file = new URL('../../../scenarios/truncate-non-last-file.scenario.json', import.meta.url);
    const text = JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), oracle: ['start-decision'] });
    const r = violations(text, real);
    expect(r.failures).toEqual([]);
    expect(r.messages).toEqual([expect.stringContaining('the refused start changed appendonly.aof.1.base.aof (50 -> 33 bytes)')]);
  });
});
