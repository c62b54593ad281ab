// The in-process configuration API (src/aof/config.ts resolveAofConfig: what Server, the scenario
// files and `aofsim serve` build their AofConfig with) against redis-server 7.0.15's own checks of
// the same values (redis: config.c standardConfig bounds, isValidAOFfilename / isValidAOFdirname,
// the appendfsync enum; hz 0..INT_MAX, clamped to 1..500 by updateHZ and at the end of the config file):
// - a value the real server refuses is refused, with a message of one problem per refused parameter;
// - values the real server keeps as given are taken as given, and a parameter given as undefined
//   keeps the real server's default;
// - a value the real server takes but changes (hz 0 becomes 1, EVERYSEC becomes everysec) is
//   never taken silently as something else: refused, or the value Redis keeps.
// Mutable parameters are asked with CONFIG SET / CONFIG GET on one running server; appendfilename and
// appenddirname (immutable) with a configuration file whose next line is an unknown directive, so the
// real server reports the first bad line and exits without starting.
// And, without a real server: the bug switches an unknown name's message offers are each accepted.
// Seeds: fcParams (AOFSIM_SEED, AOFSIM_RUNS). Without redis-server 7.0 the differential part skips
// LOUDLY, and fails instead when AOFSIM_REQUIRE_REDIS=1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAofError } from '../../src/base/errors.ts';
import { resolveAofConfig, type AofConfig, type AofConfigInput } from '../../src/aof/config.ts';
import { fcParams } from '../loader-arbitraries.ts';
import { testSeed } from '../../sim/campaign/suite-options.ts';
import { RedisServerSubject } from '../../sim/subjects/real-redis-server.ts';
import { REDIS_SERVER, replyString, type RealRedis, requireRedis70, skipWithoutRedis70 } from './harness.ts';

const skip = skipWithoutRedis70('the AOF config API differential suite');

const root = mkdtempSync(join(tmpdir(), 'aofsim-config-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

type Field = 'hz' | 'appendfsync' | 'autoAofRewritePercentage' | 'autoAofRewriteMinSizeBytes' | 'appendfilename' | 'appenddirname';
/** The Redis parameter of each field. */
const PARAM: Record<Field, string> = {
  hz: 'hz',
  appendfsync: 'appendfsync',
  autoAofRewritePercentage: 'auto-aof-rewrite-percentage',
  autoAofRewriteMinSizeBytes: 'auto-aof-rewrite-min-size',
  appendfilename: 'appendfilename',
  appenddirname: 'appenddirname',
};
const IMMUTABLE = new Set<Field>(['appendfilename', 'appenddirname']);

const oddNumbers = [1.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const intBounds = [-1, 0, 1, 2147483647, 2147483648, -2147483649];
// '.' and '..' included: Redis 7.0.15 takes them (pathIsBaseName looks only for slashes); what a
// server then does with them is aof-names-vs-redis.test.ts's.
const names = ['appendonly.aof', 'x.aof', 'a b', '.', '..', '...', '.x', '', 'a/b', '/abs', 'a\\b', 'dir/'];
const fieldArb: fc.Arbitrary<[Field, string | number]> = fc.oneof(
  fc.tuple(fc.constant<Field>('hz'), fc.oneof(fc.integer({ min: -3, max: 600 }), fc.constantFrom(...intBounds, 499, 500, 501, ...oddNumbers))),
  fc.tuple(fc.constant<Field>('appendfsync'), fc.constantFrom('always', 'everysec', 'no', 'EVERYSEC', 'sometimes', '')),
  fc.tuple(fc.constant<Field>('autoAofRewritePercentage'), fc.oneof(fc.integer({ min: -3, max: 1000 }), fc.constantFrom(...intBounds, ...oddNumbers))),
  fc.tuple(fc.constant<Field>('autoAofRewriteMinSizeBytes'), fc.oneof(fc.integer({ min: -3, max: 1 << 30 }), fc.constantFrom(...intBounds, ...oddNumbers))),
  fc.tuple(fc.constantFrom<Field>('appendfilename', 'appenddirname'), fc.constantFrom(...names)),
);
const partialArb = fc.uniqueArray(fieldArb, { minLength: 1, maxLength: 3, selector: ([f]) => f });

/** What the real server does with one value: refuses it, or keeps it as `kept` (its CONFIG GET text). */
type Verdict = { refused: true } | { refused: false; kept: string };

/** A double-quoted config-file argument (redis: sdssplitargs). */
const quoted = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function fileVerdict(param: string, value: string): Verdict {
  const path = join(root, `c${files++}.conf`);
  writeFileSync(path, `${param} ${quoted(value)}\nno-such-directive-ends-the-file x\n`);
  const r = spawnSync(REDIS_SERVER, [path], { cwd: root, encoding: 'latin1', timeout: 10_000 });
  const line = /at line (\d+)/.exec(r.stderr)?.[1];
  if (line === undefined) throw new Error(`${REDIS_SERVER} ${param} ${value}: no FATAL CONFIG FILE ERROR: ${r.stderr}${r.stdout}`);
  return line === '1' ? { refused: true } : { refused: false, kept: value };
}

describe.skipIf(skip)('resolveAofConfig vs redis-server 7.0.15', () => {
  let real: RealRedis | undefined;
  const defaults = new Map<string, string>();

  beforeAll(async () => {
    requireRedis70();
    // Not the harness's start: it sets hz 100, and the defaults are what this suite compares with.
    real = new RedisServerSubject({ bin: REDIS_SERVER, config: { appendonly: 'no', save: '' } });
    const st = await real.start();
    if (st.outcome !== 'ok') throw new Error(`${REDIS_SERVER} did not start: ${st.log.slice(-3).join(' | ')}`);
    for (const p of Object.values(PARAM)) {
      defaults.set(p, replyString(await real.client.call(['CONFIG', 'GET', p])));
    }
  });
  afterAll(async () => {
    await real?.stop();
  });

  async function liveVerdict(param: string, value: string): Promise<Verdict> {
    const r = real!;
    const set = replyString(await r.client.call(['CONFIG', 'SET', param, value]));
    if (set !== '+OK') return { refused: true };
    const after = replyString(await r.client.call(['CONFIG', 'GET', param]));
    // back to the default: the next value is judged from the same state
    const dflt = /^\[".*?", "(.*)"\]$/.exec(defaults.get(param)!)![1];
    await r.client.call(['CONFIG', 'SET', param, dflt]);
    return { refused: false, kept: /^\[".*?", "(.*)"\]$/.exec(after)![1] };
  }

  it('refuses what Redis refuses, takes what Redis keeps, never silently takes another value', async () => {
    await fc.assert(
      fc.asyncProperty(partialArb, fc.subarray(Object.keys(PARAM) as Field[]), async (pairs, absent) => {
        // Fields given as undefined are absent: they keep Redis's defaults.
        const unset = absent.filter((f) => !pairs.some(([g]) => g === f));
        const partial: Record<string, unknown> = Object.fromEntries(unset.map((f) => [f, undefined]));
        const verdicts = new Map<Field, Verdict>();
        for (const [f, v] of pairs) {
          partial[f] = v;
          verdicts.set(f, IMMUTABLE.has(f) ? fileVerdict(PARAM[f], String(v)) : await liveVerdict(PARAM[f], String(v)));
        }
        const what = pairs.map(([f, v]) => `${PARAM[f]}=${JSON.stringify(v)} (redis: ${JSON.stringify(verdicts.get(f))})`).join(', ') + (unset.length > 0 ? `; undefined: ${unset.join(', ')}` : '');
        let cfg: AofConfig | undefined;
        let message = '';
        try {
          cfg = resolveAofConfig({ profile: 'redis-7.0', ...(partial as AofConfigInput) });
        } catch (e) {
          if (!isAofError(e)) throw e;
          message = e.message;
        }
        if (cfg !== undefined) {
          for (const f of unset) expect(String(cfg[f]), `${what}: ${PARAM[f]} left undefined`).toBe(/^\[".*?", "(.*)"\]$/.exec(defaults.get(PARAM[f])!)![1]);
        }
        if (cfg === undefined) {
          // One problem per refused parameter, each opening with the parameter's name.
          const problems = message.replace(/^AOF_CONFIG: /, '').split('; ');
          const named = problems.map((p) => pairs.map(([f]) => PARAM[f]).find((name) => p.startsWith(`${name} `)) ?? `(none: ${p})`);
          expect(new Set(named).size, `${what}: ${message}`).toBe(named.length);
          for (const [f] of pairs) if (verdicts.get(f)!.refused) expect(named, `${what}: ${message}`).toContain(PARAM[f]);
        }
        for (const [f, v] of pairs) {
          const verdict = verdicts.get(f)!;
          if (verdict.refused) {
            expect(cfg, `${what}: Redis refuses ${PARAM[f]}`).toBeUndefined();
            expect(message, what).toContain(PARAM[f]);
          } else if (verdict.kept === String(v)) {
            if (pairs.every(([g]) => verdicts.get(g)!.refused === false && (verdicts.get(g) as { kept: string }).kept === String(partial[g]))) {
              expect(message, `${what}: Redis keeps every value`).toBe('');
            }
            if (cfg !== undefined) expect(String(cfg[f]), what).toBe(String(v));
          } else if (cfg !== undefined) {
            expect(String(cfg[f]), `${what}: Redis keeps ${verdict.kept}`).toBe(verdict.kept);
          }
        }
      }),
      { ...fcParams(40), seed: testSeed(process.env) },
    );
  });
});

describe('resolveAofConfig: bug switches', () => {
  /** Every bug switch the committed scenario files turn on. */
  const scenarioBugs = (): string[] => {
    const dir = new URL('../../scenarios/', import.meta.url);
    const out = new Set<string>();
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      const bugs = (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { bugs?: string[] }).bugs ?? [];
      for (const b of bugs) out.add(b);
    }
    return [...out];
  };

  it('the names an unknown switch is told about are each accepted, and include every switch the scenarios use', () => {
    const used = scenarioBugs();
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.subarray(used), (name, known) => {
        let message = '';
        try {
          resolveAofConfig({ bugs: [...known, name] });
          return; // a real switch's name: nothing to tell
        } catch (e) {
          if (!isAofError(e)) throw e;
          message = e.message;
        }
        expect(message).toContain(`unknown bug switch '${name}'`);
        const listed = /\(known: (.*)\)$/.exec(message)?.[1]?.split(', ') ?? [];
        expect(listed.length, message).toBeGreaterThan(1);
        for (const b of listed) expect(() => resolveAofConfig({ bugs: [b] }), `listed switch '${b}'`).not.toThrow();
        for (const b of used) expect(listed, message).toContain(b);
      }),
      { ...fcParams(50), seed: testSeed(process.env) },
    );
  });
});
