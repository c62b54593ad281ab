// Test support: a complete, order-normalised plain form of a keyspace (every field, including
// stream metadata, groups, PELs and consumers) so round-trip tests can compare with toEqual.
// Sets and hashes are sorted (their order is not data); list, zset and stream order is data.

import type { Keyspace } from '../../keyspace/keyspace.ts';
import type { StreamId, Value } from '../../keyspace/types.ts';

const id = (x: StreamId): string => `${x.ms}-${x.seq}`;

export function valueSnapshot(v: Value): unknown {
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
          groups: [...s.groups].map(([name, g]) => ({
            name,
            lastId: id(g.lastId),
            entriesRead: g.entriesRead,
            pel: g.pel.map((p) => [id(p.id), p.consumer, p.deliveryTimeMs, p.deliveryCount]),
            consumers: [...g.consumers].map(([cn, c]) => [cn, c.name, c.seenTimeMs, c.activeTimeMs]),
          })),
        },
      ];
    }
  }
}

export function keyspaceSnapshot(ks: Keyspace): unknown {
  return ks.dbs.map((db) =>
    [...db.dict.keys()].sort().map((k) => [k, valueSnapshot(db.dict.get(k)!), db.expires.get(k) ?? null]),
  );
}
