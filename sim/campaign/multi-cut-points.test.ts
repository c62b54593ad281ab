// Torn power loss can end the AOF at every inner record boundary of a MULTI/EXEC block (issue
// 18.2): after MULTI, after each queued command, and right before EXEC. The blocks are those the
// truncated-tail property generates in its default budget (10 runs per combination, the suite's
// seeds, redis-4.0 and redis-7.0); each goes out as the server writes it (one write, under
// appendfsync no so it stays pending) and is torn by four decisions drawn as the campaign draws them
// (WorldFs.randomDecision, 1-byte sectors). The test counts, per block size, which boundaries the
// surviving file ended on, and fails unless every one was hit.
// Blocks of 0 commands in the report are Redis 4.0's own: it propagates MULTI at the first queued
// command that is not read-only, even one that then changes nothing (DEL of a missing key, SREM
// of an absent member), and EXEC after it, so the AOF gets an empty MULTI/EXEC block (redis-server
// 4.0.14 writes `MULTI EXEC` for MULTI; DEL nokey; EXEC); 7.0 writes nothing for such a block.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAofConfig, type AofConfig } from '../../src/aof/config.ts';
import { Prng } from '../prng/prng.ts';
import { World, type ServerFactory } from '../world/world.ts';
import { loadServerFactory } from '../world/server-factory.ts';
import { recordBoundaries } from '../crash/decide-crash.ts';
import { allCombos, modelRunArb } from './model-run.ts';
import { PROPERTIES } from './properties.ts';
import { comboSeed, DEFAULT_RUNS_PER_COMBO, testSeed } from './suite-options.ts';

const SEED = testSeed(process.env);
const PROPERTY = 'truncated-tail-recovers-prefix';
const DECISIONS_PER_BLOCK = 4;

let createServer: ServerFactory<AofConfig>;
beforeAll(async () => {
  createServer = await loadServerFactory();
});

describe('torn power loss ends the file at every inner boundary of generated MULTI blocks', () => {
  it(`${PROPERTY}: every boundary of blocks of 1-3 commands, within the default budget`, () => {
    const index = PROPERTIES.findIndex((p) => p.name === PROPERTY);
    const def = PROPERTIES[index];
    // hits[n][j]: blocks of n commands whose file ended after record j of the block (1 = after MULTI, n + 1 = before EXEC).
    const hits = new Map<number, number[]>();
    let blocks = 0;
    allCombos().forEach((combo, i) => {
      const runs = fc.sample(modelRunArb(def.shape, combo), { numRuns: DEFAULT_RUNS_PER_COMBO, seed: comboSeed(SEED, index, i) });
      for (const run of runs) {
        for (const act of run.actions) {
          if (act.a !== 'multi') continue;
          blocks++;
          const w = new World<AofConfig>({
            seed: run.seed,
            config: resolveAofConfig({ profile: combo.profile, appendonly: true, appendfsync: 'no', dir: '/data' }),
            createServer,
            files: { '/data/.keep': '' },
            faults: { faults: [] },
            trace: false,
          });
          w.start();
          w.settle([['MULTI'], ...act.cmds, ['EXEC']].map((c) => w.send(c)));
          const fs = w.worldFs.current;
          const pending = fs.pendingSummary().files.filter((f) => /\.aof$/.test(f.path));
          const file = pending[pending.length - 1];
          if (file === undefined) continue;
          const { nodes } = fs.internals();
          const node = nodes.get(file.ino);
          if (node?.kind !== 'file') continue;
          const last = node.pending.length - 1;
          const op = node.pending[last];
          if (op?.kind !== 'write') continue;
          const text = Buffer.from(op.data).toString('latin1');
          const all = [0, ...recordBoundaries(op.data)];
          const multiAt = all.find((p) => text.startsWith('*1\r\n$5\r\nMULTI\r\n', p));
          if (multiAt === undefined) continue;
          // Record starts from MULTI on: [MULTI, cmd1..cmdn, EXEC]; boundary j is the start of record j.
          const starts = all.filter((p) => p > multiAt);
          const n = starts.length - 1;
          const random = Prng.fromSeed(run.seed).stream('crash');
          for (let d = 0; d < DECISIONS_PER_BLOCK; d++) {
            const decision = w.worldFs.randomDecision('torn', random, 1);
            if (decision.model !== 'torn') continue;
            const cut = decision.files[String(file.ino)];
            if (cut === undefined || cut.keep !== last || cut.sectors <= 0) continue;
            const j = starts.indexOf(cut.sectors);
            if (j < 0) continue;
            const row = hits.get(n) ?? new Array<number>(n + 1).fill(0);
            row[j] = (row[j] ?? 0) + 1;
            hits.set(n, row);
          }
        }
      }
    });
    const report = [...hits.entries()].filter(([n]) => n <= 4).sort((a, b) => a[0] - b[0]).map(([n, row]) => `${n} cmds: ${row.map((h, j) => `@${j + 1}=${h}`).join(' ')}`).join('; ');
    console.log(`${blocks} blocks (seed ${SEED}): ${report}`);
    const rerun = `${report}; rerun with AOFSIM_SEED=${SEED} npx vitest run sim/campaign/multi-cut-points.test.ts`;
    for (const n of [1, 2, 3]) {
      const row = hits.get(n);
      expect(row, rerun).toBeDefined();
      expect(row!.length, rerun).toBe(n + 1);
      expect(row!.every((h) => h > 0), rerun).toBe(true);
    }
  }, 300_000);
});
