// A canonical text for a value, equal for logically equal values whatever their encoding or
// insertion order (sets sorted by bytes, zsets by score then member, hashes by field). Used by the
// oracle to compare a recovered keyspace with the live server's states. Stream delivery times and
// consumer seen-times are left out: they are wall-clock facts, not data the AOF promises to keep.

import type { Value } from '../../src/keyspace/types.ts';

const SEP = '\u0001';

function sortedJoin(items: Iterable<string>): string {
  return [...items].sort().join(SEP);
}

export function valueDigest(v: Value): string {
  switch (v.type) {
    case 'string':
      return 's' + SEP + v.value;
    case 'list':
      return 'l' + SEP + v.value.toArray().join(SEP);
    case 'set':
      return 'S' + SEP + sortedJoin(v.value);
    case 'zset':
      // entries() is already ordered by (score, member).
      return 'z' + SEP + v.value.entries().map((e) => `${e.score}${SEP}${e.member}`).join(SEP);
    case 'hash':
      return 'h' + SEP + [...v.value].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e.join(SEP)).join(SEP);
    case 'stream': {
      const s = v.value;
      const id = (x: { ms: bigint; seq: bigint }) => `${x.ms}-${x.seq}`;
      return (
        'x' +
        SEP +
        JSON.stringify({
          e: s.entries.map((e) => [id(e.id), e.fields]),
          l: id(s.lastId),
          a: s.entriesAdded,
          m: id(s.maxDeletedId),
          g: [...s.groups.values()].map((g) => ({
            n: g.name,
            l: id(g.lastId),
            r: g.entriesRead,
            p: g.pel.map((p) => [id(p.id), p.consumer, p.deliveryCount]),
            c: [...g.consumers.keys()].sort(),
          })),
        })
      );
    }
  }
}
