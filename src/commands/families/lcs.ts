// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (redis 7.0.15: t_string.c lcsCommand).
// The classic dynamic-programming table, walked back from the end exactly as Redis walks it, so the
// reported match ranges (and Redis's quirks: a non-contiguous match closes the current range and is
// itself not reported as the start of the next one) are the same. RESP2 map = flat array.

import type { Bytes } from '../../keyspace/types.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_INTEGER, ERR_SYNTAX, parseInt64 } from '../args.ts';
import type { Reply } from '../reply.ts';
import { array, bulk, error, integer } from '../reply.ts';

const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

function lcs(ctx: CommandContext, argv: Bytes[]): Reply {
  const oa = ctx.lookupRead(argv[1]);
  const ob = ctx.lookupRead(argv[2]);
  if ((oa && oa.type !== 'string') || (ob && ob.type !== 'string')) {
    return error('ERR The specified keys must contain string values');
  }
  const a = oa?.type === 'string' ? oa.value : '';
  const b = ob?.type === 'string' ? ob.value : '';
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toUpperCase();
    if (opt === 'IDX') getIdx = true;
    else if (opt === 'LEN') getLen = true;
    else if (opt === 'WITHMATCHLEN') withMatchLen = true;
    else if (opt === 'MINMATCHLEN' && j + 1 < argv.length) {
      const m = parseInt64(argv[++j]);
      if (m === null) return error(ERR_NOT_INTEGER);
      minMatchLen = m < 0n ? 0 : Number(m);
    } else return error(ERR_SYNTAX);
  }
  if (getLen && getIdx) return error('ERR If you want both the length and indexes, please just use IDX.');
  const alen = a.length;
  const blen = b.length;
  if ((alen + 1) * (blen + 1) * 4 > PROTO_MAX_BULK_LEN) {
    return error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  const w = blen + 1;
  const t = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
      else {
        const l1 = t[(i - 1) * w + j];
        const l2 = t[i * w + j - 1];
        t[i * w + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = t[alen * w + blen];
  if (getLen) return integer(total);
  const result: string[] = new Array<string>(total);
  const matches: Reply[] = [];
  let idx = total;
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
        const m: Reply[] = [array([integer(aStart), integer(aEnd)]), array([integer(bStart), integer(bEnd)])];
        if (withMatchLen) m.push(integer(matchLen));
        matches.push(array(m));
      }
      aStart = alen;
    }
  }
  if (getIdx) return array([bulk('matches'), array(matches), bulk('len'), integer(total)]);
  return bulk(result.join(''));
}

export const lcsCommands: CommandDef[] = [def('lcs', -3, ['readonly'], [1, 1, 1], lcs)];
