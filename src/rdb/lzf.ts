// LZF, the compressor Redis uses for RDB strings (redis: lzf_c.c lzf_compress, lzf_d.c lzf_decompress).
// Format: a sequence of runs. Control byte c < 32: a literal run of c+1 bytes follows. Otherwise a
// back reference: length (c >> 5) + 2 (7 means "read one more length byte and add it"), distance
// ((c & 0x1f) << 8 | next byte) + 1 back from the output position; copies may overlap.
//
// Invariants: lzfDecompress(lzfCompress(x)) equals x; the decompressor never reads or writes out of
// bounds and reports malformed input as null (the caller turns that into a corrupt-RDB error).
// The compressor is our own simple greedy hash-table matcher; its output is valid LZF but not
// byte-identical to liblzf's (DIVERGENCE(redis): compressed bytes differ, decoded bytes do not).

const HLOG = 14;
const HSIZE = 1 << HLOG;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
/** Longest match: length byte 7 + extension 255, plus the implicit 2. */
const MAX_REF = 7 + 255 + 2; // 264

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

/** A reusable hash table for lzfCompress (all -1 between calls), so small strings cost no 64 kB clear. */
export function newLzfTable(): Int32Array {
  return new Int32Array(HSIZE).fill(-1);
}

function hash3(src: Uint8Array, ip: number): number {
  return Math.imul((src[ip] << 16) | (src[ip + 1] << 8) | src[ip + 2], 0x9e3779b1) >>> (32 - HLOG);
}

/**
 * Compresses `src` (redis: lzf_compress). Returns null when the output would exceed `maxOut` bytes,
 * as liblzf returns 0 (Redis then stores the string uncompressed). `table` (from newLzfTable) is
 * borrowed and left all -1 again.
 */
export function lzfCompress(src: Uint8Array, maxOut: number, table: Int32Array = newLzfTable()): Uint8Array | null {
  try {
    return compressWith(src, maxOut, table);
  } finally {
    for (let i = 0; i + 2 < src.length; i++) table[hash3(src, i)] = -1;
  }
}

function compressWith(src: Uint8Array, maxOut: number, htab: Int32Array): Uint8Array | null {
  const n = src.length;
  if (n === 0 || maxOut <= 0) return null;
  const out = new Uint8Array(maxOut + MAX_LIT + 4);
  let op = 1; // room for the first literal control byte
  let litStart = 0; // position of the current literal run's control byte in out
  let lit = 0;
  let ip = 0;
  while (ip < n) {
    let matched = false;
    if (ip + 2 < n) {
      const h = hash3(src, ip);
      const ref = htab[h];
      htab[h] = ip;
      const off = ip - ref - 1;
      if (ref >= 0 && off < MAX_OFF && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
        let len = 3;
        const maxLen = Math.min(MAX_REF, n - ip);
        while (len < maxLen && src[ref + len] === src[ip + len]) len++;
        // close the literal run
        if (lit > 0) out[litStart] = lit - 1;
        else op--; // no literal pending: drop the reserved control byte
        const l = len - 2;
        if (op + 3 > maxOut) return null;
        if (l < 7) {
          out[op++] = (l << 5) | (off >> 8);
        } else {
          out[op++] = (7 << 5) | (off >> 8);
          out[op++] = l - 7;
        }
        out[op++] = off & 0xff;
        ip += len;
        litStart = op;
        op++;
        lit = 0;
        matched = true;
      }
    }
    if (!matched) {
      if (op >= maxOut) return null;
      out[op++] = src[ip++];
      lit++;
      if (lit === MAX_LIT) {
        out[litStart] = MAX_LIT - 1;
        litStart = op;
        op++;
        lit = 0;
      }
    }
  }
  if (lit > 0) out[litStart] = lit - 1;
  else op--;
  if (op > maxOut) return null;
  return out.slice(0, op);
}
