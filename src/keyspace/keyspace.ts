// The keyspace: `numDbs` databases (redis: server.db[]). Holds data only; command semantics live in
// src/commands. clone() is the fork-time snapshot a rewrite child works on.

import type { Bytes, Db, Value } from './types.ts';
import { newDb } from './types.ts';

export const DEFAULT_NUM_DBS = 16;

export class Keyspace {
  readonly dbs: Db[];
  /**
   * Redis 7.0 function libraries: library name -> its code as FUNCTION LOAD received it (shebang
   * included). Part of the dataset (the RDB and the rewrite carry them); no db; FLUSHALL keeps them.
   */
  readonly functions = new Map<Bytes, Bytes>();
  constructor(readonly numDbs: number = DEFAULT_NUM_DBS) {
    // A plain loop: Array.from over an array-like takes V8's generic path, and every Server (each
    // simulated restart) builds one keyspace.
    const dbs: Db[] = [];
    for (let i = 0; i < numDbs; i++) dbs.push(newDb());
    this.dbs = dbs;
  }

  db(index: number): Db {
    const d = this.dbs[index];
    if (!d) throw new RangeError(`db index out of range: ${index}`);
    return d;
  }

  /** Total keys in all databases. */
  size(): number {
    let n = 0;
    for (const d of this.dbs) n += d.dict.size;
    return n;
  }

  /** A deep copy: the fork-time snapshot (copy-on-write in Redis). */
  clone(): Keyspace {
    const ks = new Keyspace(this.numDbs);
    this.dbs.forEach((d, i) => {
      const c = ks.dbs[i];
      for (const [k, v] of d.dict) c.dict.set(k, cloneValue(v));
      for (const [k, t] of d.expires) c.expires.set(k, t);
    });
    for (const [name, code] of this.functions) ks.functions.set(name, code);
    return ks;
  }
}

export function cloneValue(v: Value): Value {
  switch (v.type) {
    case 'string':
      return v;
    case 'list':
      return { type: 'list', value: v.value.clone() };
    case 'set':
      return v.big === undefined ? { type: 'set', value: new Set(v.value) } : { type: 'set', value: new Set(v.value), big: v.big };
    case 'zset':
      return v.big === undefined ? { type: 'zset', value: v.value.clone() } : { type: 'zset', value: v.value.clone(), big: v.big };
    case 'hash':
      return v.big === undefined ? { type: 'hash', value: new Map(v.value) } : { type: 'hash', value: new Map(v.value), big: v.big };
    case 'stream': {
      const s = v.value;
      return {
        type: 'stream',
        value: {
          entries: s.entries.map((e) => ({ id: e.id, fields: e.fields.slice() })),
          lastId: s.lastId,
          entriesAdded: s.entriesAdded,
          maxDeletedId: s.maxDeletedId,
          firstId: s.firstId,
          groups: new Map(
            [...s.groups].map(([name, g]) => [
              name,
              {
                name: g.name,
                lastId: g.lastId,
                entriesRead: g.entriesRead,
                pel: g.pel.map((p) => ({ ...p })),
                consumers: new Map([...g.consumers].map(([cn, c]) => [cn, { ...c }])),
              },
            ]),
          ),
        },
      };
    }
  }
}
