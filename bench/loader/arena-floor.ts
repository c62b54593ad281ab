// The floor of a loader whose keyspace lives outside the JS heap's one-object-per-key model: keys
// and string values stay where the read put them (views of the file buffer, which becomes the
// arena), and the db's dict is an open-addressing hash table in one typed array (redis: dict.c's
// table, with linear probing instead of chaining). Measured next to the Map floor and the real
// loader by run.ts, to say whether that design could reach issue 14's "load >= 2x redis-server"
// before anyone rebuilds the keyspace around it.
//
// Per record it parses the RESP framing with no checks (the input is the benchmark's own,
// well-formed file), hashes the key's bytes where they lie (FNV-1a, 32 bits), probes the table,
// compares candidate keys byte by byte in the arena, and stores the key's and the value's offsets
// and lengths: no string, no object, nothing for the garbage collector per record. The table
// doubles at 1/2 load, rehashing from its stored hashes. Like the Map floor it leaves out the
// command lookup, the executor, expiry and type checks, and it holds one db of string values only.
//
// Invariants: the input is a sequence of complete `*N` records of `$len` bulks (throws otherwise);
// a slot is empty iff its keyLen is -1; a key present twice keeps its first slot and its last value.

import { RespFraming } from './resp-framing.ts';

// One slot is STRIDE int32s in one array (hash, key offset, key length, value offset, value length),
// so a probe touches one cache line instead of one per field.
const STRIDE = 8;
const H = 0;
const KO = 1;
const KL = 2;
const VO = 3;
const VL = 4;
const EMPTY = -1;

function newTable(cap: number): Int32Array {
  const t = new Int32Array(cap * STRIDE);
  for (let i = KL; i < t.length; i += STRIDE) t[i] = EMPTY;
  return t;
}

/** Loads `bytes` into a fresh typed-array table as described above; returns the number of keys. */
export function arenaFloor(bytes: Uint8Array): number {
  const b = bytes;
  let cap = 1 << 16;
  let mask = cap - 1;
  let t = newTable(cap);
  let used = 0;

  const grow = (): void => {
    const old = t;
    cap <<= 1;
    mask = cap - 1;
    t = newTable(cap);
    for (let i = 0; i < old.length; i += STRIDE) {
      if (old[i + KL] === EMPTY) continue;
      let s = old[i + H] & mask;
      while (t[s * STRIDE + KL] !== EMPTY) s = (s + 1) & mask;
      t.set(old.subarray(i, i + STRIDE), s * STRIDE);
    }
  };

  const f = new RespFraming(b);
  while (f.more()) {
    f.next();
    const ko = f.keyAt;
    const kl = f.keyLen;
    const vo = f.valueAt;
    const vl = f.valueLen;
    let h = 0x811c9dc5;
    for (let i = ko; i < ko + kl; i++) h = Math.imul(h ^ b[i], 0x01000193);
    let s = h & mask;
    for (;;) {
      const at = s * STRIDE;
      const l = t[at + KL];
      if (l === EMPTY) {
        t[at + H] = h;
        t[at + KO] = ko;
        t[at + KL] = kl;
        t[at + VO] = vo;
        t[at + VL] = vl;
        if (++used * 2 > cap) grow();
        break;
      }
      if (t[at + H] === h && l === kl) {
        const o = t[at + KO];
        let i = 0;
        while (i < kl && b[o + i] === b[ko + i]) i++;
        if (i === kl) {
          t[at + VO] = vo;
          t[at + VL] = vl;
          break;
        }
      }
      s = (s + 1) & mask;
    }
  }
  return used;
}
