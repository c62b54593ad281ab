// The shared body of HDEL, SREM and ZREM (redis: hdelCommand, sremCommand, zremCommand): delete the
// named members from a collection, delete the key as soon as the collection is empty (Redis stops
// there too), signal and count the changes, reply with the number removed.

import type { Bytes } from '../keyspace/types.ts';
import type { CommandContext } from './context.ts';
import { integer, type Reply } from './reply.ts';

export interface RemovableCollection {
  delete(member: Bytes): boolean;
  readonly size: number;
}

/** Removes argv[first..] from `coll`, stored at argv[1]. */
export function removeMembers(ctx: CommandContext, argv: Bytes[], coll: RemovableCollection, first = 2): Reply {
  let n = 0;
  for (let j = first; j < argv.length; j++) {
    if (coll.delete(argv[j])) n++;
    if (coll.size === 0) {
      ctx.deleteKey(argv[1]);
      break;
    }
  }
  if (n > 0) {
    ctx.signalModifiedKey(argv[1]);
    ctx.dirty(n);
  }
  return integer(n);
}
