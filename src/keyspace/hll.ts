// HyperLogLog as Redis stores it in a string value (redis 7.0.15 hyperloglog.c): the 16-byte
// header "HYLL" + encoding (0 dense, 1 sparse) + 3 unused bytes + 8-byte little-endian cached
// cardinality (bit 7 of the last byte set = cache invalid), then either 16384 6-bit registers packed
// little-endian (dense, 12288 bytes) or the sparse opcodes ZERO (00xxxxxx, 1..64 zero registers),
// XZERO (01xxxxxx yyyyyyyy, 1..16384 zero registers) and VAL (1vvvvvxx, value 1..32 repeated 1..4).
// Mirrors MurmurHash64A (seed 0xadc83b19), hllPatLen, hllSparseSet (split + local merge of at most
// 5 opcodes), hllSparseToDense, hllMerge, hllCount (Ertl's estimator), createHLLObject.
//
// Invariants: every function returns Redis's exact bytes for the same operation sequence;
// `hll-sparse-max-bytes` is 3000 (the promotion threshold, header included, as Redis compares
// sdslen); a malformed sparse body is reported as null / 'invalid', never thrown.

import type { Bytes } from './types.ts';

export const HLL_P = 14;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * 6) / 8;
export const HLL_SPARSE_MAX_BYTES = 3000;
const HLL_Q = 64 - HLL_P;
const ALPHA_INF = 0.72134752044448170368;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const DENSE = 0;
const SPARSE = 1;

const M64 = 0xffffffffffffffffn;
const MURMUR_M = 0xc6a4a7935bd1e995n;

/** redis: MurmurHash64A (little-endian reads, as Redis does on every platform). */
export function murmurHash64A(key: Buffer, seed: number): bigint {
  const len = key.length;
  let h = (BigInt(seed >>> 0) ^ ((BigInt(len) * MURMUR_M) & M64)) & M64;
  const nblocks = len - (len & 7);
  for (let i = 0; i < nblocks; i += 8) {
    let k = key.readBigUInt64LE(i);
    k = (k * MURMUR_M) & M64;
    k ^= k >> 47n;
    k = (k * MURMUR_M) & M64;
    h ^= k;
    h = (h * MURMUR_M) & M64;
  }
  const rem = len & 7;
  if (rem > 0) {
    for (let j = rem - 1; j >= 0; j--) h ^= BigInt(key[nblocks + j]) << BigInt(8 * j);
    h = (h * MURMUR_M) & M64;
  }
  h ^= h >> 47n;
  h = (h * MURMUR_M) & M64;
  h ^= h >> 47n;
  return h;
}

/** redis: hllPatLen: the register index and the run length of zeros + 1. */
export function hllPatLen(ele: Bytes): { index: number; count: number } {
  let hash = murmurHash64A(Buffer.from(ele, 'latin1'), 0xadc83b19);
  const index = Number(hash & BigInt(HLL_REGISTERS - 1));
  hash >>= BigInt(HLL_P);
  hash |= 1n << BigInt(HLL_Q);
  let count = 1;
  let bit = 1n;
  while ((hash & bit) === 0n) {
    count++;
    bit <<= 1n;
  }
  return { index, count };
}

/** redis: createHLLObject: an empty sparse HLL. */
export function createHll(): Bytes {
  const b = Buffer.alloc(HLL_HDR_SIZE + 2);
  b.write('HYLL', 0, 'latin1');
  b[4] = SPARSE;
  b[HLL_HDR_SIZE] = 0x40 | ((SPARSE_XZERO_MAX_LEN - 1) >> 8);
  b[HLL_HDR_SIZE + 1] = (SPARSE_XZERO_MAX_LEN - 1) & 0xff;
  return b.toString('latin1');
}

/** redis: isHLLObjectOrReply's checks on the bytes. */
export function isHll(s: Bytes): boolean {
  if (s.length < HLL_HDR_SIZE) return false;
  if (s.slice(0, 4) !== 'HYLL') return false;
  const enc = s.charCodeAt(4);
  if (enc > SPARSE) return false;
  if (enc === DENSE && s.length !== HLL_DENSE_SIZE) return false;
  return true;
}

function denseGet(b: Buffer, base: number, reg: number): number {
  const byte = (reg * 6) >> 3;
  const fb = (reg * 6) & 7;
  const b0 = b[base + byte];
  const b1 = byte + 1 < (HLL_REGISTERS * 6) / 8 ? b[base + byte + 1] : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
}

function denseSetRaw(b: Buffer, base: number, reg: number, val: number): void {
  const byte = (reg * 6) >> 3;
  const fb = (reg * 6) & 7;
  const fb8 = 8 - fb;
  b[base + byte] = (b[base + byte] & ~(63 << fb)) | ((val << fb) & 0xff);
  if (byte + 1 < (HLL_REGISTERS * 6) / 8) {
    b[base + byte + 1] = (b[base + byte + 1] & ~(63 >> fb8)) | (val >> fb8);
  }
}

/** Decodes all registers (dense or sparse). null when the sparse body is malformed. */
export function hllRegisters(s: Bytes): Uint8Array | null {
  const b = Buffer.from(s, 'latin1');
  const regs = new Uint8Array(HLL_REGISTERS);
  if (b[4] === DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) regs[i] = denseGet(b, HLL_HDR_SIZE, i);
    return regs;
  }
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < b.length) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      if (p + 1 >= b.length) return null;
      idx += (((op & 0x3f) << 8) | b[p + 1]) + 1;
      p += 2;
    } else {
      const val = ((op >> 2) & 0x1f) + 1;
      const len = (op & 3) + 1;
      if (idx + len > HLL_REGISTERS) return null;
      for (let k = 0; k < len; k++) regs[idx++] = val;
      p++;
    }
    if (idx > HLL_REGISTERS) return null;
  }
  return idx === HLL_REGISTERS ? regs : null;
}

function invalidate(b: Buffer): void {
  b[15] |= 0x80;
}

/** redis: hllSparseToDense (header, cached cardinality included, is kept). */
export function hllToDense(s: Bytes): Bytes | null {
  if (s.charCodeAt(4) === DENSE) return s;
  const regs = hllRegisters(s);
  if (regs === null) return null;
  const b = Buffer.alloc(HLL_DENSE_SIZE);
  b.write(s.slice(0, HLL_HDR_SIZE), 0, 'latin1');
  b[4] = DENSE;
  for (let i = 0; i < HLL_REGISTERS; i++) if (regs[i] !== 0) denseSetRaw(b, HLL_HDR_SIZE, i, regs[i]);
  return b.toString('latin1');
}

const isZero = (op: number) => (op & 0xc0) === 0;
const isXzero = (op: number) => (op & 0xc0) === 0x40;
const valValue = (op: number) => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 3) + 1;
const valOp = (val: number, len: number) => (((val - 1) << 2) | (len - 1)) | 0x80;

function pushZeros(seq: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
  else seq.push(len - 1);
}

export interface HllSetResult {
  /** The new bytes (unchanged when `changed` is 0). */
  value: Bytes;
  /** 1 when a register grew, 0 when not, -1 when the HLL is malformed. */
  changed: 0 | 1 | -1;
}

/** redis: hllDenseSet on a dense HLL byte string. */
function denseSet(b: Buffer, index: number, count: number): 0 | 1 {
  const old = denseGet(b, HLL_HDR_SIZE, index);
  if (count > old) {
    denseSetRaw(b, HLL_HDR_SIZE, index, count);
    return 1;
  }
  return 0;
}

/** redis: hllSparseSet / hllDenseSet: raises register `index` to `count` (promoting when needed). */
export function hllSet(s: Bytes, index: number, count: number, sparseMaxBytes = HLL_SPARSE_MAX_BYTES): HllSetResult {
  if (s.charCodeAt(4) === DENSE) {
    const b = Buffer.from(s, 'latin1');
    const changed = denseSet(b, index, count);
    return { value: changed ? b.toString('latin1') : s, changed };
  }
  const promote = (): HllSetResult => {
    const dense = hllToDense(s);
    if (dense === null) return { value: s, changed: -1 };
    const b = Buffer.from(dense, 'latin1');
    denseSet(b, index, count);
    return { value: b.toString('latin1'), changed: 1 };
  };
  if (count > SPARSE_VAL_MAX_VALUE) return promote();
  const ops = Buffer.from(s, 'latin1');
  const end0 = ops.length;
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end0) {
    let oplen = 1;
    const op = ops[p];
    if (isZero(op)) span = (op & 0x3f) + 1;
    else if (!isXzero(op)) span = valLen(op);
    else {
      if (p + 1 >= end0) return { value: s, changed: -1 };
      span = (((op & 0x3f) << 8) | ops[p + 1]) + 1;
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end0) return { value: s, changed: -1 };
  const op = ops[p];
  const zero = isZero(op);
  const xzero = isXzero(op);
  const val = !zero && !xzero;
  const runlen = zero ? (op & 0x3f) + 1 : xzero ? (((op & 0x3f) << 8) | ops[p + 1]) + 1 : valLen(op);
  let bytes: number[];
  if (val && valValue(op) >= count) return { value: s, changed: 0 };
  if ((val || zero) && runlen === 1) {
    bytes = [...ops];
    bytes[p] = valOp(count, 1);
  } else {
    const seq: number[] = [];
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && ops.length + delta > sparseMaxBytes) return promote();
    bytes = [...ops.subarray(0, p), ...seq, ...ops.subarray(p + oldlen)];
  }
  // Step 4: merge adjacent VAL opcodes, scanning at most 5 opcodes from prev.
  let q = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (q < bytes.length && scan-- > 0) {
    const o = bytes[q];
    if (isXzero(o)) {
      q += 2;
      continue;
    }
    if (isZero(o)) {
      q++;
      continue;
    }
    if (q + 1 < bytes.length && (bytes[q + 1] & 0x80) !== 0) {
      const v1 = valValue(o);
      const v2 = valValue(bytes[q + 1]);
      if (v1 === v2) {
        const len = valLen(o) + valLen(bytes[q + 1]);
        if (len <= SPARSE_VAL_MAX_LEN) {
          bytes[q + 1] = valOp(v1, len);
          bytes.splice(q, 1);
          continue;
        }
      }
    }
    q++;
  }
  const out = Buffer.from(bytes);
  invalidate(out);
  return { value: out.toString('latin1'), changed: 1 };
}

/** PFADD of one element: redis hllAdd. */
export function hllAdd(s: Bytes, ele: Bytes): HllSetResult {
  const { index, count } = hllPatLen(ele);
  return hllSet(s, index, count);
}

export function cacheValid(s: Bytes): boolean {
  return (s.charCodeAt(15) & 0x80) === 0;
}

export function cachedCard(s: Bytes): bigint {
  return Buffer.from(s.slice(8, 16), 'latin1').readBigUInt64LE(0);
}

/** Writes the cached cardinality (valid) into the header. */
export function withCachedCard(s: Bytes, card: number): Bytes {
  const b = Buffer.from(s, 'latin1');
  b.writeBigUInt64LE(BigInt(card), 8);
  return b.toString('latin1');
}

/** Marks the cached cardinality invalid (redis: HLL_INVALIDATE_CACHE). */
export function invalidateCache(s: Bytes): Bytes {
  const b = Buffer.from(s, 'latin1');
  invalidate(b);
  return b.toString('latin1');
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** redis: hllCount over registers (Ertl's improved estimator). */
export function hllCountRegisters(regs: Uint8Array): number {
  const histo = new Array<number>(64).fill(0);
  for (let i = 0; i < regs.length; i++) histo[regs[i]]++;
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}
