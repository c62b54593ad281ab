// Rewrite emission of one stream key (redis: aof.c rewriteStreamObject, 5.0+ with the 6.0/7.0
// fixes: empty stream via `XADD key MAXLEN 0 0-1 x y` (redis/redis#6644), XSETID after the entries
// so an XDEL of the last id keeps `last_id` (#5426), 7.0 ENTRIESADDED/MAXDELETEDID and ENTRIESREAD,
// XCLAIM ... JUSTID FORCE per pending entry, 6.2+ XGROUP CREATECONSUMER for consumers without one).
//
// Order as Redis's rax iteration gives it: entries by id, groups and consumers by name bytes,
// a consumer's pending entries by id.
//
// DIVERGENCE(redis): profile redis-4.0 has no streams in Redis; if its keyspace holds one, the 7.0
// form is emitted too: the 6.2 form (XSETID without ENTRIESADDED/MAXDELETEDID, XGROUP CREATE
// without ENTRIESREAD) would lose state the data model keeps.

import type { Bytes, StreamId, StreamPendingEntry, StreamValue } from '../../keyspace/types.ts';
import { bulk } from './resp-text.ts';

export function streamIdText(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

function byBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Appends the commands that rebuild stream `s` at `key` to `out`; returns the new text. */
export function emitStream(out: string, key: Bytes, s: StreamValue): string {
  const k = bulk(key);
  if (s.entries.length > 0) {
    for (const e of s.entries) {
      out += '*' + (3 + e.fields.length) + '\r\n$4\r\nXADD\r\n' + k + bulk(streamIdText(e.id));
      for (let i = 0; i < e.fields.length; i++) out += bulk(e.fields[i]);
    }
  } else {
    out += '*7\r\n$4\r\nXADD\r\n' + k + '$6\r\nMAXLEN\r\n$1\r\n0\r\n$3\r\n0-1\r\n$1\r\nx\r\n$1\r\ny\r\n';
  }
  out +=
    '*7\r\n$6\r\nXSETID\r\n' +
    k +
    bulk(streamIdText(s.lastId)) +
    '$12\r\nENTRIESADDED\r\n' +
    bulk(String(s.entriesAdded)) +
    '$12\r\nMAXDELETEDID\r\n' +
    bulk(streamIdText(s.maxDeletedId));
  const groups = [...s.groups.values()].sort((a, b) => byBytes(a.name, b.name));
  for (const g of groups) {
    const gn = bulk(g.name);
    out +=
      '*7\r\n$6\r\nXGROUP\r\n$6\r\nCREATE\r\n' +
      k +
      gn +
      bulk(streamIdText(g.lastId)) +
      '$11\r\nENTRIESREAD\r\n' +
      bulk(String(g.entriesRead));
    const pelByConsumer = new Map<Bytes, StreamPendingEntry[]>();
    for (const p of g.pel) {
      const list = pelByConsumer.get(p.consumer);
      if (list) list.push(p);
      else pelByConsumer.set(p.consumer, [p]);
    }
    const names = [...g.consumers.keys()];
    // A pending entry always names an existing consumer in Redis; be lenient with the model.
    for (const c of pelByConsumer.keys()) if (!g.consumers.has(c)) names.push(c);
    names.sort(byBytes);
    for (const name of names) {
      const pel = pelByConsumer.get(name);
      const cn = bulk(name);
      if (!pel) {
        out += '*5\r\n$6\r\nXGROUP\r\n$14\r\nCREATECONSUMER\r\n' + k + gn + cn;
        continue;
      }
      for (const p of pel) {
        out +=
          '*12\r\n$6\r\nXCLAIM\r\n' +
          k +
          gn +
          cn +
          '$1\r\n0\r\n' +
          bulk(streamIdText(p.id)) +
          '$4\r\nTIME\r\n' +
          bulk(String(p.deliveryTimeMs)) +
          '$10\r\nRETRYCOUNT\r\n' +
          bulk(String(p.deliveryCount)) +
          '$6\r\nJUSTID\r\n$5\r\nFORCE\r\n';
      }
    }
  }
  return out;
}
