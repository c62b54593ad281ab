// LZF, the compressor Redis uses for RDB strings (redis: lzf_c.c lzf_compress, lzf_d.c lzf_decompress).
// Format: a sequence of runs. Control byte c < 32: a literal run of c+1 bytes follows. Otherwise a
// back reference: length (c >> 5) + 2 (7 means "read one more length byte and add it"), distance
// ((c & 0x1f) << 8 | next byte) + 1 back from the output position; copies may overlap.
//
// Invariants: lzfDecompress(lzfCompress(x)) equals x; the decompressor never reads or writes out of
// bounds and reports malformed input as null (the caller turns that into a corrupt-RDB error).
// lzfCompress gives liblzf's bytes as Redis builds it (lzfP.h: HLOG 16, VERY_FAST 1, ULTRA_FAST 0):
// the same hash of each 3-byte window, the same greedy choice, the same match lengths (including the
// 16-step unrolled compare that may run 2 bytes past the nominal limit), the same two hash updates
// after a match and the same points where it gives up for lack of room. Redis leaves its table
// uninitialised (INIT_HTAB 0); that cannot change the bytes: a slot is trusted only when it points
// inside this input, after its first byte, within 8 KB behind and at the same 3 bytes, and the first
// earlier occurrence of any 3 bytes is always entered in the table, so a slot nobody wrote in this
// call can only pass the check where a written one would have been read. An empty slot (-1) here
// stands for any such stale value.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
/** Longest match liblzf looks for: 2^8 + 2^3 bytes (its unrolled compare may add up to 2 near the end). */
const MAX_REF = (1 << 8) + (1 << 3);
/** Matches whose nominal limit exceeds this take liblzf's unrolled path of 16 unchecked compares. */
const UNROLLED = 16;

/**
 * Decompresses `src[start, end)` into exactly `outLen` bytes (redis: lzf_decompress).
 * Returns null when the input is malformed or does not produce exactly outLen bytes.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen || ip + n > end) return null;
      out.set(src.subarray(ip, ip + n), op);
      ip += n;
      op += n;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= end) return null;
        len += src[ip++];
      }
      if (ip >= end) return null;
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - src[ip++];
      len += 2;
      if (ref < 0 || op + len > outLen) return null;
      for (let k = 0; k < len; k++) out[op + k] = out[ref + k];
      op += len;
    }
  }
  return op === outLen ? out : null;
}

/** A reusable hash table for lzfCompress (all -1 between calls), so small strings cost no 256 kB clear. */
export function newLzfTable(): Int32Array {
  return new Int32Array(HSIZE).fill(-1);
}

/**
 * liblzf's IDX(h) with VERY_FAST for the 3 bytes at ip: ((h >> (24 - HLOG)) - h * 5) mod HSIZE, where
 * h holds those bytes big endian (its rolling h also carries older bytes above bit 24, which the
 * mask removes).
 */
function slotOf(src: Uint8Array, ip: number): number {
  const h = (src[ip] << 16) | (src[ip + 1] << 8) | src[ip + 2];
  return ((h >>> (24 - HLOG)) - h * 5) & (HSIZE - 1);
}

/**
 * Compresses `src` into at most `maxOut` bytes (redis: lzf_compress with out_len = maxOut). Returns
 * null where liblzf returns 0: no room (Redis then stores the string uncompressed), or empty input.
 * `table` (from newLzfTable) is borrowed and left all -1 again.
 */
export function lzfCompress(src: Uint8Array, maxOut: number, table: Int32Array = newLzfTable()): Uint8Array | null {
  try {
    return compressWith(src, maxOut, table);
  } finally {
    for (let i = 0; i + 2 < src.length; i++) table[slotOf(src, i)] = -1;
  }
}

/** Bytes src[ref + k] and src[ip + k] agree for k in [3, result): liblzf's match length for a 3-byte hit. */
function matchLength(src: Uint8Array, ref: number, ip: number, maxLen: number): number {
  let len = 3;
  if (maxLen > UNROLLED) {
    // liblzf compares bytes 3..18 without looking at maxlen, then counts on from 19.
    for (; len < 3 + UNROLLED; len++) if (src[ref + len] !== src[ip + len]) return len;
  }
  while (len < maxLen && src[ref + len] === src[ip + len]) len++;
  return len;
}

function compressWith(src: Uint8Array, maxOut: number, htab: Int32Array): Uint8Array | null {
  const n = src.length;
  if (n === 0 || maxOut <= 0) return null;
  // liblzf writes at most 3 bytes past its last room check; the slack keeps those writes in bounds.
  const out = new Uint8Array(maxOut + 4);
  let op = 1; // the first literal run's control byte is at out[op - lit - 1]
  let lit = 0;
  let ip = 0;
  while (ip + 2 < n) {
    const slot = slotOf(src, ip);
    const ref = htab[slot];
    htab[slot] = ip;
    const off = ip - ref - 1;
    // ref > 0: liblzf never refers back to the first byte (its test is ref > in_data).
    if (ref > 0 && off < MAX_OFF && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
      if (op - (lit === 0 ? 1 : 0) + 4 >= maxOut) return null;
      out[op - lit - 1] = lit - 1; // close the literal run (dropped below when empty)
      if (lit === 0) op--;
      const len = matchLength(src, ref, ip, Math.min(n - ip - 2, MAX_REF)) - 2;
      if (len < 7) {
        out[op++] = (len << 5) | (off >> 8);
      } else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // the next literal run's control byte
      ip += len + 2;
      if (ip + 2 >= n) break;
      // VERY_FAST: only the last two positions of the match enter the table.
      htab[slotOf(src, ip - 2)] = ip - 2;
      htab[slotOf(src, ip - 1)] = ip - 1;
    } else {
      if (op >= maxOut) return null;
      out[op++] = src[ip++];
      if (++lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > maxOut) return null;
  while (ip < n) {
    out[op++] = src[ip++];
    if (++lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return out.slice(0, op);
}
