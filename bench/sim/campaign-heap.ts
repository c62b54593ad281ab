// What grows in a long campaign? Runs the default campaign's batches in this one thread (what a
// worker of `aofsim run` does: runCellBatch over every cell, round after round), and after each
// round forces a full GC and records the live heap. With --snapshots DIR it also writes a V8 heap
// snapshot after the warm-up round and after the last one, and lists the constructors whose live
// objects grew most between the two (count and bytes), which names the leak if there is one.
//
//   node --expose-gc --import tsx bench/sim/campaign-heap.ts [--rounds 40] [--seed 1] [--snapshots DIR]
//
// Not a test: it takes minutes and its figures depend on the machine; bench/sim/campaign-memory.ts
// measures the real CLI (all threads) over wall-clock time.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { campaignCells, runCellBatch } from '../../sim/campaign/campaign.ts';
import { OFFLINE_PROPERTIES } from '../../sim/campaign/offline/index.ts';
import { PROFILES } from '../../sim/campaign/model-run.ts';
import { PROPERTIES } from '../../sim/campaign/properties.ts';
import { loadServerFactory } from '../../sim/world/server-factory.ts';
import { specOptions } from '../../cli/run-pool.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const ROUNDS = Number(arg('--rounds', '40'));
const SEED = Number(arg('--seed', '1'));
const SNAPSHOTS = arg('--snapshots', '');

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

/** Live objects per "type:constructor" of a heap snapshot: count and self bytes. */
function census(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const f = snap.snapshot.meta.node_fields;
  const width = f.length;
  const [iType, iName, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    const name = type === 'string' || type === 'number' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[snap.nodes[i + iName]].slice(0, 60);
    const k = `${type}:${name}`;
    const e = out.get(k) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + iSize];
    out.set(k, e);
  }
  return out;
}

const options = {
  ...specOptions(
    { seed: SEED, profiles: [...PROFILES], properties: PROPERTIES.map((p) => p.name), offline: OFFLINE_PROPERTIES.map((p) => p.name), bugs: [], runsPerCombo: null },
    await loadServerFactory(),
  ),
  shouldStop: () => false,
};
const cells = campaignCells(options.defs, options.combos, options.offline);
if (SNAPSHOTS !== '') mkdirSync(SNAPSHOTS, { recursive: true });
let runs = 0;
const files: string[] = [];
const c0 = process.cpuUsage();
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < cells.length; i++) runs += runCellBatch(options, cells[i], round, runs, () => {}).runs;
  gc();
  gc();
  const live = getHeapStatistics().used_heap_size / 2 ** 20;
  const cpu = process.cpuUsage(c0);
  console.log(`round ${String(round).padStart(3)}: ${runs} runs, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s, live heap after full GC ${live.toFixed(1)} MB`);
  if (SNAPSHOTS !== '' && (round === 0 || round === ROUNDS - 1)) files.push(writeHeapSnapshot(join(SNAPSHOTS, `campaign-round-${round}.heapsnapshot`)));
}
if (files.length === 2) {
  const [a, b] = files.map(census);
  const grew = [...b].map(([k, v]) => ({ k, dc: v.count - (a.get(k)?.count ?? 0), db: v.bytes - (a.get(k)?.bytes ?? 0) })).sort((x, y) => y.db - x.db);
  console.log(`grew most between ${files[0]} and ${files[1]} (objects, bytes):`);
  for (const g of grew.slice(0, 25)) console.log(`  ${String(g.dc).padStart(8)} ${String(g.db).padStart(10)}  ${g.k}`);
}
