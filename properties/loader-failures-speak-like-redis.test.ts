// Property: when Redis 7.0 refuses or migrates what it finds on disk at startup, aofsim says and does
// what Redis does, over generated inputs:
// - a damaged manifest (properties/manifest-model.ts, Redis's aofLoadManifestFromFile rules) logs
//   Redis's fatal block word for word: "*** FATAL AOF MANIFEST FILE ERROR ***", then, when a line
//   was read, "Reading the manifest file, at line N" and ">>> '<trimmed line>'", then the message
//   (spec section 2.2.1; the strings are in redis-server 7.0.15's binary);
// - a file that is not the last one, cut inside a record, fails the load with an error that names
//   that file and where its last complete command ends (Redis's valid_up_to: a partial MULTI block
//   counts from before its MULTI, `#TS:` lines do not move it), the offset the model of the script
//   knows independently of the loader;
// - an old-style dir/appendonly.aof is migrated as 7.0.15 migrates it: the file moves into
//   appendonlydir/, the manifest reads exactly `file appendonly.aof seq 1 type b` then
//   `file appendonly.aof.1.incr.aof seq 1 type i` (observed on redis-server 7.0.15), and the next
//   start loads the same data set as the script's model.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../src/adapters/memory/memory-fs.ts';
import { ManualTasks } from '../src/adapters/memory/manual-tasks.ts';
import { loadAppendOnlyFiles } from '../src/aof/loader/index.ts';
import { MapExecutor } from '../src/aof/loader/map-executor.ts';
import { hexOffset } from '../src/base/errors.ts';
import type { Fs } from '../src/ports/fs.ts';
import { MemoryLog } from '../src/ports/log.ts';
import { SeededRandom } from '../src/ports/random.ts';
import { Server } from '../src/server.ts';
import { TestClock } from '../testing/aof/writer-support.ts';
import { MANIFEST_PATH, MULTI_PART, multiPartTree, standardParts } from '../sim/campaign/offline/aof-dir.ts';
import { cutArb, newOracleState, prefixOracle, records, scriptText, snapshotOf, applyPrefix } from '../sim/campaign/offline/script-oracle.ts';
import { fcParams, scriptArb } from './loader-arbitraries.ts';
import { testSeed } from '../sim/campaign/suite-options.ts';
import { manifestCaseArb } from './manifest-model.ts';

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = (b: string | Uint8Array): string => (typeof b === 'string' ? b : Buffer.from(b).toString('latin1'));

function load(fs: Fs) {
  const log = new MemoryLog();
  const executor = new MapExecutor();
  const res = loadAppendOnlyFiles({ fs, log, executor, modify: true }, MULTI_PART);
  return { res, log, state: executor.snapshot() };
}

/** The data set a 7.0 server holds, as the script model's snapshot shape: db -> key -> value. */
function serverState(s: Server): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  const c = s.newClient();
  for (let db = 0; db < 16; db++) {
    s.call(c, ['SELECT', String(db)]);
    const keys = s.call(c, ['KEYS', '*']);
    if (keys.kind !== 'array' || keys.value === null || keys.value.length === 0) continue;
    const names = keys.value.map((k) => (k.kind === 'bulk' && k.value !== null ? text(k.value) : '?')).sort();
    out[db] = Object.fromEntries(
      names.map((k) => {
        const v = s.call(c, ['GET', k]);
        return [k, v.kind === 'bulk' && v.value !== null ? text(v.value) : '?'];
      }),
    );
  }
  return out;
}

function startServer(fs: Fs, log: MemoryLog): Server {
  const s = new Server({ fs, clock: new TestClock(), tasks: new ManualTasks(fs), log, random: new SeededRandom(1) }, { profile: 'redis-7.0', dir: '/d', appendonly: true });
  s.start();
  return s;
}

describe('loader failures and migrations speak and act as Redis 7.0', () => {
  it("a damaged manifest logs Redis's fatal block: banner, line number, echoed line, message", () => {
    fc.assert(
      fc.property(
        manifestCaseArb.filter((c) => !c.outcome.ok),
        (c) => {
          if (c.outcome.ok) return;
          const { res, log } = load(createMemoryFs({ [MANIFEST_PATH]: latin1(c.text) }));
          expect(res.status).toBe('failed');
          const o = c.outcome;
          const echo = o.line === undefined ? [] : [`Reading the manifest file, at line ${o.line}`, `>>> '${o.lineText}'`];
          const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message.trim());
          expect(warnings).toEqual(['*** FATAL AOF MANIFEST FILE ERROR ***', ...echo, o.reason]);
        },
      ),
      { ...fcParams(60), seed: testSeed(process.env) },
    );
  });

  it('a non-last file cut inside a record fails, naming the file and the end of its last complete command', () => {
    const caseArb = fc
      .array(scriptArb, { minLength: 2, maxLength: 4 })
      .chain((scripts) =>
        fc.nat({ max: scripts.length - 2 }).chain((which) => cutArb(records(scripts[which]), [1, 0, 3]).map((cut) => ({ scripts, which, cut }))),
      );
    fc.assert(
      fc.property(caseArb, ({ scripts, which, cut }) => {
        const verdict = prefixOracle(records(scripts[which]), cut);
        fc.pre(!verdict.clean);
        const parts = standardParts(scriptText(scripts[0]), scripts.slice(1).map(scriptText));
        parts[which] = { ...parts[which], content: scriptText(scripts[which]).slice(0, cut) };
        const { res } = load(createMemoryFs(multiPartTree(parts)));
        expect(res.status).toBe('failed');
        const name = parts[which].name;
        expect(res.error?.message).toContain(`${name}: Fatal error: the truncated file is not the last file (last valid command ends at ${hexOffset(verdict.toSize)})`);
      }),
      { ...fcParams(100), seed: testSeed(process.env) },
    );
  });

  it('an old-style appendonly.aof is migrated into appendonlydir with 7.0.15 manifest, and loads again to the same data', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const recs = records(script);
        const model = newOracleState();
        applyPrefix(model, recs, Number.MAX_SAFE_INTEGER);
        const fs = createMemoryFs({ '/d/appendonly.aof': latin1(scriptText(script)) });
        const first = startServer(fs, new MemoryLog());
        expect(serverState(first)).toEqual(snapshotOf(model));
        expect(Buffer.from(fs.readFile(MANIFEST_PATH)).toString('latin1')).toBe(
          'file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n',
        );
        expect(fs.tryStat('/d/appendonly.aof')).toBeUndefined();
        const log = new MemoryLog();
        const second = startServer(fs, log);
        expect(serverState(second)).toEqual(snapshotOf(model));
      }),
      { ...fcParams(60), seed: testSeed(process.env) },
    );
  });
});
