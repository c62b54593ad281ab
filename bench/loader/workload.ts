// The loader benchmarks' workloads (run.ts, against.ts, profile-load.ts): N commands as RESP, either
// `SET key:N value:N` or a mixed-type workload of SET/INCR/RPUSH/SADD/ZADD/HSET over 100k keys of each
// type (collections grow to ~10 elements), and the directory laid out as Redis 7.0 expects
// (appendonlydir/ + a manifest listing one INCR file). Not a test; uses real files.

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type Workload = 'set' | 'mix';

/** The i-th command of the mixed-type workload. */
export function mixed(i: number): string[] {
  const k = i % 100_000;
  switch (i % 6) {
    case 0:
      return ['SET', `str:${k}`, `value:${i}`];
    case 1:
      return ['INCR', `cnt:${k}`];
    case 2:
      return ['RPUSH', `list:${k}`, `item:${i}`];
    case 3:
      return ['SADD', `set:${k}`, `member:${i % 1_000_003}`];
    case 4:
      return ['ZADD', `zset:${k}`, String(i % 9973), `member:${i}`];
    default:
      return ['HSET', `hash:${k}`, `field:${i % 17}`, `value:${i}`];
  }
}

/** The i-th command of the workload as RESP. */
export function command(workload: Workload, i: number): string {
  const argv = workload === 'mix' ? mixed(i) : ['SET', `key:${i}`, `value:${i}`];
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Writes the workload's n commands into path, in 4 MiB batches; returns the byte count. */
export function generate(path: string, workload: Workload, n: number): number {
  const fd = openSync(path, 'w');
  let total = 0;
  let batch = '';
  for (let i = 0; i < n; i++) {
    batch += command(workload, i);
    if (batch.length > 4 << 20) {
      total += writeSync(fd, Buffer.from(batch, 'latin1'));
      batch = '';
    }
  }
  total += writeSync(fd, Buffer.from(batch, 'latin1'));
  closeSync(fd);
  return total;
}

/** Lays out `dir` as Redis 7.0's appendonlydir with one INCR file of the workload; returns the INCR's path and size. */
export function generateDir(dir: string, workload: Workload, n: number): { incr: string; manifest: string; bytes: number } {
  const aofDir = join(dir, 'appendonlydir');
  mkdirSync(aofDir, { recursive: true });
  const incr = join(aofDir, 'appendonly.aof.1.incr.aof');
  const manifest = join(aofDir, 'appendonly.aof.manifest');
  const bytes = generate(incr, workload, n);
  writeFileSync(manifest, 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  return { incr, manifest, bytes };
}
