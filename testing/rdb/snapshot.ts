// Test support: a complete, order-normalised plain form of a keyspace (every field, including
// stream metadata, groups, PELs and consumers) so round-trip tests can compare with toEqual.
// Sets and hashes are sorted (their order is not data); list, zset and stream order is data.
// With `groupsByName`, stream groups and consumers are sorted by name: real Redis keeps them in a
// rax (name order), so that is the order it saves and reports them in, whatever the creation order.

import type { Keyspace } from '../../src/keyspace/keyspace.ts';
import type { StreamId, Value } from '../../src/keyspace/types.ts';

const id = (x: StreamId): string => `${x.ms}-${x.seq}`;

export function valueSnapshot(v: Value, groupsByName = false): unknown {
  switch (v.type) {
    case 'string':
      return ['string', v.value];
    case 'list':
      return ['list', v.value.slice()];
    case 'set':
      return ['set', [...v.value].sort()];
    case 'zset':
      return ['zset', v.value.entries().map((e) => [e.member, Object.is(e.score, -0) ? 0 : e.score])];
    case 'hash':
      return ['hash', [...v.value].sort((a, b) => (a[0] < b[0] ? -1 : 1))];
    case 'stream': {
      const s = v.value;
      return [
        'stream',
        {
          entries: s.entries.map((e) => [id(e.id), e.fields]),
          lastId: id(s.lastId),
          firstId: id(s.firstId),
          maxDeletedId: id(s.maxDeletedId),
          entriesAdded: s.entriesAdded,
          groups: byName([...s.groups], groupsByName).map(([name, g]) => ({
            name,
            lastId: id(g.lastId),
            entriesRead: g.entriesRead,
            pel: g.pel.map((p) => [id(p.id), p.consumer, p.deliveryTimeMs, p.deliveryCount]),
            consumers: byName([...g.consumers], groupsByName).map(([cn, c]) => [cn, c.name, c.seenTimeMs, c.activeTimeMs]),
          })),
        },
      ];
    }
  }
}

export function keyspaceSnapshot(ks: Keyspace, groupsByName = false): unknown {
  return ks.dbs.map((db) =>
    [...db.dict.keys()].sort().map((k) => [k, valueSnapshot(db.dict.get(k)!, groupsByName), db.expires.get(k) ?? null]),
  );
}

function byName<T>(xs: [string, T][], sort: boolean): [string, T][] {
  return sort ? xs.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : xs;
}
