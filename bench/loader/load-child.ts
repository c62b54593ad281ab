// One side of against.ts: loads the AOF directory DIR `loads` times in this process with the
// loader, executor and keyspace of the checkout at ROOT, and prints one JSON line
// `{ cpu: [s, ...], wall: [s, ...], keys }` (CPU seconds are process.cpuUsage user + system, GC
// helper threads included). Each load gets a fresh keyspace; the previous one is dropped first.
//
//   node --import tsx bench/loader/load-child.ts ROOT DIR [LOADS]
//
// Not a test: it reads the real disk and the real clock.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, dir, loadsArg] = process.argv.slice(2);
if (root === undefined || dir === undefined) throw new Error('usage: load-child.ts ROOT DIR [LOADS]');
const loads = Number(loadsArg ?? 2);
const mod = (rel: string) => import(pathToFileURL(join(root, rel)).href);

const { createNodeFs } = await mod('src/adapters/node/node-fs.ts');
const { loadAppendOnlyFiles } = await mod('src/aof/loader/index.ts');
const { Executor } = await mod('src/commands/executor.ts');
const { Keyspace } = await mod('src/keyspace/keyspace.ts');
const { nullLog } = await mod('src/ports/log.ts');
const { SeededRandom } = await mod('src/ports/random.ts');

const cpu: number[] = [];
const wall: number[] = [];
let keys = 0;
for (let i = 0; i < loads; i++) {
  const keyspace = new Keyspace();
  const executor = new Executor(keyspace, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const cfg = { dir, appendFilename: 'appendonly.aof', appendDirname: 'appendonlydir', loadTruncated: true, layout: 'multi-part' };
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const res = loadAppendOnlyFiles({ fs: createNodeFs(), log: nullLog, executor, modify: false }, cfg);
  const c = process.cpuUsage(c0);
  wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
  cpu.push((c.user + c.system) / 1e6);
  if (res.status !== 'ok') throw new Error(`load of ${dir} under ${root}: ${res.status} ${res.error?.message ?? ''}`);
  keys = keyspace.size();
}
console.log(JSON.stringify({ cpu, wall, keys }));
