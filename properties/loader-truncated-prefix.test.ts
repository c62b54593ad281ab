// Property: a valid AOF cut at any offset loads (aof-load-truncated yes) to exactly the state of its
// complete commands before the cut, a MULTI block counting only when its EXEC is complete (spec 2.6,
// spec 4 bugs 7 and 22); the file is cut right after the last complete command outside an open
// MULTI (or before that MULTI), and loading the cut file again gives 'ok' and the same state.
// The state is checked against an oracle that interprets the script directly.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { loadAppendOnlyFiles, loadSingleAppendOnlyFile } from '../src/aof/loader/index.ts';
import { MapExecutor } from '../src/aof/loader/map-executor.ts';
import { nullLog } from '../src/ports/log.ts';
import { encodeCommand } from '../src/resp/encode.ts';
import { fcParams, scriptArb, type ScriptOp } from './loader-arbitraries.ts';

type Simple = Exclude<ScriptOp, { op: 'select' } | { op: 'ts' } | { op: 'multi' }>;

function argvOf(op: Simple): string[] {
  if (op.op === 'set') return ['SET', op.key, op.value];
  if (op.op === 'del') return ['DEL', op.key];
  return ['INCR', op.key];
}

interface Rec {
  text: string;
  kind: 'cmd' | 'ts' | 'multi' | 'exec' | 'queued';
  /** Applies the record's effect (for 'exec': the whole block). */
  apply?: (st: OracleState) => void;
}

interface OracleState {
  db: number;
  dbs: Map<string, string>[];
}

function applySimple(st: OracleState, op: Simple): void {
  const m = st.dbs[st.db];
  if (op.op === 'set') m.set(op.key, op.value);
  else if (op.op === 'del') m.delete(op.key);
  else {
    const cur = m.get(op.key) ?? '0';
    if (/^-?(0|[1-9][0-9]{0,17})$/.test(cur)) m.set(op.key, String(Number(cur) + 1));
  }
}

function records(script: ScriptOp[]): Rec[] {
  const out: Rec[] = [];
  for (const op of script) {
    if (op.op === 'ts') out.push({ text: '#TS:1700000000\r\n', kind: 'ts' });
    else if (op.op === 'select') out.push({ text: encodeCommand(['SELECT', String(op.db)]), kind: 'cmd', apply: (st) => (st.db = op.db) });
    else if (op.op === 'multi') {
      out.push({ text: encodeCommand(['MULTI']), kind: 'multi' });
      for (const b of op.body) out.push({ text: encodeCommand(argvOf(b)), kind: 'queued' });
      out.push({ text: encodeCommand(['EXEC']), kind: 'exec', apply: (st) => op.body.forEach((b) => applySimple(st, b)) });
    } else out.push({ text: encodeCommand(argvOf(op)), kind: 'cmd', apply: (st) => applySimple(st, op) });
  }
  return out;
}

/** The oracle: state and expected cut for a cut at `cut`. */
function oracle(recs: Rec[], cut: number) {
  const st: OracleState = { db: 0, dbs: Array.from({ length: 16 }, () => new Map()) };
  let off = 0;
  let lastCmdEnd = 0;
  let beforeMulti = 0;
  let inMulti = false;
  let clean = cut === 0;
  for (const r of recs) {
    const end = off + r.text.length;
    if (r.kind === 'ts' && cut > off && cut < end) clean = !inMulti; // a partial '#' line is skipped
    if (end > cut) break;
    if (end === cut) clean = true;
    if (r.kind === 'multi') {
      beforeMulti = lastCmdEnd;
      inMulti = true;
    }
    if (r.kind === 'exec') inMulti = false;
    r.apply?.(st);
    if (r.kind !== 'ts') lastCmdEnd = end;
    off = end;
  }
  if (inMulti) clean = false;
  const state: Record<number, Record<string, string>> = {};
  st.dbs.forEach((m, i) => {
    if (m.size > 0) state[i] = Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
  return { state, clean, toSize: inMulti ? beforeMulti : lastCmdEnd };
}

function load(content: string) {
  const fs = createMemoryFs({ '/d/appendonly.aof': content });
  const executor = new MapExecutor();
  const res = loadSingleAppendOnlyFile(
    { fs, log: nullLog, executor, modify: true },
    { file: 'appendonly.aof', path: '/d/appendonly.aof', loadTruncated: true, dialect: 'redis-7.0', oldStyle: false, isLastFile: true },
  );
  return { res, state: executor.snapshot(), after: Buffer.from(fs.readFile('/d/appendonly.aof')).toString('latin1') };
}

const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('a valid AOF truncated at any offset', () => {
  it('loads to exactly the state of its complete commands before the cut', () => {
    const arb = scriptArb.chain((script) => {
      const recs = records(script);
      const text = recs.map((r) => r.text).join('');
      return fc.tuple(fc.constant(recs), fc.constant(text), fc.integer({ min: 0, max: text.length }));
    });
    fc.assert(
      fc.property(arb, ([recs, text, cut]) => {
        const exp = oracle(recs, cut);
        const got = load(text.slice(0, cut));
        if (!eq(got.state, exp.state)) throw new Error(`state ${JSON.stringify(got.state)} != oracle ${JSON.stringify(exp.state)}`);
        if (exp.clean) {
          if (cut > 0 && got.res.status !== 'ok') throw new Error(`expected ok, got ${got.res.status}`);
          if (got.after.length !== cut) throw new Error('a clean file was modified');
          return;
        }
        if (got.res.status !== 'truncated') throw new Error(`expected truncated, got ${got.res.status}`);
        if (got.after !== text.slice(0, exp.toSize)) throw new Error(`cut at ${got.after.length}, oracle ${exp.toSize}`);
        const again = load(got.after);
        if (got.after.length > 0 && again.res.status !== 'ok') throw new Error(`reload: ${again.res.status}`);
        if (!eq(again.state, exp.state)) throw new Error('reload state differs');
      }),
      fcParams(400),
    );
  });

  it('multi-part: only the last file may be short; cutting it loads the prefix state, cutting another fails', () => {
    // Records split into BASE + INCR files at record boundaries (SELECT/MULTI state never crosses a
    // file: each file starts in db 0 with a fresh client, so scripts are split between ops).
    const arb = fc
      .tuple(fc.array(scriptArb, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat())
      .map(([scripts, whichSeed, cutSeed]) => {
        const files = scripts.map((sc) => records(sc).map((r) => r.text).join(''));
        const which = whichSeed % files.length;
        const cut = files[which].length === 0 ? 0 : cutSeed % (files[which].length + 1);
        return { scripts, files, which, cut };
      });
    fc.assert(
      fc.property(arb, ({ scripts, files, which, cut }) => {
        const names = files.map((_, i) => (i === 0 ? 'appendonly.aof.1.base.aof' : `appendonly.aof.${i}.incr.aof`));
        const manifest = names.map((n, i) => `file ${n} seq ${i === 0 ? 1 : i} type ${i === 0 ? 'b' : 'i'}\n`).join('');
        const tree: Record<string, string> = { '/d/appendonlydir/appendonly.aof.manifest': manifest };
        names.forEach((n, i) => (tree[`/d/appendonlydir/${n}`] = i === which ? files[i].slice(0, cut) : files[i]));
        const executor = new MapExecutor();
        const res = loadAppendOnlyFiles(
          { fs: createMemoryFs(tree), log: nullLog, executor, modify: false },
          { dir: '/d', appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated: true, layout: 'multi-part' },
        );
        const cutClean = oracle(records(scripts[which]), cut).clean;
        if (which !== files.length - 1 && !cutClean) {
          if (res.status !== 'failed' || res.error?.code !== 'AOF_NOT_LAST_FILE') throw new Error(`expected not-last-file failure, got ${res.status}`);
          return;
        }
        if (res.status === 'failed' || res.status === 'open-err') throw new Error(`unexpected ${res.status}: ${res.error?.message}`);
        // Expected state: every file's oracle state applied in order (files are independent scripts
        // over shared dbs, so replay the scripts' records through one oracle per file).
        const st: OracleState = { db: 0, dbs: Array.from({ length: 16 }, () => new Map()) };
        scripts.forEach((sc, i) => {
          st.db = 0;
          const limit = i === which ? cut : files[i].length;
          let off = 0;
          for (const r of records(sc)) {
            const end = off + r.text.length;
            if (end > limit) break;
            r.apply?.(st); // an EXEC applies its whole block; an unfinished block applies nothing
            off = end;
          }
        });
        const state: Record<number, Record<string, string>> = {};
        st.dbs.forEach((m, i) => {
          if (m.size > 0) state[i] = Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        });
        if (!eq(executor.snapshot(), state)) throw new Error(`state ${JSON.stringify(executor.snapshot())} != ${JSON.stringify(state)}`);
      }),
      fcParams(200),
    );
  });
});
