// Test support for the rewrite tests: a strict RESP multibulk parser and a minimal replayer of the
// commands a rewrite emits (SELECT, SET, RPUSH, SADD, ZADD, HMSET, PEXPIREAT, XADD/XSETID/XGROUP/
// XCLAIM as emitted), so emission can be checked on state before the real executor is wired in.
// Not used by production code.

import { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { Bytes, StreamValue } from '../../src/keyspace/types.ts';
import { ZSet } from '../../src/keyspace/zset.ts';
import { List } from '../../src/keyspace/list.ts';

/** Parses a byte string of `#...\r\n` lines and RESP multibulks into argv lists. Throws on bad input. */
export function parseCommands(s: Bytes): Bytes[][] {
  const cmds: Bytes[][] = [];
  let i = 0;
  const line = (): string => {
    const e = s.indexOf('\r\n', i);
    if (e < 0) throw new Error(`no CRLF after offset ${i}`);
    const l = s.slice(i, e);
    i = e + 2;
    return l;
  };
  while (i < s.length) {
    if (s[i] === '#') {
      line();
      continue;
    }
    const head = line();
    if (head[0] !== '*') throw new Error(`expected '*' at ${i}, got ${JSON.stringify(head)}`);
    const argc = Number(head.slice(1));
    const argv: Bytes[] = [];
    for (let a = 0; a < argc; a++) {
      const h = line();
      if (h[0] !== '$') throw new Error(`expected '$', got ${JSON.stringify(h)}`);
      const len = Number(h.slice(1));
      argv.push(s.slice(i, i + len));
      if (s.slice(i + len, i + len + 2) !== '\r\n') throw new Error(`bad bulk end at ${i + len}`);
      i += len + 2;
    }
    cmds.push(argv);
  }
  return cmds;
}

function id(t: Bytes): { ms: bigint; seq: bigint } {
  const [ms, seq] = t.split('-');
  return { ms: BigInt(ms), seq: BigInt(seq) };
}

function parseScore(t: Bytes): number {
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  return Number(t);
}

/** Applies rewrite-emitted commands to a fresh keyspace (or `into`). */
export function replay(cmds: Bytes[][], into = new Keyspace()): Keyspace {
  let db = into.db(0);
  for (const argv of cmds) {
    const name = argv[0].toUpperCase();
    const key = argv[1];
    const get = <T>(type: string, make: () => T): T => {
      const v = db.dict.get(key);
      if (v) {
        if (v.type !== type) throw new Error(`WRONGTYPE ${key}`);
        return v.value as T;
      }
      const value = make();
      db.dict.set(key, { type, value } as never);
      return value;
    };
    switch (name) {
      case 'SELECT':
        db = into.db(Number(argv[1]));
        break;
      case 'SET':
        db.dict.set(key, { type: 'string', value: argv[2] });
        db.expires.delete(key);
        break;
      case 'RPUSH': {
        const l = get<List>('list', () => new List());
        for (const e of argv.slice(2)) l.pushTail(e);
        break;
      }
        break;
      case 'SADD': {
        const s = get<Set<Bytes>>('set', () => new Set());
        for (const m of argv.slice(2)) s.add(m);
        break;
      }
      case 'ZADD': {
        const z = get<ZSet>('zset', () => new ZSet());
        for (let j = 2; j < argv.length; j += 2) z.set(argv[j + 1], parseScore(argv[j]));
        break;
      }
      case 'HMSET': {
        const h = get<Map<Bytes, Bytes>>('hash', () => new Map());
        for (let j = 2; j < argv.length; j += 2) h.set(argv[j], argv[j + 1]);
        break;
      }
      case 'PEXPIREAT':
        db.expires.set(key, Number(argv[2]));
        break;
      case 'DEL':
        db.dict.delete(key);
        db.expires.delete(key);
        break;
      case 'XADD': {
        const s = get<StreamValue>('stream', () => ({
          entries: [],
          lastId: { ms: 0n, seq: 0n },
          entriesAdded: 0,
          maxDeletedId: { ms: 0n, seq: 0n },
          firstId: { ms: 0n, seq: 0n },
          groups: new Map(),
        }));
        if (argv[2].toUpperCase() === 'MAXLEN') {
          s.lastId = id(argv[4]);
          s.entriesAdded++;
        } else {
          s.entries.push({ id: id(argv[2]), fields: argv.slice(3) });
          s.lastId = id(argv[2]);
          s.entriesAdded++;
        }
        break;
      }
      case 'XSETID': {
        const s = get<StreamValue>('stream', () => {
          throw new Error('XSETID on missing key');
        });
        s.lastId = id(argv[2]);
        if (argv.length >= 7) {
          s.entriesAdded = Number(argv[4]);
          s.maxDeletedId = id(argv[6]);
        }
        s.firstId = s.entries[0]?.id ?? { ms: 0n, seq: 0n };
        break;
      }
      case 'XGROUP': {
        const s = db.dict.get(argv[2])!.value as StreamValue;
        if (argv[1].toUpperCase() === 'CREATE') {
          s.groups.set(argv[3], {
            name: argv[3],
            lastId: id(argv[4]),
            entriesRead: argv.length >= 7 ? Number(argv[6]) : -1,
            pel: [],
            consumers: new Map(),
          });
        } else {
          s.groups.get(argv[3])!.consumers.set(argv[4], { name: argv[4], seenTimeMs: 0 });
        }
        break;
      }
      case 'XCLAIM': {
        const s = db.dict.get(key)!.value as StreamValue;
        const g = s.groups.get(argv[2])!;
        if (!g.consumers.has(argv[3])) g.consumers.set(argv[3], { name: argv[3], seenTimeMs: 0 });
        g.pel.push({ id: id(argv[5]), consumer: argv[3], deliveryTimeMs: Number(argv[7]), deliveryCount: Number(argv[9]) });
        g.pel.sort((a, b) => (a.id.ms < b.id.ms ? -1 : a.id.ms > b.id.ms ? 1 : a.id.seq < b.id.seq ? -1 : a.id.seq > b.id.seq ? 1 : 0));
        break;
      }
      default:
        throw new Error(`test replayer: unsupported command ${name}`);
    }
  }
  return into;
}

/** A comparable, order-insensitive picture of a keyspace (sets sorted, zsets by rank, no seen times). */
export function snapshotOf(ks: Keyspace): unknown {
  return ks.dbs.map((db) =>
    [...db.dict.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => {
        let value: unknown;
        switch (v.type) {
          case 'set':
            value = [...v.value].sort();
            break;
          case 'zset':
            value = v.value.entries().map((e) => [e.member, e.score]);
            break;
          case 'hash':
            value = [...v.value].sort(([a], [b]) => (a < b ? -1 : 1));
            break;
          case 'stream':
            value = {
              entries: v.value.entries,
              lastId: v.value.lastId,
              entriesAdded: v.value.entriesAdded,
              maxDeletedId: v.value.maxDeletedId,
              groups: [...v.value.groups.values()]
                .map((g) => ({
                  name: g.name,
                  lastId: g.lastId,
                  entriesRead: g.entriesRead,
                  pel: g.pel,
                  consumers: [...g.consumers.keys()].sort(),
                }))
                .sort((a, b) => (a.name < b.name ? -1 : 1)),
            };
            break;
          default:
            value = v.value;
        }
        return { k, type: v.type, value, exp: db.expires.get(k) };
      }),
  );
}
