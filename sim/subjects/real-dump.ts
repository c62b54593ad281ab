// Reads a live server's data set over RESP into this project's Keyspace, so the oracle
// (sim/oracle/oracle.ts checkRecovery) judges a real server's recovery exactly as the simulator's.
// Each key is read by type (GET, LRANGE, HGETALL, SMEMBERS, ZRANGE WITHSCORES) and rebuilt by
// running the equivalent write through an Executor (SET, RPUSH, HSET, SADD, ZADD) on a fresh keyspace.
//
// Invariants: the dbs that INFO keyspace lists are read (a server without INFO: dbs 0-15 that
// SELECT accepts); TTLs are not read (the
// workloads of sim/subjects use none) and streams are reported as unsupported, not guessed.

import { Executor } from '../../src/commands/executor.ts';
import { newClient } from '../../src/commands/types.ts';
import { Keyspace } from '../../src/keyspace/keyspace.ts';
import { SeededRandom } from '../../src/ports/random.ts';
import { valueDigest } from '../oracle/value-digest.ts';
import type { Reply } from '../../src/commands/reply.ts';
import type { SubjectDump } from './subject.ts';

type Call = (argv: string[]) => Promise<Reply | null>;

function strings(r: Reply | null, what: string): string[] {
  if (r === null || r.kind !== 'array' || r.value === null) throw new Error(`${what}: expected an array, got ${JSON.stringify(r)}`);
  return r.value.map((x) => {
    if (x.kind !== 'bulk' || x.value === null) throw new Error(`${what}: expected bulk strings`);
    return x.value;
  });
}

/** The dbs holding keys: INFO keyspace's list, or every db of 0-15 SELECT accepts when INFO is missing. */
async function dbsWithKeys(call: Call): Promise<number[]> {
  const info = await call(['INFO', 'keyspace']);
  if (info !== null && info.kind === 'bulk') return [...(info.value ?? '').matchAll(/^db(\d+):keys=/gm)].map((m) => Number(m[1]));
  const dbs: number[] = [];
  for (let db = 0; db < 16; db++) {
    const r = await call(['SELECT', String(db)]);
    if (r === null || r.kind === 'error') break;
    dbs.push(db);
  }
  return dbs;
}

export async function readKeyspace(call: Call): Promise<Keyspace> {
  const ks = new Keyspace();
  const ex = new Executor(ks, { profile: 'redis-7.0', clock: { nowMs: () => 0 }, random: new SeededRandom(1) });
  const client = newClient(1);
  const dbs = await dbsWithKeys(call);
  for (const db of dbs) {
    await call(['SELECT', String(db)]);
    ex.call(client, ['SELECT', String(db)]);
    const keys = strings(await call(['KEYS', '*']), 'KEYS');
    for (const key of keys) {
      const t = await call(['TYPE', key]);
      const type = t !== null && t.kind === 'status' ? t.value : 'none';
      switch (type) {
        case 'string': {
          const v = await call(['GET', key]);
          if (v !== null && v.kind === 'bulk' && v.value !== null) ex.call(client, ['SET', key, v.value]);
          break;
        }
        case 'list':
          ex.call(client, ['RPUSH', key, ...strings(await call(['LRANGE', key, '0', '-1']), 'LRANGE')]);
          break;
        case 'hash':
          ex.call(client, ['HSET', key, ...strings(await call(['HGETALL', key]), 'HGETALL')]);
          break;
        case 'set':
          ex.call(client, ['SADD', key, ...strings(await call(['SMEMBERS', key]), 'SMEMBERS')]);
          break;
        case 'zset': {
          const flat = strings(await call(['ZRANGE', key, '0', '-1', 'WITHSCORES']), 'ZRANGE');
          const args: string[] = [];
          for (let i = 0; i + 1 < flat.length; i += 2) args.push(flat[i + 1], flat[i]);
          ex.call(client, ['ZADD', key, ...args]);
          break;
        }
        case 'none':
          break; // expired or deleted between KEYS and TYPE
        default:
          throw new Error(`readKeyspace: type ${type} of key ${JSON.stringify(key)} is not supported`);
      }
    }
  }
  await call(['SELECT', '0']);
  return ks;
}

/** db -> key -> value digest (sim/oracle/value-digest.ts), for reports and comparisons. */
export function keyspaceDump(ks: Keyspace): SubjectDump {
  const out: SubjectDump = {};
  ks.dbs.forEach((db, i) => {
    if (db.dict.size === 0) return;
    const d: Record<string, string> = {};
    for (const k of [...db.dict.keys()].sort()) d[k] = valueDigest(db.dict.get(k)!).replace(/\u0001/g, ' ');
    out[String(i)] = d;
  });
  return out;
}
